import { typingElsewhere } from '../typingElsewhere'
import {
  createGrid,
  type GridApi, type GridOptions, type IDatasource, type IGetRowsParams, type RowSelectedEvent,
} from 'ag-grid-community'
import type { EntityDef, FieldDef, FieldValue, Row, RowPatch } from '../../domain/schema'
import { liveFields } from '../../domain/schema'
import { CONFLICT_KEY_PREFIX } from '../../domain/history/historyEntry'
import { nameFieldIds } from '../../domain/nameFieldIds'
import type { EntityStore } from '../../crdt/entityStore'
import type { PresenceCell } from '../../sync/presence'
import { loadColumnLayout, saveColumnLayout } from './columnLayoutStore'
import { commitCellInputs, type CommitOutcome } from './commitCellInputs'
import { entityGridBaseOptions } from './entityGridBase'
import { FieldCellEditor } from './fieldCellEditor'
import { openCellLink } from './fieldCellRenderer'
import { fieldColumns } from './fieldColumns'
import { makeGridClipboard, type PasteProgress } from './gridClipboard'
import { makeNewRowTypeAhead } from './newRowTypeAhead'
import { cellKey, type GridContext } from './gridContext'
import { keepNamePinned } from './keepNamePinned'
import { makeRangeSelection, withRangeClass, type RangeSelection } from './rangeSelection'
import { RowSelectionSet } from './rowSelectionSet'
import { addToRowView, keyedRowView, searchTextOf, type KeyedRowView, type ViewQuery } from './rowView'
import { SelectAllHeader, type SelectAllHeaderParams } from './selectAllHeader'
import { whenMemberPauses } from '../rowsShownEvent'

export interface EntityGridOptions {
  container: HTMLElement
  entity: EntityDef
  store: EntityStore
  context: GridContext
  memberId: string
  editable: boolean
  openFieldMenu: (field: FieldDef, anchor: HTMLElement) => void
  /** A refused edit's message, or null when the last edit went through. */
  onRefused: (message: string | null) => void
  onFocusCell: (cell: PresenceCell | null) => void
  onRowCount: (shown: number, total: number) => void
  onSelection: (ids: string[]) => void
  /** Once, after the first page of rows has been painted. */
  onRowsShown?: () => void
  /** A long paste's progress, then null. */
  onProgress?: (progress: PasteProgress | null) => void
  /** Only the rows this keeps (a deal's lines): the view, the counts and select-all cover them alone. */
  filter?: (row: Row) => boolean
  /** The values a new row starts with (the deal a new line belongs to). */
  newRowValues?: () => Record<string, FieldValue>
  /** Fields with no column here (a deal's lines need no Deal column): not shown, listed, pasted into or searched. */
  hiddenFields?: readonly string[]
  /** Ctrl+Z's undo when the page groups steps across lists (a lead's conversion); absent: the store's. */
  undo?: () => void
  /** Opens a row's record panel (Space on a row, the name cell's Open button). */
  openRecord?: (rowId: string) => void
}

export interface EntityGrid {
  setEntity(entity: EntityDef): void
  setQuickFilter(text: string): void
  /** A saved view's conditions (compileViewFilter): the view, its count and select-all keep only these rows; null: every row. */
  setRowFilter(filter: ((row: Row) => boolean) | null): void
  addRow(): string
  /** The ticked rows, else the focused one: what Delete would delete. */
  rowsToDelete(): string[]
  deleteSelected(ids?: string[]): string[]
  refreshCells(keys: Iterable<string>): void
  /** Redraws the shown cells of these columns (e.g. link columns once the linked names are known). */
  refreshColumns(fieldIds: string[]): void
  undo(): void
  redo(): void
  columns(): { id: string; label: string; visible: boolean }[]
  /** What an export of the grid holds, once every row is in: the rows shown (view, search and sort applied) in order, and the visible fields in the order shown. */
  exportView(): Promise<{ rowIds: string[]; fieldIds: string[] }>
  setColumnVisible(fieldId: string, visible: boolean): void
  focusCell(rowId: string, fieldId: string): void
  /** The focused cell's row now: AG Grid tells its listeners a task after a click (onFocusCell), a key pressed right after it comes first. */
  focusedRowId(): string | null
  api: GridApi<Row>
  destroy(): void
}

