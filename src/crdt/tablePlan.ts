import type { FieldValue, Row, RowPatch } from '../domain/schema'
import { isEditStampKey } from './editStamp'
import type { DecodedUpdate } from './decodeUpdateV1'
import { CONTENT_ANY, CONTENT_DELETED, CONTENT_TYPE, PARENT_ID, PARENT_ROOT, STRUCT_GC, STRUCT_SKIP, TYPE_REF_MAP } from './decodeUpdateV1'
import type { DeleteRange } from './encodeUpdateV1'
import { COL_CREATED_AT, COL_CREATED_BY, COL_DELETED_AT, ORIGIN_NONE, RECORD_ITEM, RecordTable, type CellId, type RowMeta } from './recordTable'

/*
 * A change to a RecordTable, planned against the table plus the changes planned so far, then
 * committed in one go (so a plan that turns out to need the Y.Doc path leaves the table as it
 * was). Remote updates are planned by `planRemoteUpdate`; local operations build plans directly.
 */

export type PlanOp =
  | { kind: 'record'; id: string; client: number; clock: number }
  /** `signed`: client index + 1, negated for a deleted last item. `indexed`: a new item id. */
  | { kind: 'cell'; slot: number; col: number; signed: number; clock: number; originClient: number; originClock: number; value: unknown; indexed: boolean }

/** A cell's last item: `signed` as in RecordTable (0 never set), its clock and its origin. */
export interface CellState { signed: number; clock: number; originClient: number; originClock: number }

const RECORDS = 'records'

/**
 * A remote item planned onto a cell, winning or not (client indices; origin client -1: none), and
 * the item right before it on its key when known (left client -1: none, -2: not known).
 */
export interface PlannedItem { slot: number; col: number; client: number; clock: number; originClient: number; originClock: number; leftClient: number; leftClock: number }

export class TablePlan {
  readonly ops: PlanOp[] = []
  /** Every remote cell item of the update in integration order, for undo histories. */
  readonly items: PlannedItem[] = []
  readonly touched = new Set<number>()
  /** Clock after the last planned item, per client index. */
  readonly clocks = new Map<number, number>()
  private cells = new Map<number, CellState>()
  private newItems = new Map<string, CellId>()
  readonly newIds = new Map<string, number>()

  /**
   * `keepItems` false: `items` stays empty. Nobody watches the remote items of most applies
   * (servers' copies), and an import's batch of 500 records made 3500 objects per copy for nothing.
   */
  constructor(readonly table: RecordTable, readonly clockOf: (client: number) => number, readonly keepItems = true) {}

  nextClock(client: number): number { return this.clocks.get(client) ?? this.clockOf(client) }

  current(slot: number, col: number): CellState {
    const planned = this.cells.get(slot * 65536 + col)
    if (planned) return planned
    if (slot >= this.table.size) return { signed: 0, clock: 0, originClient: ORIGIN_NONE, originClock: 0 }
    const t = this.table
    return { signed: t.cellClient(slot, col), clock: t.cellClock(slot, col), originClient: t.cellOriginClient(slot, col), originClock: t.cellOriginClock(slot, col) }
  }

  /** The cell whose last item was written after the same origin (client, clock), or null. */
  locateSibling(client: number, clock: number): CellId | null {
    for (const [key, cell] of this.cells) {
      if (cell.originClient === client && cell.originClock === clock) return { slot: Math.floor(key / 65536), col: key % 65536 }
    }
    const found = this.table.findByOrigin(client, clock)
    if (!found) return null
    const cur = this.current(found.slot, found.col)
    return cur.originClient === client && cur.originClock === clock ? found : null
  }

  /** A record whose map got an item that changes no value (a losing concurrent write). */
  touch(slot: number): void {
    this.touched.add(slot)
  }

  /** The cell or record whose last item is (client, clock) now, or null. */
  locate(client: number, clock: number): CellId | null {
    const fresh = this.newItems.get(`${client}:${clock}`)
    const found = fresh ?? this.table.findItem(client, clock)
    if (!found) return null
    if (found.col === RECORD_ITEM) return found
    const cur = this.current(found.slot, found.col)
    return Math.abs(cur.signed) === client + 1 && cur.clock === clock ? found : null
  }

  hasRecord(id: string): boolean {
    return this.table.ids.has(id) || this.table.deadIds.has(id) || this.newIds.has(id)
  }

  addRecord(id: string, client: number, clock: number): number {
    const slot = this.table.size + this.newIds.size
    this.newIds.set(id, slot)
    this.ops.push({ kind: 'record', id, client, clock })
    this.newItems.set(`${client}:${clock}`, { slot, col: RECORD_ITEM })
    this.touched.add(slot)
    return slot
  }

