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
  return csvQuoted(FORMULA_START.test(value) ? `'${value}` : value)
}

/**
 * Text the export formatted from a number (an amount `-€1,234.50`, a date), quoted where RFC 4180
 * needs it but not neutralised: a negative amount is a number to a spreadsheet, not a formula, and
 * an apostrophe would turn it into text.
 */
export function csvQuoted(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/**
 * A cell as its text was before csvCell neutralised it: an apostrophe before = + - @, a tab or a
 * carriage return is dropped, so an exported file imports back to the same values. (Spreadsheets
 * hide that apostrophe too: it marks the cell as text.)
 */
export const unneutralised = (text: string): string => (/^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text)

/** Whether a text cell would be neutralised (it begins with = + - @, a tab or a carriage return). */
export const looksLikeFormula = (text: string): boolean => FORMULA_START.test(text)

/** The byte-order mark that makes spreadsheets read a file as UTF-8. */
export const CSV_BOM = '\uFEFF'
