import type { RangeBounds } from './cellRange'

/** Fill down: the source row's cells of columns left..right are copied into rows firstRow..lastRow. */
export interface FillDownPlan { sourceRow: number; firstRow: number; lastRow: number; left: number; right: number }

/**
 * Ctrl/Cmd+D as in a spreadsheet: the range's first row fills the rows under it; a range of one
 * row takes the row above it. Null when there is nothing to fill (one row at the top).
 */
export function planFillDown(b: RangeBounds): FillDownPlan | null {
  if (b.bottom > b.top) return { sourceRow: b.top, firstRow: b.top + 1, lastRow: b.bottom, left: b.left, right: b.right }
  if (b.top > 0) return { sourceRow: b.top - 1, firstRow: b.top, lastRow: b.top, left: b.left, right: b.right }
  return null
}
