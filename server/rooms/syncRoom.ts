import * as Y from 'yjs'
import type { RelayLogger } from '../relayLogger'
import type { DocumentWriter } from '../storage/documentWriter'
import type { RelayStorage } from '../storage/relayStorage'
import { diffStep2, fromWire, mergeDocument, prepareDocument, type BaseWire, type PreparedDocument } from './documentOps'
import type { CompactionQueue } from './compactionQueue'
import type { DocWorkerPool } from './docWorkerPool'
import { encodeSyncStep2 } from './encodeServerMessage'
import type { FramedUpdate } from './frameMessage'
import { unpackInspection, type UpdateInspection } from './inspectUpdate'
import { packedTransfer, packUpdates } from './packedUpdates'
import { RoomAwareness } from './roomAwareness'
import { UpdateCoverage } from './updateCoverage'
import { layoutKindOf, LayoutGuard } from './layout/layoutGuard'
import { MessageSlab } from './messageSlab'
import { schemaFieldTypesOf } from './layout/schemaFieldTypes'

/** Anything in a room that can receive a message. */
export interface RoomPeer {
  send(message: Uint8Array): void
}

/**
 * How much work the main thread may do itself. Above these sizes the work goes to a document
 * worker: the event loop answers every client of every room and must not stall for one
 * document (decoding 1 MB of Yjs update takes ~75 ms here).
 */
export interface MainThreadLimits {
  /** Incoming updates up to this size are validated and stored on the main thread. */
  updateBytes: number
  /** Documents whose stored log is at most this big are loaded on the main thread. */
  loadBytes: number
  /** Diffs and compactions of documents at most this big run on the main thread. */
  mergeBytes: number
}

export const DEFAULT_MAIN_THREAD_LIMITS: MainThreadLimits = { updateBytes: 16 * 1024, loadBytes: 512 * 1024, mergeBytes: 8 * 1024 }

export interface SyncRoomOptions {
  /** Read from here (this thread for small documents, a worker for big ones)… */
  storage: RelayStorage
  /** …and written through this, in order. */
  writer: DocumentWriter
  logger: RelayLogger
  pool: DocWorkerPool
  /** Rewrite the stored log as one row once it has more rows than this (see needsCompaction). */
  compactAfterRows: number
  limits?: MainThreadLimits
  /** Shared by a server's rooms so that their compactions run one at a time. */
  compactions?: CompactionQueue
}

/** An update with no structs and no deletions, as sync step 2. */
const EMPTY_STEP2 = encodeSyncStep2(new Uint8Array([0, 0]))

/** An update stored after the base row: its seq and the sync update message that carries it. */
interface TailEntry extends FramedUpdate {
  seq: number
}

interface Base extends FramedUpdate {
  seq: number
  stateVector: Uint8Array
  /** The clients the base has anything of (from its state vector). */
  clients: number[]
}

function toBase(wire: BaseWire): Base {
  const step2 = fromWire(wire.step2)
  return { seq: wire.seq, ...step2, stateVector: wire.stateVector, clients: [...Y.decodeStateVector(wire.stateVector).keys()] }
}

/**
 * One document's live state on the relay, without a Y.Doc: the stored log as a base (the
 * compacted row, framed once as the sync step 2 a fresh client gets as is, with its stored state
 * vector) plus the rows appended since (the tail), and what that content covers. Loading,
 * diffing and compacting big documents runs in a worker; storing and forwarding an edit never
 * touches the whole document.
 */
export class SyncRoom {
  readonly peers = new Set<RoomPeer>()
  readonly awareness = new RoomAwareness()
  /** Resolves once the stored log is loaded; rejects when it could not be. */
  readonly ready: Promise<void>
  /** Connections in the room or waiting for it to load; a room with none is idle. */
  users = 0
  /** When the room was last left (for evicting the least recently used idle room). */
  lastUsed = Date.now()
  /** Updates handed to the writer and not reported written yet (the room is not evicted meanwhile). */
  pendingWrites = 0
  /** Checks incoming updates against the document's layout; null for documents without one. */
  readonly layout: LayoutGuard | null
  private loaded = false
  private base: Base | null = null
  private tail: TailEntry[] = []
  private tailBytes = 0
  /** Where the small updates this room keeps are copied to (see MessageSlab). */
  private readonly slab = new MessageSlab()
  private coverage = new UpdateCoverage()
  private storedRows = 0
  private lastSeq = 0
  private compaction: Promise<void> | null = null
  private compactionTimer: NodeJS.Timeout | null = null
  private compactionRetryAt = 0
  private disposed = false
  private readonly limits: MainThreadLimits
  /** This room's row limit: compactAfterRows plus up to a quarter, so rooms edited alike do not all compact at once. */
  private readonly rowLimit: number

