import type { Row, RowPatch } from '../domain/schema'

/** Several patches of one change as one: an id's first and last state decide its kind. */
export function mergePatches(patches: readonly RowPatch[]): RowPatch {
  if (patches.length === 1) return patches[0]!
  if (patches.length === 0) return { added: [], updated: [], removed: [] }
  const was = new Map<string, boolean>()
  const now = new Map<string, boolean>()
  for (const p of patches) {
    for (const r of p.added) { if (!was.has(r.id)) was.set(r.id, false); now.set(r.id, true) }
    for (const r of p.updated) { if (!was.has(r.id)) was.set(r.id, true); now.set(r.id, true) }
    for (const id of p.removed) { if (!was.has(id)) was.set(id, true); now.set(id, false) }
  }
  const patch: RowPatch = { added: [], updated: [], removed: [] }
  for (const [id, before] of was) {
    const after = now.get(id)!
    const stub: Row = { id, values: {}, createdAt: '', createdBy: '' }
    if (before && after) patch.updated.push(stub)
    else if (!before && after) patch.added.push(stub)
    else if (before && !after) patch.removed.push(id)
  }
  return patch
}
