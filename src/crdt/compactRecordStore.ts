import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as random from 'lib0/random'
import * as Y from 'yjs'
import type { FieldValue, Row, RowPatch } from '../domain/schema'
import { decodeUpdateV1 } from './decodeUpdateV1'
import { deleteSetOf, encodeDeleteSet } from './deleteSetOf'
import { encodeUpdateV1, type ItemId } from './encodeUpdateV1'
import { loadRecordTable } from './loadRecordTable'
import { randomId } from './randomId'
import type { CellChange, CreateRecordOptions } from './recordDoc'
import * as recordDoc from './recordDoc'
import { LocalWriter } from './localWriter'
import { isEditStampKey } from './editStamp'
import { mergePatches } from './mergePatches'
import { META_CREATED_AT, META_DELETED_AT, META_CREATED_BY, META_DELETED_BY, META_PURGED_AT, ORIGIN_NONE, ORIGIN_UNKNOWN, RecordTable } from './recordTable'
import { commitPlan, planRemoteUpdate, TablePlan } from './tablePlan'

/*
 * One entity document (layout in recordDoc.ts) held without a Y.Doc: rows as plain objects, the
 * ids Yjs needs to extend each key in typed arrays, and the document itself as binary updates
 * (merged now and then) for sync. Remote updates are applied directly when each new item extends
 * its key or races the key's last item from the same origin; updates waiting for missing ones
 * are kept apart and retried, as Yjs does. Anything else (a write racing older edits, replaced
 * or removed record maps, content other than JSON values, right origins) goes through a
 * transient Y.Doc built from the stored updates, which is dropped afterwards.
 */

/** A Yjs item on one key of one record: its id and the item it was written after (origin). */
export interface KeyItem {
  recordId: string
  /** The record map's own item: another client may replace or remove that map (records.set/delete). */
  map: ItemId
  key: string
  id: ItemId
  /** null: the key's first item; undefined: not known (the item has a right origin). */
  origin: ItemId | null | undefined
  /** Remote items: the item right before it on the key once integrated (null: none), when known. */
  after?: ItemId | null
}

/** A live key item a local write deleted, with the value it held. */
export interface ReplacedItem extends KeyItem { value: unknown }

/** Who wants to hear of the key items remote updates bring (an undo history). */
export interface RemoteItemWatch {
  /** False while nothing is watched: the store then skips the work. */
  watching(): boolean
  wants(recordId: string, key: string): boolean
  receive(items: readonly KeyItem[]): void
}

export interface LocalChange {
  /** A Yjs V1 update to store and send; a Y.Doc applying it ends with the same rows. */
  update: Uint8Array
  patch: RowPatch
  /** The key items this change wrote, in order (what an undo of it deletes). */
  written: KeyItem[]
  /** The live key items it deleted (what an undo of it restores). */
  replaced: ReplacedItem[]
}

/** One key write for `writeKeys`: `undefined` removes the key. */
export interface KeyChange { recordId: string; key: string; value: unknown }

export interface CompactRecordStoreOptions {
  /** The document's name, for warnings about entries outside the layout (a random id by default). */
  name?: string
  /** Yjs client id for local writes; random 32-bit like Y.Doc's by default. */
  clientID?: number
  /** Applied updates kept apart before merging them with each other (64). */
  mergeAfter?: number
  /**
   * Merged updates go into the big state once over this many bytes. By default they do only when
   * the whole state is asked for (mergedState: a compaction): merging while writing re-merged the
   * state at each quarter of growth, most of an import's time in the app (B26), and a sync reply
   * costs the same with the parts apart (a peer's acknowledged parts are left out).
   */
  mergeIntoStateBytes?: number
  /**
   * Refuse (DocPathRefusedError, nothing applied) a remote update (applyUpdate) that only a
   * transient Y.Doc of the whole document could apply: a server would rather load the document
   * again off its event loop than decode it on it (a second or more for 30k records). `load`
   * never refuses: it takes every stored update.
   */
  refuseDocPath?: boolean
}

/** A remote update needs the Y.Doc path, which this store was told to refuse (see refuseDocPath). */
export class DocPathRefusedError extends Error {}

export interface CompactStoreStats {
  /** Loads that built the state without a Y.Doc. */
  directLoads: number
  /** Remote updates applied without a Y.Doc. */
  directApplies: number
  /** Updates (or loads, or local writes) that went through a transient Y.Doc. */
  docPaths: number
}

const EMPTY_UPDATE = new Uint8Array([0, 0])
/** Updates kept apart before merging them with each other. */
const MERGE_AFTER = 64
/**
 * Applied updates (and merged parts) this big are kept apart in `recent`, not merged again: merges
 * take small updates only (not megabytes of older parts, tens of ms to seconds on the relay's
 * event loop), and an import's batch of 100 records (~20 KB) is not merged at all.
 */
