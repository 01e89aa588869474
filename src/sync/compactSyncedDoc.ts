import * as Y from 'yjs'
import { CompactRecordStore, type LocalChange } from '../crdt/compactRecordStore'
import { splitUpdate } from '../crdt/splitUpdate'
import type { CellChange, CreateRecordOptions } from '../crdt/recordDoc'
import type { FieldValue, RowPatch } from '../domain/schema'
import { encodeAwarenessHeartbeat, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate, readRelayMessage } from './relayMessage'
import type { DocSyncStatus, SyncedDocOptions } from './syncedDoc'
import { deriveSyncStatus } from './deriveSyncStatus'
import { loadVectors, rememberServerVector } from './syncVectors'
import { UpdateLog } from './updateLog'
import { UploadInPieces } from './uploadInPieces'

export interface CompactSyncedDocOptions extends SyncedDocOptions {
  /** WebSocket implementation (`ws` in Node); globalThis.WebSocket by default. */
  WebSocket?: typeof globalThis.WebSocket
  /** IndexedDB factory; globalThis.indexedDB by default. */
  indexedDB?: IDBFactory
  /** The store to fill; a new one by default. Its state is replaced by the stored updates. */
  store?: CompactRecordStore
  /** Stored updates that trigger a compaction into one row (500, as y-indexeddb). */
  compactAfter?: number
  /** Delay before that compaction, off the editing path (1000 ms, as y-indexeddb). */
  compactDelayMs?: number
  /** Longest wait between reconnection attempts (2000 ms). */
  maxBackoffMs?: number
  /**
   * How often to prove the connection alive (15000 ms, y-websocket's awareness renewal); a
   * connection silent for twice as long is closed and reopened, like y-websocket's 30 s watchdog.
   */
  heartbeatMs?: number
  /** What the relay lacks goes in pieces of about this many bytes when it is more (UPLOAD_PIECE_BYTES). */
  uploadPieceBytes?: number
  /** Bytes of those pieces out and not yet acknowledged before the next waits (4 MiB). */
  uploadWindowBytes?: number
}

/** A local edit: the rows it changed, and when its update is durable in IndexedDB. */
export interface CompactEdit {
  patch: RowPatch
  /** Resolves once the update's IndexedDB transaction committed. */
  stored: Promise<void>
}

export type RowListener = (patch: RowPatch, local: boolean) => void

const EMPTY_UPDATE = new Uint8Array([0, 0])
/** Our own code for a connection the watchdog gave up on: not a refusal, so we reconnect. */
const CLOSE_SILENT = 4000
/**
 * Unconfirmed changes past this size (an import made offline) reach the relay in pieces: one
 * sync step 2 of 13 MiB (50k contacts) held the relay's event loop ~0.4 s and showed no progress
 * until all of it was acknowledged. About an online import batch (1000 contacts ≈ 260 KiB),
 * which the relay handles without a stall; above its 16 KiB, a document worker checks each.
 */
export const UPLOAD_PIECE_BYTES = 256 * 1024
/** Unacknowledged bytes of an upload: the relay acknowledges at most once a second and lets a connection 8 MiB/s. */
const UPLOAD_WINDOW_BYTES = 4 * 1024 * 1024
const UPLOAD_STALL_MS = 5000

/**
 * SyncedDoc's job for an entity document held in a CompactRecordStore, with no Y.Doc: the
 * updates live in IndexedDB in y-indexeddb's format, and the stock y-websocket protocol runs
 * directly on a WebSocket. The relay answers every batch of our updates with its state vector
 * (a sync step 1): `pending` counts local changes not covered by the last one.
 */