  private constructor(
    readonly name: string,
    private readonly options: SyncRoomOptions,
    after: Promise<unknown> | undefined,
  ) {
    this.limits = options.limits ?? DEFAULT_MAIN_THREAD_LIMITS
    this.rowLimit = Math.round(options.compactAfterRows * (1 + Math.random() / 4))
    const layoutKind = layoutKindOf(name)
    this.layout = layoutKind ? new LayoutGuard(layoutKind, schemaFieldTypesOf(options.storage, options.logger)) : null
    this.ready = this.load(after)
    // Whoever waits for the room sees the error; an unobserved failure must not crash the process.
    this.ready.catch(() => {})
  }

  /** Starts loading the document (after `after`, e.g. the compaction of an evicted copy). */
  static open(name: string, options: SyncRoomOptions, after?: Promise<unknown>): SyncRoom {
    return new SyncRoom(name, options, after)
  }

  /** Opens the room and waits until it is loaded. */
  static async load(name: string, options: SyncRoomOptions): Promise<SyncRoom> {
    const room = SyncRoom.open(name, options)
    await room.ready
    return room
  }

  get isLoaded(): boolean {
    return this.loaded
  }

  /** Bytes this room holds in memory: its base and tail updates. */
  memoryBytes(): number {
    return (this.base?.message.byteLength ?? 0) + this.tailBytes
  }

  /** Rows the stored log has (1 after compaction). */
  rowCount(): number {
    return this.storedRows
  }

  private async load(after: Promise<unknown> | undefined): Promise<void> {
    await after?.catch(() => {})
    const { storage, pool, writer, logger } = this.options
    // Rows this process wrote may still be on their way into storage (see sqliteDocumentWriter).
    await writer.settled(this.name)
    const size = storage.documentSize(this.name)
    let prepared: PreparedDocument & { lastSeq: number; layoutIndex?: Float64Array }
    let storedUpdates: Uint8Array[] | null = null
    const layout = this.layout?.layoutKind.kind ?? null
    if (size.bytes <= this.limits.loadBytes) {
      const rows = storage.loadRows(this.name)
      prepared = { ...prepareDocument(rows), lastSeq: rows.at(-1)?.seq ?? 0 }
      storedUpdates = rows.map((row) => row.update)
    } else if (storage.file) {
      // The worker reads the rows itself: the big blobs never pass through this thread.
      prepared = await pool.run({ kind: 'load', name: this.name, file: storage.file, rows: null, layout })
    } else {
      prepared = await pool.run({ kind: 'load', name: this.name, file: null, rows: storage.loadRows(this.name), layout })
    }
    const computed = prepared.base && prepared.computedStateVector ? prepared.base : null
    // Computed once, then kept beside the row; a failure only means computing it again next time.
    if (computed) writer.storeStateVector(this.name, computed.seq, computed.stateVector).catch((error: unknown) => logger.warn(`keeping the state vector of "${this.name}" failed: ${(error as Error).message}`))
    this.base = prepared.base ? toBase(prepared.base) : null
    this.coverage = new UpdateCoverage(this.base ? Y.decodeStateVector(this.base.stateVector) : new Map())
    for (const row of prepared.tail) {
      this.pushTail({ seq: row.seq, ...fromWire(row.message) })
      this.coverage.add(unpackInspection(row.inspection))
    }
    this.storedRows = (this.base ? 1 : 0) + this.tail.length
    this.lastSeq = prepared.lastSeq
    if (this.layout && storedUpdates) this.layout.build(storedUpdates, this.coverage.stateVector())
    else if (this.layout && prepared.layoutIndex) this.layout.adopt(prepared.layoutIndex, this.coverage.stateVector())
    this.loaded = true
    if (this.needsCompaction()) this.scheduleCompaction()
  }

  /** Our state vector, Yjs-encoded: sent as sync step 1 on connect and as the acknowledgement. */
  stateVector(): Uint8Array {
    return this.coverage.encodedStateVector()
  }

  /**
   * The messages that answer a client's sync step 1: the tail updates, then the base as sync
   * step 2 (so the client's "synced" means it has everything). A client that has nothing of
   * the base gets the stored bytes as they are; others get a diff, computed in a worker when
   * the base is big (then the answer is a promise).
   */
  answerSyncStep1(stateVector: Uint8Array, clocks: ReadonlyMap<number, number>): Uint8Array[] | Promise<Uint8Array[]> {
    const messages = this.tail.map((entry) => entry.message)
    const base = this.base
    if (!base) return [...messages, EMPTY_STEP2]
    if (base.clients.every((client) => (clocks.get(client) ?? 0) === 0)) return [...messages, base.message]
    if (base.update.byteLength <= this.limits.mergeBytes) return [...messages, diffStep2(base.update, stateVector).message]
    return this.options.pool.run({ kind: 'diff', update: base.update, stateVector }).then((step2) => [...messages, step2.message])
  }

  /** A copy of an incoming message for the room to keep (the socket's buffer may be much bigger). */
  keepCopy(message: Uint8Array): Uint8Array {
    return this.slab.copy(message)
  }

  /** True when the update holds something not stored yet (sync step 2 replies often do not). */
  isNew(inspection: UpdateInspection): boolean {
    return this.coverage.addsSomething(inspection)
  }

