/*
 * A report's table as CSV (RFC 4180: comma, CRLF, quotes doubled). A text cell a spreadsheet
 * would run as a formula — it begins with = + - @, a tab or a carriage return — gets a leading
 * apostrophe (OWASP's CSV injection advice), so a deal titled "=HYPERLINK(…)" opens as text.
 * Numbers stay numbers: a negative figure is written as a number, not neutralised.
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

/** A header row and rows as one CSV text, with a byte-order mark so spreadsheets read it as UTF-8. */
export function reportCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`
}
