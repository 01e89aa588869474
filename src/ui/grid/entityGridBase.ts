import {
  CellStyleModule, ColumnApiModule, CustomEditorModule, EventApiModule, InfiniteRowModelModule, ModuleRegistry,
  RenderApiModule, RowApiModule, RowSelectionModule, ScrollApiModule, themeQuartz,
  type GridOptions,
} from 'ag-grid-community'
import type { Row } from '../../domain/schema'

// Only the modules the entity grid uses (AG Grid community, no enterprise).
ModuleRegistry.registerModules([
  InfiniteRowModelModule, CustomEditorModule, RowSelectionModule, CellStyleModule, RenderApiModule, RowApiModule,
  ColumnApiModule, EventApiModule, ScrollApiModule,
])

/** Rows per page the grid asks for, and pages it keeps: the rows near the viewport. */
const BLOCK_SIZE = 100
const BLOCKS_KEPT = 10

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

/**
 * The entity grid's options that do not depend on the screen around it: theme, row model,
 * editing and selection behaviour. makeEntityGrid adds its columns, datasource and handlers;
 * the bench's floor page (bench/floor/) builds the very same grid from them.
 */
export function entityGridBaseOptions(): GridOptions<Row> {
  return {
    theme: kansoTheme,
    defaultColDef: { resizable: true, sortable: true, minWidth: 60 },
    rowModelType: 'infinite',
    cacheBlockSize: BLOCK_SIZE,
    maxBlocksInCache: BLOCKS_KEPT,
    getRowId: (p) => p.data.id,
    // No readOnlyEdit: its cellEditRequest reaches the page a task later (AG Grid fires grid
    // events from a setTimeout), after a frame had shown the old value again. An entry goes
    // through each column's valueSetter instead (fieldColumns' commitEdit), in the keystroke's
    // task; it writes nothing into the grid's row and returns false, so the store stays the only
    // source of the row the grid shows.
    rowSelection: { mode: 'multiRow', checkboxes: true, headerCheckbox: false, enableClickSelection: false },
    selectionColumnDef: { width: 40, pinned: 'left', suppressHeaderMenuButton: true },
    enterNavigatesVerticallyAfterEdit: true,
    stopEditingWhenCellsLoseFocus: true,
    animateRows: false,
    suppressColumnMoveAnimation: true,
    // rows drawn beyond the visible ones: fewer cells to build on open, still smooth to scroll
    rowBuffer: 6,
    overlayNoRowsTemplate: '<span class="kanso-empty">No records yet — press “+ New” or type in the first row.</span>',
  }
}