export class CompactSyncedDoc {
  readonly store: CompactRecordStore
  /** Resolves when the locally stored state is loaded (rejects if IndexedDB cannot be opened). */
  readonly whenLocal: Promise<void>
  /** Resolves when the relay has sent what this browser lacked (the first complete sync). */
  readonly whenSynced: Promise<void>
  private log: UpdateLog | null = null
  private ws: WebSocket | null = null
  private epoch: string | null | undefined
  private wsState: 'closed' | 'connecting' | 'open' = 'closed'
  /** A sync step 2 arrived on the current connection. */
  private synced = false
  /** We answered a sync step 1 on the current connection. */
  private answeredStep1 = false
  /** Our state vector, and the relay's, when its last step 1 came on the current connection (see receive). */
  private vectorAtLastStep1: Map<number, number> | null = null
  private relayAtLastStep1: Map<number, number> | null = null
  /** Updates held until the first step 2 while the store is empty (see finishInitialSync). */
  private initialSync: Uint8Array[] | null = null
  private failedConnects = 0
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null
  private heartbeat: ReturnType<typeof setInterval> | null = null
  private heartbeatClock = 0
  private lastMessageAt = 0
  private compactTimer: ReturnType<typeof setTimeout> | null = null
  private compacting: Promise<void> | null = null
  private outbox: Uint8Array[] = []
  /** What the relay lacked when it asked, going out in pieces on the current connection. */
  private upload: UploadInPieces | null = null
  private serverVector: Map<number, number> | null = null
  /**
   * Yjs client ids this browser has written with, oldest session first once the stored ones are
   * read (an upload in pieces sends them in this order: a newer session's edits hang off an older one's).
   */
  private ownClients: Set<number>
  private status: DocSyncStatus = { state: 'connecting', pending: 0 }
  private listeners = new Set<(s: DocSyncStatus) => void>()
  private rowListeners = new Set<RowListener>()
  private loaded = false
  private destroyed = false
  private wantOnline: boolean
  private resolveSynced: () => void = () => {}

  constructor(readonly options: CompactSyncedDocOptions) {
    this.epoch = options.epoch
    this.store = options.store ?? new CompactRecordStore({ name: options.name })
    this.ownClients = new Set([this.store.clientID])
    void loadVectors(options, this.store.clientID).then(({ serverVector, ownClients }) => {
      if (!this.serverVector) this.serverVector = serverVector
      // the stored ids (this session's last) first, then any added meanwhile
      this.ownClients = new Set([...ownClients, ...this.ownClients])
      this.recompute()
    }, (err: unknown) => console.warn('kanso: could not load the sync vectors', err))
    this.wantOnline = typeof navigator === 'undefined' || navigator.onLine !== false
    this.whenSynced = new Promise((resolve) => { this.resolveSynced = resolve })
    this.whenLocal = this.loadLocal()
  }

  // Connect only once the stored state is loaded: then our first sync step 1 carries the full
  // state vector, so the relay sends only what we lack.
  private async loadLocal(): Promise<void> {
    const log = await UpdateLog.open(`${this.options.storePrefix}${this.options.name}`, this.options.indexedDB ?? indexedDB)
    if (this.destroyed) { log.close(); return }
    this.log = log
    const updates = await log.load()
    if (this.destroyed) return
    this.store.load(updates)
    this.loaded = true
    this.scheduleCompaction()
    if (this.wantOnline) this.connect()
    this.recompute()
  }

  getStatus(): DocSyncStatus {
    return this.status
  }

