/// <reference lib="webworker" />
import { entityDocName } from '../crdt/docNames'
import { makeCompactEntityStore } from '../crdt/compactEntityStore'
import type { EntityStore } from '../crdt/entityStore'
import { RecordError } from '../crdt/recordDoc'
import { randomId } from '../crdt/randomId'
import type { EntityDef, Row, RowPatch } from '../domain/schema'
import { mergePatches } from '../crdt/mergePatches'
import { rowsJson } from '../domain/rowsJson'
import { findDuplicates } from '../domain/duplicates/findDuplicates'
import { diffRows } from './diffRows'
import { intentKey } from './intentKey'
import { openKeyValueStore, type KeyValueStore } from './keyValueStore'
import { CompactSyncedDoc } from './compactSyncedDoc'
import { RuleWriter } from './ruleWriter'
import { ImportJob, ImportJobError, type ImportEvent, type ImportHost } from './importJob'
import { isRowSnapshot, snapshotHeadKey, SNAPSHOT_HEAD_ROWS, type EntityIntent, type FromWorker, type ImportCommand, type RowSnapshot, type RowSnapshotHead, type ToWorker, type WorkerInit } from './workerProtocol'

/*
 * The workspace worker: decodes, stores and syncs the entity documents off the main thread,
 * each held compactly (CompactRecordStore: plain rows and item ids, no Y.Doc) and synced with
 * the stock y-websocket protocol (CompactSyncedDoc).
 * Intents that arrive before a document is loaded are written to IndexedDB at once (so they are
 * "stored locally" and survive a closed tab) and applied, in order, when it is.
 * Every intent is applied through the RuleWriter, which runs the member's automation rules in the
 * same write; intents wait (stored the same way) until the page has told the rules and the lists
 * the switched-on rules write to are loaded here — the worker opens those itself, unseen by the
 * page until it asks for them.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope
const post = (msg: FromWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer)
const encoder = new TextEncoder()
const decoder = new TextDecoder()
const SNAPSHOT_DELAY_MS = 2000

interface OpenEntity {
  /** The page asked for it (false: opened for the rules only; nothing of it is posted until the page asks). */
  shown: boolean
  /** Created when this entity's turn to load comes (documents load one at a time). */
  doc: CompactSyncedDoc | null
  store: EntityStore | null
  /** Intents waiting for the document or the rules; key null: not stored (an undo or redo). */
  queue: { key: string | null; intent: EntityIntent }[]
  /** Keys of stored intents applied when the document loaded (their messages may still come). */
  applied: Set<string>
  snapshotTimer: ReturnType<typeof setTimeout> | undefined
  /** Questions for the loaded store (deleted rows) that came before it had loaded. */
  whenLoaded: ((store: EntityStore) => void)[]
  /** This member's patches held for the page while an import writes (holdPatches), posted merged once a second. */
  held: RowPatch[] | null
  heldTimer: ReturnType<typeof setInterval> | undefined
}

let init: WorkerInit | null = null
let meta: KeyValueStore
let online = true
const entities = new Map<string, OpenEntity>()
let writer: RuleWriter | null = null

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data
  switch (msg.type) {
    case 'init':
      init = msg
      online = msg.online
      meta = openKeyValueStore(`${msg.storePrefix}meta`)
      writer = new RuleWriter({
        memberId: msg.memberId,
        store: (entityId) => entities.get(entityId)?.store ?? undefined,
        effects: (effects) => post({ type: 'ruleEffects', ...effects }),
      })
      break
    case 'open':
      open(msg.entityId, msg.painted, true)
      break
    case 'unsent':
      post({ type: 'unsent', cells: Object.fromEntries([...entities].flatMap(([id, entry]) => (entry.doc ? [[id, entry.doc.unsentCells()]] : []))) })
      break
    case 'epoch':
      if (init) init = { ...init, epoch: msg.epoch }
      for (const entry of entities.values()) entry.doc?.setEpoch(msg.epoch)
      break
    case 'rules':
      writer?.setRules(msg.setup)
      for (const entityId of writer?.neededEntities() ?? []) open(entityId, null, false)
      void drain()
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
    case 'duplicates':
      askDuplicates(msg.entityId, msg.ask, msg.entity)
      break
    case 'import':
      importCommand(msg.job, msg.command)
      break
  }
}

const imports = new Map<number, ImportJob>()

