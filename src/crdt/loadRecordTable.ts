import type { FieldValue } from '../domain/schema'
import { isEditStampKey } from './editStamp'
import type { DecodedUpdate } from './decodeUpdateV1'
import { CONTENT_ANY, CONTENT_DELETED, CONTENT_TYPE, PARENT_ID, PARENT_ROOT, STRUCT_GC, STRUCT_SKIP, TYPE_REF_MAP } from './decodeUpdateV1'
import { lastItemOfKey } from './lastItemOfKey'
import { COL_CREATED_AT, COL_CREATED_BY, COL_DELETED_AT, ORIGIN_NONE, RecordTable } from './recordTable'

/*
 * Builds a RecordTable from one decoded update holding a whole document, without a Y.Doc.
 * Returns null when the update needs what only Yjs does (structs waiting for missing ones,
 * right origins, legacy JSON content): the caller falls back. Entries outside the layout (a
 * record that is not a map, a nested type as a value) are skipped as the Y.Doc readers skip them.
 */

const RECORDS = 'records'
const UNRESOLVED = -1
const GCED = -2
const IGNORED = -3
const ROOT_RECORDS = -4
const VISITING = -5

export interface LoadedTable {
  table: RecordTable
  stateVector: Map<number, number>
  /** Entries outside the layout that were skipped (stored before the relay checked layouts). */
  skipped: string[]
}

/** Content kinds a Y.Map key may hold besides JSON values: nested types, binary, subdocuments. */
const CONTENT_BINARY = 3
const CONTENT_DOC = 9

export function loadRecordTable(u: DecodedUpdate, table: RecordTable): LoadedTable | null {
  const n = u.length
  if (u.irregular) return null
  const stateVector = new Map<number, number>()
  for (const block of u.blocks) {
    if (block.end === block.first) continue
    if (u.clock[block.first] !== 0) return null // starts after structs we lack
    const last = block.end - 1
    stateVector.set(block.client, u.clock[last]! + u.len[last]!)
  }
  for (let i = 0; i < n; i++) if (u.kind[i] === STRUCT_SKIP) return null
  const deleted = deleteLookup(u, stateVector)
  if (!deleted) return null

  const parent = resolveParents(u)
  if (!parent) return null
  const sub = parent.sub
  const target = parent.target
  const next = new Int32Array(n).fill(-1)
  const clientIds = table.clients
  const isDeleted = (i: number) => u.kind[i] === CONTENT_DELETED || deleted(u.client[i]!, u.clock[i]! + u.len[i]! - 1)

  // records level: key = record id
  const headBySub = new Int32Array(u.subs.length).fill(-1)
  for (let i = n - 1; i >= 0; i--) {
    if (target[i] !== ROOT_RECORDS || sub[i]! < 0) continue
    next[i] = headBySub[sub[i]!]!
    headBySub[sub[i]!] = i
  }
  const slotOfRecordItem = new Map<number, number>()
  const skipped: string[] = []
  for (let s = 0; s < u.subs.length; s++) {
    if (headBySub[s] === -1) continue
    const last = lastItemOfKey(u, chain(headBySub[s]!, next), clientIds)
    if (last === -1) return null
    const id = u.subs[s]!
    if (isDeleted(last)) { table.deadIds.add(id); continue }
    // not a record map: skipped like a removed one, as readers of a Y.Doc skip it (recordMapOf)
    if (u.kind[last] !== CONTENT_TYPE || u.typeRef[last] !== TYPE_REF_MAP) { table.deadIds.add(id); skipped.push(`records["${id}"]`); continue }
    slotOfRecordItem.set(last, table.addRecord(id, u.client[last]!, u.clock[last]!))
  }

  // field level: key = (record, field); only items of a live record map count
  const colOfSub = new Int32Array(u.subs.length).fill(-1)
  const heads = new Map<number, Int32Array>()
  for (let i = n - 1; i >= 0; i--) {
    const p = target[i]!
    if (p < 0 || sub[i]! < 0) continue
    const slot = slotOfRecordItem.get(p)
    if (slot === undefined) continue
    let col = colOfSub[sub[i]!]!
    if (col === -1) colOfSub[sub[i]!] = col = table.col(u.subs[sub[i]!]!)
    let head = heads.get(col)
    if (!head) heads.set(col, (head = new Int32Array(table.size).fill(-1)))
    next[i] = head[slot]!
    head[slot] = i
  }
  const values: Record<string, FieldValue>[] = table.rows.map(() => ({}))
  const meta: { createdAt?: unknown; createdBy?: unknown; deletedAt?: unknown }[] = table.rows.map(() => ({}))
  for (const [col, head] of heads) {
    const key = table.colKeys[col]!
    for (let slot = 0; slot < head.length; slot++) {
      const h = head[slot]!
      if (h === -1) continue
      const last = next[h] === -1 ? (u.rightClient[h] === -1 ? h : -1) : lastItemOfKey(u, chain(h, next), clientIds)
      if (last === -1) return null
      const client = u.client[last]!
      const clock = u.clock[last]! + u.len[last]! - 1
      // the origin of the last element: inside a merged item it is the element before
      const originClient = u.len[last]! > 1 ? client : u.originClient[last] === -1 ? ORIGIN_NONE : u.originClient[last]!
      const originClock = u.len[last]! > 1 ? clock - 1 : u.originClock[last]!
      if (isDeleted(last)) {
        table.setCell(slot, col, -(client + 1), clock, originClient, originClock)
        continue
      }
      const kind = u.kind[last]!
      if (kind !== CONTENT_ANY && kind !== CONTENT_TYPE && kind !== CONTENT_BINARY && kind !== CONTENT_DOC) return null
      table.setCell(slot, col, client + 1, clock, originClient, originClock)
      // a nested type, binary or subdocument holds the key (a later write names it as origin) but
      // is no value of the row, as toRow skips it
      if (kind !== CONTENT_ANY) { skipped.push(`"${key}" of record "${table.rows[slot]!.id}"`); continue }
      const value = u.values[last]
      if (col === COL_CREATED_AT) meta[slot]!.createdAt = value
      else if (col === COL_CREATED_BY) meta[slot]!.createdBy = value
      else if (col === COL_DELETED_AT) meta[slot]!.deletedAt = value
      else if (RecordTable.readMetaKey(key, value, meta[slot]!)) continue
      else if (!isEditStampKey(key)) values[slot]![key] = value as FieldValue
    }
  }
  for (let slot = 0; slot < table.size; slot++) {
    table.rows[slot] = RecordTable.makeRow(table.rows[slot]!.id, values[slot]!, meta[slot]!)
  }
  table.rebuildIndex()
  table.trim()
  return { table, stateVector, skipped }
}

