import type { FieldValue, Row } from '../domain/schema'
import type { ClientTable } from './decodeUpdateV1'

/*
 * The compact state of one entity document: rows as plain objects plus, per record and key, the
 * id of the key's last Yjs item (the one a new write must name as its origin). Ids live in typed
 * arrays: a client index (+1, negated when that last item is deleted, 0 when the key was never
 * set) and a 32-bit clock, one column per key. An id → record index (runs of clocks per client
 * pointing at a record) answers "which key does this origin belong to" without an entry per item.
 */

export const META_CREATED_AT = '$createdAt'
export const META_CREATED_BY = '$createdBy'
export const META_DELETED_AT = '$deletedAt'
/** Who deleted a record; written and removed together with `$deletedAt`. */
export const META_DELETED_BY = '$deletedBy'
/** When a record was purged: its other keys are removed (recordDoc.purgeRecords). */
export const META_PURGED_AT = '$purgedAt'
export const COL_CREATED_AT = 0
export const COL_CREATED_BY = 1
export const COL_DELETED_AT = 2
/** `findItem` answer for a record's own map item. */
export const RECORD_ITEM = -1
/** Origins of cells' last items: not known (e.g. it has a right origin), or null. */
export const ORIGIN_UNKNOWN = -2
export const ORIGIN_NONE = -1

export interface CellId { slot: number; col: number }

/** A record's `$` entries as read, before they become a Row's fields (`undefined`: absent). */
export interface RowMeta { createdAt?: unknown; createdBy?: unknown; deletedAt?: unknown; deletedBy?: unknown; purgedAt?: unknown }

type ClientColumn = Int16Array | Int32Array
const INT16_MAX = 0x7fff

export class RecordTable implements ClientTable {
  readonly clients: number[] = []
  private clientIndex = new Map<number, number>()
  readonly ids = new Map<string, number>()
  /** Record ids whose `records` key has items but no live map (replaced or removed maps). */
  readonly deadIds = new Set<string>()
  readonly rows: Row[] = []
  readonly keys = new Map<string, number>()
  readonly colKeys: string[] = []
  private capacity: number
  private recClient: Int32Array
  private recClock: Uint32Array
  /** Client indices fit 16 bits until a document has seen 32k clients; then they widen. */
  private colClient: ClientColumn[] = []
  private colClock: Uint32Array[] = []
  /** Origin of each cell's last item: 0 unknown, 1 none, client index + 2. */
  private colOriginClient: ClientColumn[] = []
  private wide = false
  private colOriginClock: Uint32Array[] = []
  private runStart: number[][] = []
  private runEnd: number[][] = []
  private runSlot: number[][] = []

  constructor(capacity = 64) {
    this.capacity = capacity
    this.recClient = new Int32Array(capacity)
    this.recClock = new Uint32Array(capacity)
    for (const key of [META_CREATED_AT, META_CREATED_BY, META_DELETED_AT]) this.col(key)
  }

  get size(): number { return this.rows.length }

  indexOf(client: number): number {
    let i = this.clientIndex.get(client)
    if (i === undefined) {
      i = this.clients.length
      if (i + 2 > INT16_MAX && !this.wide) this.widen()
      this.clients.push(client)
      this.clientIndex.set(client, i)
      this.runStart.push([])
      this.runEnd.push([])
      this.runSlot.push([])
    }
    return i
  }

  col(key: string): number {
    let c = this.keys.get(key)
    if (c === undefined) {
      c = this.colKeys.length
      this.keys.set(key, c)
      this.colKeys.push(key)
      this.colClient.push(this.clientColumn(this.capacity))
      this.colClock.push(new Uint32Array(this.capacity))
      this.colOriginClient.push(this.clientColumn(this.capacity))
      this.colOriginClock.push(new Uint32Array(this.capacity))
    }
    return c
  }

