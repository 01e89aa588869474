import * as Y from 'yjs'
import type { RelayLogger } from '../relayLogger'
import type { RelayStorage } from '../storage/relayStorage'
import { inspectUpdate, type UpdateInspection } from './inspectUpdate'
import { RoomAwareness } from './roomAwareness'
import { UpdateCoverage } from './updateCoverage'

/** Anything in a room that can receive a message. */
export interface RoomPeer {
  send(message: Uint8Array): void
}

export interface SyncRoomOptions {
  storage: RelayStorage
  logger: RelayLogger
  /** Rewrite the stored log as one row once it has more rows than this. */
  compactAfterRows: number
}

/** An update with no structs and no deletions. */
const EMPTY_UPDATE = new Uint8Array([0, 0])

/**
 * One document's live state on the relay, without a Y.Doc: the stored log held as one merged
 * update plus the updates appended since (the tail), and what that content covers. Updates are
 * merged lazily — when a client needs a sync step 2 or the log is compacted — so storing and
 * forwarding an edit never touches the whole document.
 */
export class SyncRoom {
  readonly peers = new Set<RoomPeer>()
  readonly awareness = new RoomAwareness()
  private merged: Uint8Array | null
  private tail: Uint8Array[]
  private readonly coverage: UpdateCoverage
  private storedRows: number
  private lastSeq: number
  private compactionTimer: NodeJS.Timeout | null = null
  private compactionRetryAt = 0

  private constructor(
    readonly name: string,
    private readonly options: SyncRoomOptions,
  ) {
    const rows = options.storage.loadDocument(name)
    this.lastSeq = options.storage.lastSeq(name)
    this.storedRows = rows.length
    this.merged = rows[0] ?? null
    this.tail = rows.slice(1)
    this.coverage = new UpdateCoverage(this.merged ? Y.decodeStateVector(Y.encodeStateVectorFromUpdate(this.merged)) : new Map())
    for (const update of this.tail) this.coverage.add(inspectUpdate(update))
    if (this.storedRows > options.compactAfterRows) this.scheduleCompaction()
  }

  /** Reads the document's log from storage. */
  static load(name: string, options: SyncRoomOptions): SyncRoom {
    return new SyncRoom(name, options)
  }

  /** Our state vector, Yjs-encoded: sent as sync step 1 on connect and as the acknowledgement. */
  stateVector(): Uint8Array {
    return this.coverage.encodedStateVector()
  }

  /** Everything the client (with this state vector) lacks, as one update for sync step 2. */
  missingFor(stateVector: Uint8Array, clocks: ReadonlyMap<number, number>): Uint8Array {
    const merged = this.mergeTail()
    if (!merged) return EMPTY_UPDATE
    // A client that has nothing of ours gets the stored bytes as they are: no re-encoding.
    const knowsNothing = [...this.coverage.stateVector()].every(([client]) => (clocks.get(client) ?? 0) === 0)
    return knowsNothing ? merged : Y.diffUpdate(merged, stateVector)
  }

  /** True when the update holds something not stored yet (sync step 2 replies often do not). */
  isNew(inspection: UpdateInspection): boolean {
    return this.coverage.addsSomething(inspection)
  }

  /** Appends the update to storage (durable when this returns) and to the in-memory tail. */
  store(update: Uint8Array, inspection: UpdateInspection): number {
    const copy = update.slice()
    const seq = this.options.storage.appendUpdate(this.name, copy)
    this.lastSeq = seq
    this.storedRows++
    this.tail.push(copy)
    this.coverage.add(inspection)
    if (this.storedRows > this.options.compactAfterRows) this.scheduleCompaction()
    return seq
  }

  broadcast(message: Uint8Array, except?: RoomPeer): void {
    for (const peer of this.peers) if (peer !== except) peer.send(message)
  }

  /** Merges the log into one stored row. Runs from a timer, never while handling a message. */
  compact(): void {
    this.cancelCompaction()
    if (this.storedRows <= 1) return
    const started = performance.now()
    const rows = this.storedRows
    const merged = this.mergeTail()
    if (!merged) return
    this.options.storage.compact(this.name, merged, this.lastSeq)
    this.storedRows = 1
    const ms = performance.now() - started
    if (ms > 100) this.options.logger.info(`compacted "${this.name}": ${rows} rows → 1 (${merged.byteLength} bytes) in ${ms.toFixed(0)} ms`)
  }

  /** Stops timers; compacts first when the log has grown. */
  dispose(): void {
    try {
      if (this.storedRows > 1) this.compact()
    } catch (error) {
      this.options.logger.error(`compaction of "${this.name}" failed: ${(error as Error).message}`)
    }
    this.cancelCompaction()
  }

  private mergeTail(): Uint8Array | null {
    if (this.tail.length > 0) {
      this.merged = Y.mergeUpdates(this.merged ? [this.merged, ...this.tail] : this.tail)
      this.tail = []
    }
    return this.merged
  }

  private scheduleCompaction(): void {
    if (this.compactionTimer || Date.now() < this.compactionRetryAt) return
    this.compactionTimer = setTimeout(() => {
      this.compactionTimer = null
      try {
        this.compact()
      } catch (error) {
        // Keep serving from the log; try again later rather than on every update.
        this.compactionRetryAt = Date.now() + 60_000
        this.options.logger.error(`compaction of "${this.name}" failed (retry in 60 s): ${(error as Error).message}`)
      }
    }, 50)
    this.compactionTimer.unref()
  }

  private cancelCompaction(): void {
    if (this.compactionTimer) clearTimeout(this.compactionTimer)
    this.compactionTimer = null
  }
}
