/// <reference lib="webworker" />
import { entityDocName } from '../crdt/docNames'
import { makeCompactEntityStore } from '../crdt/compactEntityStore'
import type { EntityStore } from '../crdt/entityStore'
import { RecordError } from '../crdt/recordDoc'
import { randomId } from '../crdt/randomId'
import type { Row } from '../domain/schema'
import { rowsJson } from '../domain/rowsJson'
import { diffRows } from './diffRows'
import { intentKey } from './intentKey'
import { openKeyValueStore, type KeyValueStore } from './keyValueStore'
import { CompactSyncedDoc } from './compactSyncedDoc'
import { isRowSnapshot, snapshotHeadKey, SNAPSHOT_HEAD_ROWS, type EntityIntent, type FromWorker, type RowSnapshot, type RowSnapshotHead, type ToWorker, type WorkerInit } from './workerProtocol'

/*
 * The workspace worker: decodes, stores and syncs the entity documents off the main thread,
 * each held compactly (CompactRecordStore: plain rows and item ids, no Y.Doc) and synced with
 * the stock y-websocket protocol (CompactSyncedDoc).
 * Intents that arrive before a document is loaded are written to IndexedDB at once (so they are
 * "stored locally" and survive a closed tab) and applied, in order, when it is.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope
const post = (msg: FromWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer)
const encoder = new TextEncoder()
const decoder = new TextDecoder()
const SNAPSHOT_DELAY_MS = 2000

interface OpenEntity {
  /** Created when this entity's turn to load comes (documents load one at a time). */
  doc: CompactSyncedDoc | null
  store: EntityStore | null
  queue: { key: string; intent: EntityIntent }[]
  /** Keys of stored intents applied when the document loaded (their messages may still come). */
  applied: Set<string>
  snapshotTimer: ReturnType<typeof setTimeout> | undefined
  /** Questions for the loaded store (deleted rows) that came before it had loaded. */
  whenLoaded: ((store: EntityStore) => void)[]
}

let init: WorkerInit | null = null
let meta: KeyValueStore
let online = true
const entities = new Map<string, OpenEntity>()

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data
  switch (msg.type) {
    case 'init':
      init = msg
      online = msg.online
      meta = openKeyValueStore(`${msg.storePrefix}meta`)
      break
    case 'open':
      open(msg.entityId, msg.painted)
      break
    case 'intent':
      void intent(msg.entityId, msg.intent, msg.key).catch((err: unknown) => console.error(`kanso: could not store an edit of ${msg.entityId}`, err))
      break
    case 'online':
      online = msg.online
      for (const e of entities.values()) {
        if (online) e.doc?.goOnline()
        else e.doc?.goOffline()
      }
      break
    case 'deletedRows':
      askDeletedRows(msg.entityId, msg.ask, msg.ids)
      break
  }
}

/** Answers the page's question for deleted rows once the document has loaded (an entity not open has none to tell). */
function askDeletedRows(entityId: string, ask: number, ids: string[] | null): void {
  const answer = (store: EntityStore | null) => {
    void (store ? (ids ? store.deletedRows(ids) : store.trash()) : Promise.resolve([])).then((rows) => post({ type: 'deletedRows', entityId, ask, rows }))
  }
  const entry = entities.get(entityId)
  if (!entry) answer(null)
  else if (entry.store) answer(entry.store)
  else entry.whenLoaded.push(answer)
}

function open(entityId: string, painted: RowSnapshot | null): void {
  if (!init || entities.has(entityId)) return
  const entry: OpenEntity = { doc: null, store: null, queue: [], applied: new Set(), snapshotTimer: undefined, whenLoaded: [] }
  entities.set(entityId, entry)
  void load(entityId, entry, painted).catch((err: unknown) => {
    post({ type: 'failed', entityId, message: err instanceof Error ? err.message : String(err) })
  })
}

/**
 * Documents are read from IndexedDB and decoded one at a time, in the order they were opened:
 * the list on screen first, and a linked list (e.g. companies for the contacts' company names,
 * painted from its snapshot meanwhile) does not compete with it for IndexedDB and the CPU.
 * Measured: while the companies document loaded, an edit's small IndexedDB write on the page
 * waited ~1 s.
 */
let docTurn: Promise<void> = Promise.resolve()

function createDoc(entityId: string): CompactSyncedDoc {
  const config = init!
  const name = entityDocName(entityId)
  const doc = new CompactSyncedDoc({ name, syncUrl: config.syncUrl, token: config.token, storePrefix: config.storePrefix, meta })
  if (!online) doc.goOffline()
  doc.onStatus((status) => post({ type: 'status', docName: name, status }))
  post({ type: 'status', docName: name, status: doc.getStatus() })
  return doc
}