  /** Stores one update and keeps it (resolves once durable): for callers that do not batch. */
  async store(update: Uint8Array, inspection: UpdateInspection, message: Uint8Array): Promise<number> {
    const copy = update.slice()
    this.pendingWrites++
    try {
      const [seq] = await this.options.writer.append([{ name: this.name, update: copy }])
      this.applyStored({ seq: seq as number, message, update: copy }, inspection)
      return seq as number
    } finally {
      this.pendingWrites--
    }
  }

  /** Keeps an update that storage has durably written (as row `seq`). */
  applyStored(entry: TailEntry, inspection: UpdateInspection): void {
    this.lastSeq = Math.max(this.lastSeq, entry.seq)
    this.storedRows++
    this.pushTail(entry)
    this.coverage.add(inspection)
    this.layout?.stored()
    if (this.needsCompaction()) this.scheduleCompaction()
  }

  broadcast(message: Uint8Array, except?: RoomPeer): void {
    for (const peer of this.peers) if (peer !== except) peer.send(message)
  }

  /**
   * Merges the log into one stored row, with its state vector. Runs from a timer, never while
   * handling a message; big documents are merged and written by a worker.
   */
  compact(): Promise<void> {
    this.cancelCompaction()
    const run = () => this.runCompaction()
    this.compaction ??= (this.options.compactions ? this.options.compactions.run(run) : run()).then(
      () => {
        this.compaction = null
        if (this.needsCompaction()) this.scheduleCompaction()
      },
      (error: unknown) => {
        this.compaction = null
        throw error
      },
    )
    return this.compaction
  }

  private async runCompaction(): Promise<void> {
    if (this.storedRows <= 1 || !this.loaded) return
    // Every row with a seq ≤ upToSeq is in base and tail: rows the writer commits later get
    // higher seqs, and the compaction is written after them (the writer keeps order).
    const started = performance.now()
    const { writer, pool } = this.options
    const base = this.base
    const tail = this.tail.slice()
    const upToSeq = this.lastSeq
    const rows = this.storedRows
    const bytes = (base?.update.byteLength ?? 0) + this.tailBytes
    let merged: BaseWire
    if (bytes <= this.limits.mergeBytes) {
      const done = mergeDocument(base?.update ?? null, tail.map((entry) => entry.update))
      merged = { seq: upToSeq, step2: done.step2, stateVector: done.stateVector }
    } else {
      const packed = packUpdates(tail.map((entry) => entry.update))
      merged = await pool.run({ kind: 'merge', base: base?.update ?? null, tail: packed, upToSeq }, packedTransfer(packed))
    }
    await writer.compact(this.name, fromWire(merged.step2).update, upToSeq, merged.stateVector)
    // Rows stored while the worker merged stay in the tail.
    this.base = toBase(merged)
    const kept = this.tail.filter((entry) => entry.seq > upToSeq)
    this.tail = []
    this.tailBytes = 0
    for (const entry of kept) this.pushTail(entry)
    this.storedRows = 1 + kept.length
    const ms = performance.now() - started
    if (ms > 100) this.options.logger.info(`compacted "${this.name}": ${rows} rows → 1 (${merged.step2.payloadLength} bytes) in ${ms.toFixed(0)} ms`)
  }

  /** Stops timers; compacts first when the log has grown. */
  async dispose(): Promise<void> {
    this.disposed = true
    this.cancelCompaction()
    try {
      await this.compaction
      if (this.storedRows > 1) await this.compact()
    } catch (error) {
      this.options.logger.error(`compaction of "${this.name}" failed: ${(error as Error).message}`)
    }
    this.cancelCompaction()
  }

  /**
   * Compact once the log is longer than the row limit, and — for a big base — once the tail is
   * worth rewriting the base for (an eighth of it, or five times the row limit): merging 18 MB takes seconds of a
   * worker's time and must not happen every few hundred edits.
   */
  private needsCompaction(): boolean {
    if (this.storedRows <= this.rowLimit) return false
    return this.tailBytes * 8 >= (this.base?.update.byteLength ?? 0) || this.storedRows > this.rowLimit * 5
  }

  private pushTail(entry: TailEntry): void {
    this.tail.push(entry)
    this.tailBytes += entry.message.byteLength
  }

  private scheduleCompaction(delayMs = 50): void {
    if (this.compactionTimer || this.compaction || this.disposed || Date.now() < this.compactionRetryAt) return
    this.compactionTimer = setTimeout(() => {
      this.compactionTimer = null
      this.compact().catch((error: unknown) => {
        // Keep serving from the log; try again later rather than on every update.
        this.compactionRetryAt = Date.now() + 60_000
        this.options.logger.error(`compaction of "${this.name}" failed (retry in 60 s): ${(error as Error).message}`)
      })
    }, delayMs)
    this.compactionTimer.unref()
  }

  private cancelCompaction(): void {
    if (this.compactionTimer) clearTimeout(this.compactionTimer)
    this.compactionTimer = null
  }
}
