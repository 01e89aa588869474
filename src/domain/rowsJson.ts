import { escapeNonAscii } from './asciiJson'

/**
 * Rows as ASCII JSON (see asciiJson), one row per line: `[{…},\n{…},\n{…}]`. Still one JSON
 * array, and JSON text never holds a raw line break (strings escape it), so a reader can cut it
 * at line breaks and parse the rows a slice at a time (rowSlices): the first screen first,
 * without one long parse of every row.
 */
export function rowsJson(rows: readonly unknown[]): string {
  const lines: string[] = new Array<string>(rows.length)
  for (let i = 0; i < rows.length; i++) lines[i] = JSON.stringify(rows[i])
  return escapeNonAscii(`[${lines.join(',\n')}]`)
}
