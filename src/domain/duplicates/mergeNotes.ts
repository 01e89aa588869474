import type { FieldValue, Row } from '../schema'

/*
 * What a merge and a dismissal leave in the records themselves (entity documents), so every
 * device, the relay's API and the history read the same thing:
 * - `merged@<merged record id>` → { survivor, at, by }, written on the survivor and on the
 *   merged record: on the survivor it lists what was merged into it (its timeline follows those
 *   records' history); on the merged record, in the trash, it says where it went.
 * - `distinct@<other record id>` → { at, by }: a member said the two are not duplicates, so the
 *   pair is never offered again.
 * Both are plain record entries: a merge's undo takes them away with the rest of it.
 */

export const MERGED_PREFIX = 'merged@'
export const DISTINCT_PREFIX = 'distinct@'
/** The shape the relay's layout guard admits (a record id after the prefix). */
export const MERGE_NOTE_KEY = /^merged@[A-Za-z0-9_-]{1,64}$/
export const DISTINCT_NOTE_KEY = /^distinct@[A-Za-z0-9_-]{1,64}$/

export interface MergeNote { survivor: string; at: string; by: string }
export interface DistinctNote { at: string; by: string }

export const mergedKey = (recordId: string) => `${MERGED_PREFIX}${recordId}`
export const distinctKey = (recordId: string) => `${DISTINCT_PREFIX}${recordId}`

export function isMergeNote(value: unknown): value is MergeNote {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const v = value as Record<string, unknown>
  return typeof v.survivor === 'string' && typeof v.at === 'string' && typeof v.by === 'string'
}

export function isDistinctNote(value: unknown): value is DistinctNote {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const v = value as Record<string, unknown>
  return typeof v.at === 'string' && typeof v.by === 'string'
}

/** The records merged into `row` (its `merged@` notes naming other records), oldest merge first. */
export function mergedInto(row: Pick<Row, 'id' | 'values'>): { id: string; note: MergeNote }[] {
  const found: { id: string; note: MergeNote }[] = []
  for (const [key, value] of Object.entries(row.values)) {
    if (!key.startsWith(MERGED_PREFIX)) continue
    const id = key.slice(MERGED_PREFIX.length)
    if (id !== row.id && isMergeNote(value) && value.survivor === row.id) found.push({ id, note: value })
  }
  return found.sort((a, b) => (a.note.at < b.note.at ? -1 : a.note.at > b.note.at ? 1 : 0))
}

/** The record `row` was merged into, from its own note; undefined when it was not. */
export function survivorOf(row: Pick<Row, 'id' | 'values'>): string | undefined {
  const note: FieldValue | undefined = row.values[mergedKey(row.id)]
  return isMergeNote(note) ? note.survivor : undefined
}

/** True when a member said `a` and `b` are not duplicates (the note may sit on either). */
export function markedDistinct(a: Pick<Row, 'id' | 'values'>, b: Pick<Row, 'id' | 'values'>): boolean {
  return isDistinctNote(a.values[distinctKey(b.id)]) || isDistinctNote(b.values[distinctKey(a.id)])
}