/**
 * The AG Grid adapter: the CRDT stays the source of truth (the grid never writes into its rows:
 * each column's valueSetter hands the entry to `commitEdit`), every edit is parsed by the
 * field's type and either written through the store or refused with its reason.
 * The grid pages through a view of the store's rows (AG Grid's infinite row model): opening a
 * list of 100k rows builds the rows near the viewport only, and the search and sort run over
 * every row in `rowView`. Store patches update the shown rows in place; added or removed rows
 * refresh the view, which keeps scroll, selection and an open editor in place.
 */
export function makeEntityGrid(o: EntityGridOptions): EntityGrid {
  // the entity as this grid shows it: without the fields it has no column for
  const shown = (e: EntityDef): EntityDef => (o.hiddenFields?.length ? { ...e, fields: e.fields.filter((f) => !o.hiddenFields!.includes(f.id)) } : e)
  let entity = shown(o.entity)
  const fieldById = () => new Map(liveFields(entity).map((f) => [f.id, f]))
  let fields = fieldById()
  let layoutReady = false

  // The view: row ids in the order shown, computed when the query or the set of rows changes.
  let query: ViewQuery = { sort: [], search: '' }
  let view: KeyedRowView | null = null
  // an edit moved a row's search text or sort keys since the view was computed: rows added
  // then get a full recompute (as before), not a merge into the old order
  let viewStale = false
  let rowFilter: ((row: Row) => boolean) | null = null
  // a row's searchable text, per row object (a changed row is a new object); reset when names change
  let searchCache = new WeakMap<Row, string>()
  const searchText = (row: Row): string => {
    let t = searchCache.get(row)
    if (t === undefined) searchCache.set(row, (t = searchTextOf(row, fields, o.context)))
    return t
  }
  // A store still parsing its snapshot has its first rows only: the view over them is not kept,
  // and what needs every row (a sort, a search, rows beyond the first) waits for `complete`.
  const loading = () => o.store.isLoading?.() ?? false
  const afterComplete = (then: () => void) => void (o.store.complete ?? Promise.resolve()).then(() => { if (!destroyed) then() })
  /** Asks for the rest of the rows (see EntityStore.loadRest), then waits for them. */
  const whenComplete = (then: () => void) => {
    o.store.loadRest?.()
    afterComplete(then)
  }
  const storeRows = () => (o.filter ? o.store.rows().filter(o.filter) : o.store.rows())
  const storeCount = () => (o.filter ? storeRows().length : o.store.count())
  const currentView = (): string[] => {
    if (view) return view.ids
    const next = keyedRowView(rowFilter ? storeRows().filter(rowFilter) : storeRows(), query, fields, o.context, searchText)
    if (!loading()) { view = next; viewStale = false }
    return next.ids
  }
  const shownCount = () => (loading() && !query.search && !rowFilter ? storeCount() : currentView().length)
  const selection = new RowSelectionSet()
  const countListeners = new Set<() => void>()
  const reportCounts = () => {
    o.onRowCount(shownCount(), storeCount())
    for (const l of countListeners) l()
  }

  const datasource: IDatasource = {
    getRows(p: IGetRowsParams) {
      const sort = p.sortModel.map((m) => ({ colId: m.colId, sort: m.sort }))
      if (JSON.stringify(sort) !== JSON.stringify(query.sort)) {
        query = { ...query, sort }
        view = null
      }
      const answer = () => {
        const ids = currentView()
        const rows: Row[] = []
        for (let i = p.startRow; i < Math.min(p.endRow, ids.length); i++) {
          const r = o.store.row(ids[i]!)
          if (r) rows.push(r)
        }
        p.successCallback(rows, ids.length)
        reportShown()
      }
      if (!loading()) return answer()
      // the first rows of a snapshot still being parsed, in the store's order, with the full count
      const first = query.search || query.sort.length || rowFilter ? [] : storeRows()
      if (first.length >= p.endRow) {
        p.successCallback(first.slice(p.startRow, p.endRow), storeCount())
        reportShown()
      } else {
        whenComplete(answer)
      }
    },
  }
  const reportShown = () => {
    if (shownReported) return
    shownReported = true
    requestAnimationFrame(() => setTimeout(() => {
      if (destroyed) return
      // the rows not on screen once a member acting on the first ones has paused (a sort, a
      // search or a scroll past them asks for them at once: whenComplete)
      void whenMemberPauses().then(() => { if (!destroyed) o.store.loadRest?.() })
      o.onRowsShown?.()
    }, 0))
  }
  let shownReported = false
  /** Recomputes the view (rows added or removed, a new search) and reloads the shown pages. */
  const refreshView = () => {
    view = null
    api.refreshInfiniteCache()
    reportCounts()
  }
  /** Rows added at the end of the store's order (an import's batch, a new row): merged into the view computed before. */
  const addToView = (added: readonly Row[]) => {
    if (!view || viewStale) return refreshView()
    const kept = o.filter ? added.filter(o.filter) : added
    view = addToRowView(view, rowFilter ? kept.filter(rowFilter) : kept, query, fields, o.context, searchText)
    // Growing only the row count when the rows land after every loaded block (af59524) saved the
    // redraw of the loaded rows per import batch, but once in a CI run the grid's count stayed
    // behind the view (Ctrl+End stopped at row 3,166 of 3,548): the cache is refreshed again.
    api.refreshInfiniteCache()
    reportCounts()
  }
  // Ticks on the loaded rows follow `selection` (the rows a person ticked, loaded or not).
  const syncTicks = () => {
    api.forEachNode((n) => {
      if (n.data && n.isSelected() !== selection.has(n.data.id)) n.setSelected(selection.has(n.data.id), false, 'api')
    })
  }

  // AG Grid calls its event listeners (onColumnVisible, onColumnResized…) in a timer task after
  // the change. A list switch in between destroyed the grid first, and the late save wrote its
  // state as `undefined`: the member's whole layout unreadable, every hidden column back. Not
  // after the grid is gone, then; a column hidden from the Columns list or the field menu is
  // saved at once (setColumnVisible).
  const saveLayout = () => {
    if (layoutReady && !destroyed) saveColumnLayout(o.memberId, entity.id, api.getColumnState())
  }
  /** An entry the grid gives a cell (fieldColumns' valueSetter), in the keystroke's task: the cell shows the stored value or the refusal in the frame after it. */
  const commitEdit = (row: Row, column: FieldDef, raw: unknown) => {
    const field = fields.get(column.id)
    if (!field) return
    const shown = ({ refused, fixed }: CommitOutcome) => {
      o.onRefused(refused[0]?.message ?? null)
      if (refused.length || fixed.length) refreshCells([cellKey(row.id, field.id)])
    }
    const outcome = commitCellInputs([{ row, field, raw }], o.context, o.store)
    shown(outcome)
    // a company typed before the companies list was loaded: linked, or refused, once it is
    void outcome.waiting?.then((later) => { if (!destroyed) shown(later) })
  }

  /** Space or a click on a checkbox cell: the stored value flipped, as one edit (undo brings it back). */
  const toggleCheckbox = (rowId: string, field: FieldDef) => {
    const row = o.store.row(rowId)
    if (!row || !o.editable) return
    const key = cellKey(rowId, field.id)
    if (o.context.refused.delete(key)) {
      o.onRefused(null)
      refreshCells([key])
    }
    o.store.updateCells([{ recordId: rowId, fieldId: field.id, value: row.values[field.id] !== true }])
  }
  const columnOptions = { editable: o.editable, openFieldMenu: o.openFieldMenu, commitEdit, toggleCheckbox, openRecord: o.openRecord }

  const selectAllParams: Partial<SelectAllHeaderParams> = {
    counts: () => ({ shown: shownCount(), selected: selection.size }),
    selectAll: (on) => whenComplete(() => selection.replace(on ? currentView() : [])),
    onCountsChange: (l) => {
      countListeners.add(l)
      const stop = selection.onChange(l)
      return () => { countListeners.delete(l); stop() }
    },
  }
  const base = entityGridBaseOptions()
  // made once the grid is there (it needs the grid); the columns' in-range rule asks it
  let range: RangeSelection | undefined = undefined
  const columnDefs = () => withRangeClass(fieldColumns(entity, o.context, columnOptions), (rowIndex, colId) => range?.shows(rowIndex, colId) === true)
  const gridOptions: GridOptions<Row> = {
    ...base,
    // The grid is created with its columns, as the bench's floor page creates it: created
    // without, then given them and its rows in tasks of their own, it built its header and
    // body twice and painted a frame between each step (stored open → rows 50–80 ms later).
    columnDefs: columnDefs(),
    selectionColumnDef: { ...base.selectionColumnDef, headerComponent: SelectAllHeader, headerComponentParams: selectAllParams },
    onColumnMoved: (e) => { if (e.finished) saveLayout() },
    onColumnResized: (e) => { if (e.finished) saveLayout() },
    onColumnVisible: saveLayout,
    onSortChanged: saveLayout,
    onCellFocused: (e) => {
      const rowNode = e.rowIndex == null ? undefined : api.getDisplayedRowAtIndex(e.rowIndex)
      const colId = typeof e.column === 'string' ? e.column : e.column?.getColId()
      range?.focused(e.rowIndex ?? null, colId ?? null)
      o.onFocusCell(rowNode?.data && colId && fields.has(colId) ? { entityId: entity.id, rowId: rowNode.data.id, fieldId: colId } : null)
    },
    // (not while the grid is being created: `api` is not there yet; counted right after)
    onModelUpdated: () => { if (created) { syncTicks(); reportCounts() } },
    onRowSelected: (e: RowSelectedEvent<Row>) => {
      // a person ticked or unticked a row (the grid's own 'api' changes come from syncTicks)
      if (e.data && e.source !== 'api') selection.set(e.data.id, e.node.isSelected() === true)
    },
  }
  performance.mark(`kanso:grid-start:${entity.id}`)
  let created = false
  const api = createGrid(o.container, gridOptions)
  created = true
  range = makeRangeSelection({ container: o.container, api, isField: (id) => fields.has(id), rowCount: () => currentView().length })
  const stopClipboard = makeGridClipboard({
    container: o.container, api, range, store: o.store, context: o.context, editable: o.editable, fields: () => fields,
    viewIds: currentView, onRefused: o.onRefused, refreshCells: (keys) => refreshCells(keys), onProgress: o.onProgress,
  })
  const stopSelection = selection.onChange(() => {
    syncTicks()
    o.onSelection(selection.ordered(currentView()))
  })
  const restoreLayout = () => {
    const saved = loadColumnLayout(o.memberId, entity.id)
    if (saved) api.applyColumnState({ state: keepNamePinned(saved, nameFieldIds(entity)), applyOrder: true })
    layoutReady = true
  }
  let destroyed = false
  // the saved layout (order, widths, sort) before the datasource: its first rows are asked for in that sort
  restoreLayout()
  api.setGridOption('datasource', datasource)
  reportCounts()
  if (loading()) afterComplete(reportCounts)

  const refreshCells = (keys: Iterable<string>) => {
    const byRow = new Map<string, string[]>()
    for (const k of keys) {
      const [rowId, fieldId] = k.split('\u0000') as [string, string]
      byRow.set(rowId, [...(byRow.get(rowId) ?? []), fieldId])
    }
    for (const [rowId, cols] of byRow) {
      const node = api.getRowNode(rowId)
      if (node) api.refreshCells({ rowNodes: [node], columns: cols, force: true })
    }
  }

  const stopPatches = o.store.subscribe((patch: RowPatch) => {
    // changed rows are updated where they are (no re-sort under the person's eyes); updateData
    // redraws only the cells whose value changed (setData redrew and re-formatted all of the row's
    // cells for every edit, here or a teammate's)
    for (const r of patch.updated) {
      const node = api.getRowNode(r.id)
      if (!node) continue
      // a conflict mark set or removed leaves the cell's value as it was: its cell is redrawn too
      const marked = node.data ? changedConflictMarks(node.data, r) : []
      node.updateData(r)
      if (marked.length) api.refreshCells({ rowNodes: [node], columns: marked, force: true })
    }
    if (patch.removed.length) selection.forget(patch.removed)
    if (patch.updated.length && (query.search || query.sort.length)) viewStale = true
    // a filtered view: an edit may move a row in or out of it (a line to another deal)
    // rows added alone come after the others in the store's order (a replaced store may reorder them)
    if (patch.added.length && !patch.updated.length && !patch.removed.length) addToView(patch.added)
    else if (patch.added.length || patch.removed.length || ((o.filter || rowFilter) && patch.updated.length)) refreshView()
  })

  /** Scrolls to a row of the view and focuses a cell of it once the grid has loaded it. */
  const focusRow = (rowId: string, fieldId: string, edit: boolean) => {
    const index = currentView().indexOf(rowId)
    if (index < 0) return
    api.ensureIndexVisible(index)
    // bounded by time, not frames: on a loaded machine the infinite cache's refetch can take longer
    // than 60 frames, and the new row then never got its editor (a flaky "+ New" in CI)
    const giveUpAt = performance.now() + 5000
    const attempt = () => {
      if (destroyed) return
      if (api.getDisplayedRowAtIndex(index)?.data?.id !== rowId) {
        if (performance.now() < giveUpAt) requestAnimationFrame(attempt)
        return
      }
      // the member went on typing elsewhere (Ctrl+K into search) while the row was loading
      if (typingElsewhere(o.container)) return
      api.setFocusedCell(index, fieldId)
      if (edit) api.startEditingCell({ rowIndex: index, colKey: fieldId })
    }
    attempt()
  }

  /**
   * A new row's first cell edited once the grid shows the row, with what was typed meanwhile. No
   * time limit: on a busy machine, or while the list is still loading, the row came after the 5 s
   * this waited and "+ New" then left no editor (CI flakes at load ~10). It stops waiting when the
   * member moves the keyboard elsewhere or the row leaves the view (an undo).
   */
  const editNewRow = (rowId: string, fieldId: string) => {
    const typed = makeNewRowTypeAhead()
    let shownAt = -1
    const attempt = () => {
      const index = destroyed || typed.movedOn() ? -1 : currentView().indexOf(rowId)
      if (index < 0) return typed.stop()
      if (index !== shownAt) api.ensureIndexVisible((shownAt = index))
      if (api.getDisplayedRowAtIndex(index)?.data?.id !== rowId) {
        requestAnimationFrame(attempt)
        return
      }
      typed.stop()
      api.setFocusedCell(index, fieldId)
      api.startEditingCell({ rowIndex: index, colKey: fieldId })
      if (!typed.text() && !typed.entered()) return
      for (const editor of api.getCellEditorInstances()) if (editor instanceof FieldCellEditor) editor.typeAhead(typed.text())
      if (typed.entered()) api.stopEditing()
    }
    attempt()
  }

  /** The focused cell and its row, asked of the grid now (its cellFocused listeners hear of it a task later). */
  const focusedCell = () => {
    const focused = api.getFocusedCell()
    const row = focused ? api.getDisplayedRowAtIndex(focused.rowIndex)?.data : undefined
    return focused && row ? { row, colId: focused.column.getColId() } : null
  }
  const rowsToDelete = (): string[] => {
    const ids = selection.ordered(currentView())
    const focused = ids.length ? null : focusedCell()
    if (focused) ids.push(focused.row.id)
    return ids
  }

  const onKeyDown = (e: KeyboardEvent) => {
    if (api.getEditingCells().length) return
    if (e.key === 'Escape') {
      // Escape on a refused cell drops the refused input and keeps the stored value.
      const focused = focusedCell()
      const key = focused ? cellKey(focused.row.id, focused.colId) : undefined
      if (key && o.context.refused.delete(key)) {
        o.onRefused(null)
        refreshCells([key])
      }
      return
    }
    if (!(e.ctrlKey || e.metaKey)) return
    const k = e.key.toLowerCase()
    // Ctrl/Cmd+Enter on an email, phone or URL cell opens it (a plain click only selects it)
    const cellEl = e.target instanceof Element ? e.target.closest('.ag-cell') : null
    if (k === 'enter' && cellEl && openCellLink(cellEl)) { e.preventDefault(); return }
    if (k === 'z' && !e.shiftKey) { e.preventDefault(); (o.undo ?? o.store.history.undo)() }
    else if (k === 'y' || (k === 'z' && e.shiftKey)) { e.preventDefault(); o.store.history.redo() }
  }
  o.container.addEventListener('keydown', onKeyDown)

  return {
    api,
    setEntity(next) {
      const changedEntity = next.id !== entity.id
      entity = shown(next)
      fields = fieldById()
      searchCache = new WeakMap()
      // the view's sort keys and search text were read with the fields before
      viewStale = true
      layoutReady = false
      const before = new Set(api.getColumns()?.map((c) => c.getColId()))
      api.setGridOption('columnDefs', columnDefs())
      // A column that was not there when the layout was restored (the page opened with an older
      // cached schema, or a removed field came back by undo) gets this member's saved state too:
      // otherwise it shows with the defaults, hidden or not, and the next save keeps it so.
      if (changedEntity || api.getColumns()?.some((c) => !before.has(c.getColId()))) restoreLayout()
      else layoutReady = true
      // option colours and names live in the schema: redraw the cells that show them
      api.refreshCells({ columns: liveFields(entity).filter((f) => f.type === 'select' || f.type === 'multiSelect').map((f) => f.id), force: true })
    },
    setQuickFilter(text) {
      if (text === query.search) return
      query = { ...query, search: text }
      refreshView()
    },
    setRowFilter(filter) {
      if (filter === rowFilter) return
      rowFilter = filter
      refreshView()
    },
    addRow() {
      const id = o.store.createRecord(o.newRowValues?.() ?? {})
      // the leftmost column shown (the pinned name comes first), so Tab goes on in the order seen
      const first = api.getAllDisplayedColumns().map((c) => c.getColId()).find((colId) => fields.has(colId))
      if (first && o.editable) editNewRow(id, first)
      else if (first) focusRow(id, first, false)
      return id
    },
    rowsToDelete,
    deleteSelected(ids = rowsToDelete()) {
      if (ids.length) o.store.deleteRecords(ids)
      return ids
    },
    refreshCells,
    refreshColumns(fieldIds) {
      // the shown text changed (e.g. linked names arrived): searches and sorts use it too
      searchCache = new WeakMap()
      if (query.search || query.sort.some((s) => fieldIds.includes(s.colId))) refreshView()
      api.refreshCells({ columns: fieldIds, force: true })
    },
    undo: () => (o.undo ?? o.store.history.undo)(),
    redo: () => o.store.history.redo(),
    columns: () => liveFields(entity).map((f) => ({ id: f.id, label: f.label, visible: api.getColumn(f.id)?.isVisible() ?? true })),
    exportView: () => new Promise((resolve) => whenComplete(() => resolve({
      rowIds: currentView(),
      // pinned columns first, as shown; the selection column is no field
      fieldIds: api.getAllDisplayedColumns().map((c) => c.getColId()).filter((id) => fields.has(id)),
    }))),
    // the record's name stays shown (and pinned): without it a row cannot be told apart
    setColumnVisible: (fieldId, visible) => {
      if (!visible && nameFieldIds(entity).includes(fieldId)) return
      api.setColumnsVisible([fieldId], visible)
      saveLayout()
    },
    focusCell: (rowId, fieldId) => focusRow(rowId, fieldId, false),
    focusedRowId: () => focusedCell()?.row.id ?? null,
    destroy() {
      destroyed = true
      stopPatches()
      stopSelection()
      stopClipboard()
      range?.destroy()
      o.container.removeEventListener('keydown', onKeyDown)
      api.destroy()
    },
  }
}

/** The fields whose conflict mark (`conflict@<field id>`) differs between two versions of a row. */
function changedConflictMarks(before: Row, after: Row): string[] {
  const fields: string[] = []
  for (const values of [before.values, after.values]) {
    for (const key in values) {
      if (!key.startsWith(CONFLICT_KEY_PREFIX)) continue
      const field = key.slice(CONFLICT_KEY_PREFIX.length)
      if (before.values[key] !== after.values[key] && !fields.includes(field)) fields.push(field)
    }
  }
  return fields
}
