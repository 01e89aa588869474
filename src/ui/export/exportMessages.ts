import type { ExportFormat } from '../../domain/export/writeExport'
import type { EntityDef, Row } from '../../domain/schema'

/** The page → the export worker: what to write, then the rows in pieces, then `end`. */
export type ToExportWorker =
  | {
    type: 'start'
    format: ExportFormat
    entity: EntityDef
    /** The visible fields, in the order shown. */
    fieldIds: string[]
    parse: { locale: string; timeZone: string; defaultCountry?: string; workspaceCountry?: string; members: { id: string; name: string }[] }
    /** Linked records' names: [entity id, [record id, name][]][]. */
    linkNames: [string, [string, string][]][]
    sheetName: string
  }
  | { type: 'rows'; rows: Row[] }
  | { type: 'end' }

export type FromExportWorker =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; file: Blob }
  | { type: 'failed'; message: string }
