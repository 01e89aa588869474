import { unzipSync } from 'fflate'
import type { ImportRow } from './importRow'
import { isEmptyRow } from './importRow'

/** Why an XLSX file could not be read. */
export class XlsxReadError extends Error {
  constructor(readonly reason: 'notZip' | 'noWorkbook' | 'noSheet', message: string) {
    super(message)
    this.name = 'XlsxReadError'
  }
}

/** Built-in number formats that show a date (ECMA-376 §18.8.30); 18–21 are times of day only. */
const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 22, 27, 30, 36, 45, 46, 47, 50, 57])
/** Days from 1899-12-30 (the serial's zero, after Excel's phantom 1900-02-29) to 1970-01-01. */
const SERIAL_EPOCH_DAYS = 25569
const DAY_MS = 86_400_000

/**
 * The first worksheet of an XLSX file as rows of text, the header first: shared and inline
 * strings as written, numbers as their digits (`1234.5`), booleans as TRUE/FALSE, numbers
 * formatted as dates as `YYYY-MM-DD` (with ` HH:MM` or `:SS` when the serial has a time), and
 * numbers formatted with a currency code as `1234.5 EUR`, which the grid's parsers read in every locale. The ZIP is inflated with fflate and the sheet's XML
 * read with patterns: SpreadsheetML's cells are flat and regular, and a full XML parser would
 * add nothing for the four elements read here.
 */
export function readXlsxRows(bytes: Uint8Array): ImportRow[] {
  let files: Record<string, Uint8Array>
  try {
    files = unzipSync(bytes, { filter: (file) => file.name.startsWith('xl/') })
  } catch (error) {
    throw new XlsxReadError('notZip', `the file is not an XLSX workbook (it is not a ZIP archive: ${(error as Error).message})`)
  }
  const text = (name: string) => (files[name] ? new TextDecoder().decode(files[name]) : null)
  const workbook = text('xl/workbook.xml')
  if (workbook === null) throw new XlsxReadError('noWorkbook', 'the file is not an XLSX workbook (it has no xl/workbook.xml)')
  const sheetPath = firstSheetPath(workbook, text('xl/_rels/workbook.xml.rels'))
  const sheet = text(sheetPath)
  if (sheet === null) throw new XlsxReadError('noSheet', `the workbook's first sheet (${sheetPath}) is missing`)
  const shared = sharedStrings(text('xl/sharedStrings.xml'))
  const styles = numberStyles(text('xl/styles.xml'))
  return sheetRows(sheet, shared, styles)
}

function firstSheetPath(workbook: string, rels: string | null): string {
  const sheet = /<(?:\w+:)?sheet\b[^>]*>/.exec(workbook)?.[0]
  const relId = sheet && /\br:id="([^"]*)"/.exec(sheet)?.[1]
  if (relId && rels) {
    for (const rel of rels.match(/<(?:\w+:)?Relationship\b[^>]*>/g) ?? []) {
      if (attribute(rel, 'Id') !== relId) continue
      const target = attribute(rel, 'Target') ?? ''
      return target.startsWith('/') ? target.slice(1) : `xl/${target}`
    }
  }
  return 'xl/worksheets/sheet1.xml'
}

function sharedStrings(xml: string | null): string[] {
  if (xml === null) return []
  const strings: string[] = []
  for (const item of xml.match(/<(?:\w+:)?si>[\s\S]*?<\/(?:\w+:)?si>/g) ?? []) strings.push(textRuns(item))
  return strings
}

/** The text of an `<si>` or `<is>`: every `<t>` run joined, phonetic guides (`<rPh>`) left out. */
function textRuns(xml: string): string {
  let out = ''
  for (const run of xml.replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g, '').matchAll(/<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/g)) out += unescapeXml(run[1]!)
  return out
}

/** The cellXfs indexes whose number format shows a date, and those that show an amount in a named currency (its ISO code). */
interface NumberStyles { dates: Set<number>; currencies: Map<number, string> }

