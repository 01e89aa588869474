import { CSV_BOM, csvCell, type CsvCell } from '../../domain/csvCell'
import type { TableColumn } from './reportView'

/* A report's table as CSV, cells written by csvCell (formula-like text neutralised, numbers kept). */

export type { CsvCell }

/** A header row and rows as one CSV text, with a byte-order mark so spreadsheets read it as UTF-8. */
export function reportCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return `${CSV_BOM}${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`
}

/**
 * A report's table as its CSV: a percent column (a rate, a share) holds percents, as the table
 * shows them, its header saying so — numbers a spreadsheet sums, where a text like "12.5%" would
 * be a string and a negative one neutralised.
 */
export function reportTableCsv(columns: readonly TableColumn[], rows: readonly { cells: readonly CsvCell[] }[]): string {
  const percent = columns.map((c) => c.format === 'percent')
  return reportCsv(
    columns.map((c, j) => (percent[j] ? `${c.label} (%)` : c.label)),
    rows.map((r) => r.cells.map((cell, j) => (percent[j] && typeof cell === 'number' ? Math.round(cell * 10_000) / 100 : cell))),
  )
}
