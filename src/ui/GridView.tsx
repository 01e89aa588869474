import { For, Show, createEffect, createResource, createSignal, on, onCleanup } from 'solid-js'
import type { EntityStore } from '../crdt/entityStore'
import { countLabel } from '../domain/countLabel'
import { localeRegion } from '../domain/localeRegion'
import { recordTitle } from '../domain/recordTitle'
import type { EntityDef, FieldDef, WorkspaceSchema } from '../domain/schema'
import type { WorkspaceSession } from '../sync/workspaceSession'
import { FieldDialog } from './FieldDialog'
import { FieldMenu } from './FieldMenu'
import { makeEntityGrid, type EntityGrid } from './grid/makeEntityGrid'
import { cellKey, type GridContext } from './grid/gridContext'
import { ROWS_SHOWN_EVENT } from './rowsShownEvent'
import type { MemberInfo } from './session/relayApi'

interface Toast { message: string; action?: { label: string; run: () => void } }

/** One entity as a spreadsheet: toolbar, grid, refusal messages, field menu. */
export function GridView(props: { session: WorkspaceSession; schema: WorkspaceSchema; entityId: string; members: MemberInfo[] }) {
  const entityId = props.entityId
  const entity = (): EntityDef => props.schema.entities.find((e) => e.id === entityId)!
  const [store] = createResource(() => props.session.entity(entityId))
  const editable = props.session.member.role !== 'viewer'
  const [refusal, setRefusal] = createSignal<string | null>(null)
  const [counts, setCounts] = createSignal({ shown: 0, total: 0 })
  const [selected, setSelected] = createSignal<string[]>([])
  const [menu, setMenu] = createSignal<{ field: FieldDef; anchor: HTMLElement } | null>(null)
  const [dialog, setDialog] = createSignal<{ mode: 'add' } | { mode: 'rename'; field: FieldDef } | null>(null)
  const [toast, setToast] = createSignal<Toast | null>(null)
  const [columnsOpen, setColumnsOpen] = createSignal(false)
  const [columnList, setColumnList] = createSignal<{ id: string; label: string; visible: boolean }[]>([])
  const [search, setSearch] = createSignal('')
  let searchInput!: HTMLInputElement
  let toastTimer: ReturnType<typeof setTimeout> | undefined
  const showToast = (t: Toast) => {
    setToast(t)
    clearTimeout(toastTimer)
    toastTimer = setTimeout(() => setToast(null), 8000)
  }

  const locale = navigator.language || 'en-US'
  // Asked for when a date-time is parsed or shown, not at start-up: the first
  // `Intl.DateTimeFormat()` loads the time-zone data, 60-100 ms on this thread unless
  // index.html's boot worker has already loaded it for the tab (it does, after the head).
  let timeZone: string | undefined
  const ctx: GridContext = {
    parseContext: {
      locale,
      // phones typed without a country code: the member's country first, then the workspace's
      defaultCountry: localeRegion(locale),
      workspaceCountry: props.schema.workspace?.defaultCountry,
      get timeZone() {
        return (timeZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone)
      },
      members: props.members.map((m) => ({ id: m.id, name: m.name })),
      resolveLink: (linkEntity, text) => {
        const names = ctx.linkNames.get(linkEntity)
        if (!names) return undefined
        if (names.has(text)) return text
        const lower = text.trim().toLowerCase()
        for (const [id, name] of names) if (name.toLowerCase() === lower) return id
        return undefined
      },
    },
    refused: new Map(),
    presence: new Map(),
    linkNames: new Map(),
  }
  let grid: EntityGrid | undefined
  let container!: HTMLDivElement
  const cleanups: (() => void)[] = []
  onCleanup(() => {
    cleanups.forEach((c) => c())
    grid?.destroy()
    props.session.presence.setCell(null)
  })

  // Names of linked records (e.g. the company of a contact), kept current as they change.
  const watchedLinks = new Set<string>()
  const watchLinkedEntities = () => {
    const linked = new Set(entity().fields.filter((f) => f.type === 'link' && f.linkEntity && !f.deletedAt).map((f) => f.linkEntity!))
    for (const target of linked) {
      if (watchedLinks.has(target)) continue
      const def = props.schema.entities.find((e) => e.id === target)
      if (!def) continue
      watchedLinks.add(target)
      const names = new Map<string, string>()
      const refreshLinks = () => grid?.refreshColumns(entity().fields.filter((f) => f.type === 'link' && f.linkEntity === target).map((f) => f.id))
      void props.session.entity(target).then(async (linkedStore: EntityStore) => {
        linkedStore.loadRest?.()
        await linkedStore.complete
        for (const r of linkedStore.rows()) names.set(r.id, recordTitle(def, r))
        ctx.linkNames.set(target, names) // link cells are blank until now, then show the names
        refreshLinks()
        cleanups.push(linkedStore.subscribe((patch) => {
          for (const r of [...patch.added, ...patch.updated]) names.set(r.id, recordTitle(def, r))
          for (const id of patch.removed) names.delete(id)
          refreshLinks()
        }))
      })
    }
  }

  const applyPresence = () => {
    const before = [...ctx.presence.keys()]
    ctx.presence.clear()
    for (const p of props.session.presence.peers()) {
      if (p.cell && p.cell.entityId === entityId) {
        const k = cellKey(p.cell.rowId, p.cell.fieldId)
        ctx.presence.set(k, [...(ctx.presence.get(k) ?? []), p])
      }
    }
    grid?.refreshCells(new Set([...before, ...ctx.presence.keys()]))
  }

  createEffect(on(store, (s) => {
    if (!s || grid) return
    props.session.presence.setView(entityId)
    grid = makeEntityGrid({
      container, entity: entity(), store: s, context: ctx, memberId: props.session.member.id, editable,
      openFieldMenu: (field, anchor) => setMenu({ field, anchor }),
      onRefused: setRefusal,
      onFocusCell: (cell) => props.session.presence.setCell(cell),
      onRowCount: (shown, total) => setCounts({ shown, total }),
      onSelection: setSelected,
      // linked lists (e.g. companies, for the contacts' company names) open once this list's
      // first rows are on screen, not in the way of them
      onRowsShown: () => {
        performance.mark(`kanso:rows-shown:${entityId}`)
        watchLinkedEntities()
        dispatchEvent(new Event(ROWS_SHOWN_EVENT))
      },
    })
    performance.mark(`kanso:grid-created:${entityId}`)
    applyPresence()
    cleanups.push(props.session.presence.subscribe(applyPresence))
  }))

  // Schema changes (fields added, renamed, removed — here or by a teammate) rebuild the columns.
  createEffect(on(() => props.schema, (schema) => {
    ctx.parseContext.workspaceCountry = schema.workspace?.defaultCountry
    const next = schema.entities.find((e) => e.id === entityId)
    if (next && grid) {
      grid.setEntity(next)
      watchLinkedEntities()
    }
  }, { defer: true }))

  const addRow = () => grid?.addRow()
  const deleteRows = () => {
    const ids = grid?.deleteSelected() ?? []
    if (!ids.length) return
    const s = store()
    showToast({
      message: `Deleted ${ids.length} ${ids.length === 1 ? entity().singular.toLowerCase() : entity().label.toLowerCase()}`,
      action: s ? { label: 'Undo', run: () => s.restoreRecords(ids) } : undefined,
    })
  }
  // While a search is on, an empty grid means "nothing matches", which the message above the
  // grid says (with a way out), not the grid's own "No records yet" overlay.
  let noRecordsOverlay: string | undefined
  const applySearch = (text: string) => {
    setSearch(text)
    if (grid) {
      noRecordsOverlay ??= grid.api.getGridOption('overlayNoRowsTemplate')
      grid.api.setGridOption('overlayNoRowsTemplate', text.trim() ? '<span></span>' : noRecordsOverlay)
      grid.setQuickFilter(text)
    }
  }
  const clearSearch = () => {
    searchInput.value = ''
    applySearch('')
    searchInput.focus()
  }
  const openColumns = () => {
    setColumnList(grid?.columns() ?? [])
    setColumnsOpen(!columnsOpen())
  }

  return (
    <section class="kanso-grid-view" aria-label={entity().label}>
      <div class="kanso-toolbar" role="toolbar" aria-label={`${entity().label} tools`}>
        <Show when={editable}>
          <button type="button" class="kanso-primary" onClick={addRow}>+ New {entity().singular.toLowerCase()}</button>
          <button type="button" onClick={deleteRows} disabled={!selected().length} title="Delete the selected rows (undo with Ctrl+Z)">
            Delete{selected().length ? ` (${selected().length})` : ''}
          </button>
          <button type="button" onClick={() => grid?.undo()} title="Undo your last change (Ctrl+Z)" aria-label="Undo">↶</button>
          <button type="button" onClick={() => grid?.redo()} title="Redo (Ctrl+Y)" aria-label="Redo">↷</button>
        </Show>
        <input type="search" class="kanso-search" placeholder={`Search ${entity().label.toLowerCase()}…`} ref={searchInput}
          aria-label={`Search ${entity().label}`} onInput={(e) => applySearch(e.currentTarget.value)} />
        <div class="kanso-columns">
          <button type="button" onClick={openColumns} aria-expanded={columnsOpen()}>Columns ▾</button>
          <Show when={columnsOpen()}>
            <div class="kanso-popover kanso-columns-list" role="menu">
              <For each={columnList()}>
                {(c) => (
                  <label class="kanso-check-row">
                    <input type="checkbox" checked={c.visible} onChange={(e) => grid?.setColumnVisible(c.id, e.currentTarget.checked)} />
                    {c.label}
                  </label>
                )}
              </For>
            </div>
          </Show>
        </div>
        <Show when={editable}>
          <button type="button" onClick={() => setDialog({ mode: 'add' })}>+ Field</button>
        </Show>
        <span class="kanso-count">{counts().shown === counts().total ? countLabel(counts().total, entity(), locale) : `${counts().shown} of ${countLabel(counts().total, entity(), locale)}`}</span>
      </div>
      <Show when={refusal()}>
        <div class="kanso-refusal" role="alert" data-testid="cell-error">
          <strong>Not saved:</strong> {refusal()} <span class="kanso-hint">Press Enter on the cell to fix it, or Escape to keep the old value.</span>
          <button type="button" class="kanso-link-button" onClick={() => setRefusal(null)} aria-label="Dismiss">✕</button>
        </div>
      </Show>
      <Show when={store.loading}><div class="kanso-empty-state">Loading {entity().label.toLowerCase()}…</div></Show>
      <Show when={search().trim() && counts().shown === 0 && counts().total > 0}>
        <div class="kanso-empty-search" role="status" data-testid="empty-search">
          No rows match “{search().trim()}”.
          <button type="button" class="kanso-link-button" onClick={clearSearch}>Clear the search</button>
        </div>
      </Show>
      <div class="kanso-grid" ref={container} data-testid="grid" />
      <Show when={menu()}>
        {(m) => (
          <FieldMenu field={m().field} anchor={m().anchor} editable={editable} onClose={() => setMenu(null)}
            onRename={() => setDialog({ mode: 'rename', field: m().field })}
            onHide={() => grid?.setColumnVisible(m().field.id, false)}
            onAdd={() => setDialog({ mode: 'add' })}
            onRemove={() => {
              const f = m().field
              props.session.schema.removeField(entityId, f.id)
              showToast({ message: `Removed the field “${f.label}”. Its values are kept.`, action: { label: 'Undo', run: () => props.session.schema.restoreField(entityId, f.id) } })
            }} />
        )}
      </Show>
      <Show when={dialog()}>
        {(d) => (
          <FieldDialog mode={d().mode} field={d().mode === 'rename' ? (d() as { field: FieldDef }).field : undefined}
            entities={props.schema.entities} onClose={() => setDialog(null)}
            onSubmit={(spec) => {
              const cur = d()
              if (cur.mode === 'rename') props.session.schema.renameField(entityId, cur.field.id, spec.label)
              else props.session.schema.addField(entityId, spec)
            }} />
        )}
      </Show>
      <Show when={toast()}>
        {(t) => (
          <div class="kanso-toast" role="status">
            {t().message}
            <Show when={t().action}>
              {(a) => <button type="button" onClick={() => { a().run(); setToast(null) }}>{a().label}</button>}
            </Show>
          </div>
        )}
      </Show>
    </section>
  )
}
