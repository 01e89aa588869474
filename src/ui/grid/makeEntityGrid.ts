import {
  CellStyleModule, ClientSideRowModelApiModule, ClientSideRowModelModule, ColumnApiModule, CustomEditorModule,
  EventApiModule, ModuleRegistry, NumberFilterModule, QuickFilterModule, RenderApiModule, RowApiModule,
  RowSelectionModule, ScrollApiModule, TextFilterModule, createGrid, themeQuartz,
  type CellEditRequestEvent, type GridApi, type GridOptions,
} from 'ag-grid-community'
import { parseFieldInput } from '../../domain/parseFieldInput'
import { validateFieldValue } from '../../domain/validateFieldValue'
import type { EntityDef, FieldDef, Row, RowPatch } from '../../domain/schema'
import { liveFields } from '../../domain/schema'
import type { EntityStore } from '../../crdt/entityStore'
import type { PresenceCell } from '../../sync/presence'
import { loadColumnLayout, saveColumnLayout } from './columnLayoutStore'
import { fieldColumns } from './fieldColumns'
import { cellKey, type GridContext } from './gridContext'

ModuleRegistry.registerModules([
  ClientSideRowModelModule, ClientSideRowModelApiModule, CustomEditorModule, TextFilterModule, NumberFilterModule,
  QuickFilterModule, RowSelectionModule, CellStyleModule, RenderApiModule, RowApiModule, ColumnApiModule,
  EventApiModule, ScrollApiModule,
])

const kansoTheme = themeQuartz.withParams({
  fontSize: 13,
  headerFontSize: 13,
  rowHeight: 30,
  headerHeight: 32,
  spacing: 5,
  cellHorizontalPadding: 8,
  wrapperBorderRadius: 0,
  headerBackgroundColor: '#f3f5f8',
  accentColor: '#1f6feb',
})

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
}

export interface EntityGrid {
  setEntity(entity: EntityDef): void
  setQuickFilter(text: string): void
  addRow(): string
  deleteSelected(): string[]
  refreshCells(keys: Iterable<string>): void
  /** Redraws the shown cells of these columns (e.g. link columns once the linked names are known). */
  refreshColumns(fieldIds: string[]): void
  undo(): void
  redo(): void
  columns(): { id: string; label: string; visible: boolean }[]
  setColumnVisible(fieldId: string, visible: boolean): void
  focusCell(rowId: string, fieldId: string): void
  api: GridApi<Row>
  destroy(): void
}

/**
 * The AG Grid adapter: the CRDT stays the source of truth (`readOnlyEdit`), every edit is
 * parsed by the field's type and either written through the store or refused with its reason;
 * store patches are applied as one batched transaction, which keeps scroll, selection and an
 * open editor in place.
 */
