import type { Row, RowPatch } from '../domain/schema'

/** What changed between the rows a page painted (a snapshot) and the document's rows. */
export function diffRows(before: Row[], after: Row[]): RowPatch {
  const old = new Map(before.map((r) => [r.id, r]))
  const patch: RowPatch = { added: [], updated: [], removed: [] }
  for (const row of after) {
    const prev = old.get(row.id)
    if (!prev) patch.added.push(row)
    else if (JSON.stringify(prev) !== JSON.stringify(row)) patch.updated.push(row)
    old.delete(row.id)
  }
  patch.removed = [...old.keys()]
  return patch
}