const KEEP_APART_BYTES = 16 * 1024
/** Pending updates kept apart before merging them into one. */
const MAX_PENDING = 16

/** The structs a part of `recent` holds (its state vector), read once per part. */
const partCoversCache = new WeakMap<Uint8Array, Map<number, number>>()
function partCovers(part: Uint8Array): Map<number, number> {
  let covers = partCoversCache.get(part)
  if (!covers) partCoversCache.set(part, (covers = Y.parseUpdateMeta(part).to))
  return covers
}

/** A part's delete set alone, read once per part. */
const partDeletesCache = new WeakMap<Uint8Array, Uint8Array>()
function partDeletes(part: Uint8Array): Uint8Array {
  let deletes = partDeletesCache.get(part)
  if (!deletes) partDeletesCache.set(part, (deletes = deleteSetOf(part)))
  return deletes
}

/**
 * How many of its latest writes a store knows again when it hears of them: a server copy hears of
 * each within ms (an API import's batch ~26 KB); a browser's never comes back, so this is memory
 * held for nothing there — kept small.
 */
const OWN_WRITES_KEPT = 64
const OWN_WRITE_BYTES_KEPT = 2 * 1024 * 1024

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = a.byteLength - 1; i >= 0; i--) if (a[i] !== b[i]) return false
  return true
}

function isEmptyUpdate(update: Uint8Array): boolean {
  return update.byteLength === 2 && update[0] === 0 && update[1] === 0
}

/** What CompactRecordStore.exportState hands over (see there). */
export interface CompactStoreState {
  table: RecordTable
  stateVector: Map<number, number>
  state: Uint8Array
  stateCovers: Map<number, number>
  stateDeletes: Uint8Array
  recent: Uint8Array[]
  recentBytes: number
  pending: Uint8Array[]
}

export class CompactRecordStore {
  readonly clientID: number
  readonly name: string
  readonly stats: CompactStoreStats = { directLoads: 0, directApplies: 0, docPaths: 0 }
  private table = new RecordTable()
  /** Next clock per Yjs client id (the state vector). */
  private stateVector = new Map<number, number>()
  private state: Uint8Array = EMPTY_UPDATE
  /** The structs `state` holds (a state vector) and its delete set alone, for cheap sync replies. */
  private stateCovers = new Map<number, number>()
  private stateDeletes: Uint8Array = EMPTY_UPDATE
  private recent: Uint8Array[] = []
  private recentBytes = 0
  /** Updates pushed to `recent` since its last merge (the parts before them are merged ones). */
  private recentFresh = 0
  /** Updates in each merged part of `recent` (before the fresh ones). */
  private recentCounts: number[] = []
  /** Updates Yjs could not integrate yet (missing structs or deletes of missing structs). */
  private pending: Uint8Array[] = []
  private remoteItemWatches = new Set<RemoteItemWatch>()
  /**
   * The updates this store wrote most recently (a server copy hears of each once stored), to
   * take one back without decoding it: only the very bytes written are skipped — an update that
   * merely holds our structs (a peer's sync step 2) also carries that peer's deletes.
   */
  private ownWrites: Uint8Array[] = []
  private ownWriteBytes = 0

  private readonly mergeAfter: number
  private readonly mergeIntoStateBytes: number | undefined
  private readonly refuseDocPath: boolean

  constructor(options: CompactRecordStoreOptions = {}) {
    this.clientID = options.clientID ?? random.uint32()
    this.name = options.name ?? randomId()
    this.mergeAfter = options.mergeAfter ?? MERGE_AFTER
    this.mergeIntoStateBytes = options.mergeIntoStateBytes
    this.refuseDocPath = options.refuseDocPath ?? false
  }

  /**
   * Replaces the state with the given stored updates (y-indexeddb rows, a relay snapshot). The
   * biggest is read directly and the others applied on top: merging them all first would cost
   * most of a second for a 14 MB document.
   */
  load(updates: readonly Uint8Array[]): void {
    this.recent = []
    this.recentBytes = 0
    this.pending = []
    let biggest = 0
    for (let k = 1; k < updates.length; k++) if (updates[k]!.byteLength > updates[biggest]!.byteLength) biggest = k
    const base = updates[biggest] ?? EMPTY_UPDATE
    const rest = updates.filter((_, k) => k !== biggest)
    const table = new RecordTable()
    const decoded = decodeUpdateV1(base, table)
    const loaded = loadRecordTable(decoded, table)
    if (!loaded) {
      this.state = EMPTY_UPDATE
      this.stateCovers = new Map()
      this.stateDeletes = EMPTY_UPDATE
      this.recent = [...updates]
      this.throughDoc(null)
      return
    }
    this.stats.directLoads++
    if (loaded.skipped.length) recordDoc.warnSkippedEntry(this.name, loaded.skipped.join(', '))
    this.table = loaded.table
    this.stateVector = new Map([...loaded.stateVector].map(([idx, clock]) => [table.clients[idx]!, clock]))
    this.state = base
    this.stateCovers = new Map(this.stateVector)
    this.stateDeletes = encodeDeleteSet(decoded.deletes, table.clients)
    // a load takes every stored update, refuseDocPath or not: it is what a refused copy is loaded again with
    if (rest.length) this.applyRemote(rest.length === 1 ? rest[0]! : Y.mergeUpdates(rest), false)
  }

