import { detectDelimiter, type CsvDelimiter } from './detectDelimiter'
import { isEmptyRow, type ImportRow } from './importRow'

const enum Mode { FieldStart, Unquoted, Quoted, QuoteInQuoted }

/** Characters read before the delimiter is chosen (a few lines of any real file). */
const DELIMITER_SAMPLE_CHARS = 16 * 1024

/**
 * RFC 4180 CSV read in pieces of text as they arrive, so a file of any size is never one string:
 * `push` returns the rows its text completed, `end` the last one. Quoted cells may hold the
 * delimiter, line breaks (CRLF, LF or CR) and doubled quotes; a quote inside an unquoted cell is
 * kept as text. The delimiter is detected from the first 16k characters unless given. Rows with no
 * text are skipped but keep their number, so a refusal's row is the one a spreadsheet shows.
 */
export class CsvRowReader {
  private delimiter: CsvDelimiter | null
  private pending = ''
  private mode = Mode.FieldStart
  private field = ''
  private cells: string[] = []
  private afterCr = false
  private rowNumber = 0

  constructor(delimiter?: CsvDelimiter) {
    this.delimiter = delimiter ?? null
  }

  /** The delimiter in use; null until enough text has arrived to choose it. */
  get chosenDelimiter(): CsvDelimiter | null {
    return this.delimiter
  }

  push(text: string): ImportRow[] {
    if (this.delimiter === null) {
      this.pending += text
      if (this.pending.length < DELIMITER_SAMPLE_CHARS) return []
      return this.start()
    }
    return this.read(text)
  }

  end(): ImportRow[] {
    const rows = this.delimiter === null ? this.start() : []
    if (this.mode !== Mode.FieldStart || this.cells.length > 0) this.endRow(rows)
    return rows
  }

  private start(): ImportRow[] {
    this.delimiter = detectDelimiter(this.pending)
    const text = this.pending
    this.pending = ''
    return this.read(text)
  }

  private read(text: string): ImportRow[] {
    const rows: ImportRow[] = []
    const delimiter = this.delimiter!
    const length = text.length
    let i = 0
    if (this.afterCr && text[0] === '\n') i = 1
    this.afterCr = false
    while (i < length) {
      const c = text[i]!
      switch (this.mode) {
        case Mode.FieldStart:
        case Mode.Unquoted: {
          if (this.mode === Mode.FieldStart && c === '"') { this.mode = Mode.Quoted; i++; break }
          if (c === delimiter) { this.endField(); i++; break }
          if (c === '\n' || c === '\r') { i = this.lineBreak(text, i, rows); break }
          let j = i + 1
          while (j < length) {
            const d = text[j]
            if (d === delimiter || d === '\n' || d === '\r') break
            j++
          }
          this.field += text.slice(i, j)
          this.mode = Mode.Unquoted
          i = j
          break
        }
        case Mode.Quoted: {
          const quote = text.indexOf('"', i)
          if (quote < 0) { this.field += text.slice(i); i = length; break }
          this.field += text.slice(i, quote)
          this.mode = Mode.QuoteInQuoted
          i = quote + 1
          break
        }
        case Mode.QuoteInQuoted: {
          if (c === '"') { this.field += '"'; this.mode = Mode.Quoted; i++; break }
          if (c === delimiter) { this.endField(); i++; break }
          if (c === '\n' || c === '\r') { i = this.lineBreak(text, i, rows); break }
          // `"abc"def`: not RFC 4180, read as the text it shows
          this.mode = Mode.Unquoted
          break
        }
      }
    }
    return rows
  }

  /** Ends the row at the break at `i`; a CRLF split across two pieces is one break. */
  private lineBreak(text: string, i: number, rows: ImportRow[]): number {
    this.endRow(rows)
    if (text[i] === '\r') {
      if (i + 1 < text.length) return text[i + 1] === '\n' ? i + 2 : i + 1
      this.afterCr = true
    }
    return i + 1
  }

  private endField(): void {
    this.cells.push(this.field)
    this.field = ''
    this.mode = Mode.FieldStart
  }

  private endRow(rows: ImportRow[]): void {
    this.endField()
    this.rowNumber++
    if (!isEmptyRow(this.cells)) rows.push({ row: this.rowNumber, cells: this.cells })
    this.cells = []
  }
}
