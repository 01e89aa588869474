import { csvCell, csvQuoted } from '../csvCell'
import type { ExportCell } from './exportColumns'

/**
 * One exported cell as CSV (RFC 4180): text through csvCell (a formula-like start neutralised
 * with an apostrophe), numbers as their digits, yes/no as true/false, and amounts and dates as
 * the locale shows them — formatted by the export, not typed by anyone, so never neutralised
 * (`-€1,234.50` stays a negative amount).
 */
export function exportCsvCell(cell: ExportCell): string {
  if (cell === null || typeof cell !== 'object') return csvCell(cell)
  return csvQuoted(cell.text)
}

/** One row of exported cells as a CSV line, with its CRLF. */
export const exportCsvLine = (cells: readonly ExportCell[]): string => {
  let line = ''
  for (let i = 0; i < cells.length; i++) line += (i ? ',' : '') + exportCsvCell(cells[i]!)
  return `${line}\r\n`
}
