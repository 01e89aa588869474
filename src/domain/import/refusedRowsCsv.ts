import { CSV_BOM, csvCell } from '../csvCell'
import type { ImportRow } from './importRow'
import type { ImportFieldError } from './planImportRow'

/** The column added to the refused rows' file. */
export const ERRORS_COLUMN = 'Errors'

/** A refused row of an import: its cells as the file had them and why it was refused. */
export interface RefusedImportRow extends ImportRow {
  errors: ImportFieldError[]
}

/**
 * The refused rows of an import as a CSV to fix and import again: the file's header and each
 * refused row's cells as they were, plus an "Errors" column with the reasons as the grid words them
 * (each names its field: `Email: "anna(at)x" is not an email address …; Close date: …`).
 * UTF-8 with a byte-order mark and commas, so spreadsheets open it as it is; cells go through
 * csvCell (quoted, formula starts neutralised).
 */
export function refusedRowsCsv(header: readonly string[], rows: readonly RefusedImportRow[]): string {
  const width = Math.max(header.length, ...rows.map((r) => r.cells.length))
  const line = (cells: readonly string[], errors: string) => {
    const padded = Array.from({ length: width }, (_, i) => csvCell(cells[i] ?? ''))
    return [...padded, csvCell(errors)].join(',')
  }
  const lines = [line(header, ERRORS_COLUMN)]
  for (const row of rows) lines.push(line(row.cells, row.errors.map((e) => e.message).join('; ')))
  return CSV_BOM + lines.join('\r\n') + '\r\n'
}
