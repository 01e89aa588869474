import type { Row } from '../schema'

/**
 * An entity's trash from all of its records (live, deleted, purged and undone creates alike):
 * the soft-deleted ones that were created and not purged, the newest deletion first (ties by
 * id, so every copy lists them alike).
 */
export function trashRows(rows: Iterable<Row>): Row[] {
  const trash: Row[] = []
  for (const row of rows) if (row.deletedAt !== undefined && row.createdAt !== '' && row.purgedAt === undefined) trash.push(row)
  return trash.sort((a, b) => (a.deletedAt! < b.deletedAt! ? 1 : a.deletedAt! > b.deletedAt! ? -1 : a.id.localeCompare(b.id)))
}
