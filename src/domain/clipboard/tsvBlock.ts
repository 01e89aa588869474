/**
 * A block of cells as spreadsheets put it on the clipboard's `text/plain`: cells separated by
 * tabs, rows by line breaks. A cell holding a tab, a line break or a double quote is quoted
 * (`"…"`, a quote inside doubled), as Excel, Google Sheets and LibreOffice write and read it.
 */
export type CellBlock = string[][]

const NEEDS_QUOTES = /[\t\r\n"]/

/** Rows joined by CRLF (what Excel writes), without a trailing line break. */
export function encodeTsv(block: CellBlock): string {
  return block.map((row) => row.map(quoteCell).join('\t')).join('\r\n')
}

function quoteCell(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/**
 * Reads a block back. CRLF, LF and CR all end a row; one trailing line break (Excel ends every
 * copy with one) ends the block instead of adding an empty row. Rows keep their own lengths
 * (ragged text from an editor stays ragged). A quote that does not close a cell — `5" screen`,
 * or `"a"b` — is text, as in Excel.
 */
export function decodeTsv(text: string): CellBlock {
  if (text === '') return []
  const rows: CellBlock = []
  let row: string[] = []
  let i = 0
  const n = text.length
  for (;;) {
    let cell: string
    const quoted = text[i] === '"' ? readQuoted(text, i) : null
    if (quoted) {
      cell = quoted.text
      i = quoted.end
    } else {
      let j = i
      while (j < n && text[j] !== '\t' && text[j] !== '\n' && text[j] !== '\r') j++
      cell = text.slice(i, j)
      i = j
    }
    row.push(cell)
    if (i >= n) break
    if (text[i] === '\t') { i++; continue }
    // a line break: CRLF counts once
    i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1
    rows.push(row)
    row = []
    if (i >= n) return rows
  }
  rows.push(row)
  return rows
}

/** A quoted cell starting at `start`, or null when the quotes do not close right before a tab, a line break or the end. */
function readQuoted(text: string, start: number): { text: string; end: number } | null {
  let out = ''
  let i = start + 1
  for (;;) {
    const q = text.indexOf('"', i)
    if (q < 0) return null
    out += text.slice(i, q)
    if (text[q + 1] === '"') {
      out += '"'
      i = q + 2
      continue
    }
    const after = text[q + 1]
    if (after === undefined || after === '\t' || after === '\n' || after === '\r') return { text: out, end: q + 1 }
    return null
  }
}
