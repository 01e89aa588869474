import type { EntityStore } from '../../crdt/entityStore'
import type { PhoneScheme } from '../../domain/cellLinkHref'
import { describeRecord } from '../../domain/describeRecord'
import { conflictKey, isConflictMark } from '../../domain/history/historyEntry'
import { localeRegion } from '../../domain/localeRegion'
import { recordTitle } from '../../domain/recordTitle'
import { resolveLinkText } from '../../domain/resolveLinkText'
import type { EntityDef, WorkspaceSchema } from '../../domain/schema'
import type { WorkspaceSession } from '../../sync/workspaceSession'
import { makeDeletedLinkNames, type DeletedLinkNames } from './deletedLinkNames'
import type { GridContext } from './gridContext'
import type { RefusedInputs } from './refusedInputs'
import { makeStageChanges, type StageChangeOptions } from './stageChanges'

export interface GridContextOptions {
  session: WorkspaceSession
  schema: () => WorkspaceSchema
  entityId: string
  members: readonly { id: string; name: string }[]
  refused: RefusedInputs
  phoneScheme?: PhoneScheme
  /** The names of a linked entity's records arrived or changed: redraw its link fields. */
  onLinkNames: (targetEntityId: string) => void
  /** Why a deal moved to a lost stage was lost (the view's LostReasonDialog); null: cancelled. */
  askLostReason: StageChangeOptions['askLostReason']
}

export interface GridContextHandle {
  context: GridContext
  /** Opens (once each) the entities this one's link fields point at, for their names and pickers; again after a schema change. */
  watchLinkedEntities(): void
  destroy(): void
}

/**
 * What an entity's editors and cells read, for the grid, the phone's cards and the record panel
 * alike: the parse context (locale, countries, time zone, members, link names), this list's
 * refused entries, a deal's stage changes, and the linked records' names, kept current as they
 * change (a deleted one is named "(deleted) …" until it is restored).
 */
export function makeGridContext(o: GridContextOptions): GridContextHandle {
  const entity = (): EntityDef => o.schema().entities.find((e) => e.id === o.entityId)!
  const locale = navigator.language || 'en-US'
  const linkedStores = new Map<string, { store: EntityStore; def: EntityDef; deleted: DeletedLinkNames }>()
  // Asked for when a date-time is parsed or shown, not at start-up: the first
  // `Intl.DateTimeFormat()` loads the time-zone data, 60-100 ms on this thread unless
  // index.html's boot worker has already loaded it for the tab (it does, after the head).
  let timeZone: string | undefined
  let rowOf: (id: string) => ReturnType<EntityStore['row']> = () => undefined
  void o.session.entity(o.entityId).then((s) => { rowOf = (id) => s.row(id) })
  const context: GridContext = {
    parseContext: {
      locale,
      // phones typed without a country code: the member's country first, then the workspace's
      defaultCountry: localeRegion(locale),
      workspaceCountry: o.schema().workspace?.defaultCountry,
      get timeZone() {
        return (timeZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone)
      },
      members: o.members.map((m) => ({ id: m.id, name: m.name })),
      resolveLink: (linkEntity, text) => {
        const names = context.linkNames.get(linkEntity)
        const found = names ? resolveLinkText(names, text) : undefined
        if (!found || (!found.ok && found.reason === 'none')) return undefined
        return found.ok ? found.id : { many: found.count }
      },
    },
    // this list's refused entries outlive the view (a list switch, a reload) until fixed or dropped
    refused: o.refused.of(o.entityId),
    presence: new Map(),
    // a deal's stage edit keeps its change (who, when) and asks why when the deal is lost (issue 14)
    withStageChanges: makeStageChanges({
      entity,
      pipelines: () => o.schema().pipelines ?? [],
      row: (id) => rowOf(id),
      memberId: o.session.member.id,
      askLostReason: o.askLostReason,
    }),
    linkNames: new Map(),
    deletedLinkName: (target, id) => linkedStores.get(target)?.deleted.name(id),
    phoneScheme: o.phoneScheme,
    resolveConflict: o.session.member.role === 'viewer' ? undefined : (rowId, fieldId, choice) => {
      void o.session.entity(o.entityId).then((store) => {
        const mark = store.row(rowId)?.values[conflictKey(fieldId)]
        if (choice === 'use' && isConflictMark(mark)) store.updateCells([{ recordId: rowId, fieldId, value: mark.value }])
        // the mark is no value of the member's: its removal is no undo step (an undo may not set one again)
        if (mark !== undefined) store.updateCellsUntracked([{ recordId: rowId, fieldId: conflictKey(fieldId), value: null }])
      })
    },
    linkChoices: (target) => {
      const linked = linkedStores.get(target)
      if (!linked) return []
      const members = context.parseContext.members
      return linked.store.rows().map((r) => describeRecord(linked.def, r, { members, linkName: (f, id) => (f.linkEntity ? context.linkNames.get(f.linkEntity)?.get(id) : undefined) }))
    },
  }

  const cleanups: (() => void)[] = []
  let destroyed = false
  /** Per linked entity being read: resolves once its names are in `context.linkNames` (or the context is destroyed). */
  const watched = new Map<string, Promise<void>>()
  const watch = (target: string): Promise<void> | undefined => {
    const known = watched.get(target)
    if (known) return known
    const def = o.schema().entities.find((e) => e.id === target)
    if (!def) return undefined
    const names = new Map<string, string>()
    const changed = () => { if (!destroyed) o.onLinkNames(target) }
    const loaded = o.session.entity(target).then(async (linkedStore: EntityStore) => {
      linkedStore.loadRest?.()
      await linkedStore.complete
      if (destroyed) return
      // a deleted company stays named in its contacts, marked deleted, until it is restored
      const deleted = makeDeletedLinkNames(linkedStore, (r) => recordTitle(def, r), changed)
      linkedStores.set(target, { store: linkedStore, def, deleted })
      for (const r of linkedStore.rows()) names.set(r.id, recordTitle(def, r))
      context.linkNames.set(target, names) // link fields are blank until now, then show the names
      changed()
      cleanups.push(linkedStore.subscribe((patch) => {
        for (const r of [...patch.added, ...patch.updated]) {
          names.set(r.id, recordTitle(def, r))
          deleted.forget(r.id)
        }
        for (const id of patch.removed) {
          names.delete(id)
          deleted.forget(id)
        }
        changed()
      }))
    })
    watched.set(target, loaded)
    // a list that could not be opened is asked for again by the next entry or schema change
    loaded.catch(() => watched.delete(target))
    return loaded
  }
  const watchLinkedEntities = () => {
    for (const f of entity().fields) {
      if (f.type === 'link' && f.linkEntity && !f.deletedAt) void watch(f.linkEntity)
    }
  }
  // An entry typed into a link cell before the linked list is loaded (a name typed right after
  // the list opened, while the linked lists wait for the member's pause) asks for it at once
  // and is resolved once its names are there, instead of being refused as naming nothing.
  context.whenLinkNames = (target) => (context.linkNames.has(target) ? undefined : watch(target))
  return {
    context,
    watchLinkedEntities,
    destroy() {
      destroyed = true
      cleanups.forEach((c) => c())
    },
  }
}
