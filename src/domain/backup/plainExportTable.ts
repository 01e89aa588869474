import { csvCell, type CsvCell } from '../csvCell'
import { formatFieldValue } from '../formatFieldValue'
import type { ParseContext } from '../parseFieldInput'
import type { EntityDef, FieldValue, Row } from '../schema'

/*
 * The plain export (issue 18): one CSV per entity that any spreadsheet opens without Kanso.
 * RFC 4180 (comma, CRLF, quotes doubled), UTF-8 with a byte-order mark. Values as people read
 * them (money, dates, members and choices formatted like the grid; links as the linked records'
 * names with their ids in an extra column), while numbers stay numbers. A text cell a
 * spreadsheet would run as a formula — beginning with = + - @, a tab or a carriage return —
 * gets a leading apostrophe (csvCell, shared with the reports' downloads).
 */

/** The CSV line (with its CRLF) of one row of cells. */
export const csvLine = (cells: readonly CsvCell[]): string => `${cells.map(csvCell).join(',')}\r\n`


export interface PlainExportContext {
  parse: ParseContext
  /** A linked record's name, or undefined when it is gone. */
  linkName(entityId: string, recordId: string): string | undefined
}

export interface PlainExportTable {
  header: string[]
  /** One row's cells, in the header's order. */
  cells(row: Row): CsvCell[]
}

const ids = (value: FieldValue | undefined): string[] =>
  typeof value === 'string' && value ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []

/** The columns of an entity's CSV: id, each field by label (a link also as "<label> (id)"), created at. */
export function plainExportTable(entity: EntityDef, ctx: PlainExportContext): PlainExportTable {
  const fields = [...entity.fields].sort((a, b) => a.order - b.order)
  const header = ['id']
  for (const field of fields) {
    header.push(field.label)
    if (field.type === 'link') header.push(`${field.label} (id)`)
  }
  header.push('Created at')
  return {
    header,
    cells(row) {
      const cells: CsvCell[] = [row.id]
      for (const field of fields) {
        const value = row.values[field.id]
        if (field.type === 'link') {
          const linked = ids(value)
          cells.push(linked.map((id) => (field.linkEntity && ctx.linkName(field.linkEntity, id)) || id).join(', '))
          cells.push(linked.join(', '))
        } else if (field.type === 'number' && typeof value === 'number') {
          cells.push(value)
        } else {
          cells.push(formatFieldValue(field, value, ctx.parse))
        }
      }
      cells.push(row.createdAt)
      return cells
    },
  }
}