  /**
   * The loaded state as plain, structured-clonable data: a store can be loaded in a worker
   * thread and its state posted to the thread that uses it (CompactRecordStore.adopt), so a
   * server's event loop never decodes a big document. Watches and pending undo items are not part of it.
   */
  exportState(): CompactStoreState {
    return {
      table: this.table, stateVector: this.stateVector, state: this.state, stateCovers: this.stateCovers, stateDeletes: this.stateDeletes,
      recent: this.recent, recentBytes: this.recentBytes, pending: this.pending,
    }
  }

  /** A store holding a state exportState made (on another thread): the state's objects are taken over, not copied. */
  static adopt(state: CompactStoreState, options: CompactRecordStoreOptions = {}): CompactRecordStore {
    const store = new CompactRecordStore(options)
    // structured clone keeps the table's data, not its class
    store.table = Object.setPrototypeOf(state.table, RecordTable.prototype) as RecordTable
    store.stateVector = state.stateVector
    store.state = state.state
    store.stateCovers = state.stateCovers
    store.stateDeletes = state.stateDeletes
    store.recent = state.recent
    store.recentBytes = state.recentBytes
    store.pending = state.pending
    return store
  }

  rows(): Row[] {
    const rows: Row[] = []
    for (let slot = 0; slot < this.table.size; slot++) if (this.table.isLive(slot)) rows.push(this.table.rows[slot]!)
    return rows
  }

  /** Every record including soft-deleted and not-yet-created ones, like readAllRows. */
  allRows(): Row[] {
    return [...this.table.rows]
  }

  count(): number {
    let n = 0
    for (let slot = 0; slot < this.table.size; slot++) if (this.table.isLive(slot)) n++
    return n
  }

  row(id: string): Row | undefined {
    const slot = this.table.ids.get(id)
    return slot === undefined ? undefined : this.table.rows[slot]
  }

  /** True while some received update waits for updates it depends on. */
  hasPending(): boolean {
    return this.pending.length > 0
  }

  /** The item of the record map `records[recordId]` holds now; null when it holds none. */
  recordMapId(recordId: string): ItemId | null {
    const slot = this.table.ids.get(recordId)
    if (slot === undefined) return null
    return { client: this.table.clients[this.table.recordClient(slot)]!, clock: this.table.recordClock(slot) }
  }

  /** The last item of a record's key and whether it still holds the key's value; null if never set. */
  lastItemId(recordId: string, key: string): { id: ItemId; live: boolean } | null {
    const slot = this.table.ids.get(recordId)
    const col = this.table.keys.get(key)
    if (slot === undefined || col === undefined) return null
    const signed = this.table.cellClient(slot, col)
    if (signed === 0) return null
    return { id: { client: this.table.clients[Math.abs(signed) - 1]!, clock: this.table.cellClock(slot, col) }, live: signed > 0 }
  }

  /**
   * Hands `watch` the key items of each remote update (winning or not) for the keys it wants, in
   * an order Yjs could have integrated them: undo histories place them among the items they know.
   */
  watchRemoteItems(watch: RemoteItemWatch): () => void {
    this.remoteItemWatches.add(watch)
    return () => this.remoteItemWatches.delete(watch)
  }

  private watching(): RemoteItemWatch[] {
    return [...this.remoteItemWatches].filter((w) => w.watching())
  }

  private reportRemoteItems(watches: RemoteItemWatch[], count: number, keyOf: (k: number) => [string, string], make: (k: number) => KeyItem): void {
    for (const watch of watches) {
      const mine: KeyItem[] = []
      for (let k = 0; k < count; k++) {
        const [recordId, key] = keyOf(k)
        if (watch.wants(recordId, key)) mine.push(make(k))
      }
      if (mine.length) watch.receive(mine)
    }
  }

