import { Deflate, Zip, ZipDeflate, strToU8, type ZipInputFile } from 'fflate'
import { Crc32 } from './crc32'
import { currencyDigits } from '../currencyDigits'
import type { ExportCell } from './exportColumns'

/*
 * An XLSX workbook of one sheet, written as it goes (issue 18's export): the sheet's XML is
 * deflated by fflate in pieces and handed on, so a 100k-row export never sits whole in memory.
 * SpreadsheetML as Excel and LibreOffice read it: inline strings (a string cell is never a
 * formula, so text needs no neutralising here), numbers as numeric cells, yes/no as booleans,
 * dates and date-times as serial numbers with a date style, and amounts as numbers in major units
 * with a number format naming their currency (`#,##0.00 "EUR"`), so sums work and the currency
 * reads back (readXlsxRows). The header row is frozen.
 */

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
/** Days from 1899-12-30 (the serial's zero) to 1970-01-01. */
const SERIAL_EPOCH_DAYS = 25569
const DAY_MS = 86_400_000
/** The sheet's XML is deflated and handed on in pieces of about this many characters. */
const FLUSH_CHARS = 256 * 1024
/** cellXfs: 0 general, 1 a date (built-in 14, the reader's short date), 2 a date and time (built-in 22); amounts from 3, one per currency. */
const DATE_STYLE = 1
const DATE_TIME_STYLE = 2
const FIRST_MONEY_STYLE = 3
const FIRST_CUSTOM_FORMAT = 164

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export interface XlsxSheetOptions {
  /** The sheet's tab name (cut to Excel's 31 characters, without the characters it forbids). */
  sheetName: string
  /** Compresses the sheet (raw deflate); default fflate's at level 1 on this thread. The relay passes node:zlib's, which runs off its event loop. */
  deflater?: Deflater
}

/**
 * A raw-deflate stream: `push` takes the sheet's bytes in order (the last with `final`), `ondata`
 * gives the compressed bytes in order, the last with `final`, before push(…, true) settles.
 */
export type Deflater = (ondata: (chunk: Uint8Array, final: boolean) => void) => { push(data: Uint8Array, final: boolean): void | Promise<void> }

/** fflate's streaming deflate at level 1: the sheet is mostly repeated markup, which level 1 already shrinks ~8×. */
export const fflateDeflater: Deflater = (ondata) => {
  const deflate = new Deflate({ level: 1 }, (chunk, final) => ondata(chunk, final))
  return { push: (data, final) => deflate.push(data, final) }
}

/** Writes rows of exported cells into an XLSX file; `emit` gets the file's bytes in order, and a promise it returns holds the writer back (backpressure). */
export class XlsxSheetWriter {
  private readonly zip: Zip
  private readonly sheet: { push(data: Uint8Array, final: boolean): void | Promise<void> }
  private readonly sheetFile: ZipInputFile
  private readonly crc = new Crc32()
  private sheetSize = 0
  private readonly out: Uint8Array[] = []
  private failure: Error | null = null
  private xml = ''
  private rowNumber = 0
  private readonly columnNames: string[] = []
  private readonly moneyStyles = new Map<string, number>()

  constructor(private readonly emit: (chunk: Uint8Array) => void | Promise<void>, private readonly options: XlsxSheetOptions) {
    this.zip = new Zip((error, chunk) => {
      if (error) this.failure = error
      else this.out.push(chunk)
    })
    // the sheet as a ZIP entry fed by our deflater: its checksum and size are known once its last byte is in
    this.sheetFile = { filename: 'xl/worksheets/sheet1.xml', compression: 8, crc: 0, size: 0, ondata: () => undefined }
    this.zip.add(this.sheetFile)
    this.sheet = (options.deflater ?? fflateDeflater)((chunk, final) => {
      if (final) {
        this.sheetFile.crc = this.crc.value
        this.sheetFile.size = this.sheetSize
      }
      // Zip.add has set ondata; a Buffer from node:zlib is a Uint8Array over an ArrayBuffer too
      this.sheetFile.ondata!(null, chunk as Uint8Array<ArrayBuffer>, final)
    })
    this.xml = `${XML_HEAD}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>`
  }

