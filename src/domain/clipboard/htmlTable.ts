import type { CellBlock } from './tsvBlock'

/*
 * A block of cells as spreadsheets put it on the clipboard's `text/html`: one <table>. Writing
 * it lets Excel, Google Sheets and LibreOffice keep the cells apart even when a cell holds a
 * line break (`<br>` with Excel's same-cell hint); reading it is for sources that offer no
 * `text/plain` (a table copied out of a web page or a mail).
 */

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

export function encodeHtmlTable(block: CellBlock): string {
  const rows = block.map((row) => `<tr>${row.map((cell) => `<td>${cellHtml(cell)}</td>`).join('')}</tr>`).join('')
  return `<meta charset="utf-8"><table>${rows}</table>`
}

function cellHtml(text: string): string {
  return text.split(/\r\n|\r|\n/).map(escapeHtml).join('<br style="mso-data-placement:same-cell;">')
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return NAMED[name.toLowerCase()] ?? whole
  })
}

/**
 * A cell's text: whitespace collapsed as a browser shows it, `<br>` and paragraphs as line
 * breaks, no-break spaces as spaces (Excel pads numbers with them; a browser copies them so).
 */
function cellText(inner: string): string {
  const text = inner
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(style|script)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/\s+/g, ' ')
    .replace(/<br\b[^>]*>/gi, '\n')
    .replace(/<\/(p|div)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
  return decodeEntities(text).replace(/\u00a0/g, ' ').split('\n').map((line) => line.trim()).join('\n').replace(/^\n+|\n+$/g, '')
}

const CELL = /<(td|th)\b([^>]*)>([\s\S]*?)(?=<\/?(?:td|th|tr)\b|<\/table|$)/gi
const ROW = /<tr\b[^>]*>([\s\S]*?)(?=<tr\b|<\/table|$)/gi

/**
 * The cells of the first <table> in `html`, or null when it has none. A cell spanning columns
 * (`colspan`) is followed by empty cells, so the columns under it stay aligned.
 */
export function decodeHtmlTable(html: string): CellBlock | null {
  const start = html.search(/<table\b/i)
  if (start < 0) return null
  const end = html.slice(start).search(/<\/table\s*>/i)
  const table = end < 0 ? html.slice(start) : html.slice(start, start + end)
  const rows: CellBlock = []
  for (const [, rowHtml] of table.matchAll(ROW)) {
    const row: string[] = []
    for (const [, , attrs, inner] of rowHtml!.matchAll(CELL)) {
      row.push(cellText(inner!))
      const span = /colspan\s*=\s*["']?(\d+)/i.exec(attrs!)
      for (let k = 1; k < Math.min(Number(span?.[1] ?? 1), 1000); k++) row.push('')
    }
    rows.push(row)
  }
  return rows
}
