/** One row of an imported file: its number as a spreadsheet shows it (the header is row 1) and its cells as text. */
export interface ImportRow {
  row: number
  cells: string[]
}

/** A row with no text in any cell (a blank line, `;;;`): skipped, though it keeps its number. */
export const isEmptyRow = (cells: readonly string[]): boolean => cells.every((c) => c.trim() === '')