  onStatus(listener: (s: DocSyncStatus) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Row patches of remote updates (non-empty ones) and of this object's local edits. */
  onRows(listener: RowListener): () => void {
    this.rowListeners.add(listener)
    return () => this.rowListeners.delete(listener)
  }

  createRecord(values: Record<string, FieldValue>, opts: CreateRecordOptions): CompactEdit {
    this.assertLoaded()
    return this.local(this.store.createRecord(values, opts))
  }

  /** `null` clears a cell. */
  updateCells(changes: readonly CellChange[]): CompactEdit {
    this.assertLoaded()
    return this.local(this.store.updateCells(changes))
  }

  deleteRecords(ids: readonly string[], now?: Date): CompactEdit {
    this.assertLoaded()
    return this.local(this.store.deleteRecords(ids, now))
  }

  restoreRecords(ids: readonly string[], now?: Date): CompactEdit {
    this.assertLoaded()
    return this.local(this.store.restoreRecords(ids, now))
  }

  /**
   * Stores and sends the update of a local change already applied to `store` (e.g. an undo
   * step made by the entity store's history); its patch goes to `onRows` listeners as local.
   */
  commit(change: LocalChange): CompactEdit {
    this.assertLoaded()
    return this.local(change)
  }

  /** Resolves when every update stored so far (local and remote) has committed. */
  whenStored(): Promise<void> {
    return this.log ? this.log.whenStored() : Promise.resolve()
  }

  /** Replaces the stored updates with one row holding the whole state (runs by itself past compactAfter). */
  compact(): Promise<void> {
    if (this.compacting) return this.compacting
    const log = this.log
    if (!log || this.destroyed) return Promise.resolve()
    if (this.compactTimer) { clearTimeout(this.compactTimer); this.compactTimer = null }
    this.compacting = log.compact({
      absorb: (foreign) => { for (const u of foreign) this.applyRemote(u, false) },
      encodeState: () => this.store.mergedState(),
    }).finally(() => {
      this.compacting = null
      this.recompute()
    })
    return this.compacting
  }

  /**
   * Field values of live records this device wrote that the relay has not confirmed (its last
   * state vector does not cover the write): what a restore carries over (workspaceEpoch.ts).
   */
  unsentCells(): CellChange[] {
    const server = this.serverVector ?? new Map<number, number>()
    const cells: CellChange[] = []
    for (const row of this.store.rows()) {
      for (const [fieldId, value] of Object.entries(row.values)) {
        const last = this.store.lastItemId(row.id, fieldId)
        if (!last?.live || !this.ownClients.has(last.id.client) || last.id.clock < (server.get(last.id.client) ?? 0)) continue
        cells.push({ recordId: row.id, fieldId, value })
      }
    }
    return cells
  }

  /** The epoch learnt after connecting without one (a first visit): sent from the next connection on. */
  setEpoch(epoch: string): void {
    this.epoch = epoch
  }

  goOffline(): void {
    this.wantOnline = false
    if (this.reconnectTimer) { clearTimeout(this.reconnectTimer); this.reconnectTimer = null }
    this.dropSocket()
    this.recompute()
  }

  goOnline(): void {
    if (this.status.state === 'refused') return
    this.wantOnline = true
    if (this.loaded) this.connect()
    this.recompute()
  }

  destroy(): void {
    this.flush()
    this.destroyed = true
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    if (this.compactTimer) clearTimeout(this.compactTimer)
    this.dropSocket()
    // IndexedDB closes once the running transactions (appends, a compaction) have finished
    this.log?.close()
    this.listeners.clear()
    this.rowListeners.clear()
  }

  private assertLoaded(): void {
    if (this.destroyed) throw new Error(`"${this.options.name}" is destroyed`)
    // loading replaces the store's state, which would drop an earlier edit
    if (!this.loaded) throw new Error(`"${this.options.name}" is not loaded yet: await whenLocal`)
  }

  private local(change: LocalChange): CompactEdit {
    let stored: Promise<void> = Promise.resolve()
    if (!isEmptyUpdate(change.update)) {
      stored = this.persist(change.update)
      this.send(change.update)
    }
    if (!isEmptyPatch(change.patch)) this.emitRows(change.patch, true)
    this.recompute()
    return { patch: change.patch, stored }
  }

  private persist(update: Uint8Array): Promise<void> {
    const log = this.log
    if (!log) return Promise.reject(new Error(`"${this.options.name}" has no local store`))
    const stored = log.append(update)
    stored.catch((err: unknown) => console.warn(`kanso: could not store an update of "${this.options.name}"`, err))
    this.scheduleCompaction()
    return stored
  }

  private scheduleCompaction(): void {
    const log = this.log
    if (!log || this.compactTimer || this.compacting || this.destroyed) return
    if (log.size < (this.options.compactAfter ?? 500)) return
    this.compactTimer = setTimeout(() => {
      this.compactTimer = null
      this.compact().then(() => this.scheduleCompaction(), (err: unknown) => console.warn(`kanso: could not compact "${this.options.name}"`, err))
    }, this.options.compactDelayMs ?? 1000)
  }

  /** Updates of one task go out as one message. */
  private send(update: Uint8Array): void {
    this.outbox.push(update)
    if (this.outbox.length === 1) queueMicrotask(() => this.flush())
  }

  private flush(): void {
    const updates = this.outbox.splice(0)
    if (updates.length === 0) return
    // not connected: the relay's next sync step 1 asks for them
    if (this.wsState !== 'open' || !this.ws) return
    this.ws.send(encodeSyncUpdate(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates)))
  }

