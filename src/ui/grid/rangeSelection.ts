import type { CellClassParams, ColDef, GridApi } from 'ag-grid-community'
import { cellRange, extendRange, rangeBounds, rangeCellCount, rangeContains, spanOf, type CellPos, type CellRange, type RangeBounds } from '../../domain/clipboard/cellRange'
import type { Row } from '../../domain/schema'

export interface RangeSelectionOptions {
  container: HTMLElement
  api: GridApi<Row>
  /** Is this column one of the list's fields (not the tick column)? */
  isField: (colId: string) => boolean
  /** Rows in the list as shown. */
  rowCount: () => number
}

export interface RangeSelection {
  /** The selected cells, else the focused cell; null when no cell is focused. */
  bounds(): RangeBounds | null
  /** The field columns in the order shown: a range's col n is `columns()[n]`. */
  columns(): string[]
  /** The grid moved its focus (a click, arrows, Tab): the range starts over at that cell. */
  focused(rowIndex: number | null, colId: string | null): void
  /** Is the cell at this displayed row and column drawn as part of a range? */
  shows(rowIndex: number, colId: string): boolean
  destroy(): void
}

/**
 * Adds the in-range class to the field columns' cell class rules; `shows` is asked per cell. A
 * function of its own, not of the range selection: the grid is created with its columns, and
 * the range selection needs the grid (makeEntityGrid asks it once it is there).
 */
export function withRangeClass(defs: ColDef<Row>[], shows: (rowIndex: number, colId: string) => boolean): ColDef<Row>[] {
  return defs.map((def) => {
    const colId = def.colId!
    return {
      ...def,
      cellClassRules: {
        ...def.cellClassRules,
        'kanso-cell-in-range': (p: CellClassParams<Row>) => p.rowIndex !== null && shows(p.rowIndex, colId),
      },
    }
  })
}

const ARROWS: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }

/**
 * Spreadsheet range selection over AG Grid community (its own range selection is Enterprise):
 * Shift+arrows, Shift+click and a mouse drag select a rectangle from the focused cell. The
 * range is held here by position, outside the row data; cells show it through a cell class
 * rule, and a change redraws only the shown cells of the rows and columns it touched, so a
 * range over 100k rows costs what the visible rows cost.
 */