export function makeEntityGrid(o: EntityGridOptions): EntityGrid {
  let entity = o.entity
  const fieldById = () => new Map(liveFields(entity).map((f) => [f.id, f]))
  let fields = fieldById()
  let layoutReady = false

  const saveLayout = () => {
    if (layoutReady) saveColumnLayout(o.memberId, entity.id, api.getColumnState())
  }
  const handleEdit = (e: CellEditRequestEvent<Row>) => {
    const fieldId = e.column.getColId()
    const field = fields.get(fieldId)
    const row = e.data
    if (!field || !row) return
    const raw = e.newValue
    const result = typeof raw === 'string' || raw == null
      ? parseFieldInput(field, raw == null ? '' : raw, o.context.parseContext)
      : validateFieldValue(field, raw)
    const key = cellKey(row.id, field.id)
    if (!result.ok) {
      o.context.refused.set(key, { text: typeof raw === 'string' ? raw : String(raw), message: result.error })
      o.onRefused(result.error)
      refreshCells([key])
      return
    }
    const hadRefusal = o.context.refused.delete(key)
    o.onRefused(null)
    o.store.updateCells([{ recordId: row.id, fieldId: field.id, value: result.value }])
    if (hadRefusal) refreshCells([key])
  }

  const gridOptions: GridOptions<Row> = {
    theme: kansoTheme,
    columnDefs: fieldColumns(entity, o.context, { editable: o.editable, openFieldMenu: o.openFieldMenu }),
    defaultColDef: { resizable: true, sortable: true, filter: true, minWidth: 60 },
    rowData: o.store.rows(),
    getRowId: (p) => p.data.id,
    readOnlyEdit: true,
    onCellEditRequest: handleEdit,
    // the header's select-all box walks every row on each model update: added after the first paint
    rowSelection: { mode: 'multiRow', checkboxes: true, headerCheckbox: false, enableClickSelection: false },
    selectionColumnDef: { width: 40, pinned: 'left', suppressHeaderMenuButton: true },
    enterNavigatesVerticallyAfterEdit: true,
    stopEditingWhenCellsLoseFocus: true,
    animateRows: false,
    suppressColumnMoveAnimation: true,
    // rows drawn beyond the visible ones: fewer cells to build on open, still smooth to scroll
    rowBuffer: 6,
    overlayNoRowsTemplate: '<span class="kanso-empty">No records yet — press “+ New” or type in the first row.</span>',
    onColumnMoved: (e) => { if (e.finished) saveLayout() },
    onColumnResized: (e) => { if (e.finished) saveLayout() },
    onColumnVisible: saveLayout,
    onSortChanged: saveLayout,
    onCellFocused: (e) => {
      const rowNode = e.rowIndex == null ? undefined : api.getDisplayedRowAtIndex(e.rowIndex)
      const colId = typeof e.column === 'string' ? e.column : e.column?.getColId()
      o.onFocusCell(rowNode?.data && colId && fields.has(colId) ? { entityId: entity.id, rowId: rowNode.data.id, fieldId: colId } : null)
    },
    onModelUpdated: () => o.onRowCount(api.getDisplayedRowCount(), o.store.count()),
    onSelectionChanged: () => o.onSelection(api.getSelectedRows().map((r) => r.id)),
  }
  performance.mark(`kanso:grid-start:${entity.id}`)
  const api = createGrid(o.container, gridOptions)
  const restoreLayout = () => {
    const saved = loadColumnLayout(o.memberId, entity.id)
    if (saved) api.applyColumnState({ state: saved, applyOrder: true })
    layoutReady = true
  }
  restoreLayout()
  let destroyed = false
  requestAnimationFrame(() => setTimeout(() => {
    if (!destroyed) api.setGridOption('rowSelection', { mode: 'multiRow', checkboxes: true, headerCheckbox: true, enableClickSelection: false })
  }, 0))

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
    if (!patch.added.length && !patch.removed.length && patch.updated.length <= 200) {
      // a few changed rows: update their nodes in place, far cheaper than a transaction on a
      // big grid (which re-sorts and re-filters every row)
      for (const r of patch.updated) api.getRowNode(r.id)?.setData(r)
      return
    }
    api.applyTransaction({
      add: patch.added,
      update: patch.updated,
      remove: patch.removed.map((id) => ({ id }) as Row),
    })
    const nodes = patch.updated.map((r) => api.getRowNode(r.id)).filter((n) => !!n)
    if (nodes.length) api.refreshCells({ rowNodes: nodes, force: true })
  })

  const onKeyDown = (e: KeyboardEvent) => {
    if (api.getEditingCells().length) return
    if (e.key === 'Escape') {
      // Escape on a refused cell drops the refused input and keeps the stored value.
      const focused = api.getFocusedCell()
      const row = focused ? api.getDisplayedRowAtIndex(focused.rowIndex)?.data : undefined
      const key = row && focused ? cellKey(row.id, focused.column.getColId()) : undefined
      if (key && o.context.refused.delete(key)) {
        o.onRefused(null)
        refreshCells([key])
      }
      return
    }
    if (!(e.ctrlKey || e.metaKey)) return
    const k = e.key.toLowerCase()
    if (k === 'z' && !e.shiftKey) { e.preventDefault(); o.store.history.undo() }
    else if (k === 'y' || (k === 'z' && e.shiftKey)) { e.preventDefault(); o.store.history.redo() }
  }
  o.container.addEventListener('keydown', onKeyDown)

  return {
    api,
    setEntity(next) {
      const changedEntity = next.id !== entity.id
      entity = next
      fields = fieldById()
      layoutReady = false
      api.setGridOption('columnDefs', fieldColumns(entity, o.context, { editable: o.editable, openFieldMenu: o.openFieldMenu }))
      if (changedEntity) restoreLayout()
      else layoutReady = true
    },
    setQuickFilter: (text) => api.setGridOption('quickFilterText', text),
    addRow() {
      const id = o.store.createRecord({})
      const first = liveFields(entity)[0]
      const node = api.getRowNode(id)
      if (node?.rowIndex != null && first) {
        api.ensureIndexVisible(node.rowIndex)
        api.setFocusedCell(node.rowIndex, first.id)
        if (o.editable) api.startEditingCell({ rowIndex: node.rowIndex, colKey: first.id })
      }
      return id
    },
    deleteSelected() {
      const ids = api.getSelectedRows().map((r) => r.id)
      if (!ids.length) {
        const focused = api.getFocusedCell()
        const row = focused ? api.getDisplayedRowAtIndex(focused.rowIndex)?.data : undefined
        if (row) ids.push(row.id)
      }
      if (ids.length) o.store.deleteRecords(ids)
      return ids
    },
    refreshCells,
    refreshColumns: (fieldIds) => api.refreshCells({ columns: fieldIds, force: true }),
    undo: () => o.store.history.undo(),
    redo: () => o.store.history.redo(),
    columns: () => liveFields(entity).map((f) => ({ id: f.id, label: f.label, visible: api.getColumn(f.id)?.isVisible() ?? true })),
    setColumnVisible: (fieldId, visible) => api.setColumnsVisible([fieldId], visible),
    focusCell(rowId, fieldId) {
      const node = api.getRowNode(rowId)
      if (node?.rowIndex == null) return
      api.ensureIndexVisible(node.rowIndex)
      api.setFocusedCell(node.rowIndex, fieldId)
    },
    destroy() {
      destroyed = true
      stopPatches()
      o.container.removeEventListener('keydown', onKeyDown)
      api.destroy()
    },
  }
}