  private connect(): void {
    if (this.ws || this.destroyed || !this.wantOnline || this.status.state === 'refused') return
    if (this.reconnectTimer) { clearTimeout(this.reconnectTimer); this.reconnectTimer = null }
    const WS = this.options.WebSocket ?? globalThis.WebSocket
    const epoch = this.epoch ? `&epoch=${encodeURIComponent(this.epoch)}` : ''
    const ws = new WS(`${this.options.syncUrl.replace(/\/+$/, '')}/${this.options.name}?token=${encodeURIComponent(this.options.token)}&acks=1${epoch}`)
    ws.binaryType = 'arraybuffer'
    this.ws = ws
    this.wsState = 'connecting'
    this.synced = false
    ws.onopen = () => {
      if (this.ws !== ws) return
      this.wsState = 'open'
      this.lastMessageAt = Date.now()
      this.startHeartbeat(ws)
      if (this.isEmpty()) this.initialSync = []
      ws.send(encodeSyncStep1(this.store.encodeStateVector()))
      this.recompute()
    }
    ws.onmessage = (event: MessageEvent) => {
      if (this.ws !== ws) return
      this.lastMessageAt = Date.now()
      if (typeof event.data === 'string') return
      this.receive(ws, new Uint8Array(event.data as ArrayBuffer))
    }
    // the close event that follows an error decides what happens next
    ws.onerror = () => {}
    ws.onclose = (event: CloseEvent) => this.onClose(ws, event.code)
    this.recompute()
  }

