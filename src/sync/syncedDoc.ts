import * as decoding from 'lib0/decoding'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { KeyValueStore } from './keyValueStore'
import { deriveSyncStatus } from './deriveSyncStatus'
import { loadVectors, rememberServerVector } from './syncVectors'

export type DocSyncState = 'offline' | 'connecting' | 'syncing' | 'synced' | 'refused'

export interface DocSyncStatus {
  state: DocSyncState
  /** Local changes the relay has not confirmed yet. */
  pending: number
  /** Close code when the relay refused us (4401 unauthorized, 4403 forbidden). */
  closeCode?: number
}

export interface SyncedDocOptions {
  name: string
  /** ws(s)://host/sync */
  syncUrl: string
  token: string
  /** IndexedDB database name prefix; one database per document. */
  storePrefix: string
  /** Where the relay's last state vector and this browser's client ids are kept. */
  meta: KeyValueStore
  /**
   * Load the stored state (and then connect) only once this settles: for a page that already
   * shows a copy of the document's content and should not spend its first paint on it.
   * Changes made meanwhile are kept: y-indexeddb stores the document's state before it loads.
   */
  loadAfter?: Promise<unknown>
  /**
   * The workspace epoch this browser's copy belongs to (GET /api/v1/workspace/epoch), sent as
   * `?epoch=`: after a restore the relay refuses an older copy with 4409 instead of merging it.
   */
  epoch?: string | null
}

const MESSAGE_SYNC = 0
const SYNC_STEP_1 = 0

/**
 * One Yjs document stored in IndexedDB and synced with the relay. The relay answers every batch
 * of our updates with its state vector (a sync step 1), which is how we know what is on the
 * server: `pending` counts local changes not covered by the relay's last state vector.
 */
export class SyncedDoc {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  /** Null until `loadAfter` has settled. */
  persistence: IndexeddbPersistence | null = null
  /** Resolves when the locally stored state is loaded. */
  readonly whenLocal: Promise<void>
  /** Resolves when the relay has sent what this browser lacked (the first complete sync). */
  readonly whenSynced: Promise<void>
  private serverVector: Map<number, number> | null = null
  /** Yjs client ids this browser has written with (this session and earlier ones). */
  private ownClients: Set<number>
  private status: DocSyncStatus = { state: 'connecting', pending: 0 }
  private listeners = new Set<(s: DocSyncStatus) => void>()
  private loaded = false
  private askLoad: () => void = () => {}
  private wantOnline: boolean
  private destroyed = false

  constructor(readonly options: SyncedDocOptions) {
    this.ownClients = new Set([this.doc.clientID])
    void loadVectors(options, this.doc.clientID).then(({ serverVector, ownClients }) => {
      if (!this.serverVector) this.serverVector = serverVector
      for (const c of ownClients) this.ownClients.add(c)
      this.recompute()
    })
    this.wantOnline = typeof navigator === 'undefined' || navigator.onLine !== false
    // Connect only once the stored state is loaded: then our first sync step 1 carries the full
    // state vector, so the relay sends only what we lack, and the IndexedDB load is not echoed
    // to the relay as one huge update. Tabs sync through the relay, not BroadcastChannel.
    const persist = () => {
      if (this.destroyed) return new Promise<never>(() => {})
      this.persistence = new IndexeddbPersistence(`${options.storePrefix}${options.name}`, this.doc)
      return this.persistence.whenSynced
    }
    // the first of `loadAfter` and loadNow() (a member about to edit what it holds) starts the load
    const asked = new Promise<void>((resolve) => { this.askLoad = resolve })
    const load = options.loadAfter ? Promise.race([options.loadAfter, asked]).then(persist, persist) : persist()
    this.whenLocal = load.then(() => {
      this.loaded = true
      if (this.wantOnline) this.provider.connect()
      this.recompute()
    })
    this.provider = new WebsocketProvider(options.syncUrl, options.name, this.doc, {
      // acks=1: the relay acknowledges our stored edits with its state vector (the pending count's base)
      params: options.epoch ? { token: options.token, acks: '1', epoch: options.epoch } : { token: options.token, acks: '1' },
      connect: false,
      disableBc: true,
      maxBackoffTime: 2000,
      // 1009: our update is larger than the relay accepts; resending it would loop forever.
      shouldReconnect: (event) => !((event.code >= 4400 && event.code < 4500) || event.code === 1009),
    })
    const handleSync = this.provider.messageHandlers[MESSAGE_SYNC]
    if (!handleSync) throw new Error('y-websocket has no sync message handler')
    this.provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, provider, emitSynced, type) => {
      const peek = decoding.clone(decoder)
      if (decoding.readVarUint(peek) === SYNC_STEP_1) {
        const vector = decoding.readVarUint8Array(peek)
        this.serverVector = Y.decodeStateVector(vector)
        rememberServerVector(options, vector)
        queueMicrotask(() => this.recompute())
      }
      handleSync(encoder, decoder, provider, emitSynced, type)
    }
    this.whenSynced = new Promise((resolve) => {
      const onSync = (synced: boolean) => {
        if (!synced) return
        this.provider.off('sync', onSync)
        resolve()
      }
      this.provider.on('sync', onSync)
    })
    this.provider.on('status', () => this.recompute())
    this.provider.on('sync', () => this.recompute())
    this.provider.on('closed', (event) => {
      this.status = { ...this.status, state: 'refused', closeCode: event.code }
      this.emit()
    })
    this.provider.on('connection-close', () => this.recompute())
    this.doc.on('update', () => this.recompute())
  }

  getStatus(): DocSyncStatus {
    return this.status
  }

  onStatus(listener: (s: DocSyncStatus) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private recompute(): void {
    if (this.status.state === 'refused') return
    const p = this.provider
    const next = deriveSyncStatus({
      // before the load the provider is not asked to connect yet: the wish is ours
      loaded: this.loaded, wantOnline: this.loaded ? p.shouldConnect : this.wantOnline, synced: p.synced,
      socket: p.wsconnected ? 'open' : p.wsconnecting ? 'connecting' : 'closed',
      local: Y.decodeStateVector(Y.encodeStateVector(this.doc)), serverVector: this.serverVector, ownClients: this.ownClients,
    })
    if (next.state === this.status.state && next.pending === this.status.pending) return
    this.status = next
    this.emit()
  }

  private emit(): void {
    for (const l of this.listeners) l(this.status)
  }

  /** Loads the stored state now if it waits for `loadAfter` (see whenLocal); nothing once loading. */
  loadNow(): void {
    this.askLoad()
  }

  /** The epoch learnt after connecting without one (a first visit): sent from the next connection on. */
  setEpoch(epoch: string): void {
    this.provider.params = { ...this.provider.params, epoch }
  }

  goOffline(): void {
    this.wantOnline = false
    this.provider.disconnect()
    this.recompute()
  }

  goOnline(): void {
    if (this.status.state === 'refused') return
    this.wantOnline = true
    if (this.loaded) this.provider.connect()
    this.recompute()
  }

  destroy(): void {
    this.destroyed = true
    this.provider.destroy()
    void this.persistence?.destroy()
    this.doc.destroy()
  }
}