/** An import's steps (importJob.ts): parsed, planned and written here, never on the page. */
function importCommand(job: number, command: ImportCommand): void {
  const report = (event: ImportEvent) => post({ type: 'import', job, event })
  const whenDone = (work: Promise<void>) => {
    work.catch((err: unknown) => {
      if (!(err instanceof ImportJobError)) console.error('kanso: an import failed', err)
      report({ kind: 'failed', message: err instanceof Error ? err.message : String(err) })
    })
  }
  if (command.op === 'read') {
    const created = new ImportJob(command.file, command.kind, importHost(report))
    imports.set(job, created)
    return whenDone(created.readHeader())
  }
  const found = imports.get(job)
  if (!found) return report({ kind: 'failed', message: 'This import is no longer open here; choose the file again.' })
  switch (command.op) {
    case 'plan': return whenDone(found.plan(command.request))
    case 'run': return whenDone(found.run().finally(() => imports.delete(job)))
    case 'cancel': return found.cancel()
    case 'drop':
      found.cancel()
      imports.delete(job)
  }
}

/** Patches of an import's batches go to the page merged, this often at most: each one redraws the grid's view of every row. */
const HELD_PATCH_MS = 1000

/**
 * Holds this member's patches of an entity for the page until released (an import writing
 * thousands of records a batch): the grid then recomputes its view of 100k rows once a second,
 * not once per batch — per batch, that took most of the page's main thread.
 */
function holdPatches(entityId: string): () => void {
  const entry = entities.get(entityId)
  if (!entry || entry.held) return () => undefined
  entry.held = []
  entry.heldTimer = setInterval(() => postHeld(entityId, entry), HELD_PATCH_MS)
  return () => {
    clearInterval(entry.heldTimer)
    postHeld(entityId, entry)
    entry.held = null
  }
}

/** The held patches as one, with the rows as they are now. */
function postHeld(entityId: string, entry: OpenEntity): void {
  const held = entry.held
  if (!held?.length || !entry.store) return
  entry.held = []
  if (!entry.shown) return
  const merged = mergePatches(held)
  const store = entry.store
  const patch: RowPatch = { added: [], updated: [], removed: [...merged.removed] }
  for (const [stubs, into] of [[merged.added, patch.added], [merged.updated, patch.updated]] as const) {
    for (const stub of stubs) {
      const row = store.row(stub.id)
      if (row && row.deletedAt === undefined) into.push(row)
      else patch.removed.push(stub.id)
    }
  }
  post({ type: 'patch', entityId, patch, local: true })
}

