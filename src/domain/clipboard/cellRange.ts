/*
 * A rectangle of grid cells by position: row = index in the list as shown (after search and
 * sort), col = index among the shown field columns. Positions, not record ids, because a range
 * is what the person sees (as in a spreadsheet); the grid maps them to records when it acts.
 */
export interface CellPos { row: number; col: number }

/** `anchor` stays where the selection started (the focused cell); `focus` is the end that moves. */
export interface CellRange { anchor: CellPos; focus: CellPos }

export interface RangeBounds { top: number; bottom: number; left: number; right: number }

export function cellRange(anchor: CellPos, focus: CellPos = anchor): CellRange {
  return { anchor, focus }
}

export function rangeBounds(r: CellRange): RangeBounds {
  return {
    top: Math.min(r.anchor.row, r.focus.row),
    bottom: Math.max(r.anchor.row, r.focus.row),
    left: Math.min(r.anchor.col, r.focus.col),
    right: Math.max(r.anchor.col, r.focus.col),
  }
}

export function rangeContains(b: RangeBounds, row: number, col: number): boolean {
  return row >= b.top && row <= b.bottom && col >= b.left && col <= b.right
}

export function rangeCellCount(b: RangeBounds): number {
  return (b.bottom - b.top + 1) * (b.right - b.left + 1)
}

/** The range with its moving end stepped by (dRow, dCol), kept inside `rows` × `cols`. */
export function extendRange(r: CellRange, dRow: number, dCol: number, rows: number, cols: number): CellRange {
  const clamp = (v: number, n: number) => Math.max(0, Math.min(n - 1, v))
  return { anchor: r.anchor, focus: { row: clamp(r.focus.row + dRow, rows), col: clamp(r.focus.col + dCol, cols) } }
}

/** The union of two bounds' rows and columns: what to redraw when a range changes. */
export function spanOf(a: RangeBounds | null, b: RangeBounds | null): RangeBounds | null {
  if (!a) return b
  if (!b) return a
  return { top: Math.min(a.top, b.top), bottom: Math.max(a.bottom, b.bottom), left: Math.min(a.left, b.left), right: Math.max(a.right, b.right) }
}
