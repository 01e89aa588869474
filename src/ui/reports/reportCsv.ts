import { CSV_BOM, csvCell, type CsvCell } from '../../domain/csvCell'

/* A report's table as CSV, cells written by csvCell (formula-like text neutralised, numbers kept). */

export type { CsvCell }

/** A header row and rows as one CSV text, with a byte-order mark so spreadsheets read it as UTF-8. */
export function reportCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return `${CSV_BOM}${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`
}
