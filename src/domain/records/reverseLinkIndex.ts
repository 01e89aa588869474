import type { FieldDef, Row, RowPatch } from '../schema'

/**
 * The records of one entity by the records their link fields name: a company's contacts are
 * `sources('contacts.company', companyId)`. Built once over the entity's rows, then kept
 * current from its patches (each changed row moves only its own entries), so showing a
 * record's related records is a look-up, not a scan of every row per open.
 */
export interface ReverseLinkIndex {
  /** The link fields indexed (a schema change to them needs a new index). */
  readonly fieldIds: readonly string[]
  /** Ids of the live rows whose `fieldId` names `targetId` (empty when none). */
  sources(fieldId: string, targetId: string): ReadonlySet<string>
  apply(patch: RowPatch): void
}

const NONE: ReadonlySet<string> = new Set()

/** The ids a link value names: one id, several, or none. */
export function linkedIds(value: unknown): string[] {
  if (typeof value === 'string') return value ? [value] : []
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v !== '')
  return []
}

export function makeReverseLinkIndex(linkFields: readonly FieldDef[], rows: Iterable<Row>): ReverseLinkIndex {
  const fields = linkFields.filter((f) => f.type === 'link')
  const byField = new Map(fields.map((f) => [f.id, { byTarget: new Map<string, Set<string>>(), held: new Map<string, string[]>() }]))

  const unlink = (rowId: string) => {
    for (const { byTarget, held } of byField.values()) {
      for (const target of held.get(rowId) ?? []) {
        const set = byTarget.get(target)
        set?.delete(rowId)
        if (set?.size === 0) byTarget.delete(target)
      }
      held.delete(rowId)
    }
  }
  const link = (row: Row) => {
    if (row.deletedAt) return unlink(row.id)
    for (const [fieldId, { byTarget, held }] of byField) {
      const next = linkedIds(row.values[fieldId])
      const before = held.get(row.id)
      if (before && before.length === next.length && before.every((id, i) => id === next[i])) continue
      for (const target of before ?? []) {
        const set = byTarget.get(target)
        set?.delete(row.id)
        if (set?.size === 0) byTarget.delete(target)
      }
      if (!next.length) {
        held.delete(row.id)
        continue
      }
      held.set(row.id, next)
      for (const target of next) {
        let set = byTarget.get(target)
        if (!set) byTarget.set(target, (set = new Set()))
        set.add(row.id)
      }
    }
  }
  for (const row of rows) link(row)

  return {
    fieldIds: fields.map((f) => f.id),
    sources: (fieldId, targetId) => byField.get(fieldId)?.byTarget.get(targetId) ?? NONE,
    apply(patch) {
      for (const row of patch.added) link(row)
      for (const row of patch.updated) link(row)
      for (const id of patch.removed) unlink(id)
    },
  }
}