  encodeStateVector(): Uint8Array {
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, this.stateVector.size)
    for (const [client, clock] of [...this.stateVector].sort((a, b) => b[0] - a[0])) {
      encoding.writeVarUint(e, client)
      encoding.writeVarUint(e, clock)
    }
    return encoding.toUint8Array(e)
  }

  /** Everything a peer with `targetStateVector` lacks (sync step 2), pending updates included. */
  encodeStateAsUpdate(targetStateVector?: Uint8Array): Uint8Array {
    // a peer that has every struct of the big merged state needs only its delete set from it
    const target = targetStateVector ? Y.decodeStateVector(targetStateVector) : null
    const coveredBy = (covers: ReadonlyMap<number, number>) => target !== null && [...covers].every(([client, clock]) => (target.get(client) ?? 0) >= clock)
    const parts = [coveredBy(this.stateCovers) ? this.stateDeletes : this.state]
    // so for the parts kept apart: a peer acknowledging an import's batches needs none of them
    // again, and merging them all to diff them away cost a second or more per answer
    for (const part of this.recent) {
      if (target === null || !coveredBy(partCovers(part))) parts.push(part)
      else if (!isEmptyUpdate(partDeletes(part))) parts.push(partDeletes(part))
    }
    parts.push(...this.pending)
    const merged = parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts)
    return targetStateVector ? Y.diffUpdate(merged, targetStateVector) : merged
  }

  /**
   * Applies a remote update; returns the live-row patch. Applying an update (or part of one) the
   * store already has changes nothing: Yjs skips the structs it knows and deletes stay deleted.
   */
  applyUpdate(update: Uint8Array): RowPatch {
    // a server's copy hears again of each update it wrote, once stored: a decode of it for nothing (~1 s per 100k imported records)
    if (this.isOwnWrite(update)) return { added: [], updated: [], removed: [] }
    return this.applyRemote(update, this.refuseDocPath)
  }

  /**
   * Whether `update` is one this store wrote (the same bytes): it has all of it and its deletes.
   * Holding only our structs is not enough — a peer's sync step 2 of them (sent on its reconnect
   * and forwarded) carries the peer's whole delete set, removals we may not have heard of yet.
   */
  private isOwnWrite(update: Uint8Array): boolean {
    const d = decoding.createDecoder(update)
    if (decoding.readVarUint(d) !== 1) return false
    decoding.readVarUint(d) // structs of the client
    const client = decoding.readVarUint(d)
    if (client !== this.clientID || decoding.readVarUint(d) >= (this.stateVector.get(client) ?? 0)) return false
    const k = this.ownWrites.findIndex((own) => sameBytes(own, update))
    if (k < 0) return false
    this.ownWriteBytes -= this.ownWrites[k]!.byteLength
    this.ownWrites.splice(k, 1)
    return true
  }

  /** Keeps `change`'s update to know it again (isOwnWrite): the newest OWN_WRITES_KEPT, ≤ OWN_WRITE_BYTES_KEPT bytes in all. */
  private own(change: LocalChange): LocalChange {
    const { update } = change
    if (update.byteLength > OWN_WRITE_BYTES_KEPT) return change
    this.ownWrites.push(update)
    this.ownWriteBytes += update.byteLength
    while (this.ownWrites.length > OWN_WRITES_KEPT || this.ownWriteBytes > OWN_WRITE_BYTES_KEPT) this.ownWriteBytes -= this.ownWrites.shift()!.byteLength
    return change
  }

  private applyRemote(update: Uint8Array, refuseDocPath: boolean): RowPatch {
    const first = this.applyDirect(update)
    if (first === 'viaDoc') {
      if (refuseDocPath) throw new DocPathRefusedError(`an update to ${this.name} needs the Y.Doc path`)
      return this.throughDoc(update)
    }
    if (first === 'waiting') {
      this.pending.push(update)
      if (this.pending.length > MAX_PENDING) this.pending = [Y.mergeUpdates(this.pending)]
      return { added: [], updated: [], removed: [] }
    }
    const patches = [first]
    // what we had to keep may be complete now, as Yjs retries its pending structs
    for (let progress = true; progress && this.pending.length;) {
      progress = false
      for (const p of [...this.pending]) {
        const result = this.applyDirect(p)
        if (result === 'waiting') continue
        if (result === 'viaDoc') {
          if (refuseDocPath) throw new DocPathRefusedError(`a pending update to ${this.name} needs the Y.Doc path`)
          return this.ownRows(mergePatches([...patches, this.throughDoc(null)]))
        }
        this.pending.splice(this.pending.indexOf(p), 1)
        patches.push(result)
        progress = true
      }
    }
    return patches.length === 1 ? first : this.ownRows(mergePatches(patches))
  }

  /** Applies an update without a Y.Doc when it only extends keys; leaves the state as is otherwise. */
  private applyDirect(update: Uint8Array): RowPatch | 'waiting' | 'viaDoc' {
    const diff = Y.diffUpdate(update, this.encodeStateVector())
    const watches = this.watching()
    const plan = this.newPlan(watches.length > 0)
    const planned = planRemoteUpdate(decodeUpdateV1(diff, this.table), plan)
    if (planned.kind !== 'direct') return planned.kind
    const patch = commitPlan(plan)
    if (watches.length) {
      const keyOf = (k: number): [string, string] => [this.table.rows[plan.items[k]!.slot]!.id, this.table.colKeys[plan.items[k]!.col]!]
      this.reportRemoteItems(watches, plan.items.length, keyOf, (k) => {
        const it = plan.items[k]!
        const after = it.leftClient === ORIGIN_UNKNOWN ? undefined : it.leftClient === ORIGIN_NONE ? null : { client: this.table.clients[it.leftClient]!, clock: it.leftClock }
        return { ...this.keyItem(it.slot, this.table.colKeys[it.col]!, it.client, it.clock, it.originClient, it.originClock), after }
      })
    }
    this.stats.directApplies++
    this.advance(plan)
    this.remember(diff)
    if (planned.impliedDeletes.length) this.remember(encodeUpdateV1(0, 0, [], planned.impliedDeletes))
    return patch
  }

  createRecord(values: Record<string, FieldValue>, opts: CreateRecordOptions): LocalChange {
    const id = opts.id ?? randomId()
    if (this.table.ids.has(id)) throw new recordDoc.RecordError(`Record "${id}" already exists`)
    if (this.table.deadIds.has(id)) {
      // the key has a removed map whose id we do not keep: let Yjs name it as the origin
      return this.localThroughDoc((doc) => { recordDoc.createRecord(doc, values, { ...opts, id }, null) })
    }
    const now = (opts.now ?? new Date()).toISOString()
    return this.localWrite((w) => {
      const slot = w.newRecord(id)
      w.set(slot, META_CREATED_BY, opts.createdBy)
      w.set(slot, META_CREATED_AT, now)
      for (const [fieldId, value] of Object.entries(values)) if (value !== null && value !== undefined) w.set(slot, fieldId, value)
    })
  }

  /**
   * Creates many records as ONE update (an import's batch), each as createRecord would: a server
   * that stores, forwards and derives history per update pays for one update instead of one per
   * record. Nothing is written when an id is taken. An id once removed by another client takes
   * createRecord's Y.Doc path on its own, merged in.
   */
  createRecords(records: readonly { id: string; values: Record<string, FieldValue> }[], opts: Omit<CreateRecordOptions, 'id'>): LocalChange {
    const seen = new Set<string>()
    for (const { id } of records) {
      if (this.table.ids.has(id) || seen.has(id)) throw new recordDoc.RecordError(`Record "${id}" already exists`)
      seen.add(id)
    }
    const now = (opts.now ?? new Date()).toISOString()
    const direct = records.filter((r) => !this.table.deadIds.has(r.id))
    const change = this.localWrite((w) => {
      for (const { id, values } of direct) {
        const slot = w.newRecord(id)
        w.set(slot, META_CREATED_BY, opts.createdBy)
        w.set(slot, META_CREATED_AT, now)
        for (const [fieldId, value] of Object.entries(values)) if (value !== null && value !== undefined) w.set(slot, fieldId, value)
      }
    })
    if (direct.length === records.length) return change
    const dead = records.filter((r) => this.table.deadIds.has(r.id))
    const parts = [change, ...dead.map((r) => this.createRecord(r.values, { ...opts, id: r.id }))]
    return this.own({
      update: Y.mergeUpdates(parts.map((p) => p.update)),
      patch: this.ownRows(mergePatches(parts.map((p) => p.patch))),
      written: parts.flatMap((p) => p.written),
      replaced: [],
    })
  }

  /** Sets cells in one update; `null` clears a cell (Y.Map delete). Each value set is stamped with `now` (editStamp.ts). */
  updateCells(changes: readonly CellChange[], now = new Date()): LocalChange {
    for (const c of changes) {
      this.slotOrThrow(c.recordId)
      if (c.fieldId.startsWith('$')) throw new recordDoc.RecordError(`"${c.fieldId}" is not a field`)
    }
    const at = now.toISOString()
    return this.localWrite((w) => {
      for (const { recordId, fieldId, value } of changes) {
        const slot = this.slotOrThrow(recordId)
        if (value === null || value === undefined) {
          // a removal is not stamped: a stamp item the cell lacks would lengthen the stamp key's
          // chain past the cell's, and racing writes that extend the cell could then no longer be
          // applied without a Y.Doc (its time: the record's other stamps in the update, else arrival)
          if (!w.has(slot, fieldId)) continue
          w.remove(slot, fieldId)
        } else if (!sameValue(w.get(slot, fieldId), value)) {
          w.stampEdit(slot, fieldId, at)
          w.set(slot, fieldId, value)
        }
      }
    })
  }

  /** Soft-deletes records, noting who (`deletedBy`, a member id) beside the time for the trash (recordDoc.deleteRecords). */
  deleteRecords(ids: readonly string[], now = new Date(), deletedBy?: string): LocalChange {
    const slots = ids.map((id) => this.slotOrThrow(id))
    return this.localWrite((w) => {
      for (const slot of slots) {
        w.stampEdit(slot, META_DELETED_AT, now.toISOString())
        w.set(slot, META_DELETED_AT, now.toISOString())
        if (deletedBy) w.set(slot, META_DELETED_BY, deletedBy)
      }
    })
  }

  restoreRecords(ids: readonly string[], now = new Date()): LocalChange {
    const slots = ids.map((id) => this.slotOrThrow(id))
    ids.forEach((id) => { if (this.row(id)?.purgedAt) throw new recordDoc.RecordError(`Record "${id}" was purged`) })
    return this.localWrite((w) => {
      for (const slot of slots) {
        w.remove(slot, META_DELETED_AT)
        w.remove(slot, META_DELETED_BY)
        if (!w.has(slot, META_CREATED_AT)) w.set(slot, META_CREATED_AT, now.toISOString())
      }
    })
  }

  /** Purges records for good in one update, as recordDoc.purgeRecords: every key but `$createdBy` removed, `$purgedAt` set. */
  purgeRecords(ids: readonly string[], now = new Date()): LocalChange {
    const slots = ids.map((id) => this.slotOrThrow(id))
    const keys = this.table.colKeys.filter((key) => key !== META_CREATED_BY)
    return this.localWrite((w) => {
      for (const slot of slots) {
        for (const key of keys) w.remove(slot, key)
        w.set(slot, META_PURGED_AT, now.toISOString())
      }
    })
  }

  /**
   * Sets or removes (`undefined`) any keys of existing records, `$` keys included, in one update,
   * even to the value a key holds: the low-level write an undo history needs.
   */
  writeKeys(changes: readonly KeyChange[]): LocalChange {
    const slots = changes.map((c) => this.slotOrThrow(c.recordId))
    const at = new Date().toISOString()
    return this.localWrite((w) => {
      changes.forEach(({ key, value }, k) => {
        // an undo or redo is an edit of its own time
        if (value !== undefined && !isEditStampKey(key)) w.stampEdit(slots[k]!, key, at)
        if (value === undefined) w.remove(slots[k]!, key)
        else w.set(slots[k]!, key, value)
      })
    })
  }

  /** A KeyItem from table indices (origin client: index, ORIGIN_NONE or ORIGIN_UNKNOWN). */
  private keyItem(slot: number, key: string, client: number, clock: number, originClient: number, originClock: number): KeyItem {
    const origin = originClient === ORIGIN_NONE ? null : originClient === ORIGIN_UNKNOWN ? undefined : { client: this.table.clients[originClient]!, clock: originClock }
    const map = { client: this.table.clients[this.table.recordClient(slot)]!, clock: this.table.recordClock(slot) }
    return { recordId: this.table.rows[slot]!.id, map, key, id: { client: this.table.clients[client]!, clock }, origin }
  }

  private slotOrThrow(id: string): number {
    const slot = this.table.ids.get(id)
    if (slot === undefined) throw new recordDoc.RecordError(`Unknown record "${id}"`)
    return slot
  }

  private newPlan(keepItems = true): TablePlan {
    return new TablePlan(this.table, (idx) => this.stateVector.get(this.table.clients[idx]!) ?? 0, keepItems)
  }

  private advance(plan: TablePlan): void {
    for (const [idx, clock] of plan.clocks) this.stateVector.set(this.table.clients[idx]!, clock)
  }

  /**
   * Keeps an applied update. Small ones are merged with each other; into the big merged state
   * only when asked (mergeIntoStateBytes, mergedState), because merging 14 MB takes most of a second.
   */
  private remember(update: Uint8Array): void {
    if (update.byteLength >= KEEP_APART_BYTES) {
      // A big update (an import's batch of records) is a part of its own, never merged again
      // with the others: merging the API copy's batches in tiers made one merge of megabytes
      // on the relay's event loop every few dozen batches.
      if (this.recentFresh > 0) this.mergeRecent()
      this.recentCounts = this.recent.map((_, k) => this.recentCounts[k] ?? 1)
      this.recent.push(update)
      this.recentCounts.push(1)
      this.recentBytes += update.byteLength
      this.mergeIntoStateIfDue()
      return
    }
    this.recent.push(update)
    this.recentBytes += update.byteLength
    if (++this.recentFresh < this.mergeAfter) return
    this.mergeRecent()
    this.mergeIntoStateIfDue()
  }

  /** Merges the fresh updates of `recent` with the older merged parts that hold no more updates than they do (see remember). */
  private mergeRecent(): void {
    // Tiers, as in an LSM tree: the newest updates merge with the older merged parts that hold
    // no more updates than they do together, so parts double going back and an update is merged
    // again O(log n) times. Merging the whole tail every `mergeAfter` updates re-merged megabytes
    // for each few hundred bytes written (the relay's API copy under 300 creates/s).
    // (`recent` is replaced elsewhere: parts without a count count as one update)
    const counts = this.recent.map((_, k) => this.recentCounts[k] ?? 1)
    if (this.recentCounts.length !== this.recent.length - this.recentFresh) counts.fill(1)
    let from = Math.max(0, this.recent.length - this.recentFresh)
    this.recentFresh = 0
    let updates = 0
    for (let k = from; k < counts.length; k++) updates += counts[k]!
    while (from > 0 && counts[from - 1]! <= updates && this.recent[from - 1]!.byteLength < KEEP_APART_BYTES) updates += counts[--from]!
    const merged = Y.mergeUpdates(this.recent.slice(from))
    this.recent = [...this.recent.slice(0, from), merged]
    this.recentCounts = [...counts.slice(0, from), updates]
    this.recentBytes = this.recent.reduce((n, u) => n + u.byteLength, 0)
  }

  private mergeIntoStateIfDue(): void {
    if (this.mergeIntoStateBytes !== undefined && this.recentBytes > this.mergeIntoStateBytes) this.mergeIntoState()
  }

  private mergeIntoState(): void {
    if (!this.recent.length) return
    this.state = Y.mergeUpdates([this.state, ...this.recent])
    this.stateCovers = new Map(this.stateVector)
    this.stateDeletes = Y.mergeUpdates([this.stateDeletes, ...this.recent.map(partDeletes)])
    this.recent = []
    this.recentCounts = []
    this.recentBytes = 0
  }

  /**
   * The whole document as one update, which the store keeps as its merged state from now on: what
   * a compaction of its storage writes. The parts kept apart until then are merged here once.
   */
  mergedState(): Uint8Array {
    this.mergeIntoState()
    return this.pending.length ? Y.mergeUpdates([this.state, ...this.pending]) : this.state
  }

  private localWrite(build: (w: LocalWriter) => void): LocalChange {
    const plan = this.newPlan()
    const me = this.table.indexOf(this.clientID)
    const start = plan.nextClock(me)
    const writer = new LocalWriter(plan, me, start)
    build(writer)
    const items = writer.items
    if (items.length) plan.clocks.set(me, start + items.length)
    const update = encodeUpdateV1(this.clientID, start, items, writer.deletes.map((d) => ({ ...d, client: this.table.clients[d.client]! })))
    const patch = commitPlan(plan)
    this.advance(plan)
    this.remember(update)
    const written = writer.written.map((it) => this.keyItem(it.slot, it.key, it.client, it.clock, it.originClient, it.originClock))
    const replaced = writer.replaced.map((it) => ({ ...this.keyItem(it.slot, it.key, it.client, it.clock, it.originClient, it.originClock), value: it.value }))
    return this.own({ update, patch, written, replaced })
  }

  /** A local operation run by recordDoc on a transient Y.Doc (rare cases only). */
  private localThroughDoc(run: (doc: Y.Doc) => void): LocalChange {
    const doc = this.docFromState()
    doc.clientID = this.clientID
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    let before = new Map<number, number>()
    const patch = this.observed(doc, () => {
      for (const p of this.pending) Y.applyUpdate(doc, p)
      before = Y.decodeStateVector(Y.encodeStateVector(doc))
      run(doc)
    })
    // only its own creates come this way: fresh record maps, nothing replaced
    const written = keyItemsSince(doc, before).filter((it) => it.id.client === this.clientID)
    this.adoptDoc(doc)
    return this.own({ update: Y.mergeUpdates(updates), patch: this.ownRows(patch), written, replaced: [] })
  }

  /** A Y.Doc holding what this store has integrated (not the pending updates). */
  private docFromState(): Y.Doc {
    this.stats.docPaths++
    // the same guid each time, so entries outside the layout are warned about once per document
    const doc = new Y.Doc({ guid: this.name })
    doc.transact(() => {
      for (const u of [this.state, ...this.recent]) Y.applyUpdate(doc, u)
    })
    return doc
  }

  /** The live-row patch of `change` on `doc`, relative to the rows this store shows now. */
  private observed(doc: Y.Doc, change: () => void): RowPatch {
    const patches: RowPatch[] = []
    const stop = recordDoc.observeRows(doc, (p) => patches.push(p))
    change()
    stop()
    return mergePatches(patches)
  }

  /** The correct path for anything the direct one does not handle: Yjs itself, then drop it. */
  private throughDoc(update: Uint8Array | null): RowPatch {
    const doc = this.docFromState()
    const before = Y.decodeStateVector(Y.encodeStateVector(doc))
    // pending updates may turn out to be complete once in a fresh doc: report what they show
    const patch = this.observed(doc, () => doc.transact(() => {
      for (const p of this.pending) Y.applyUpdate(doc, p)
      if (update) Y.applyUpdate(doc, update)
    }))
    const watches = this.watching()
    if (watches.length) {
      const items = keyItemsSince(doc, before)
      this.reportRemoteItems(watches, items.length, (k) => [items[k]!.recordId, items[k]!.key], (k) => items[k]!)
    }
    this.adoptDoc(doc)
    return this.ownRows(patch)
  }

  /** Rebuilds the compact state from a Y.Doc, including its pending updates. */
  private adoptDoc(doc: Y.Doc): void {
    const table = new RecordTable()
    recordDoc.recordsOf(doc)._map.forEach((item, id) => {
      const type = item.content instanceof Y.ContentType ? item.content.type : null
      if (item.deleted || !(type instanceof Y.Map)) { table.deadIds.add(id); return }
      const slot = table.addRecord(id, table.indexOf(item.id.client), item.id.clock)
      type._map.forEach((field, key) => {
        const last = field.lastId
        const signed = table.indexOf(last.client) + 1
        const origin = field.length > 1 ? { client: last.client, clock: last.clock - 1 } : field.origin
        const originClient = field.rightOrigin ? ORIGIN_UNKNOWN : origin ? table.indexOf(origin.client) : ORIGIN_NONE
        table.setCell(slot, table.col(key), field.deleted ? -signed : signed, last.clock, originClient, origin?.clock ?? 0)
      })
      table.rows[slot] = recordDoc.readRow(doc, id)!
    })
    table.rebuildIndex()
    table.trim()
    this.table = table
    this.stateVector = Y.decodeStateVector(Y.encodeStateVector(doc))
    const store = doc.store
    const pendingStructs = store.pendingStructs
    const pendingDs = store.pendingDs
    store.pendingStructs = null
    store.pendingDs = null
    this.state = Y.encodeStateAsUpdate(doc)
    this.stateCovers = new Map(this.stateVector)
    // with its own state vector as the target, yjs writes no structs: the delete set alone
    this.stateDeletes = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc))
    this.recent = []
    this.recentBytes = 0
    this.pending = []
    if (pendingStructs) this.pending.push(Y.convertUpdateFormatV2ToV1(pendingStructs.update))
    if (pendingDs) this.pending.push(Y.convertUpdateFormatV2ToV1(pendingDs))
    doc.destroy()
  }

  /** The patch with this store's own row objects. */
  private ownRows(patch: RowPatch): RowPatch {
    return {
      added: patch.added.map((r) => this.row(r.id)!),
      updated: patch.updated.map((r) => this.row(r.id)!),
      removed: patch.removed,
    }
  }
}

