/*
 * Yjs keeps neither the time nor the author of an item, and the record history needs the time of
 * each edit, also of one made offline and synced hours later. Every writer therefore sets, beside
 * each key it writes or removes, `$edited@<key>` to its clock (an ISO string), in the same update.
 * One stamp per key, not per record: two members editing different cells of a record never race
 * on a stamp (a shared one would turn their edits into same-key races, which the compact stores
 * and the relay's copies can only settle through a whole-document Y.Doc), and an offline session's
 * last write of each cell keeps its own time even where a Y.Doc collected the ones before it.
 * The relay reads the stamps from each incoming update (readUpdateEdits.ts). Stamps are no values
 * of the row (readers skip them) and no steps of undo (an undo writes fresh ones).
 */

const EDIT_STAMP_PREFIX = '$edited@'

/** The record key holding the time of the last write of `key` (a field id or `$deletedAt`). */
export function editStampKey(key: string): string {
  return `${EDIT_STAMP_PREFIX}${key}`
}

/**
 * Whether a write of `key` is stamped: fields and `$deletedAt`, not entries that carry their own
 * time or are the relay's (`stage@…`, `document@…`, `number@…`, `conflict@…`), nor other `$` keys.
 */
export function isStampedKey(key: string): boolean {
  return !key.includes('@') && (key === '$deletedAt' || !key.startsWith('$'))
}

export function isEditStampKey(key: string): boolean {
  return key.startsWith(EDIT_STAMP_PREFIX)
}

/** The key a stamp key stamps; null for other keys. */
export function stampedKey(key: string): string | null {
  return key.startsWith(EDIT_STAMP_PREFIX) ? key.slice(EDIT_STAMP_PREFIX.length) : null
}
