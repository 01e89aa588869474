import type { EntityDef, FieldValue, Row } from '../schema'
import { boundWriterTime } from '../boundEntryTime'
import type { HistoryEntry, HistoryVia } from './historyEntry'
import { isMergeNote, MERGED_PREFIX } from '../duplicates/mergeNotes'

/** One key an update wrote last (src/crdt/readUpdateEdits.ts, as plain data). */
export interface WrittenKey {
  key: string
  /** undefined: the update does not carry the value. */
  value: unknown
  at: string | undefined
  concurrent: boolean
  won: boolean
}

export interface ChangeContext {
  entityId: string
  /** The relay's clock when the update arrived (ms). */
  arrivedAt: number
  memberId: string
  memberName: string
  via: HistoryVia
  /** The stamp of a key in the update (removals write no item of their key, only its stamp), else the record's latest. */
  stampOf(key: string): string | undefined
  /** Who set a field's value last and when, from the history (for a value that lost to a racing write). */
  previousWrite(fieldId: string): { memberId: string; memberName: string; at: string } | undefined
}

const DELETED_AT = '$deletedAt'

/**
 * The history entries of one record for one stored update, oldest kind first: created, then
 * the fields it was created with or that changed (from → to, stored values), deleted or restored,
 * merged (a duplicate into a survivor: from → to record ids), and a conflict for each cell where a value was set while its writer had not seen the one it
 * replaced and one of the two lost (the same value on both sides is no conflict).
 */
export function recordChanges(entity: EntityDef, recordId: string, before: Row | undefined, after: Row | undefined, writes: readonly WrittenKey[], context: ChangeContext): HistoryEntry[] {
  const written = new Map(writes.map((w) => [w.key, w]))
  const arrivedAt = new Date(context.arrivedAt)
  const timeOf = (key: string) => boundWriterTime(written.get(key)?.at ?? context.stampOf(key), arrivedAt)
  const entry = (kind: HistoryEntry['kind'], fieldId: string | null, from: FieldValue | null, to: FieldValue | null, at: string): HistoryEntry => ({
    entityId: context.entityId, recordId, at, memberId: context.memberId, memberName: context.memberName, via: context.via, fieldId, from, to, kind,
  })
  const entries: HistoryEntry[] = []
  if (!after) return entries
  const wasCreated = before !== undefined && before.createdAt !== ''
  const isCreated = after.createdAt !== ''
  if (!wasCreated && isCreated) entries.push(entry('created', null, null, null, boundWriterTime(after.createdAt, arrivedAt)))
  if (!isCreated && !wasCreated) return entries
  for (const field of entity.fields) {
    const from = valueOf(before, field.id)
    const to = valueOf(after, field.id)
    if (!sameValue(from, to)) entries.push(entry('set', field.id, from, to, timeOf(field.id)))
  }
  const wasDeleted = before?.deletedAt !== undefined
  const isDeleted = after.deletedAt !== undefined
  if (wasCreated && !wasDeleted && isDeleted) entries.push(entry('deleted', null, null, null, timeOf(DELETED_AT)))
  if (wasDeleted && !isDeleted && isCreated) entries.push(entry('restored', null, null, null, timeOf(DELETED_AT)))
  // a merge of duplicates (mergeNotes): on the survivor and on each merged record, from the merged record into the survivor
  for (const [key, note] of Object.entries(after.values)) {
    if (!key.startsWith(MERGED_PREFIX) || !isMergeNote(note) || isMergeNote(before?.values[key])) continue
    entries.push(entry('merged', null, key.slice(MERGED_PREFIX.length), note.survivor, timeOf(key)))
  }

  for (const field of entity.fields) {
    const w = written.get(field.id)
    if (!w?.concurrent) continue
    const kept = valueOf(after, field.id)
    if (w.won) {
      // this write replaced a value its writer had not seen: that value lost
      const lost = valueOf(before, field.id)
      const previous = context.previousWrite(field.id)
      if (lost === null || sameValue(lost, kept) || !previous) continue
      entries.push({ ...entry('conflict', field.id, kept, lost, previous.at), memberId: previous.memberId, memberName: previous.memberName })
    } else {
      if (w.value === undefined) continue
      const lost = (w.value ?? null) as FieldValue | null
      if (sameValue(lost, kept)) continue
      entries.push(entry('conflict', field.id, kept, lost, timeOf(field.id)))
    }
  }
  return entries
}

function valueOf(row: Row | undefined, fieldId: string): FieldValue | null {
  return row?.values[fieldId] ?? null
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  return JSON.stringify(a) === JSON.stringify(b)
}
