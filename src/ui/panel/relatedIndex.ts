import type { EntityStore } from '../../crdt/entityStore'
import { makeReverseLinkIndex, type ReverseLinkIndex } from '../../domain/records/reverseLinkIndex'
import type { EntityDef } from '../../domain/schema'
import { liveFields } from '../../domain/schema'
import type { WorkspaceSession } from '../../sync/workspaceSession'

export interface IndexedEntity { store: EntityStore; index: ReverseLinkIndex }

/** The reverse link indexes of one workspace session, one per entity whose records link elsewhere. */
export interface RelatedIndex {
  /**
   * The entity's store (every row loaded) and its index of link fields, built on the first ask
   * and kept current from the store's patches for the session's life, so the second panel (and
   * every one after it) only looks up. A change to the entity's link fields builds it again.
   */
  of(entity: EntityDef): Promise<IndexedEntity>
}

const bySession = new WeakMap<object, RelatedIndex>()

/** The session's related-record index (one per workspace session: a list switch or a closed panel keeps it). */
export function relatedIndexOf(session: WorkspaceSession): RelatedIndex {
  let found = bySession.get(session)
  if (!found) bySession.set(session, (found = makeRelatedIndex(session)))
  return found
}

function makeRelatedIndex(session: WorkspaceSession): RelatedIndex {
  const built = new Map<string, Promise<{ store: EntityStore; current: ReverseLinkIndex }>>()
  const linkFieldsOf = (entity: EntityDef) => liveFields(entity).filter((f) => f.type === 'link')
  return {
    async of(entity) {
      let entry = built.get(entity.id)
      if (!entry) {
        entry = (async () => {
          const store = await session.entity(entity.id)
          store.loadRest?.()
          await store.complete
          const holder = { store, current: makeReverseLinkIndex(linkFieldsOf(entity), store.rows()) }
          // never stopped: the index lives as long as the session and its stores
          store.subscribe((patch) => holder.current.apply(patch))
          return holder
        })()
        built.set(entity.id, entry)
      }
      const holder = await entry
      const fields = linkFieldsOf(entity).map((f) => f.id)
      if (fields.join() !== holder.current.fieldIds.join()) holder.current = makeReverseLinkIndex(linkFieldsOf(entity), holder.store.rows())
      return { store: holder.store, index: holder.current }
    },
  }
}