/** Key items of record maps integrated after `before`, per key in list order (so each follows its origin). */
function keyItemsSince(doc: Y.Doc, before: Map<number, number>): KeyItem[] {
  const records = recordsOfDoc(doc)
  const keys = new Map<Y.Item, Set<Y.Item>>()
  doc.store.clients.forEach((structs, client) => {
    const from = before.get(client) ?? 0
    for (let k = structs.length - 1; k >= 0 && structs[k]!.id.clock + structs[k]!.length > from; k--) {
      const item = structs[k]
      if (!(item instanceof Y.Item) || item.parentSub === null) continue
      const parentItem = (item.parent as Y.AbstractType<unknown>)._item
      if (!parentItem || parentItem.parent !== records || parentItem.parentSub === null) continue
      // the key's first item, so every new one is visited left to right
      let head: Y.Item = item
      while (head.left) head = head.left
      let set = keys.get(head)
      if (!set) keys.set(head, (set = new Set()))
      set.add(item)
    }
  })
  const items: KeyItem[] = []
  for (const [head, fresh] of keys) {
    const mapItem = (head.parent as Y.AbstractType<unknown>)._item!
    const recordId = mapItem.parentSub!
    const map = { client: mapItem.id.client, clock: mapItem.id.clock }
    for (let it: Y.Item | null = head; it; it = it.right) {
      if (!fresh.has(it)) continue
      // a merged run of a key's items: each element follows the one before it
      for (let n = 0; n < it.length; n++) {
        const clock = it.id.clock + n
        const origin = n > 0 ? { client: it.id.client, clock: clock - 1 } : it.rightOrigin ? undefined : it.origin
        const after = n > 0 ? { client: it.id.client, clock: clock - 1 } : it.left ? it.left.lastId : null
        if (clock >= (before.get(it.id.client) ?? 0)) items.push({ recordId, map, key: it.parentSub!, id: { client: it.id.client, clock }, origin, after })
      }
    }
  }
  return items
}

function recordsOfDoc(doc: Y.Doc): Y.AbstractType<unknown> {
  return recordDoc.recordsOf(doc) as unknown as Y.AbstractType<unknown>
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  return JSON.stringify(a) === JSON.stringify(b)
}
