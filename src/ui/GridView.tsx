import { For, Show, lazy, createEffect, createResource, createSignal, on, onCleanup } from 'solid-js'
import type { PhoneScheme } from '../domain/cellLinkHref'
import { countInboundLinks, entitiesLinkingTo, inboundLinksQuestion } from '../domain/countInboundLinks'
import { countLabel } from '../domain/countLabel'
import { optionRenamePlan } from '../domain/optionRenamePlan'
import { recordTitle } from '../domain/recordTitle'
import type { EntityDef, FieldDef, FieldValue, Row, WorkspaceSchema } from '../domain/schema'
import type { WorkspaceSession } from '../sync/workspaceSession'
import { ConfirmDialog } from './ConfirmDialog'
// a deal's lines come with their first use, their stylesheet with the list: it also styles the reports' links
import './deals/dealLines.css'
import { FieldDialog } from './FieldDialog'
import { FieldMenu } from './FieldMenu'
import { OptionsDialog } from './OptionsDialog'
import { makeEntityGrid, type EntityGrid } from './grid/makeEntityGrid'
import { CardList } from './cards/CardList'
import { cellKey } from './grid/gridContext'
import type { PasteProgress } from './grid/gridClipboard'
import type { RefusedInputs } from './grid/refusedInputs'
import { makeGridContext } from './grid/makeGridContext'
import { ROWS_SHOWN_EVENT, whenMemberPauses } from './rowsShownEvent'
import type { MemberInfo } from './session/relayApi'
import { createLostReasonQuestion } from './deals/createLostReasonQuestion'
import { undoInView } from './leads/conversionUndo'
import { offersDuplicates } from '../domain/duplicates/duplicateEntities'
import type { RecordLinks } from './panel/recordLinks'
import { createSavedViews } from './views/createSavedViews'
import { ViewBar } from './views/ViewBar'
import { ExportMenu } from './export/ExportMenu'
import { bulkDeleteQuestion } from '../domain/records/bulkEdit'

// the list's Trash link and selection bar are styled there too
import './bulk/bulk.css'

// first use only (their own chunks), not parsed before a list's first rows
const BulkEditDialog = lazy(() => import('./bulk/BulkEditDialog').then((m) => ({ default: m.BulkEditDialog })))
const TrashDialog = lazy(() => import('./trash/TrashDialog').then((m) => ({ default: m.TrashDialog })))
const ImportDialog = lazy(() => import('./import/ImportDialog').then((m) => ({ default: m.ImportDialog })))
const DuplicatesDialog = lazy(() => import('./duplicates/DuplicatesDialog').then((m) => ({ default: m.DuplicatesDialog })))
// a deal's lines, a card's edit sheet, a lead's conversion, a lost deal's reason: not a list's open either
const DealLinesPanel = lazy(() => import('./deals/DealLinesPanel').then((m) => ({ default: m.DealLinesPanel })))
const EditSheet = lazy(() => import('./cards/EditSheet').then((m) => ({ default: m.EditSheet })))
const ConvertLeadDialog = lazy(() => import('./leads/ConvertLeadDialog').then((m) => ({ default: m.ConvertLeadDialog })))
const LostReasonDialog = lazy(() => import('./deals/LostReasonDialog').then((m) => ({ default: m.LostReasonDialog })))

interface Toast { message: string; action?: { label: string; run: () => void } }

/** Some of an entity's rows (a deal's lines): the grid shows only these, and new rows start with these values. */
export interface RowSubset {
  filter: (row: Row) => boolean
  newRowValues: () => Record<string, FieldValue>
  /** Fields the subset makes redundant (the deal all the lines belong to): no column for them. */
  hiddenFields?: readonly string[]
}

