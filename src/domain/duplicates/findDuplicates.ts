import type { EntityDef, Row } from '../schema'
import { liveFields } from '../schema'
import { emailKey, nameReader, phoneKey } from './duplicateKeys'
import { jaroWinkler } from './jaroWinkler'
import { withinEdits } from './withinEdits'
import { markedDistinct } from './mergeNotes'

export const DUPLICATE_REASONS = ['email', 'phone', 'name', 'similarName'] as const
/** Why records look like one: the same address, the same number, the same normalised name, or a name a typo apart. */
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number]

export interface DuplicateGroup {
  /** The records, oldest first (the usual survivor first). */
  ids: string[]
  /** Every reason that tied two of them, in DUPLICATE_REASONS order. */
  reasons: DuplicateReason[]
}

export interface FindDuplicatesOptions {
  /** Similar names: Jaro-Winkler of the normalised names at least this (default 0.95), or a typo or two apart (withinEdits). */
  similarity?: number
  /** Neighbours compared in each sorted order of names (default 4): the work is n·window, not n². */
  window?: number
}

/** Names shorter than this are only matched exactly: "Li" and "Lu" are different people. */
const MIN_SIMILAR_LENGTH = 6

/**
 * Groups of live records of one list that are likely the same: records sharing an email or a
 * phone number (any email or phone field), or with the same normalised name (duplicateKeys), or
 * names a typo or two apart. Similar names are found without comparing every pair: the names are sorted,
 * and each is compared with its next `window` neighbours, once in spelling order and once spelt
 * backwards (so a typo in the first letters is found too). Pairs a member marked as distinct are
 * not tied; records tied through others form one group. Groups come largest first, then by their
 * oldest record. Linear in the rows apart from the two sorts.
 */
export function findDuplicates(entity: EntityDef, rows: readonly Row[], options: FindDuplicatesOptions = {}): DuplicateGroup[] {
  const similarity = options.similarity ?? 0.95
  const window = options.window ?? 4
  const live = rows.filter((r) => !r.deletedAt && !r.purgedAt && r.createdAt)
  const fields = liveFields(entity)
  const emailFields = fields.filter((f) => f.type === 'email').map((f) => f.id)
  const phoneFields = fields.filter((f) => f.type === 'phone').map((f) => f.id)
  const names = nameReader(entity)
  const parent = new Int32Array(live.length).map((_, i) => i)
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!
      i = parent[i]!
    }
    return i
  }
  // each tie is kept with its reason; the groups' reasons are read once the groups are known
  const ties: { a: number; b: number; reason: DuplicateReason }[] = []
  const tie = (a: number, b: number, reason: DuplicateReason) => {
    if (a === b || markedDistinct(live[a]!, live[b]!)) return
    ties.push({ a, b, reason })
    const ra = find(a)
    const rb = find(b)
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb)
  }
  const byKey = (reason: DuplicateReason, keysOf: (row: Row, i: number) => (string | null)[]) => {
    const first = new Map<string, number[]>()
    live.forEach((row, i) => {
      for (const key of new Set(keysOf(row, i))) {
        if (!key) continue
        const seen = first.get(key)
        if (!seen) first.set(key, [i])
        else {
          // a pair marked distinct must not hide a third record that matches one of them
          for (const j of seen) tie(j, i, reason)
          if (seen.length < 8) seen.push(i)
        }
      }
    })
  }
  byKey('email', (row) => emailFields.map((id) => emailKey(row.values[id])))
  byKey('phone', (row) => phoneFields.map((id) => phoneKey(row.values[id])))
  const nameKeys = live.map((row) => names.key(row))
  byKey('name', (_, i) => [nameKeys[i] ?? null])
  similarNames(nameKeys, similarity, window, (a, b) => tie(a, b, 'similarName'))

  const groups = new Map<number, { members: number[]; reasons: Set<DuplicateReason> }>()
  for (const t of ties) {
    const root = find(t.a)
    let group = groups.get(root)
    if (!group) groups.set(root, (group = { members: [], reasons: new Set() }))
    group.reasons.add(t.reason)
  }
  live.forEach((_, i) => groups.get(find(i))?.members.push(i))
  const byAge = (a: number, b: number) => {
    const x = live[a]!
    const y = live[b]!
    return x.createdAt < y.createdAt ? -1 : x.createdAt > y.createdAt ? 1 : x.id < y.id ? -1 : 1
  }
  return [...groups.values()]
    .map((g) => ({ members: g.members.sort(byAge), reasons: g.reasons }))
    .sort((a, b) => b.members.length - a.members.length || byAge(a.members[0]!, b.members[0]!))
    .map((g) => ({ ids: g.members.map((i) => live[i]!.id), reasons: DUPLICATE_REASONS.filter((r) => g.reasons.has(r)) }))
}

/** Sorted-neighbourhood comparison of names: in spelling order and spelt backwards. */
function similarNames(keys: readonly string[], similarity: number, window: number, tie: (a: number, b: number) => void): void {
  // one record per name: records of equal names are tied already, and a run of them would fill the window
  const firstOf = new Map<string, number>()
  keys.forEach((k, i) => { if (k.length >= MIN_SIMILAR_LENGTH && !firstOf.has(k)) firstOf.set(k, i) })
  const candidates = [...firstOf.values()]
  const reversed = keys.map((k) => [...k].reverse().join(''))
  for (const order of [keys, reversed]) {
    const sorted = [...candidates].sort((a, b) => (order[a]! < order[b]! ? -1 : order[a]! > order[b]! ? 1 : a - b))
    for (let i = 0; i < sorted.length; i++) {
      const a = sorted[i]!
      for (let j = i + 1; j <= i + window && j < sorted.length; j++) {
        const b = sorted[j]!
        const x = keys[a]!
        const y = keys[b]!
        // one typo in a short name, two in a long one; Jaro-Winkler for the rest (letters swapped further apart)
        if (withinEdits(x, y, Math.min(x.length, y.length) >= 12 ? 2 : 1) || jaroWinkler(x, y) >= similarity) tie(a, b)
      }
    }
  }
}
