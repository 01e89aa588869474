/*
 * One CSV cell (RFC 4180: quotes doubled, a cell with a comma, quote or line break quoted). A text
 * cell a spreadsheet would run as a formula — it begins with = + - @, a tab or a carriage return —
 * gets a leading apostrophe (OWASP's CSV injection advice), so a deal titled "=HYPERLINK(…)" opens
 * as text. Numbers stay numbers: a negative figure is written as a number, not neutralised. The
 * reports' downloads and the plain export both write cells through here.
 */

export type CsvCell = string | number | boolean | null | undefined

const FORMULA_START = /^[=+\-@\t\r]/

/** One cell as CSV text. */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  const text = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The byte-order mark that makes spreadsheets read a file as UTF-8. */
export const CSV_BOM = '\uFEFF'