  addRecord(id: string, client: number, clock: number): number {
    const slot = this.rows.length
    if (slot === this.capacity) this.grow()
    this.rows.push({ id, values: {}, createdAt: '', createdBy: '' })
    this.ids.set(id, slot)
    this.recClient[slot] = client + 1
    this.recClock[slot] = clock
    return slot
  }

  private clientColumn(length: number): ClientColumn {
    return this.wide ? new Int32Array(length) : new Int16Array(length)
  }

  private widen(): void {
    this.wide = true
    this.colClient = this.colClient.map((a) => Int32Array.from(a))
    this.colOriginClient = this.colOriginClient.map((a) => Int32Array.from(a))
  }

  /** Drops the room left for more records (after a bulk load). */
  trim(): void {
    this.resize(this.rows.length + 16)
  }

  private grow(): void {
    this.resize(Math.ceil(this.capacity * 1.5) + 16)
  }

  private resize(cap: number): void {
    const i32 = (a: Int32Array) => { const b = new Int32Array(cap); b.set(a.subarray(0, Math.min(cap, a.length))); return b }
    const client = (a: ClientColumn) => { const b = this.clientColumn(cap); b.set(a.subarray(0, Math.min(cap, a.length))); return b }
    const u32 = (a: Uint32Array) => { const b = new Uint32Array(cap); b.set(a.subarray(0, Math.min(cap, a.length))); return b }
    this.recClient = i32(this.recClient)
    this.recClock = u32(this.recClock)
    this.colClient = this.colClient.map(client)
    this.colClock = this.colClock.map(u32)
    this.colOriginClient = this.colOriginClient.map(client)
    this.colOriginClock = this.colOriginClock.map(u32)
    this.capacity = cap
  }

  recordClient(slot: number): number { return this.recClient[slot]! - 1 }
  recordClock(slot: number): number { return this.recClock[slot]! }

  /** 0: never set; client + 1: live last item; -(client + 1): deleted last item. */
  cellClient(slot: number, col: number): number { return this.colClient[col]![slot]! }
  cellClock(slot: number, col: number): number { return this.colClock[col]![slot]! }

  /** Origin of the cell's last item: ORIGIN_UNKNOWN, ORIGIN_NONE or a client index. */
  cellOriginClient(slot: number, col: number): number { return this.colOriginClient[col]![slot]! - 2 }
  cellOriginClock(slot: number, col: number): number { return this.colOriginClock[col]![slot]! }

  setCell(slot: number, col: number, signedClient: number, clock: number, originClient: number, originClock: number): void {
    this.colClient[col]![slot] = signedClient
    this.colClock[col]![slot] = clock
    this.colOriginClient[col]![slot] = originClient + 2
    this.colOriginClock[col]![slot] = originClock
  }

  isLive(slot: number): boolean {
    return this.colClient[COL_CREATED_AT]![slot]! > 0 && !(this.colClient[COL_DELETED_AT]![slot]! > 0)
  }

  /** Records that (client, clock) belongs to `slot`; clocks of a client must arrive in order. */
  indexId(client: number, clock: number, slot: number): void {
    const starts = this.runStart[client]!
    const ends = this.runEnd[client]!
    const slots = this.runSlot[client]!
    const last = slots.length - 1
    if (last >= 0 && slots[last] === slot && ends[last]! <= clock) {
      ends[last] = clock
    } else if (last < 0 || ends[last]! < clock) {
      starts.push(clock)
      ends.push(clock)
      slots.push(slot)
    } else {
      throw new Error(`item id ${client}:${clock} indexed out of order`)
    }
  }

