import { CSV_BOM } from '../csvCell'
import type { Row } from '../schema'
import type { ExportColumn } from './exportColumns'
import { exportCsvLine } from './exportCsv'
import { XlsxSheetWriter, type Deflater } from './xlsxSheetWriter'

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const
export type ExportFormat = typeof EXPORT_FORMATS[number]

export interface WriteExportOptions {
  format: ExportFormat
  columns: readonly ExportColumn[]
  /** The rows, in the order they are written. */
  rows: readonly Row[]
  /** The XLSX sheet's name (the entity's label). */
  sheetName: string
  /** Gets the file's bytes in order; a returned promise holds the next write back (a response's drain). */
  write(chunk: Uint8Array): void | Promise<void>
  /** Lets other work run between slices of rows (setImmediate in the relay, a timer in a worker). */
  turn(): Promise<void>
  /** Rows written so far, after each slice. */
  onProgress?(done: number, total: number): void
  /** How long a slice of rows is formatted before `turn()`; default 8 ms. */
  sliceMs?: number
  /** The XLSX sheet's compressor (XlsxSheetOptions.deflater). */
  deflater?: Deflater
}

const encoder = new TextEncoder()

/**
 * Writes a grid view's export, CSV (UTF-8 with a byte-order mark, so spreadsheets read it as
 * UTF-8; RFC 4180, CRLF) or XLSX, a slice of rows at a time: no cap on rows, and the file is
 * handed on as it is made, never held whole. The relay and the app's export worker both write through here.
 */
export async function writeExport(o: WriteExportOptions): Promise<void> {
  const sliceMs = o.sliceMs ?? 8
  const total = o.rows.length
  const header = o.columns.map((c) => c.header)
  const cellsOf = (row: Row) => o.columns.map((c) => c.cell(row))
  const sheet = o.format === 'xlsx' ? new XlsxSheetWriter((chunk) => o.write(chunk), { sheetName: o.sheetName, deflater: o.deflater }) : null
  let text = ''
  if (sheet) await sheet.row(header)
  else text = CSV_BOM + exportCsvLine(header)
  // slices by time, not by rows: a row of phone numbers formats ten times slower than one of names
  let sliceStart = performance.now()
  for (let i = 0; i < total; i++) {
    if (sheet) await sheet.row(cellsOf(o.rows[i]!))
    else text += exportCsvLine(cellsOf(o.rows[i]!))
    if ((i & 31) === 31 && performance.now() - sliceStart >= sliceMs) {
      if (text) await o.write(encoder.encode(text))
      text = ''
      o.onProgress?.(i + 1, total)
      await o.turn()
      sliceStart = performance.now()
    }
  }
  if (sheet) await sheet.finish()
  else await o.write(encoder.encode(text))
  o.onProgress?.(total, total)
}

/** `contacts-my-open-deals-2026-12-06.csv`: the entity, the view and the day, as a file name any system accepts. */
export function exportFileName(entityKey: string, viewName: string, day: string, format: ExportFormat): string {
  const slug = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 60)
  return `${[slug(entityKey), slug(viewName), day].filter(Boolean).join('-')}.${format}`
}
