import { CSV_BOM } from '../../src/domain/csvCell'
import { csvLine, plainExportTable } from '../../src/domain/backup/plainExportTable'
import type { ParseContext } from '../../src/domain/parseFieldInput'
import { recordTitle } from '../../src/domain/recordTitle'
import type { Row, WorkspaceSchema } from '../../src/domain/schema'
import type { EntityStores } from '../api/entityStores'
import type { StoredZip } from './storedZip'

/** Rows formatted per slice before the event loop gets a turn: a big entity is written in ~ms pieces. */
const ROWS_PER_SLICE = 2000
const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * The plain export (issue 18): `schema.json` (the workspace schema as stored) and `<entity
 * key>.csv` per entity with its live records (src/domain/backup/plainExportTable), into `zip`.
 * Rows come from the API's copies (EntityStores), so no document is decoded here.
 */
export async function writePlainExport(zip: StoredZip, schema: WorkspaceSchema, stores: EntityStores, parse: ParseContext): Promise<void> {
  await zip.add('schema.json', Buffer.from(`${JSON.stringify(schema, null, 2)}\n`))
  const rowsOf = new Map<string, Row[]>()
  const load = async (entityId: string): Promise<Row[]> => {
    let rows = rowsOf.get(entityId)
    if (!rows) rowsOf.set(entityId, (rows = (await stores.load(entityId)).store.rows()))
    return rows
  }
  const names = new Map<string, Map<string, string>>()
  for (const entity of schema.entities) {
    for (const field of entity.fields) {
      const target = field.type === 'link' && field.linkEntity ? schema.entities.find((e) => e.id === field.linkEntity) : undefined
      if (!target || names.has(target.id)) continue
      const byId = new Map<string, string>()
      // the name the import finds a linked record by (a contact's first and last name), so the CSV imports back
      for (const row of await load(target.id)) byId.set(row.id, recordTitle(target, row))
      names.set(target.id, byId)
    }
  }
  for (const entity of schema.entities) {
    const table = plainExportTable(entity, { parse, linkName: (entityId, id) => names.get(entityId)?.get(id) })
    const rows = await load(entity.id)
    const parts = [CSV_BOM + csvLine(table.header)]
    for (let i = 0; i < rows.length; i += ROWS_PER_SLICE) {
      let text = ''
      for (const row of rows.slice(i, i + ROWS_PER_SLICE)) text += csvLine(table.cells(row))
      parts.push(text)
      await turn()
    }
    rowsOf.delete(entity.id)
    await zip.add(`${entity.key}.csv`, Buffer.from(parts.join('')))
  }
}
