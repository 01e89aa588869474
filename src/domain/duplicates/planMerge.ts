import type { EntityDef, FieldValue, Row, WorkspaceSchema } from '../schema'
import { liveFields } from '../schema'
import { mergedKey, type MergeNote } from './mergeNotes'

/** A merge refused before anything is written: `field` is the request's path (`others[1]`, `values.email`). */
export class MergeError extends Error {
  constructor(readonly field: string, message: string, readonly status: 404 | 409 | 422 = 422) {
    super(message)
    this.name = 'MergeError'
  }
}

/** One cell to set; value null clears it. */
export interface MergeCell { recordId: string; fieldId: string; value: FieldValue }

export interface MergeInput {
  schema: WorkspaceSchema
  entity: EntityDef
  survivor: string
  others: readonly string[]
  /** Field id → the value the survivor keeps (chosen among the records, or typed); fields left out keep the survivor's. */
  values: Readonly<Record<string, FieldValue>>
  /** Every row of an entity, deleted ones too (a record in the trash keeps its links when restored). */
  rowsOf(entityId: string): readonly Row[]
  by: string
  at: string
}

export interface MergePlan {
  /** Links re-pointed from the others to the survivor, per entity (the merged list's own links included), the merged list's first. */
  links: Map<string, MergeCell[]>
  /** The survivor's chosen values and its `merged@` notes, and each other's note of where it went. */
  notes: MergeCell[]
  /** The others, to the trash. */
  trash: string[]
  /** Records whose links were re-pointed, per entity id (a record counts once however many of its fields changed). */
  moved: Record<string, number>
}

/**
 * A merge of `others` into `survivor` as data (issue 18): every link to an other, in any link
 * field of any list (single or multiple, the others' own rows left out), names the survivor
 * instead — a multiple link naming both keeps the survivor once; the survivor takes the chosen
 * values; survivor and others get `merged@` notes; the others go to the trash. Writers apply it
 * in that order (links, notes, trash), so no link ever names a record in the trash.
 */
export function planMerge(input: MergeInput): MergePlan {
  const { entity, survivor } = input
  const own = new Map(input.rowsOf(entity.id).map((r) => [r.id, r]))
  const alive = (id: string) => {
    const row = own.get(id)
    return row && row.createdAt && !row.deletedAt && !row.purgedAt ? row : undefined
  }
  const survivorRow = alive(survivor)
  if (!survivorRow) throw new MergeError('survivor', `no ${entity.singular.toLowerCase()} with id "${survivor}"`, 404)
  if (!input.others.length) throw new MergeError('others', 'name at least one record to merge into the survivor')
  const others = new Set<string>()
  input.others.forEach((id, i) => {
    if (id === survivor) throw new MergeError(`others[${i}]`, 'is the survivor itself')
    if (others.has(id)) throw new MergeError(`others[${i}]`, `"${id}" is named twice`)
    if (!alive(id)) throw new MergeError(`others[${i}]`, `no ${entity.singular.toLowerCase()} with id "${id}"`, 404)
    others.add(id)
  })
  const fields = new Map(liveFields(entity).map((f) => [f.id, f]))
  for (const fieldId of Object.keys(input.values)) {
    const field = fields.get(fieldId)
    if (!field) throw new MergeError(`values.${fieldId}`, 'is not a field of this list')
    const value = input.values[fieldId]
    if (field.required && (value === null || value === undefined || value === '')) throw new MergeError(`values.${field.key}`, `${field.label} is required`)
  }

  const links = new Map<string, MergeCell[]>()
  const moved: Record<string, number> = {}
  const sources = [...input.schema.entities].sort((a, b) => (a.id === entity.id ? -1 : b.id === entity.id ? 1 : a.order - b.order))
  for (const source of sources) {
    const linkFields = liveFields(source).filter((f) => f.type === 'link' && f.linkEntity === entity.id)
    if (!linkFields.length) continue
    const cells: MergeCell[] = []
    let count = 0
    for (const row of input.rowsOf(source.id)) {
      if (row.purgedAt || !row.createdAt || (source.id === entity.id && others.has(row.id))) continue
      let changed = false
      for (const field of linkFields) {
        const value = row.values[field.id]
        const next = repointed(value, others, survivor, source.id === entity.id && row.id === survivor)
        if (next === undefined) continue
        cells.push({ recordId: row.id, fieldId: field.id, value: next })
        changed = true
      }
      if (changed) count++
    }
    if (cells.length) {
      links.set(source.id, cells)
      moved[source.id] = count
    }
  }

  const notes: MergeCell[] = []
  for (const [fieldId, value] of Object.entries(input.values)) {
    if (!sameValue(survivorRow.values[fieldId] ?? null, value ?? null)) notes.push({ recordId: survivor, fieldId, value: value ?? null })
  }
  for (const id of others) {
    const note: MergeNote = { survivor, at: input.at, by: input.by }
    notes.push({ recordId: survivor, fieldId: mergedKey(id), value: note as unknown as FieldValue })
    notes.push({ recordId: id, fieldId: mergedKey(id), value: note as unknown as FieldValue })
  }
  return { links, notes, trash: [...others], moved }
}

/** The link with the others replaced by the survivor; undefined when it names none of them. */
function repointed(value: FieldValue | undefined, others: ReadonlySet<string>, survivor: string, onSurvivor: boolean): FieldValue | undefined {
  if (typeof value === 'string') {
    if (!others.has(value)) return undefined
    // the survivor linking to a record merged into it would link to itself
    return onSurvivor ? null : survivor
  }
  if (!Array.isArray(value) || !value.some((id) => others.has(id))) return undefined
  const next: string[] = []
  for (const id of value) {
    const kept = others.has(id) ? survivor : id
    if ((onSurvivor && kept === survivor) || next.includes(kept)) continue
    next.push(kept)
  }
  return next
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b)
}
