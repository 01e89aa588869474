/// <reference lib="webworker" />
import { storeState } from 'y-indexeddb'
import { entityDocName } from '../crdt/docNames'
import { makeEntityStore, type EntityStore } from '../crdt/entityStore'
import { RecordError } from '../crdt/recordDoc'
import { randomId } from '../crdt/randomId'
import type { Row } from '../domain/schema'
import { asciiJson } from './asciiJson'
import { diffRows } from './diffRows'
import { openKeyValueStore, type KeyValueStore } from './keyValueStore'
import { SyncedDoc } from './syncedDoc'
import { isRowSnapshot, type EntityIntent, type FromWorker, type RowSnapshot, type ToWorker, type WorkerInit } from './workerProtocol'

/*
 * The workspace worker: decodes, stores and syncs the entity documents off the main thread.
 * Intents that arrive before a document is loaded are written to IndexedDB at once (so they are
 * "stored locally" and survive a closed tab) and applied, in order, when it is.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope
const post = (msg: FromWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer)
const encoder = new TextEncoder()
const decoder = new TextDecoder()
const SNAPSHOT_DELAY_MS = 2000

interface OpenEntity {
  doc: SyncedDoc
  store: EntityStore | null
  queue: { key: string; intent: EntityIntent }[]
  snapshotTimer: ReturnType<typeof setTimeout> | undefined
}

let init: WorkerInit | null = null
let meta: KeyValueStore
let online = true
let intentSeq = 0
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
      open(msg.entityId, msg.paintedVersion)
      break
    case 'intent':
      void intent(msg.entityId, msg.intent)
      break
    case 'online':
      online = msg.online
      for (const e of entities.values()) {
        if (online) e.doc.goOnline()
        else e.doc.goOffline()
      }
      break
  }
}

function open(entityId: string, paintedVersion: string | null): void {
  if (!init || entities.has(entityId)) return
  const name = entityDocName(entityId)
  const doc = new SyncedDoc({ name, syncUrl: init.syncUrl, token: init.token, storePrefix: init.storePrefix, meta })
  if (!online) doc.goOffline()
  doc.onStatus((status) => post({ type: 'status', docName: name, status }))
  post({ type: 'status', docName: name, status: doc.getStatus() })
  const entry: OpenEntity = { doc, store: null, queue: [], snapshotTimer: undefined }
  entities.set(entityId, entry)
  void load(entityId, entry, paintedVersion).catch((err: unknown) => {
    post({ type: 'failed', entityId, message: err instanceof Error ? err.message : String(err) })
  })
}

async function load(entityId: string, entry: OpenEntity, paintedVersion: string | null): Promise<void> {
  // The page shows nothing yet: send it the stored snapshot first (the bytes are transferred,
  // so keep the text for the difference once the document has loaded).
  let painted: { version: string; json: string } | null = null
  if (paintedVersion === null) {
    const stored = await meta.get<unknown>('snapshots', entityId)
    if (isRowSnapshot(stored)) {
      painted = { version: stored.version, json: decoder.decode(stored.bytes) }
      post({ type: 'snapshot', entityId, snapshot: stored }, [stored.bytes.buffer])
    } else {
      post({ type: 'snapshot', entityId, snapshot: null })
    }
  }
  const [, leftovers, stored] = await Promise.all([
    entry.doc.whenLocal,
    meta.entries<EntityIntent>('intents'),
    paintedVersion ? meta.get<unknown>('snapshots', entityId) : Promise.resolve(undefined),
  ])
  if (paintedVersion && isRowSnapshot(stored) && stored.version === paintedVersion) {
    painted = { version: stored.version, json: decoder.decode(stored.bytes) }
  }
  const store = makeEntityStore(entry.doc.doc, entityId, init!.memberId)
  // intents left by a tab that closed before its document loaded come first
  const mine = leftovers.filter(([k]) => k.startsWith(`${entityId}:`)).map(([key, intent]) => ({ key, intent }))
  const known = new Set(entry.queue.map((q) => q.key))
  entry.queue.unshift(...mine.filter((m) => !known.has(m.key)))
  const live = store.rows()
  if (painted) {
    post({ type: 'loaded', entityId, patch: diffRows(JSON.parse(painted.json) as Row[], live), rows: null })
  } else {
    const rows = encoder.encode(asciiJson(live))
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
  for (const q of queued) apply(store, q.intent)
  if (queued.length) {
    // the queued edits are in the document; make sure IndexedDB has them before forgetting the queue
    await storeState(entry.doc.persistence, true)
    await Promise.all(queued.map((q) => meta.delete('intents', q.key)))
  }
  scheduleSnapshot(entityId, entry)
}

async function intent(entityId: string, intent: EntityIntent): Promise<void> {
  const entry = entities.get(entityId)
  if (!entry) throw new Error(`intent for an entity that is not open: ${entityId}`)
  if (entry.store) {
    apply(entry.store, intent)
    return
  }
  if (intent.op === 'undo' || intent.op === 'redo') return // nothing of this session to undo yet
  const key = `${entityId}:${Date.now().toString(36).padStart(10, '0')}:${(intentSeq++).toString(36).padStart(6, '0')}:${randomId(4)}`
  entry.queue.push({ key, intent })
  await meta.set('intents', key, intent)
}

function apply(store: EntityStore, intent: EntityIntent): void {
  try {
    switch (intent.op) {
      case 'create': store.createRecord(intent.values, intent.id); break
      case 'update': store.updateCells(intent.changes); break
      case 'delete': store.deleteRecords(intent.ids); break
      case 'restore': store.restoreRecords(intent.ids); break
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
    const snapshot: RowSnapshot = { version: randomId(), bytes: encoder.encode(asciiJson(entry.store.rows())) }
    void meta.set('snapshots', entityId, snapshot).catch((err: unknown) => console.warn('kanso: could not store the row snapshot', err))
  }, SNAPSHOT_DELAY_MS)
}