async function load(entityId: string, entry: OpenEntity, paintedSnapshot: RowSnapshot | null): Promise<void> {
  // What the page shows until the document has loaded, kept as text for the difference then.
  let painted: string | null = paintedSnapshot ? decoder.decode(paintedSnapshot.bytes) : null
  if (!paintedSnapshot) {
    // The page shows nothing yet: send it this device's snapshot, else (a first visit) the
    // relay's, while the document loads. The bytes are transferred, not copied.
    const snapshot = await storedSnapshot(entityId) ?? await relaySnapshot(entityId)
    if (snapshot) painted = decoder.decode(snapshot.bytes)
    post({ type: 'snapshot', entityId, snapshot }, snapshot ? [snapshot.bytes.buffer] : [])
  }
  const turn = docTurn.then(() => {
    const doc = (entry.doc = createDoc(entityId))
    return doc.whenLocal.then(() => doc)
  })
  docTurn = turn.then(() => undefined, () => undefined)
  const doc = await turn
  const leftovers = await meta.entries<EntityIntent>('intents')
  // Nothing stored on this device yet but rows painted (the relay's snapshot): the document is
  // only complete once the relay has sent it; comparing the painted rows with an empty document
  // would take them all away until then.
  if (painted !== null && doc.isEmpty()) await doc.whenSynced
  const store = makeCompactEntityStore({
    store: doc.store,
    commit: (change) => { doc.commit(change) },
    onRemotePatch: (listener) => doc.onRows((patch, local) => { if (!local) listener(patch) }),
  }, entityId, init!.memberId)
  // intents left by a tab that closed before its document loaded come first
  const mine = leftovers.filter(([k]) => k.startsWith(`${entityId}:`)).map(([key, intent]) => ({ key, intent }))
  const known = new Set(entry.queue.map((q) => q.key))
  entry.queue.push(...mine.filter((m) => !known.has(m.key)))
  entry.queue.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) // keys sort in the order the edits were made
  const live = store.rows()
  if (painted !== null) {
    post({ type: 'loaded', entityId, patch: diffRows(JSON.parse(painted) as Row[], live), rows: null })
  } else {
    const rows = encoder.encode(rowsJson(live))
    post({ type: 'loaded', entityId, patch: null, rows }, [rows.buffer])
  }
  painted = null
  store.subscribe((patch, local) => {
    post({ type: 'patch', entityId, patch, local })
    scheduleSnapshot(entityId, entry)
  })
  store.history.onChange(() => post({ type: 'history', entityId, canUndo: store.history.canUndo(), canRedo: store.history.canRedo() }))
  entry.store = store
  const queued = entry.queue.splice(0)
  for (const q of queued) {
    apply(store, q.intent)
    entry.applied.add(q.key)
  }
  for (const answer of entry.whenLoaded.splice(0)) answer(store)
  if (queued.length) {
    // the queued edits are in the document; make sure IndexedDB has them before forgetting the queue
    await stored(entry)
    await Promise.all(queued.map((q) => meta.delete('intents', q.key)))
  }
  scheduleSnapshot(entityId, entry)
}

async function storedSnapshot(entityId: string): Promise<RowSnapshot | null> {
  const stored = await meta.get<unknown>('snapshots', entityId)
  return isRowSnapshot(stored) ? stored : null
}

/** GET /api/snapshots/<entity> from the relay; null when offline, refused or slow. */
async function relaySnapshot(entityId: string): Promise<RowSnapshot | null> {
  if (!online || !init) return null
  const url = `${init.syncUrl.replace(/^ws/, 'http').replace(/\/sync\/?$/, '')}/api/snapshots/${encodeURIComponent(entityId)}`
  try {
    const res = await fetch(url, { headers: { Authorization: `Bearer ${init.token}` }, signal: AbortSignal.timeout(15_000) })
    if (!res.ok) return null
    return { version: `relay:${res.headers.get('x-kanso-snapshot-seq') ?? ''}`, bytes: new Uint8Array(await res.arrayBuffer()) }
  } catch (err) {
    console.warn(`kanso: no row snapshot from the relay for ${entityId}`, err)
    return null
  }
}

async function intent(entityId: string, intent: EntityIntent, key: string | null): Promise<void> {
  const entry = entities.get(entityId)
  if (!entry) throw new Error(`intent for an entity that is not open: ${entityId}`)
  if (entry.store) {
    // an edit the page stored may have been applied already, from IndexedDB, when the document loaded
    if (!(key && entry.applied.has(key))) apply(entry.store, intent)
    await stored(entry)
    if (key) await meta.delete('intents', key)
  } else if (key) {
    entry.queue.push({ key, intent }) // the page has stored it already
    return
  } else {
    if (intent.op === 'undo' || intent.op === 'redo') return // nothing of this session to undo yet
    const own = intentKey(entityId)
    entry.queue.push({ key: own, intent })
    await meta.set('intents', own, intent)
  }
  post({ type: 'stored', entityId })
}

/** Resolves once the document's updates so far are committed to IndexedDB. */
function stored(entry: OpenEntity): Promise<void> {
  return entry.doc ? entry.doc.whenStored() : Promise.resolve()
}

function apply(store: EntityStore, intent: EntityIntent): void {
  try {
    switch (intent.op) {
      case 'create': store.createRecord(intent.values, intent.id); break
      case 'update': store.updateCells(intent.changes); break
      case 'updateUntracked': store.updateCellsUntracked(intent.changes); break
      case 'batch': store.writeBatch(intent.batch); break
      case 'delete': store.deleteRecords(intent.ids); break
      case 'restore': store.restoreRecords(intent.ids); break
      case 'purge': store.purgeRecords(intent.ids); break
      case 'undo': store.history.undo(); break
      case 'redo': store.history.redo(); break
    }
  } catch (err) {
    // e.g. a replayed create whose record exists already: report it, the rest goes on
    if (!(err instanceof RecordError)) throw err
    console.warn(`kanso: skipped ${intent.op} on ${store.entityId}: ${err.message}`)
  }
}

function scheduleSnapshot(entityId: string, entry: OpenEntity): void {
  clearTimeout(entry.snapshotTimer)
  entry.snapshotTimer = setTimeout(() => {
    if (!entry.store) return
    const rows = entry.store.rows()
    const version = randomId()
    const snapshot: RowSnapshot = { version, bytes: encoder.encode(rowsJson(rows)) }
    const head: RowSnapshotHead = { version, bytes: encoder.encode(rowsJson(rows.slice(0, SNAPSHOT_HEAD_ROWS))), total: rows.length }
    void meta.setMany('snapshots', [[snapshotHeadKey(entityId), head], [entityId, snapshot]])
      .catch((err: unknown) => console.warn('kanso: could not store the row snapshot', err))
  }, SNAPSHOT_DELAY_MS)
}