function chain(head: number, next: Int32Array): number[] {
  const items: number[] = []
  for (let i = head; i !== -1; i = next[i]!) items.push(i)
  return items
}

/**
 * `deleted(client, clock)` from the update's delete set, or null when it deletes clocks the
 * update does not hold (Yjs keeps those deletes pending).
 */
function deleteLookup(u: DecodedUpdate, stateVector: Map<number, number>): ((client: number, clock: number) => boolean) | null {
  const starts: number[][] = []
  const ends: number[][] = []
  for (const ranges of u.deletes) {
    const pairs = ranges.clocks.map((c, k) => [c, c + ranges.lens[k]!] as const).filter(([a, b]) => b > a).sort((a, b) => a[0] - b[0])
    const limit = stateVector.get(ranges.client) ?? 0
    const s: number[] = (starts[ranges.client] ??= [])
    const e: number[] = (ends[ranges.client] ??= [])
    for (const [a, b] of pairs) {
      if (b > limit) return null
      s.push(a)
      e.push(b)
    }
  }
  return (client, clock) => {
    const s = starts[client]
    const e = ends[client]
    if (!s || !e) return false
    let lo = 0
    let hi = s.length - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      if (s[mid]! <= clock) { found = mid; lo = mid + 1 } else hi = mid - 1
    }
    // ranges of one client may overlap when the update was not normalised: check a few back
    for (let k = found; k >= 0 && k > found - 8; k--) if (clock < e[k]!) return true
    return false
  }
}

/**
 * For every item: its parent (ROOT_RECORDS, the struct index of its parent map item, GCED or
 * IGNORED) and key, following origins as Yjs does when the parent is not written.
 */
function resolveParents(u: DecodedUpdate): { target: Int32Array; sub: Int32Array } | null {
  const n = u.length
  const target = new Int32Array(n).fill(UNRESOLVED)
  const sub = Int32Array.from(u.sub.subarray(0, n))
  const recordsName = u.subs.indexOf(RECORDS)
  const stack: number[] = []
  const gced = (j: number) => j !== -1 && (target[j] === GCED || u.kind[j] === STRUCT_GC)
  for (let start = 0; start < n; start++) {
    if (target[start] !== UNRESOLVED) continue
    stack.push(start)
    while (stack.length) {
      const i = stack[stack.length - 1]!
      if (u.kind[i] === STRUCT_GC) { target[i] = GCED; stack.pop(); continue }
      target[i] = VISITING
      let left = -1
      let right = -1
      if (u.originClient[i] !== -1) {
        left = u.find(u.originClient[i]!, u.originClock[i]!)
        if (left === -1) return null
      }
      if (u.rightClient[i] !== -1) {
        right = u.find(u.rightClient[i]!, u.rightClock[i]!)
        if (right === -1) return null
      }
      let dep = -1
      if (left !== -1 || right !== -1) {
        if (left !== -1 && target[left] === UNRESOLVED) dep = left
        else if (right !== -1 && target[right] === UNRESOLVED) dep = right
      } else if (u.parentKind[i] === PARENT_ID) {
        dep = u.find(u.parentClient[i]!, u.parentClock[i]!)
        if (dep === -1) return null
        if (target[dep] !== UNRESOLVED) dep = -1
      }
      if (dep !== -1) { stack.push(dep); continue }
      stack.pop()
      // an item still being resolved further down the stack: an origin cycle, not a valid update
      if ((left !== -1 && target[left] === VISITING) || (right !== -1 && target[right] === VISITING)) return null
      if (left !== -1 || right !== -1) {
        if (gced(left) || gced(right)) { target[i] = GCED; continue }
        const from = left !== -1 ? left : right
        target[i] = target[from]!
        sub[i] = sub[from]!
      } else if (u.parentKind[i] === PARENT_ROOT) {
        target[i] = u.parentClient[i] === recordsName ? ROOT_RECORDS : IGNORED
      } else if (u.parentKind[i] === PARENT_ID) {
        const p = u.find(u.parentClient[i]!, u.parentClock[i]!)
        if (target[p] === VISITING) return null
        if (gced(p)) target[i] = GCED
        else target[i] = target[p] === ROOT_RECORDS ? p : IGNORED
      } else {
        return null
      }
    }
  }
  return { target, sub }
}