/** One entity as a spreadsheet (or, with `cards`, a phone's card list and edit sheet): toolbar, grid, refusal messages, field menu. */
export function GridView(props: { session: WorkspaceSession; schema: WorkspaceSchema; entityId: string; members: MemberInfo[]; refused: RefusedInputs; cards?: boolean; only?: RowSubset; phoneScheme?: PhoneScheme; records?: RecordLinks }) {
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
  const [confirmDelete, setConfirmDelete] = createSignal<{ question: string; ids: string[] } | null>(null)
  // bulk edit of the ticked rows (their ids, fixed when the dialog opens), and the list's trash
  const [bulkEditing, setBulkEditing] = createSignal<string[] | null>(null)
  const [trashOpen, setTrashOpen] = createSignal(false)
  const [importOpen, setImportOpen] = createSignal(false)
  const [trashCount, setTrashCount] = createSignal(0)
  // contacts, companies and leads: their likely duplicates, reviewed and merged
  const [duplicatesOpen, setDuplicatesOpen] = createSignal(false)
  let recountTrash = () => {}
  /** The select field whose options are being edited (its id: the dialog follows the live schema). */
  const [optionsOf, setOptionsOf] = createSignal<string | null>(null)
  const [columnsOpen, setColumnsOpen] = createSignal(false)
  const [columnList, setColumnList] = createSignal<{ id: string; label: string; visible: boolean }[]>([])
  const [search, setSearch] = createSignal('')
  // the phone's cards: the record open in the edit sheet, and a tick when names the cards show changed
  const [sheet, setSheet] = createSignal<string | null>(null)
  const [redraw, setRedraw] = createSignal(0)
  const [progress, setProgress] = createSignal<PasteProgress | null>(null)
  // deals: the row last focused, and the deal whose lines are open below the grid
  const [focusedRow, setFocusedRow] = createSignal<string | null>(null)
  const [linesOf, setLinesOf] = createSignal<string | null>(null)
  // leads: the lead being converted (Convert…, Alt+Shift+C)
  const [converting, setConverting] = createSignal<string | null>(null)
  const canConvert = () => editable && !props.cards && entity().key === 'leads' && ['contacts', 'companies'].every((k) => props.schema.entities.some((e) => e.key === k))
  // Ctrl+Z takes back a lead's conversion across its lists as one step (conversionUndo), else this list's last step
  const undo = () => {
    const s = store()
    if (s) undoInView(props.session, s)
  }
  let searchInput!: HTMLInputElement
  let toastTimer: ReturnType<typeof setTimeout> | undefined
  const showToast = (t: Toast) => {
    setToast(t)
    clearTimeout(toastTimer)
    toastTimer = setTimeout(() => setToast(null), 8000)
  }

  const locale = navigator.language || 'en-US'
  // a deal moved to a lost stage (its stage cell, a card's sheet): why, asked in the page
  const lostReason = createLostReasonQuestion({ entity, rows: () => store()?.rows() ?? [] })
  const contextHandle = makeGridContext({
    session: props.session, schema: () => props.schema, entityId, members: props.members, refused: props.refused, phoneScheme: props.phoneScheme,
    askLostReason: lostReason.ask,
    onLinkNames: (target) => {
      grid?.refreshColumns(entity().fields.filter((f) => f.type === 'link' && f.linkEntity === target).map((f) => f.id))
      setRedraw((n) => n + 1)
    },
  })
  const ctx = contextHandle.context
  // saved views (issue 15) of a whole list, not of a deal's lines or a phone's cards
  const savedViews = props.cards || props.only ? null : createSavedViews({ schema: () => props.schema, entity, store: props.session.schema, whenLoaded: () => props.session.whenSchemaLoaded(), member: props.session.member })
  // The field menu, the field and options dialogs and the import (it may add fields) open once
  // the schema document is loaded (at once if it was waiting): the list shows this device's copy
  // of the schema before that, and a rename made meanwhile found no entity to rename in.
  const withSchema = (open: () => void) => void props.session.whenSchemaLoaded().then(open)
  ctx.records = props.records
  const watchLinkedEntities = contextHandle.watchLinkedEntities
  const firstRefusal = ctx.refused.values().next().value
  if (firstRefusal) setRefusal(firstRefusal.message)
  let grid: EntityGrid | undefined
  let container!: HTMLDivElement
  const cleanups: (() => void)[] = []
  onCleanup(() => {
    cleanups.forEach((c) => c())
    contextHandle.destroy()
    grid?.destroy()
    props.session.presence.setCell(null)
  })

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

  // linked lists (e.g. companies, for the contacts' company names) open once this list's
  // first rows are on screen and the member's first clicks and keys have paused, not in the way
  // of them; a name typed into a link cell meanwhile asks for its list at once (whenLinkNames)
  let closed = false
  cleanups.push(() => { closed = true })
  const rowsShown = () => {
    performance.mark(`kanso:rows-shown:${entityId}`)
    void whenMemberPauses().then(() => { if (!closed) watchLinkedEntities() })
    dispatchEvent(new Event(ROWS_SHOWN_EVENT))
    focusRequestedCell()
  }
  createEffect(on(store, (s) => {
    if (!s || grid) return
    props.session.presence.setView(entityId)
    if (props.cards) return
    grid = makeEntityGrid({
      container, entity: entity(), store: s, context: ctx, memberId: props.session.member.id, editable,
      openFieldMenu: (field, anchor) => withSchema(() => setMenu({ field, anchor })),
      onRefused: (message) => {
        props.refused.changed(entityId)
        setRefusal(message)
      },
      onFocusCell: (cell) => {
        props.session.presence.setCell(cell)
        // open lines follow the focused deal
        if (cell) { setFocusedRow(cell.rowId); if (linesOf()) setLinesOf(cell.rowId) }
      },
      onRowCount: (shown, total) => setCounts({ shown, total }),
      onSelection: setSelected,
      onProgress: setProgress,
      onRowsShown: rowsShown,
      filter: props.only?.filter,
      newRowValues: props.only?.newRowValues,
      hiddenFields: props.only?.hiddenFields,
      undo,
      openRecord: props.records ? (rowId) => props.records!.open(entityId, rowId) : undefined,
    })
    performance.mark(`kanso:grid-created:${entityId}`)
    savedViews?.attach(grid)
    applyPresence()
    cleanups.push(props.session.presence.subscribe(applyPresence))
  }))

  // The trash's count beside the list's: read from the document, again after deletes and restores
  createEffect(on(store, (s) => {
    if (!s) return
    const count = () => void s.trash().then((rows) => setTrashCount(rows.length))
    let timer: ReturnType<typeof setTimeout> | undefined
    // a purge sends no patch: the trash dialog asks for the count again after one
    recountTrash = () => {
      clearTimeout(timer)
      timer = setTimeout(count, 300)
    }
    cleanups.push(s.subscribe((patch) => { if (patch.added.length || patch.removed.length) recountTrash() }), () => clearTimeout(timer))
    void (s.complete ?? Promise.resolve()).then(count)
  }))

  // The member list arrives after the first paint on a first visit, and changes when an admin
  // invites or revokes: owner cells show and match names from the list of now, not of the grid's start.
  createEffect(on(() => props.members, (members) => {
    ctx.parseContext.members = members.map((m) => ({ id: m.id, name: m.name }))
    grid?.refreshColumns(entity().fields.filter((f) => f.type === 'member').map((f) => f.id))
    setRedraw((n) => n + 1)
  }, { defer: true }))

  // The member's phone scheme arrives from the relay after the first paint, or changes in My
  // preferences. Not deferred: effects wait for the list's store, and the scheme may have
  // arrived meanwhile — a deferred first run would skip exactly that change.
  createEffect(on(() => props.phoneScheme, (scheme) => {
    if (ctx.phoneScheme === scheme) return
    ctx.phoneScheme = scheme
    grid?.refreshColumns(entity().fields.filter((f) => f.type === 'phone').map((f) => f.id))
    setRedraw((n) => n + 1)
  }))

  // The sync status's "refused entry" link: focus the cell once its row is in the view.
  const focusRequestedCell = () => {
    const s = store()
    if (!grid || !s) return
    const cell = props.refused.takeFocusRequest(entityId)
    if (!cell) return
    void (s.complete ?? Promise.resolve()).then(() => grid?.focusCell(cell.rowId, cell.fieldId))
  }
  cleanups.push(props.refused.subscribe(focusRequestedCell))

  // Schema changes (fields added, renamed, removed — here or by a teammate) rebuild the columns.
  createEffect(on(() => props.schema, (schema) => {
    ctx.parseContext.workspaceCountry = schema.workspace?.defaultCountry
    const next = schema.entities.find((e) => e.id === entityId)
    if (next && grid) {
      grid.setEntity(next)
      watchLinkedEntities()
    }
  }, { defer: true }))

  /**
   * A renamed option renames the stored values: the schema's list first (so the new name parses),
   * then every record holding the old name, rewritten as one edit (one undo step) once all rows are in.
   */
  const renameOption = (field: FieldDef, from: string, to: string) => {
    const label = props.session.schema.renameOption(entityId, field.id, from, to)
    const s = store()
    if (!s) return
    s.loadRest?.()
    void (s.complete ?? Promise.resolve()).then(() => {
      const changes = optionRenamePlan(field, s.rows(), from, label)
      if (changes.length) s.updateCells(changes)
      // Undo here renames back, list and records together (Ctrl+Z would take back the records only)
      showToast({
        message: `Renamed “${from}” to “${label}”${changes.length ? ` in ${countLabel(changes.length, entity(), locale)}` : ''}`,
        action: { label: 'Undo', run: () => {
          try {
            renameOption(field, label, from)
          } catch (error) {
            // e.g. a teammate added an option of the old name meanwhile
            showToast({ message: `Could not rename back: ${(error as Error).message}` })
          }
        } },
      })
    })
  }
  const optionsField = () => {
    const id = optionsOf()
    return id === null ? undefined : entity()?.fields.find((f) => f.id === id && !f.deletedAt)
  }

  const addRow = () => {
    const s = store()
    if (props.cards && s) setSheet(s.createRecord(props.only?.newRowValues() ?? {}))
    else grid?.addRow()
  }
  /** "3 contacts and 1 deal link to Acme GmbH. Delete anyway?", or null when nothing links to them. */
  const inboundQuestion = async (ids: string[]): Promise<string | null> => {
    const sources = entitiesLinkingTo(props.schema, entityId)
    if (!sources.length) return null
    const rows = new Map<string, readonly Row[]>()
    for (const source of sources) {
      const s = await props.session.entity(source.id)
      s.loadRest?.()
      await s.complete
      rows.set(source.id, s.rows())
    }
    const links = countInboundLinks(props.schema, entityId, new Set(ids), (id) => rows.get(id) ?? [])
    const only = ids.length === 1 ? store()?.row(ids[0]!) : undefined
    return inboundLinksQuestion(links, only ? recordTitle(entity(), only) : `these ${countLabel(ids.length, entity(), locale)}`, locale)
  }
  const deleteRows = async () => {
    const ids = grid?.rowsToDelete() ?? []
    if (!ids.length) return
    const question = await inboundQuestion(ids)
    // several rows: the count is confirmed first (a bulk delete), one undo step like any delete
    if (question || ids.length > 1) {
      setConfirmDelete({ question: question ?? `They go to the trash, where they can be restored; Ctrl+Z brings all ${ids.length.toLocaleString(locale)} back now.`, ids })
    } else {
      deleteNow(ids)
    }
  }
  const deleteNow = (ids: string[]) => {
    grid?.deleteSelected(ids)
    const s = store()
    showToast({
      message: `Deleted ${countLabel(ids.length, entity(), locale)}`,
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
    <section class="kanso-grid-view" aria-label={entity().label}
      onKeyDown={(e) => {
        if (!(e.altKey && e.shiftKey && e.code === 'KeyC' && canConvert())) return
        // the grid's focused row now, not the signal its focus listener sets a task later: the
        // shortcut pressed right after a click converts the lead clicked
        const lead = grid?.focusedRowId() ?? focusedRow()
        if (lead) { e.preventDefault(); setConverting(lead) }
      }}>
      <Show when={savedViews}>
        {(views) => <ViewBar views={views()} entity={entity()} parseContext={ctx.parseContext} memberName={(id) => props.members.find((m) => m.id === id)?.name ?? id} />}
      </Show>
      <div class="kanso-toolbar" role="toolbar" aria-label={`${entity().label} tools`}>
        <Show when={editable}>
          <button type="button" class="kanso-primary" onClick={addRow}>+ New {entity().singular.toLowerCase()}</button>
          <Show when={!props.cards}>
            <button type="button" onClick={() => void deleteRows()} disabled={!selected().length} title="Delete the selected rows (undo with Ctrl+Z)">
              Delete{selected().length ? ` (${selected().length})` : ''}
            </button>
          </Show>
          <Show when={!props.cards && selected().length}>
            <button type="button" onClick={() => setBulkEditing(selected())} data-testid="bulk-edit"
              title="Set one field on every selected row, as one change">Edit {selected().length.toLocaleString(locale)} {selected().length === 1 ? 'row' : 'rows'}…</button>
          </Show>
          <button type="button" onClick={undo} title="Undo your last change (Ctrl+Z)" aria-label="Undo">↶</button>
          <button type="button" onClick={() => store()?.history.redo()} title="Redo (Ctrl+Y)" aria-label="Redo">↷</button>
        </Show>
        <input type="search" class="kanso-search" placeholder={`Search ${entity().label.toLowerCase()}…`} ref={searchInput}
          aria-label={`Search ${entity().label}`} onInput={(e) => applySearch(e.currentTarget.value)} />
        <div class="kanso-columns" hidden={props.cards}>
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
        <Show when={!props.cards && !props.only}>
          <ExportMenu view={() => grid?.exportView() ?? null}
            source={() => {
              const s = store()
              return s ? { entity: entity(), schema: props.schema, session: props.session, store: s, context: ctx, viewName: savedViews?.active().name ?? 'all' } : null
            }} />
        </Show>
        <Show when={editable && !props.cards}>
          <button type="button" onClick={() => withSchema(() => setDialog({ mode: 'add' }))}>+ Field</button>
        </Show>
        <Show when={editable && !props.cards && !props.only}>
          <button type="button" onClick={() => withSchema(() => setImportOpen(true))} data-testid="import-open" title={`Import ${entity().label.toLowerCase()} from a CSV or Excel file (one undo step)`}>Import…</button>
        </Show>
        <Show when={entity().key === 'deals' && !props.cards && props.schema.entities.some((e) => e.key === 'deal_lines')}>
          <button type="button" onClick={() => setLinesOf(linesOf() === focusedRow() ? null : focusedRow())} disabled={!focusedRow()}
            aria-pressed={linesOf() !== null} title="The focused deal's lines: products, quantities, prices and totals">Lines</button>
        </Show>
        <Show when={canConvert()}>
          <button type="button" onClick={() => setConverting(focusedRow())} disabled={!focusedRow()}
            title="Convert the focused lead into a contact, a company and a deal (Alt+Shift+C)">Convert…</button>
        </Show>
        <Show when={editable && !props.cards && offersDuplicates(entity().key)}>
          <button type="button" onClick={() => setDuplicatesOpen(true)} data-testid="duplicates-link"
            title={`Find ${entity().label.toLowerCase()} that are likely the same, compare them side by side and merge them`}>Duplicates…</button>
        </Show>
        <span class="kanso-count">{counts().shown === counts().total ? countLabel(counts().total, entity(), locale) : `${counts().shown} of ${countLabel(counts().total, entity(), locale)}`}</span>
        <button type="button" class="kanso-link-button kanso-trash-link" onClick={() => setTrashOpen(true)} data-testid="trash-link"
          title={`Deleted ${entity().label.toLowerCase()}: restore them${props.session.member.role === 'admin' ? ', or purge them for good' : ''}`}>Trash ({trashCount().toLocaleString(locale)})</button>
      </div>
      <Show when={refusal()}>
        <div class="kanso-refusal" role="alert" data-testid="cell-error">
          <strong>Not saved:</strong> {refusal()} <span class="kanso-hint">Press Enter on the cell to fix it, or Escape to keep the old value.</span>
          <button type="button" class="kanso-link-button" onClick={() => setRefusal(null)} aria-label="Dismiss">✕</button>
        </div>
      </Show>
      <Show when={progress()}>
        {(p) => (
          <div class="kanso-progress" role="status" data-testid="paste-progress">
            Pasting {p().total.toLocaleString(locale)} cells… <progress max={p().total} value={p().done} />
          </div>
        )}
      </Show>
      <Show when={store.loading}><div class="kanso-empty-state">Loading {entity().label.toLowerCase()}…</div></Show>
      <Show when={search().trim() && counts().shown === 0 && counts().total > 0}>
        <div class="kanso-empty-search" role="status" data-testid="empty-search">
          No rows match “{search().trim()}”.
          <button type="button" class="kanso-link-button" onClick={clearSearch}>Clear the search</button>
        </div>
      </Show>
      <Show when={props.cards && store()} fallback={<div class="kanso-grid" ref={container} data-testid="grid" />}>
        {(s) => (
          <CardList entity={entity()} store={s()} context={ctx} search={search()} redraw={redraw()} onOpen={setSheet}
            onRowCount={(shown, total) => setCounts({ shown, total })} onRowsShown={rowsShown} />
        )}
      </Show>
      <Show when={linesOf()} keyed>
        {(dealId) => (
          <DealLinesPanel session={props.session} schema={props.schema} dealId={dealId} members={props.members} refused={props.refused}
            onClose={() => setLinesOf(null)} />
        )}
      </Show>
      <Show when={props.cards && store() && sheet()} keyed>
        {(rowId) => (
          <EditSheet entity={entity()} store={store()!} context={ctx} rowId={rowId} editable={editable}
            onClose={() => setSheet(null)} onRefusedChanged={() => { props.refused.changed(entityId); setRedraw((n) => n + 1) }} />
        )}
      </Show>
      <Show when={menu()}>
        {(m) => (
          <FieldMenu field={m().field} anchor={m().anchor} editable={editable} onClose={() => setMenu(null)}
            onRename={() => setDialog({ mode: 'rename', field: m().field })}
            onHide={() => grid?.setColumnVisible(m().field.id, false)}
            onAdd={() => setDialog({ mode: 'add' })}
            onEditOptions={() => setOptionsOf(m().field.id)}
            onRemove={() => {
              const f = m().field
              props.session.schema.removeField(entityId, f.id)
              showToast({ message: `Removed the field “${f.label}”. Its values are kept.`, action: { label: 'Undo', run: () => props.session.schema.restoreField(entityId, f.id) } })
            }} />
        )}
      </Show>
      <Show when={optionsField()}>
        {(f) => (
          <OptionsDialog field={f()} onClose={() => setOptionsOf(null)} actions={{
            add: (label) => props.session.schema.addOption(entityId, f().id, label),
            rename: (from, to) => renameOption(f(), from, to),
            move: (label, by) => props.session.schema.moveOption(entityId, f().id, label, by),
            color: (label, color) => props.session.schema.setOptionColor(entityId, f().id, label, color),
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
      <Show when={converting()} keyed>
        {(leadId) => (
          <ConvertLeadDialog session={props.session} schema={props.schema} leadId={leadId} onClose={() => setConverting(null)}
            onConverted={(message) => showToast({ message, action: { label: 'Undo', run: undo } })} />
        )}
      </Show>
      <Show when={lostReason.request()} keyed>
        {(request) => <LostReasonDialog request={request} />}
      </Show>
      <Show when={confirmDelete()}>
        {(c) => (
          <ConfirmDialog title={c().ids.length === 1 ? `Delete this ${entity().singular.toLowerCase()}?` : bulkDeleteQuestion(entity(), c().ids.length, locale)}
            message={c().question} confirmLabel="Delete anyway" onClose={() => setConfirmDelete(null)} onConfirm={() => deleteNow(c().ids)} />
        )}
      </Show>
      <Show when={bulkEditing() && store()}>
        {(s) => (
          <BulkEditDialog entity={entity()} store={s()} context={ctx} pipelines={props.schema.pipelines ?? []} ids={bulkEditing()!} locale={locale}
            onClose={() => setBulkEditing(null)} onDone={(message) => showToast({ message, action: { label: 'Undo', run: undo } })} />
        )}
      </Show>
      <Show when={trashOpen() && store()}>
        {(s) => (
          <TrashDialog entity={entity()} store={s()} members={props.members} editable={editable} admin={props.session.member.role === 'admin'} locale={locale}
            onClose={() => setTrashOpen(false)} onChanged={(message) => { showToast({ message }); recountTrash() }} />
        )}
      </Show>
      <Show when={duplicatesOpen() && store()}>
        {(s) => (
          <DuplicatesDialog session={props.session} schema={props.schema} entity={entity()} store={s()} context={ctx} locale={locale}
            onClose={() => setDuplicatesOpen(false)} />
        )}
      </Show>
      <Show when={importOpen()}>
        <ImportDialog session={props.session} schema={props.schema} entity={entity()} context={ctx} locale={locale}
          onClose={() => setImportOpen(false)} onUndo={undo} />
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