export function makeRangeSelection(o: RangeSelectionOptions): RangeSelection {
  const { api } = o
  let range: CellRange | null = null
  let drawn: RangeBounds | null = null
  let colIds: string[] = []
  let colIndex = new Map<string, number>()
  const readColumns = () => {
    colIds = (api.getAllDisplayedColumns() ?? []).map((c) => c.getColId()).filter(o.isField)
    colIndex = new Map(colIds.map((id, i) => [id, i]))
  }
  const onColumns = () => {
    readColumns()
    redraw(drawn)
    drawn = shownBounds()
    redraw(drawn)
  }
  api.addEventListener('displayedColumnsChanged', onColumns)
  // the grid may have its columns already (it is created with them)
  readColumns()

  /** The bounds drawn: only a range of more than one cell (one cell shows as the focus). */
  const shownBounds = (): RangeBounds | null => {
    const b = range && rangeBounds(range)
    return b && rangeCellCount(b) > 1 ? b : null
  }
  const redraw = (span: RangeBounds | null) => {
    if (!span) return
    const columns = colIds.slice(span.left, span.right + 1)
    const rowNodes = api.getRenderedNodes().filter((n) => n.rowIndex !== null && n.rowIndex >= span.top && n.rowIndex <= span.bottom)
    if (columns.length && rowNodes.length) api.refreshCells({ rowNodes, columns, force: true })
  }
  const setRange = (next: CellRange | null) => {
    range = next
    const before = drawn
    drawn = shownBounds()
    if (JSON.stringify(before) !== JSON.stringify(drawn)) redraw(spanOf(before, drawn))
  }
  const posOfFocus = (): CellPos | null => {
    const f = api.getFocusedCell()
    const col = f ? colIndex.get(f.column.getColId()) : undefined
    return f && col !== undefined && f.rowIndex !== null ? { row: f.rowIndex, col } : null
  }
  const moveEnd = (focus: CellPos) => {
    const anchor = range?.anchor ?? posOfFocus()
    if (!anchor) return
    setRange(cellRange(anchor, focus))
    api.ensureIndexVisible(focus.row)
    const colId = colIds[focus.col]
    if (colId) api.ensureColumnVisible(colId)
  }

  const cellAt = (target: EventTarget | null): CellPos | null => {
    const el = target instanceof Element ? target.closest('.ag-cell') : null
    const colId = el?.getAttribute('col-id')
    const rowIndex = Number(el?.closest('.ag-row')?.getAttribute('row-index'))
    const col = colId ? colIndex.get(colId) : undefined
    return col === undefined || !Number.isInteger(rowIndex) ? null : { row: rowIndex, col }
  }
  const editing = () => api.getEditingCells().length > 0

  let dragging = false
  /** The range before the grid last moved its focus: a Shift+click the grid saw first still extends it. */
  let previous: CellRange | null = null
  /** The cell a Shift+click extended the range to: the grid focusing it next keeps the range. */
  let shiftClicked: CellPos | null = null
  const same = (a: CellPos, b: CellPos) => a.row === b.row && a.col === b.col
  // AG Grid tells its focus listeners (`focused` below) a task late, and a busy page handles the
  // next key first: ArrowDown then Delete cleared the cell left, not the one arrived at. What acts
  // on the range first catches up with where the grid's focus is now.
  let lastFocus: CellPos | null = null
  const takeFocus = (at: CellPos | null) => {
    lastFocus = at
    if (!at) return setRange(null)
    // the grid focusing the range's own first cell again (e.g. after its rows reloaded) keeps the range
    if (range && same(range.anchor, at)) return
    if (shiftClicked && same(shiftClicked, at)) { shiftClicked = null; return }
    shiftClicked = null
    previous = range
    setRange(cellRange(at))
  }
  const catchUp = () => {
    const now = posOfFocus()
    if (now && !(lastFocus && same(lastFocus, now))) takeFocus(now)
  }
  const onMouseDown = (e: MouseEvent) => {
    if (e.button !== 0 || editing()) return
    const pos = cellAt(e.target)
    if (!pos) return
    if (e.shiftKey) {
      catchUp()
      // the grid focuses the clicked cell on its own (before or after this listener): the
      // range keeps its first cell, as in a spreadsheet
      const start = range && same(range.anchor, pos) && previous ? previous : range
      const anchor = start?.anchor ?? posOfFocus()
      if (!anchor) return
      // no text selected by the Shift+click; but that also keeps the browser from focusing the
      // cell, so with the keyboard outside the grid (the page just loaded, a dialog closed) the
      // grid's focus moved and the keys did not: Enter or typing then went to the page
      e.preventDefault()
      shiftClicked = pos
      setRange(cellRange(anchor, pos))
      if (!o.container.contains(document.activeElement)) (e.target as Element).closest<HTMLElement>('.ag-cell')?.focus({ preventScroll: true })
      return
    }
    dragging = true
    setRange(cellRange(pos))
  }
  const onMouseOver = (e: MouseEvent) => {
    if (!dragging) return
    if (!(e.buttons & 1)) { dragging = false; return }
    const pos = cellAt(e.target)
    if (pos && range && (pos.row !== range.focus.row || pos.col !== range.focus.col)) {
      o.container.classList.add('kanso-range-dragging')
      moveEnd(pos)
    }
  }
  const onMouseUp = () => {
    dragging = false
    o.container.classList.remove('kanso-range-dragging')
  }
  const onKeyDown = (e: KeyboardEvent) => {
    const step = ARROWS[e.key]
    if (!step || !e.shiftKey || e.ctrlKey || e.metaKey || e.altKey || editing()) return
    catchUp()
    const start = range ?? (posOfFocus() && cellRange(posOfFocus()!))
    if (!start) return
    e.preventDefault()
    e.stopPropagation()
    range = start
    moveEnd(extendRange(start, step[0], step[1], o.rowCount(), colIds.length).focus)
  }
  o.container.addEventListener('mousedown', onMouseDown, true)
  o.container.addEventListener('mouseover', onMouseOver)
  document.addEventListener('mouseup', onMouseUp)
  o.container.addEventListener('keydown', onKeyDown, true)

  return {
    bounds() {
      catchUp()
      if (range) return rangeBounds(range)
      const pos = posOfFocus()
      return pos ? rangeBounds(cellRange(pos)) : null
    },
    columns: () => colIds,
    focused(rowIndex, colId) {
      if (!colIds.length) readColumns()
      const col = colId === null ? undefined : colIndex.get(colId)
      const at = rowIndex === null || col === undefined ? null : { row: rowIndex, col }
      // already caught up with (catchUp) when a key came first
      if (at && lastFocus && same(lastFocus, at)) return
      takeFocus(at)
    },
    shows: (rowIndex, colId) => drawn !== null && rangeContains(drawn, rowIndex, colIndex.get(colId) ?? -1),
    destroy() {
      if (!api.isDestroyed()) api.removeEventListener('displayedColumnsChanged', onColumns)
      o.container.removeEventListener('mousedown', onMouseDown, true)
      o.container.removeEventListener('mouseover', onMouseOver)
      document.removeEventListener('mouseup', onMouseUp)
      o.container.removeEventListener('keydown', onKeyDown, true)
    },
  }
}