function importHost(post: (event: ImportEvent) => void): ImportHost {
  const loaded = (entityId: string) => {
    open(entityId, null, false)
    const entry = entities.get(entityId)!
    return entry.store ? Promise.resolve(entry.store) : new Promise<EntityStore>((resolve) => entry.whenLoaded.push(resolve))
  }
  return {
    readable: loaded,
    async writable(entityId) {
      const store = await loaded(entityId)
      // as an intent would: the rules known and the edits waiting before it applied first
      while (!rulesReady() || entities.get(entityId)!.queue.length) await new Promise((resolve) => setTimeout(resolve, 50))
      return store
    },
    write: (entityId, intent, group) => writer!.apply(entityId, intent, null, group),
    hold: holdPatches,
    stored: () => Promise.all([...entities.values()].map(stored)).then(() => undefined),
    turn: () => new Promise((resolve) => setTimeout(resolve, 0)),
    post,
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

/** Answers the page's question for duplicates once the document has loaded (an entity not open has none). */
function askDuplicates(entityId: string, ask: number, entity: EntityDef): void {
  const answer = (store: EntityStore | null) => post({ type: 'duplicates', entityId, ask, groups: store ? findDuplicates(entity, store.rows()) : [] })
  const entry = entities.get(entityId)
  if (!entry) answer(null)
  else if (entry.store) answer(entry.store)
  else entry.whenLoaded.push(answer)
}

function open(entityId: string, painted: RowSnapshot | null, shown: boolean): void {
  if (!init) return
  const open = entities.get(entityId)
  if (open) {
    if (shown && !open.shown) {
      // opened for the rules before: the page gets every row now, or when it has loaded, and the sync state it has
      open.shown = true
      if (open.doc) post({ type: 'status', docName: entityDocName(entityId), status: open.doc.getStatus() })
      if (open.store) showLoaded(entityId, open.store)
    }
    return
  }
  const entry: OpenEntity = { shown, doc: null, store: null, queue: [], applied: new Set(), snapshotTimer: undefined, whenLoaded: [], held: null, heldTimer: undefined }
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
  const doc = new CompactSyncedDoc({ name, syncUrl: config.syncUrl, token: config.token, storePrefix: config.storePrefix, meta, epoch: config.epoch })
  if (!online) doc.goOffline()
  doc.onStatus((status) => post({ type: 'status', docName: name, status }))
  post({ type: 'status', docName: name, status: doc.getStatus() })
  return doc
}

async function load(entityId: string, entry: OpenEntity, paintedSnapshot: RowSnapshot | null): Promise<void> {
  // What the page shows until the document has loaded, kept as text for the difference then.
  let painted: string | null = paintedSnapshot ? decoder.decode(paintedSnapshot.bytes) : null
  if (!paintedSnapshot && entry.shown) {
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
  // keys sort in the order the edits were made (before the store exists every queued intent has one)
  entry.queue.sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0))
  if (entry.shown) {
    const live = store.rows()
    if (painted !== null) {
      post({ type: 'loaded', entityId, patch: diffRows(JSON.parse(painted) as Row[], live), rows: null })
    } else {
      const rows = encoder.encode(rowsJson(live))
      post({ type: 'loaded', entityId, patch: null, rows }, [rows.buffer])
    }
  }
  painted = null
  store.subscribe((patch, local) => {
    if (local && entry.held) entry.held.push(patch)
    else if (entry.shown) {
      // what was held came first
      postHeld(entityId, entry)
      post({ type: 'patch', entityId, patch, local })
    }
    scheduleSnapshot(entityId, entry)
  })
  store.history.onChange(() => { if (entry.shown) postHistory(entityId, store) })
  entry.store = store
  for (const answer of entry.whenLoaded.splice(0)) answer(store)
  await drain()
  scheduleSnapshot(entityId, entry)
}

/** Every row of a list the worker had opened for the rules, once the page asks for it. */
function showLoaded(entityId: string, store: EntityStore): void {
  const rows = encoder.encode(rowsJson(store.rows()))
  post({ type: 'loaded', entityId, patch: null, rows }, [rows.buffer])
  postHistory(entityId, store)
}

function postHistory(entityId: string, store: EntityStore): void {
  post({ type: 'history', entityId, canUndo: store.history.canUndo(), canRedo: store.history.canRedo() })
}

/** Intents are applied once the page has told the rules and the lists those rules write to are loaded. */
function rulesReady(): boolean {
  return !!writer?.rulesKnown() && writer.neededEntities().every((id) => !!entities.get(id)?.store)
}

/**
 * Applies the intents that waited (for their document, or for the rules), in order per list;
 * once every document they wrote is in IndexedDB, the stored ones are forgotten there.
 */
async function drain(): Promise<void> {
  if (!rulesReady()) return
  const done: string[] = []
  for (const [entityId, entry] of entities) {
    if (!entry.store || !entry.queue.length) continue
    for (const q of entry.queue.splice(0)) {
      if (q.key && entry.applied.has(q.key)) continue
      apply(entityId, q.intent, q.key)
      if (q.key) {
        entry.applied.add(q.key)
        done.push(q.key)
      }
    }
  }
  if (!done.length) return
  await Promise.all([...entities.values()].map(stored))
  await Promise.all(done.map((key) => meta.delete('intents', key)))
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
  if (entry.store && !entry.queue.length && rulesReady()) {
    // an edit the page stored may have been applied already, from IndexedDB, when the document loaded
    if (!(key && entry.applied.has(key))) apply(entityId, intent, key)
    // what the rules wrote to other lists is stored before the page hears the edit is
    await Promise.all([...entities.values()].map(stored))
    if (key) await meta.delete('intents', key)
  } else if (key) {
    entry.queue.push({ key, intent }) // the page has stored it already
    return
  } else {
    if (intent.op === 'undo' || intent.op === 'redo') {
      // nothing of this session to undo before the document loaded; after it, in turn with the waiting edits
      if (entry.store) entry.queue.push({ key: null, intent })
      return
    }
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

function apply(entityId: string, intent: EntityIntent, key: string | null = null): void {
  try {
    writer!.apply(entityId, intent, key)
  } catch (err) {
    // e.g. a replayed create whose record exists already: report it, the rest goes on
    if (!(err instanceof RecordError)) throw err
    console.warn(`kanso: skipped ${intent.op} on ${entityId}: ${err.message}`)
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