function numberStyles(xml: string | null): NumberStyles {
  const styles: NumberStyles = { dates: new Set(), currencies: new Map() }
  if (xml === null) return styles
  const custom = new Set<number>()
  const currencyOf = new Map<number, string>()
  for (const format of xml.match(/<(?:\w+:)?numFmt\b[^>]*>/g) ?? []) {
    const code = unescapeXml(attribute(format, 'formatCode') ?? '')
    const id = Number(attribute(format, 'numFmtId'))
    // d, m, y outside quoted text, escapes and [colour]/[$-locale] brackets
    if (/[dmy]/i.test(code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, ''))) custom.add(id)
    // an amount's currency as a quoted code (`#,##0.00 "EUR"`, as Kanso's export writes) or `[$EUR]`
    const currency = /"([A-Z]{3})"|\[\$([A-Z]{3})[\]-]/.exec(code)
    if (currency) currencyOf.set(id, (currency[1] ?? currency[2])!)
  }
  const xfs = /<(?:\w+:)?cellXfs\b[\s\S]*?<\/(?:\w+:)?cellXfs>/.exec(xml)?.[0] ?? ''
  let index = 0
  for (const xf of xfs.match(/<(?:\w+:)?xf\b[^>]*>/g) ?? []) {
    const id = Number(attribute(xf, 'numFmtId') ?? 0)
    if (BUILTIN_DATE_FORMATS.has(id) || custom.has(id)) styles.dates.add(index)
    else if (currencyOf.has(id)) styles.currencies.set(index, currencyOf.get(id)!)
    index++
  }
  return styles
}

function sheetRows(xml: string, shared: readonly string[], styles: NumberStyles): ImportRow[] {
  const rows: ImportRow[] = []
  let previous = 0
  for (const match of xml.matchAll(/<(?:\w+:)?row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g)) {
    const number = Number(attribute(match[1]!, 'r') ?? previous + 1)
    previous = number
    const cells: string[] = []
    let column = 0
    for (const cell of (match[2] ?? '').matchAll(/<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g)) {
      const ref = attribute(cell[1]!, 'r')
      column = ref ? columnIndex(ref) : column
      while (cells.length < column) cells.push('')
      cells[column] = cellText(cell[1]!, cell[2] ?? '', shared, styles)
      column++
    }
    if (!isEmptyRow(cells)) rows.push({ row: number, cells })
  }
  return rows
}

function cellText(attributes: string, body: string, shared: readonly string[], styles: NumberStyles): string {
  const type = attribute(attributes, 't') ?? 'n'
  if (type === 'inlineStr') return textRuns(/<(?:\w+:)?is>([\s\S]*?)<\/(?:\w+:)?is>/.exec(body)?.[1] ?? '')
  const raw = /<(?:\w+:)?v>([\s\S]*?)<\/(?:\w+:)?v>/.exec(body)?.[1]
  if (raw === undefined) return ''
  const value = unescapeXml(raw)
  switch (type) {
    case 's': return shared[Number(value)] ?? ''
    case 'b': return value === '1' ? 'TRUE' : 'FALSE'
    case 'n': {
      const style = Number(attribute(attributes, 's') ?? -1)
      if (value === '') return value
      if (styles.dates.has(style)) return serialDate(Number(value))
      // an amount with its currency (`1234.5 EUR`), which the money parser reads in every locale
      const currency = styles.currencies.get(style)
      return currency ? `${value} ${currency}` : value
    }
    default: return value
  }
}

/** An Excel serial (days since 1899-12-30, the fraction a time of day) → `YYYY-MM-DD[ HH:MM[:SS]]`. */
function serialDate(serial: number): string {
  const ms = Math.round((serial - SERIAL_EPOCH_DAYS) * DAY_MS / 1000) * 1000
  const iso = new Date(ms).toISOString()
  const time = iso.slice(11, 19)
  if (time === '00:00:00') return iso.slice(0, 10)
  return `${iso.slice(0, 10)} ${time.endsWith(':00') ? time.slice(0, 5) : time}`
}

function columnIndex(ref: string): number {
  let n = 0
  for (const c of ref) {
    const code = c.charCodeAt(0)
    if (code < 65 || code > 90) break
    n = n * 26 + (code - 64)
  }
  return n - 1
}

const attributePatterns = new Map<string, RegExp>()

function attribute(tag: string, name: string): string | undefined {
  let pattern = attributePatterns.get(name)
  if (!pattern) attributePatterns.set(name, (pattern = new RegExp(`(?:^|\\s)${name}="([^"]*)"`)))
  return pattern.exec(tag)?.[1]
}

function unescapeXml(text: string): string {
  return text.replace(/&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g, (_, hex: string | undefined, dec: string | undefined, named: string | undefined) => {
    if (hex) return String.fromCodePoint(parseInt(hex, 16))
    if (dec) return String.fromCodePoint(Number(dec))
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[named as 'amp']
  })
}
