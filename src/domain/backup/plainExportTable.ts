import { exportColumns, type ExportCell, type ExportContext } from '../export/exportColumns'
import { exportCsvLine } from '../export/exportCsv'
import type { EntityDef, Row } from '../schema'

/*
 * The plain export (issue 18): one CSV per entity that any spreadsheet opens without Kanso.
 * RFC 4180 (comma, CRLF, quotes doubled), UTF-8 with a byte-order mark. Cells as every export
 * writes them (src/domain/export: values as people read them, links as names with their ids in
 * an extra column, numbers kept numbers, formula-like text neutralised), plus the record's id
 * first and its creation time last. Fields removed from the schema are kept: their values are.
 */

/** The CSV line (with its CRLF) of one row of cells. */
export const csvLine = (cells: readonly ExportCell[]): string => exportCsvLine(cells)

export type PlainExportContext = ExportContext

export interface PlainExportTable {
  header: string[]
  /** One row's cells, in the header's order. */
  cells(row: Row): ExportCell[]
}

/** The columns of an entity's CSV: id, each field by label (a link also as "<label> (id)"), created at. */
export function plainExportTable(entity: EntityDef, ctx: PlainExportContext): PlainExportTable {
  const columns = exportColumns(entity, ctx, { fields: [...entity.fields].sort((a, b) => a.order - b.order), meta: true })
  return {
    header: columns.map((c) => c.header),
    cells: (row) => columns.map((c) => c.cell(row)),
  }
}
