import type { EntityDef, Row } from '../schema'
import { liveFields } from '../schema'
import { emailKey, nameReader, phoneKey } from './duplicateKeys'
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
  const window = options.window ?? 4
  const live = rows.filter((r) => !r.deletedAt && !r.purgedAt && r.createdAt)
  const fields = liveFields(entity)
  const emailFields = fields.filter((f) => f.type === 'email').map((f) => f.id)
  const phoneFields = fields.filter((f) => f.type === 'phone').map((f) => f.id)
  const names = nameReader(entity)
  const parent = new Int32Array(live.length)
  for (let i = 0; i < parent.length; i++) parent[i] = i
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
  // each key's first records: a later record holding it is tied to them (up to 8, so a pair marked
  // distinct does not hide a third record that matches one of them)
  // (a key held once, the common case, keeps its record's place alone: no array per key)
  const tieByKey = (reason: DuplicateReason, first: Map<string, number | number[]>) => (key: string | null, i: number) => {
    if (!key) return
    const seen = first.get(key)
    if (seen === undefined) first.set(key, i)
    else if (typeof seen === 'number') {
      if (seen === i) return
      tie(seen, i, reason)
      first.set(key, [seen, i])
    } else if (seen[seen.length - 1] !== i) {
      for (const j of seen) tie(j, i, reason)
      if (seen.length < 8) seen.push(i)
    }
  }
  const email = tieByKey('email', new Map())
  const phone = tieByKey('phone', new Map())
  const byName = new Map<string, number | number[]>()
  const name = tieByKey('name', byName)
  const nameKeys: string[] = []
  for (let i = 0; i < live.length; i++) {
    const row = live[i]!
    for (const id of emailFields) email(emailKey(row.values[id]), i)
    for (const id of phoneFields) phone(phoneKey(row.values[id]), i)
    nameKeys.push(names.key(row))
    name(nameKeys[i]!, i)
  }
  similarNames(byName, nameKeys, window, (a, b) => tie(a, b, 'similarName'))

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

/**
 * Sorted-neighbourhood comparison of names: in spelling order and spelt backwards, each name with
 * the next `window`, tied when one or two typos apart (two from 12 letters on). Jaro-Winkler was
 * tried beside it: it found no pair here that the typo count missed and took 3 of B29's 4 seconds.
 */
function similarNames(byName: ReadonlyMap<string, number | number[]>, keys: readonly string[], window: number, tie: (a: number, b: number) => void): void {
  // one record per name (byName's first): records of equal names are tied already, and a run of them would fill the window
  const forward: string[] = []
  const backward = new Map<string, number>()
  for (const [k, at] of byName) {
    if (k.length < MIN_SIMILAR_LENGTH) continue
    forward.push(k)
    backward.set(reverse(k), typeof at === 'number' ? at : at[0]!)
  }
  const firstOf = (k: string) => { const at = byName.get(k)!; return typeof at === 'number' ? at : at[0]! }
  // plain string sorts (no comparator to call: the names are distinct), then each place's record once
  for (const [names, index] of [[forward.sort(), firstOf], [[...backward.keys()].sort(), (k: string) => backward.get(k)!]] as const) {
    const sorted = Int32Array.from(names, index)
    for (let i = 0; i < sorted.length; i++) {
      const a = sorted[i]!
      for (let j = i + 1; j <= i + window && j < sorted.length; j++) {
        const b = sorted[j]!
        const x = keys[a]!
        const y = keys[b]!
        // one typo in a short name, two in a long one
        if (withinEdits(x, y, Math.min(x.length, y.length) >= 12 ? 2 : 1)) tie(a, b)
      }
    }
  }
}

function reverse(text: string): string {
  return text.split("").reverse().join("")
}