  /** Slots whose indexed runs overlap [from, to] of `client`. */
  slotsInRange(client: number, from: number, to: number, visit: (slot: number) => void): void {
    const starts = this.runStart[client]
    const ends = this.runEnd[client]
    const slots = this.runSlot[client]
    if (!starts || !ends || !slots) return
    // first run that ends at or after `from`
    let lo = 0
    let hi = ends.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (ends[mid]! < from) lo = mid + 1
      else hi = mid
    }
    for (let r = lo; r < starts.length && starts[r]! <= to; r++) visit(slots[r]!)
  }

  /** Where (client, clock) is the current last item: a cell, a record's own map item, or null. */
  findItem(client: number, clock: number): CellId | null {
    let found: CellId | null = null
    this.slotsInRange(client, clock, clock, (slot) => {
      if (found) return
      if (this.recClient[slot] === client + 1 && this.recClock[slot] === clock) {
        found = { slot, col: RECORD_ITEM }
        return
      }
      for (let col = 0; col < this.colKeys.length; col++) {
        const c = this.colClient[col]![slot]!
        if ((c === client + 1 || c === -(client + 1)) && this.colClock[col]![slot] === clock) {
          found = { slot, col }
          return
        }
      }
    })
    return found
  }

  /** Rebuilds the id → record index from the columns (after a bulk load). */
  rebuildIndex(): void {
    const perClient: number[][] = this.clients.map(() => [])
    const SLOT_BITS = 2 ** 21
    if (this.rows.length >= SLOT_BITS) throw new Error('too many records for the id index')
    const add = (signed: number, clock: number, slot: number) => {
      if (signed === 0) return
      perClient[Math.abs(signed) - 1]!.push(clock * SLOT_BITS + slot)
    }
    for (let slot = 0; slot < this.rows.length; slot++) {
      add(this.recClient[slot]!, this.recClock[slot]!, slot)
      for (let col = 0; col < this.colKeys.length; col++) {
        add(this.colClient[col]![slot]!, this.colClock[col]![slot]!, slot)
        // a write concurrent with the last one names the same origin: find its record by it too
        const origin = this.colOriginClient[col]![slot]! - 2
        if (origin >= 0) add(origin + 1, this.colOriginClock[col]![slot]!, slot)
      }
    }
    for (let client = 0; client < this.clients.length; client++) {
      this.runStart[client] = []
      this.runEnd[client] = []
      this.runSlot[client] = []
      const packed = Float64Array.from(perClient[client]!).sort()
      perClient[client] = []
      for (const p of packed) this.indexId(client, Math.floor(p / SLOT_BITS), p % SLOT_BITS)
    }
  }

  /** The cell whose last item has `origin` (client index, clock) as its origin, or null. */
  findByOrigin(client: number, clock: number): CellId | null {
    let found: CellId | null = null
    this.slotsInRange(client, clock, clock, (slot) => {
      if (found) return
      for (let col = 0; col < this.colKeys.length; col++) {
        if (this.colOriginClient[col]![slot] === client + 2 && this.colOriginClock[col]![slot] === clock) {
          found = { slot, col }
          return
        }
      }
    })
    return found
  }

  /** A fresh row object for `slot` from the given values (rows handed out are never mutated). */
  static makeRow(id: string, values: Record<string, FieldValue>, meta: RowMeta): Row {
    const row: Row = { id, values, createdAt: meta.createdAt === undefined ? '' : String(meta.createdAt), createdBy: meta.createdBy === undefined ? '' : String(meta.createdBy) }
    const deletedAt = meta.deletedAt == null ? undefined : String(meta.deletedAt)
    if (deletedAt) row.deletedAt = deletedAt
    if (meta.deletedBy != null) row.deletedBy = String(meta.deletedBy)
    if (meta.purgedAt != null) row.purgedAt = String(meta.purgedAt)
    return row
  }

  /** Puts a record key that is row metadata but no fixed column (`$deletedBy`, `$purgedAt`) into `meta`; false for other keys. */
  static readMetaKey(key: string, value: unknown, meta: RowMeta): boolean {
    if (key === META_DELETED_BY) meta.deletedBy = value
    else if (key === META_PURGED_AT) meta.purgedAt = value
    else return false
    return true
  }
}