  /** A new last item for a cell (a value, or `deleted` for deleted content). */
  writeCell(slot: number, col: number, client: number, clock: number, value: unknown, deleted: boolean, originClient: number, originClock: number): void {
    const signed = deleted ? -(client + 1) : client + 1
    this.cells.set(slot * 65536 + col, { signed, clock, originClient, originClock })
    this.newItems.set(`${client}:${clock}`, { slot, col })
    this.ops.push({ kind: 'cell', slot, col, signed, clock, originClient, originClock, value, indexed: true })
    this.touched.add(slot)
  }

  /** Marks a cell's live last item deleted (Y.Map delete). */
  deleteCell(slot: number, col: number): void {
    const cur = this.current(slot, col)
    if (cur.signed <= 0) return
    this.cells.set(slot * 65536 + col, { ...cur, signed: -cur.signed })
    this.ops.push({ kind: 'cell', slot, col, signed: -cur.signed, clock: cur.clock, originClient: cur.originClient, originClock: cur.originClock, value: undefined, indexed: false })
    this.touched.add(slot)
  }

  /** Every current live cell item and new record item of `client` within [from, to]. */
  itemsInRange(client: number, from: number, to: number, visit: (id: CellId) => void): void {
    const seen = new Set<number>()
    const check = (slot: number) => {
      if (seen.has(slot)) return
      seen.add(slot)
      if (slot < this.table.size) {
        const rc = this.table.recordClock(slot)
        if (this.table.recordClient(slot) === client && rc >= from && rc <= to) visit({ slot, col: RECORD_ITEM })
      }
      for (let col = 0; col < this.table.colKeys.length; col++) {
        const cur = this.current(slot, col)
        if (cur.signed === client + 1 && cur.clock >= from && cur.clock <= to) visit({ slot, col })
      }
    }
    this.table.slotsInRange(client, from, to, check)
    for (const [key, id] of this.newItems) {
      const [c, k] = key.split(':').map(Number) as [number, number]
      if (c !== client || k < from || k > to) continue
      if (id.col === RECORD_ITEM) visit(id)
      else check(id.slot)
    }
  }
}

export type RemotePlan =
  | { kind: 'direct'; impliedDeletes: DeleteRange[] }
  /** Nothing in it can be integrated yet (Yjs would keep all of it pending). */
  | { kind: 'waiting' }
  /** Needs Yjs: concurrent writes, part of it waiting, unknown content, replaced records. */
  | { kind: 'viaDoc' }

/**
 * Plans a remote update (already stripped of what we have) when every new item simply extends
 * its key: its origin is the key's last item, or it is the first item of a never-set key or of
 * a new record.
 */
export function planRemoteUpdate(u: DecodedUpdate, plan: TablePlan): RemotePlan {
  const table = plan.table
  const viaDoc: RemotePlan = { kind: 'viaDoc' }
  if (u.irregular) return viaDoc
  const implied: { client: number; clock: number; len: number }[] = []
  const pos = u.blocks.map((b) => b.first)
  // a block starting after our clock for its client waits for the structs in between
  const waitingBlock = u.blocks.map((b) => b.end > b.first && u.clock[b.first]! > plan.nextClock(b.client))
  const ready = (client: number, clock: number, own: number) => client === -1 || client === own || clock < plan.nextClock(client)
  let integrated = 0
  for (let progress = true; progress;) {
    progress = false
    for (let b = 0; b < u.blocks.length; b++) {
      if (waitingBlock[b]) continue
      const block = u.blocks[b]!
      for (; pos[b]! < block.end; pos[b]!++) {
        const i = pos[b]!
        const own = u.client[i]!
        if (u.kind[i] === STRUCT_SKIP) break // a gap: what follows waits for the structs in it
        if (!ready(u.originClient[i]!, u.originClock[i]!, own) || !ready(u.rightClient[i]!, u.rightClock[i]!, own)) break
        if (u.parentKind[i] === PARENT_ID && !ready(u.parentClient[i]!, u.parentClock[i]!, own)) break
        if (!planItem(u, i, plan, implied)) return viaDoc
        plan.clocks.set(own, u.clock[i]! + u.len[i]!)
        progress = true
        integrated++
      }
    }
  }
  const structsWait = u.blocks.some((b, k) => pos[k]! < b.end)
  let deletesWait = false
  let deletesKnown = false
  for (const ranges of u.deletes) {
    for (let k = 0; k < ranges.lens.length; k++) {
      if (ranges.lens[k] === 0) continue
      if (ranges.clocks[k]! + ranges.lens[k]! > plan.nextClock(ranges.client)) deletesWait = true
      if (ranges.clocks[k]! < plan.nextClock(ranges.client)) deletesKnown = true
    }
  }
  if (structsWait || deletesWait) return integrated === 0 && !deletesKnown ? { kind: 'waiting' } : viaDoc
  for (const ranges of u.deletes) {
    for (let k = 0; k < ranges.clocks.length; k++) {
      const from = ranges.clocks[k]!
      const len = ranges.lens[k]!
      if (len === 0) continue
      let replacesRecord = false
      plan.itemsInRange(ranges.client, from, from + len - 1, (id) => {
        if (id.col === RECORD_ITEM) replacesRecord = true
        else plan.deleteCell(id.slot, id.col)
      })
      if (replacesRecord) return viaDoc
    }
  }
  const covered = (d: { client: number; clock: number; len: number }) => u.deletes.some((r) => r.client === d.client &&
    r.clocks.some((c, k) => c <= d.clock && d.clock + d.len <= c + r.lens[k]!))
  return { kind: 'direct', impliedDeletes: implied.filter((d) => !covered(d)).map((d) => ({ client: table.clients[d.client]!, clock: d.clock, len: d.len })) }
}