  private onClose(ws: WebSocket, code: number): void {
    if (this.ws !== ws) return
    this.dropSocket()
    this.failedConnects++
    // 4400–4499 are deliberate refusals; 1009: our update is larger than the relay accepts, and
    // resending it would loop forever
    if ((code >= 4400 && code < 4500) || code === 1009) {
      this.status = { ...this.status, state: 'refused', closeCode: code }
      this.emit()
      return
    }
    if (this.wantOnline && !this.destroyed) {
      const delay = Math.min(2 ** this.failedConnects * 100, this.options.maxBackoffMs ?? 2000)
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = null
        this.connect()
      }, delay)
    }
    this.recompute()
  }

  private startHeartbeat(ws: WebSocket): void {
    const every = this.options.heartbeatMs ?? 15_000
    this.heartbeat = setInterval(() => {
      if (this.ws !== ws) return
      // a half-open connection (a laptop woke up, a proxy dropped it) never fires close by itself
      if (Date.now() - this.lastMessageAt > 2 * every) this.onClose(ws, CLOSE_SILENT)
      else ws.send(encodeAwarenessHeartbeat(this.store.clientID, ++this.heartbeatClock))
    }, every)
  }

  private dropSocket(): void {
    if (this.heartbeat) { clearInterval(this.heartbeat); this.heartbeat = null }
    const ws = this.ws
    this.ws = null
    this.wsState = 'closed'
    this.synced = false
    this.answeredStep1 = false
    this.vectorAtLastStep1 = null
    this.relayAtLastStep1 = null
    this.upload?.stop()
    this.upload = null
    // neither applied nor stored: the relay sends them again on the next connection
    this.initialSync = null
    if (!ws) return
    ws.onopen = null
    ws.onmessage = null
    ws.onclose = null
    ws.onerror = () => {}
    ws.close()
  }

  private receive(ws: WebSocket, data: Uint8Array): void {
    try {
      const message = readRelayMessage(data)
      switch (message.type) {
        case 'syncStep1': {
          const relay = Y.decodeStateVector(message.stateVector)
          this.serverVector = relay
          rememberServerVector(this.options, message.stateVector)
          // Later step 1s on this connection are acknowledgements. Our first step 2 sent what the
          // relay lacked and every change since went out as an update, so when the relay has all
          // our structs a reply would repeat our delete set — and encoding it can take a second
          // when the store holds big unmerged updates. What it lacks of what we wrote since the
          // previous step 1 is on its way, and so is the rest while the relay moves on (a busy relay
          // acknowledges seconds behind an import); only when it lacks what we had at the previous
          // step 1 and has not moved since is it answered (an update it could not take). Answering
          // every gap re-sent an import's batches still in flight, the whole store decoded each time.
          // While our answer goes out in pieces, step 1s acknowledge them and let the next go.
          const local = Y.decodeStateVector(this.store.encodeStateVector())
          const moved = !this.relayAtLastStep1 || !covers(this.relayAtLastStep1, relay)
          if (this.upload) {
            this.upload.acknowledge(relay, moved)
          } else if (!this.answeredStep1 || (!moved && !covers(relay, this.vectorAtLastStep1 ?? local))) {
            this.sendMissing(ws, message.stateVector)
            this.answeredStep1 = true
          }
          this.vectorAtLastStep1 = local
          this.relayAtLastStep1 = relay
          break
        }
        case 'syncStep2':
          if (this.initialSync) {
            const updates = [...this.initialSync, message.update]
            this.initialSync = null
            this.finishInitialSync(updates)
          } else {
            this.applyRemote(message.update, true)
          }
          if (!this.synced) {
            this.synced = true
            this.failedConnects = 0
            this.resolveSynced()
          }
          break
        case 'update':
          if (this.initialSync) this.initialSync.push(message.update)
          else this.applyRemote(message.update, true)
          break
        case 'permissionDenied':
          console.warn(`kanso: permission denied on "${this.options.name}": ${message.reason}`)
          break
        // presence lives on the schema document; an entity document has no awareness to share
        case 'awareness':
        case 'queryAwareness':
          break
        case 'unknown':
          console.warn(`kanso: unknown message type ${message.messageType} from the relay on "${this.options.name}"`)
          break
      }
    } catch (err) {
      console.error(`kanso: could not handle a relay message on "${this.options.name}"`, err)
    }
    this.recompute()
  }

  /**
   * Answers the relay's sync step 1 with what it lacks: one step 2, or, past the piece size, the
   * first piece as the step 2 and the others as updates, paced by its acknowledgements
   * (UploadInPieces). Each piece is a valid update, so any y-websocket server takes them.
   */
  private sendMissing(ws: WebSocket, relayVector: Uint8Array): void {
    const missing = this.store.encodeStateAsUpdate(relayVector)
    const pieceBytes = this.options.uploadPieceBytes ?? UPLOAD_PIECE_BYTES
    if (missing.byteLength <= pieceBytes) {
      ws.send(encodeSyncStep2(missing))
      return
    }
    const upload = new UploadInPieces(splitUpdate(missing, { maxBytes: pieceBytes, clientOrder: [...this.ownClients] }), {
      send: (update, first) => { if (this.ws === ws) ws.send(first ? encodeSyncStep2(update) : encodeSyncUpdate(update)) },
      windowBytes: this.options.uploadWindowBytes ?? UPLOAD_WINDOW_BYTES,
      stallMs: UPLOAD_STALL_MS,
      onDone: () => {
        if (this.upload === upload) this.upload = null
      },
    })
    this.upload = upload
    upload.start()
  }

  /**
   * Applies an update from the relay (or from another tab's rows) and stores it unless it adds
   * nothing, as y-indexeddb stores only what changed the Y.Doc: on every reconnect the relay
   * repeats its recent updates and its whole delete set. An update whose structs were all known
   * adds no deletes either (whatever first brought a struct brought its transaction's deletes),
   * so only a delete-only update needs its deletes compared with ours.
   */
  private applyRemote(update: Uint8Array, persist: boolean): void {
    const vector = this.store.encodeStateVector()
    const before = Y.decodeStateVector(vector)
    const structs = Y.parseUpdateMeta(update).to
    const structsKnown = [...structs].every(([client, clock]) => (before.get(client) ?? 0) >= clock)
    const deleteOnly = persist && structs.size === 0 && !this.store.hasPending()
    const knownDeletes = deleteOnly ? this.store.encodeStateAsUpdate(vector) : null
    const patch = this.store.applyUpdate(update)
    if (persist) {
      const adds = !structsKnown || this.store.hasPending() || !isEmptyPatch(patch) || (knownDeletes !== null && addsDeletes(knownDeletes, update))
      if (adds) void this.persist(update).catch(() => {})
    }
    if (!isEmptyPatch(patch)) this.emitRows(patch, false)
  }

  /**
   * The first sync of a new device: the relay answers our step 1 with its recent updates, then a
   * step 2 with the rest. An empty store loads them all at once, several times faster than
   * applying them (30k contacts: ~1 s instead of ~4 s), and keeps them as one merged state.
   */
  private finishInitialSync(updates: Uint8Array[]): void {
    if (!this.isEmpty()) {
      // a local edit came first: loading would replace it
      this.applyRemote(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates), true)
      return
    }
    this.store.load(updates)
    void this.persist(this.store.mergedState()).catch(() => {})
    const rows = this.store.rows()
    if (rows.length) this.emitRows({ added: rows, updated: [], removed: [] }, false)
  }

  /** Nothing stored on this device and nothing received yet. */
  isEmpty(): boolean {
    return Y.decodeStateVector(this.store.encodeStateVector()).size === 0 && !this.store.hasPending()
  }

  private emitRows(patch: RowPatch, local: boolean): void {
    for (const l of this.rowListeners) l(patch, local)
  }

  private recompute(): void {
    if (this.status.state === 'refused' || this.destroyed) return
    const next = deriveSyncStatus({
      loaded: this.loaded, wantOnline: this.wantOnline, socket: this.wsState, synced: this.synced,
      local: Y.decodeStateVector(this.store.encodeStateVector()), serverVector: this.serverVector, ownClients: this.ownClients,
    })
    if (next.state === this.status.state && next.pending === this.status.pending) return
    this.status = next
    this.emit()
  }

  private emit(): void {
    for (const l of this.listeners) l(this.status)
  }
}

function isEmptyPatch(p: RowPatch): boolean {
  return p.added.length === 0 && p.updated.length === 0 && p.removed.length === 0
}

function isEmptyUpdate(u: Uint8Array): boolean {
  return u.length === EMPTY_UPDATE.length && u[0] === 0 && u[1] === 0
}

/** Whether vector `a` has every struct vector `b` has. */
function covers(a: Map<number, number>, b: Map<number, number>): boolean {
  for (const [client, clock] of b) if ((a.get(client) ?? 0) < clock) return false
  return true
}

/** Whether `deletes` (an update without structs) deletes anything `known` does not. */
function addsDeletes(known: Uint8Array, deletes: Uint8Array): boolean {
  // both merged the same way, so equal bytes mean equal delete sets
  const a = Y.mergeUpdates([known, deletes])
  const b = Y.mergeUpdates([known, EMPTY_UPDATE])
  return a.length !== b.length || a.some((byte, i) => byte !== b[i])
}