  /** Adds one row (the first is the header). */
  async row(cells: readonly ExportCell[]): Promise<void> {
    const r = ++this.rowNumber
    let xml = `<row r="${r}">`
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i]
      if (cell === null || cell === undefined) continue
      const ref = `${this.columnName(i)}${r}`
      if (typeof cell === 'string') xml += `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(cell)}</t></is></c>`
      else if (typeof cell === 'number') xml += Number.isFinite(cell) ? `<c r="${ref}"><v>${cell}</v></c>` : ''
      else if (typeof cell === 'boolean') xml += `<c r="${ref}" t="b"><v>${cell ? 1 : 0}</v></c>`
      else if (cell.kind === 'money') xml += `<c r="${ref}" s="${this.moneyStyle(cell.currency)}"><v>${cell.decimal}</v></c>`
      else if (cell.kind === 'date') xml += `<c r="${ref}" s="${DATE_STYLE}"><v>${serial(Date.parse(`${cell.iso}T00:00:00Z`))}</v></c>`
      else xml += `<c r="${ref}" s="${DATE_TIME_STYLE}"><v>${serial(cell.wallMs)}</v></c>`
    }
    this.xml += `${xml}</row>`
    if (this.xml.length >= FLUSH_CHARS) await this.flush(false)
  }

  /** Ends the sheet and writes the workbook's other parts; add nothing after. */
  async finish(): Promise<void> {
    this.xml += '</sheetData></worksheet>'
    await this.flush(true)
    const parts: [string, string][] = [
      ['xl/styles.xml', this.stylesXml()],
      ['xl/workbook.xml', `${XML_HEAD}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheets><sheet name="${escapeXml(sheetName(this.options.sheetName))}" sheetId="1" r:id="rId1"/></sheets></workbook>`],
      ['xl/_rels/workbook.xml.rels', `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${NS_REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${NS_REL}/styles" Target="styles.xml"/></Relationships>`],
      ['_rels/.rels', `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
      ['[Content_Types].xml', `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`],
    ]
    for (const [name, text] of parts) {
      const file = new ZipDeflate(name, { level: 6 })
      this.zip.add(file)
      file.push(strToU8(text), true)
    }
    this.zip.end()
    await this.drain()
  }

  private columnName(index: number): string {
    let name = this.columnNames[index]
    if (name === undefined) {
      name = ''
      for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name
      this.columnNames[index] = name
    }
    return name
  }

  private moneyStyle(currency: string): number {
    let style = this.moneyStyles.get(currency)
    if (style === undefined) this.moneyStyles.set(currency, (style = FIRST_MONEY_STYLE + this.moneyStyles.size))
    return style
  }

  private stylesXml(): string {
    const currencies = [...this.moneyStyles.keys()]
    const formats = currencies.map((currency, i) => {
      const digits = currencyDigits(currency)
      const code = `#,##0${digits ? `.${'0'.repeat(digits)}` : ''}\\ "${currency}"`
      return `<numFmt numFmtId="${FIRST_CUSTOM_FORMAT + i}" formatCode="${escapeXml(code).replace(/"/g, '&quot;')}"/>`
    })
    const xf = (numFmtId: number) => `<xf numFmtId="${numFmtId}" fontId="0" fillId="0" borderId="0" xfId="0"${numFmtId ? ' applyNumberFormat="1"' : ''}/>`
    const xfs = [xf(0), xf(14), xf(22), ...currencies.map((_, i) => xf(FIRST_CUSTOM_FORMAT + i))]
    return `${XML_HEAD}<styleSheet xmlns="${NS_MAIN}">`
      + (formats.length ? `<numFmts count="${formats.length}">${formats.join('')}</numFmts>` : '')
      + '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
      + '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
      + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
      + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
      + `<cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs>`
      + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
      + '</styleSheet>'
  }

  private async flush(final: boolean): Promise<void> {
    const bytes = strToU8(this.xml)
    this.xml = ''
    this.crc.update(bytes)
    this.sheetSize += bytes.length
    await this.sheet.push(bytes, final)
    await this.drain()
  }

  private async drain(): Promise<void> {
    if (this.failure) throw this.failure
    while (this.out.length) {
      const pending = this.emit(this.out.shift()!)
      if (pending) await pending
    }
  }
}

/** A spreadsheet serial: days since 1899-12-30, the time of day as the fraction. */
const serial = (utcMs: number): number => utcMs / DAY_MS + SERIAL_EPOCH_DAYS

/** Excel's sheet names: at most 31 characters, none of `[]:*?/\`. */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').trim().slice(0, 31) || 'Sheet1'
}

/**
 * Text as XML character data: markup escaped, a carriage return as a reference (a literal one
 * becomes a line feed when read), and the control characters XML 1.0 cannot hold replaced by U+FFFD.
 */
function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return /[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(text)
    // eslint-disable-next-line no-control-regex
    ? text.replace(/[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '\r' ? '&#13;' : '\ufffd'))
    : text
}