function planItem(u: DecodedUpdate, i: number, plan: TablePlan, implied: { client: number; clock: number; len: number }[]): boolean {
  const kind = u.kind[i]!
  if (kind === STRUCT_GC) return true
  if (u.rightClient[i] !== -1) return false
  const client = u.client[i]!
  const last = u.clock[i]! + u.len[i]! - 1
  let slot: number
  let col: number
  if (u.originClient[i] !== -1) {
    const at = plan.locate(u.originClient[i]!, u.originClock[i]!)
    if (!at) {
      // written concurrently with the key's last item, after the same one?
      const sibling = plan.locateSibling(u.originClient[i]!, u.originClock[i]!)
      return sibling !== null && raceLastItem(u, i, plan, sibling, implied)
    }
    if (at.col === RECORD_ITEM) return false
    slot = at.slot
    col = at.col
  } else if (u.parentKind[i] === PARENT_ROOT) {
    if (u.subs[u.parentClient[i]!] !== RECORDS || u.sub[i] === -1) return false
    const id = u.subs[u.sub[i]!]!
    if (plan.hasRecord(id) || kind !== CONTENT_TYPE || u.typeRef[i] !== TYPE_REF_MAP) return false
    plan.addRecord(id, client, last)
    return true
  } else if (u.parentKind[i] === PARENT_ID) {
    const at = plan.locate(u.parentClient[i]!, u.parentClock[i]!)
    if (!at || at.col !== RECORD_ITEM || u.sub[i] === -1) return false
    slot = at.slot
    col = plan.table.col(u.subs[u.sub[i]!]!)
    const cur = plan.current(slot, col)
    if (cur.signed !== 0) {
      // the key was first set concurrently on two clients?
      return cur.originClient === ORIGIN_NONE && raceLastItem(u, i, plan, { slot, col }, implied)
    }
  } else {
    return false
  }
  if (kind !== CONTENT_ANY && kind !== CONTENT_DELETED) return false
  extendKey(u, i, plan, { slot, col }, implied)
  return true
}

/** Item i becomes the last item of its key: the previous last one is deleted, as Item.integrate does. */
function extendKey(u: DecodedUpdate, i: number, plan: TablePlan, at: CellId, implied: DeleteRangeIdx[]): void {
  const client = u.client[i]!
  const first = u.clock[i]!
  const last = first + u.len[i]! - 1
  const prev = plan.current(at.slot, at.col)
  noteItems(u, i, plan, at, prev.signed === 0 ? -1 : Math.abs(prev.signed) - 1, prev.clock)
  if (prev.signed > 0) implied.push({ client: prev.signed - 1, clock: prev.clock, len: 1 })
  if (last > first) implied.push({ client, clock: first, len: last - first })
  // the origin of the last element: inside a merged item, the element before it
  const originClient = last > first ? client : u.originClient[i] === -1 ? ORIGIN_NONE : u.originClient[i]!
  const originClock = last > first ? last - 1 : u.originClock[i]!
  plan.writeCell(at.slot, at.col, client, last, u.values[i], u.kind[i] === CONTENT_DELETED, originClient, originClock)
}

/**
 * Item i and the key's last item were written after the same origin (or both as the key's first
 * item). Yjs orders such siblings by client id, so the one from the higher client ends up last;
 * everything between them descends from smaller siblings, which the scan in Item.integrate
 * passes. The loser is deleted (a losing item still counts as a change to its record's map).
 */
function raceLastItem(u: DecodedUpdate, i: number, plan: TablePlan, at: CellId, implied: DeleteRangeIdx[]): boolean {
  const kind = u.kind[i]!
  if (kind !== CONTENT_ANY && kind !== CONTENT_DELETED) return false
  const cur = plan.current(at.slot, at.col)
  const clients = plan.table.clients
  const mine = clients[u.client[i]!]!
  const theirs = clients[Math.abs(cur.signed) - 1]!
  if (mine === theirs) return false
  if (mine > theirs) {
    extendKey(u, i, plan, at, implied)
  } else {
    implied.push({ client: u.client[i]!, clock: u.clock[i]!, len: u.len[i]! })
    // somewhere before the winner: the history that wants it places it by its origin
    noteItems(u, i, plan, at, -2, 0)
    plan.touch(at.slot)
  }
  return true
}

/** The elements of item i (a merged run follows itself) as planned items of cell `at`. */
function noteItems(u: DecodedUpdate, i: number, plan: TablePlan, at: CellId, leftClient: number, leftClock: number): void {
  if (!plan.keepItems) return
  const client = u.client[i]!
  const first = u.clock[i]!
  for (let clock = first; clock < first + u.len[i]!; clock++) {
    const head = clock === first
    plan.items.push({
      slot: at.slot, col: at.col, client, clock,
      originClient: head ? u.originClient[i]! : client, originClock: head ? u.originClock[i]! : clock - 1,
      leftClient: head ? leftClient : client, leftClock: head ? leftClock : clock - 1,
    })
  }
}

interface DeleteRangeIdx { client: number; clock: number; len: number }

/** Applies a plan to its table; returns the live-row patch (observeRows semantics). */
export function commitPlan(plan: TablePlan): RowPatch {
  const table = plan.table
  const before = new Map<number, boolean>()
  for (const slot of plan.touched) before.set(slot, slot < table.size && table.isLive(slot))
  const changes = new Map<number, { col: number; live: boolean; value: unknown }[]>()
  for (const op of plan.ops) {
    if (op.kind === 'record') {
      const slot = table.addRecord(op.id, op.client, op.clock)
      table.indexId(op.client, op.clock, slot)
      continue
    }
    table.setCell(op.slot, op.col, op.signed, op.clock, op.originClient, op.originClock)
    if (op.indexed) table.indexId(Math.abs(op.signed) - 1, op.clock, op.slot)
    let list = changes.get(op.slot)
    if (!list) changes.set(op.slot, (list = []))
    list.push({ col: op.col, live: op.signed > 0, value: op.value })
  }
  const patch: RowPatch = { added: [], updated: [], removed: [] }
  for (const slot of plan.touched) {
    const list = changes.get(slot)
    if (list) table.rows[slot] = changedRow(table, table.rows[slot]!, list)
    const row = table.rows[slot]!
    if (table.isLive(slot)) (before.get(slot) ? patch.updated : patch.added).push(row)
    else if (before.get(slot)) patch.removed.push(row.id)
  }
  return patch
}

function changedRow(table: RecordTable, old: Row, list: { col: number; live: boolean; value: unknown }[]): Row {
  const meta: RowMeta = {
    createdAt: old.createdAt === '' ? undefined : old.createdAt,
    createdBy: old.createdBy === '' ? undefined : old.createdBy,
    deletedAt: old.deletedAt,
    deletedBy: old.deletedBy,
    purgedAt: old.purgedAt,
  }
  const set = new Map<string, unknown>()
  const removed = new Set<string>()
  for (const { col, live, value } of list) {
    if (col === COL_CREATED_AT) meta.createdAt = live ? value : undefined
    else if (col === COL_CREATED_BY) meta.createdBy = live ? value : undefined
    else if (col === COL_DELETED_AT) meta.deletedAt = live ? value : undefined
    else {
      const key = table.colKeys[col]!
      if (RecordTable.readMetaKey(key, live ? value : undefined, meta)) continue
      if (isEditStampKey(key)) continue
      if (live) { set.set(key, value); removed.delete(key) } else { set.delete(key); removed.add(key) }
    }
  }
  const values: Record<string, FieldValue> = {}
  for (const [k, v] of Object.entries(old.values)) if (!removed.has(k) && !set.has(k)) values[k] = v
  for (const [k, v] of set) values[k] = v as FieldValue
  return RecordTable.makeRow(old.id, values, meta)
}
