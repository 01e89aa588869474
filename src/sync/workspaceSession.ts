import type { EntityDef, WorkspaceSchema } from '../domain/schema'
import type { DuplicateGroup } from '../domain/duplicates/findDuplicates'
import { AUTOMATION_DOC, entityDocName, SCHEMA_DOC } from '../crdt/docNames'
import type { EntityStore } from '../crdt/entityStore'
import { makeSchemaStore, type SchemaStore } from '../crdt/schemaStore'
import type { Row } from '../domain/schema'
import { decodeRows, takeBootSchema, takeBootSnapshot } from './bootSnapshot'
import { intentKey } from './intentKey'
import { openKeyValueStore } from './keyValueStore'
import { makePresence, type Presence } from './presence'
import { RemoteEntityStore, type RowsToCome } from './remoteEntityStore'
import { backgroundTurn } from './backgroundTurn'
import { rowSlices } from '../domain/rowSlices'
import { SyncedDoc, type DocSyncStatus } from './syncedDoc'
import type { EntityIntent, FromWorker, RowSnapshot, ToWorker } from './workerProtocol'
import { makeAutomationStore, type AutomationStore } from './automationStore'
import { deviceId } from './deviceId'
import { makeImportClient, type ImportClient } from './importClient'
import type { RuleSetup } from './ruleWriter'
import { cellsToCarry, CLOSE_WORKSPACE_RESTORED, dropLocalWorkspace, learnEpoch, readCarriedCells, readStoredEpoch, saveCarriedCells, type CarriedCells } from './workspaceEpoch'

/** Rows of a snapshot painted at once: the grid's first page (see BLOCK_SIZE in src/ui/grid/entityGridBase.ts). */
const FIRST_SLICE_ROWS = 100
/** Bytes parsed per background task after that. */
const SLICE_BYTES = 256 * 1024
/**
 * With no rule stored on this device (a first visit), the rules are told to the worker once the
 * automation document has synced, or after this long without the relay: edits wait for them
 * (kept in IndexedDB), so a lead made right after the page opened still meets its rules.
 */
const RULES_WAIT_MS = 3000

export type Role = 'admin' | 'editor' | 'viewer'
export interface Member { id: string; name: string; role: Role }

export interface WorkspaceStatus {
  state: 'offline' | 'connecting' | 'syncing' | 'synced' | 'refused'
  pending: number
  closeCode?: number
}

export interface WorkspaceSession {
  readonly member: Member
  readonly schema: SchemaStore
  readonly presence: Presence
  /** Automation rules, their logs and this member's notifications (the `automation` document). */
  readonly automation: AutomationStore
  /** Imports of CSV and XLSX files, parsed and written in the workspace worker (importJob.ts). */
  readonly imports: ImportClient
  /** Resolves once a non-empty schema is available (from IndexedDB or the relay). */
  whenSchema(): Promise<WorkspaceSchema>
  /**
   * For an edit of the schema (a field renamed, a view saved): loads the schema document now if
   * it waits (loadSchemaAfter), and resolves once `schema` holds the workspace's entities — its
   * stored copy loaded, or on a first visit the relay's. Before that, its writes find no entity
   * ("Unknown entity") while the page shows this device's copy of the schema.
   */
  whenSchemaLoaded(): Promise<void>
  /** Resolves as soon as rows can be shown: from the local snapshot, else when the document loads. */
  entity(entityId: string): Promise<EntityStore>
  /** The likely duplicates among an open entity's live records, found in the workspace worker (off the page's thread). */
  duplicates(entity: EntityDef): Promise<DuplicateGroup[]>
  status(): WorkspaceStatus
  onStatus(listener: (s: WorkspaceStatus) => void): () => void
  setOnline(online: boolean): void
  destroy(): void
}

export interface WorkspaceSessionOptions {
  member: Member
  token: string
  /** ws(s)://host/sync */
  syncUrl: string
  storePrefix?: string
  /**
   * When the page already has a schema to show (this device's copy, or the relay's on a first
   * visit), the schema document loads from IndexedDB and connects once this settles, e.g. once
   * the first rows are on screen: its load and sync cost the first paint ~60–80 ms here.
   */
  loadSchemaAfter?: Promise<unknown>
  /**
   * After the relay said the workspace was restored (4409) and this device's copies were
   * dropped; default: reload the page, which loads the workspace from the relay.
   */
  onWorkspaceRestored?: () => void
}

/**
 * Opens the workspace: the small schema document lives on the page (its API is synchronous);
 * entity documents live in the workspace worker, and the page shows their rows from a local
 * snapshot until the worker has loaded them.
 */
export function openWorkspaceSession(opts: WorkspaceSessionOptions): WorkspaceSession {
  const storePrefix = opts.storePrefix ?? 'kanso:'
  const meta = openKeyValueStore(`${storePrefix}meta`)
  const statuses = new Map<string, DocSyncStatus>()
  const statusListeners = new Set<(s: WorkspaceStatus) => void>()
  let online = typeof navigator === 'undefined' || navigator.onLine !== false
  // A first visit (or a copy from before epochs) connects without one and learns it (below).
  const epoch = readStoredEpoch(storePrefix)

  const worker = new Worker(new URL('./workspaceWorker.ts', import.meta.url), { type: 'module', name: 'kanso-workspace' })
  const send = (msg: ToWorker, transfer: Transferable[] = []) => worker.postMessage(msg, transfer)
  send({ type: 'init', memberId: opts.member.id, token: opts.token, syncUrl: opts.syncUrl, storePrefix, online, epoch })

  const aggregate = (): WorkspaceStatus => {
    const all = [...statuses.values()]
    const pending = all.reduce((n, s) => n + s.pending, 0)
    const refused = all.find((s) => s.state === 'refused')
    if (refused) return { state: 'refused', pending, closeCode: refused.closeCode }
    if (!online || all.some((s) => s.state === 'offline')) return { state: 'offline', pending }
    if (all.some((s) => s.state === 'connecting')) return { state: 'connecting', pending }
    if (all.some((s) => s.state === 'syncing') || pending > 0) return { state: 'syncing', pending }
    return { state: 'synced', pending: 0 }
  }
  let last: WorkspaceStatus = { state: 'connecting', pending: 0 }
  // cells not synced when the workspace was restored, set again once their document has synced
  const carried: CarriedCells = readCarriedCells(storePrefix)
  const carryOver = (docName: string) => {
    const entityId = Object.keys(carried).find((id) => entityDocName(id) === docName)
    const store = entityId ? remote.get(entityId) : undefined
    if (!entityId || !store) return
    const changes = cellsToCarry(carried[entityId] ?? [], (id) => store.row(id) !== undefined)
    delete carried[entityId]
    saveCarriedCells(storePrefix, carried)
    if (changes.length) send({ type: 'intent', entityId, intent: { op: 'update', changes }, key: null })
  }
  const setStatus = (docName: string, status: DocSyncStatus) => {
    statuses.set(docName, status)
    if (status.state === 'synced' && Object.keys(carried).length) carryOver(docName)
    const next = aggregate()
    if (next.state === last.state && next.pending === last.pending && next.closeCode === last.closeCode) return
    last = next
    statusListeners.forEach((l) => l(next))
    if (next.state === 'refused' && next.closeCode === CLOSE_WORKSPACE_RESTORED) void startOver()
  }
  let startingOver = false
  let answerUnsent: (cells: CarriedCells) => void = () => {}
  /** The workspace was restored since this device synced: drop its copies, learn the new epoch, load again. */
  async function startOver(): Promise<void> {
    if (startingOver) return
    startingOver = true
    console.warn('kanso: the workspace was restored from a backup; this device loads it again (edits not yet synced are set again on the records it has)')
    const unsent = await new Promise<CarriedCells>((resolve) => {
      answerUnsent = resolve
      send({ type: 'unsent' })
      setTimeout(() => resolve({}), 2000)
    })
    worker.terminate()
    schemaDoc.destroy()
    automationDoc.destroy()
    await dropLocalWorkspace(storePrefix)
    const keep: CarriedCells = { ...carried }
    for (const [entityId, cells] of Object.entries(unsent)) keep[entityId] = [...(keep[entityId] ?? []), ...cells]
    saveCarriedCells(storePrefix, keep)
    await learnEpoch(opts.syncUrl, opts.token, storePrefix).catch((err: unknown) => console.warn('kanso: could not learn the workspace epoch', err))
    ;(opts.onWorkspaceRestored ?? (() => location.reload()))()
  }

  // The schema as last seen on this device paints the lists at once; the document (from
  // IndexedDB, then the relay) takes over when it has loaded.
  const schemaKey = `${storePrefix}schema`
  let cachedSchema = readCachedSchema(schemaKey)
  // a first visit: the schema index.html asked the relay for, until the document has synced
  const relaySchema = storePrefix === 'kanso:' && !cachedSchema ? takeBootSchema() : Promise.resolve(null)
  // with a schema to show (this device's, else the relay's), the document may wait
  const deferred = opts.loadSchemaAfter
  const loadAfter = deferred && (cachedSchema ? deferred : relaySchema.then((s) => (s ? deferred : undefined)))
  const schemaDoc = new SyncedDoc({ name: SCHEMA_DOC, syncUrl: opts.syncUrl, token: opts.token, storePrefix, meta, loadAfter, epoch })
  if (!online) schemaDoc.goOffline()
  schemaDoc.onStatus((s) => setStatus(SCHEMA_DOC, s))
  setStatus(SCHEMA_DOC, schemaDoc.getStatus())
  const schema = makeSchemaStore(schemaDoc.doc)
  const rememberSchema = (s: WorkspaceSchema) => {
    if (!s.entities.length) return
    cachedSchema = s
    try {
      localStorage.setItem(schemaKey, JSON.stringify(s))
    } catch (err) {
      console.warn('kanso: could not remember the schema on this device', err)
    }
  }
  const stopRemembering = schema.subscribe(rememberSchema)
  const schemaLoaded = schemaDoc.whenLocal.then(() => new Promise<void>((resolve) => {
    if (schema.read().entities.length) return resolve()
    const stop = schema.subscribe((s) => {
      if (!s.entities.length) return
      stop()
      resolve()
    })
  }))
  const presence = makePresence(schemaDoc.provider.awareness, opts.member)

  // The automation document lives on the page like the schema; the worker runs the member's
  // rules in each write (ruleWriter.ts) and gets them from here.
  const automationDoc = new SyncedDoc({ name: AUTOMATION_DOC, syncUrl: opts.syncUrl, token: opts.token, storePrefix, meta, loadAfter, epoch })
  if (!online) automationDoc.goOffline()
  automationDoc.onStatus((s) => setStatus(AUTOMATION_DOC, s))
  setStatus(AUTOMATION_DOC, automationDoc.getStatus())
  if (!epoch) {
    learnEpoch(opts.syncUrl, opts.token, storePrefix).then((learnt) => {
      if (!learnt || startingOver) return
      schemaDoc.setEpoch(learnt)
      automationDoc.setEpoch(learnt)
      send({ type: 'epoch', epoch: learnt })
    }, (err: unknown) => console.warn('kanso: could not learn the workspace epoch', err))
  }
  const imports = makeImportClient((job, command) => send({ type: 'import', job, command }))
  const automation = makeAutomationStore(automationDoc.doc, opts.member.id, `${opts.member.id}.${deviceId()}`)
  let rulesWanted = false
  let lastSetup = ''
  let bootSchema: WorkspaceSchema | null = null
  void relaySchema.then((s) => { bootSchema = s; if (rulesWanted) tellRules() })
  const tellRules = () => {
    rulesWanted = true
    const current = schema.read()
    const shownSchema = current.entities.length ? current : cachedSchema ?? bootSchema
    if (!shownSchema) return
    const firedCounts: Record<string, number> = {}
    for (const [id, log] of automation.runs()) firedCounts[id] = log.count
    const setup: RuleSetup = { rules: automation.rules(), schema: shownSchema, firedCounts, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }
    const json = JSON.stringify(setup)
    if (json === lastSetup) return
    lastSetup = json
    send({ type: 'rules', setup })
  }
  const stopAutomation = automation.subscribe(() => { if (rulesWanted || automation.rules().length) tellRules() })
  const stopSchemaRules = schema.subscribe(() => { if (rulesWanted) tellRules() })
  void automationDoc.whenLocal.then(() => {
    if (automation.rules().length) return tellRules()
    const timer = setTimeout(tellRules, RULES_WAIT_MS)
    void automationDoc.whenSynced.then(() => { clearTimeout(timer); tellRules() })
  })

  const stores = new Map<string, Promise<EntityStore>>()
  const remote = new Map<string, RemoteEntityStore>()
  const waiting = new Map<string, (store: RemoteEntityStore) => void>()
  const duplicateAsks = new Map<number, (groups: DuplicateGroup[]) => void>()
  let lastDuplicateAsk = 0

  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    const msg = event.data
    switch (msg.type) {
      case 'status':
        setStatus(msg.docName, msg.status)
        break
      case 'snapshot':
        performance.mark(`kanso:snapshot-read:${msg.entityId}`)
        if (msg.snapshot) waiting.get(msg.entityId)?.(paint(msg.entityId, msg.snapshot))
        break
      case 'loaded': {
        performance.mark(`kanso:doc-loaded:${msg.entityId}`)
        loadedDocs.add(msg.entityId)
        const rows = msg.rows ? decodeRows<Row[]>(msg.rows) : null
        let store = remote.get(msg.entityId)
        if (!store) {
          store = makeRemote(msg.entityId, rows ?? [])
          waiting.get(msg.entityId)?.(store)
        } else if (rows) {
          store.replaceAll(rows)
        }
        if (msg.patch) store.applyPatch(msg.patch, false)
        break
      }
      case 'patch':
        remote.get(msg.entityId)?.applyPatch(msg.patch, msg.local)
        break
      case 'stored':
        markStored()
        break
      case 'history':
        remote.get(msg.entityId)?.setHistory(msg.canUndo, msg.canRedo)
        break
      case 'unsent':
        answerUnsent(msg.cells)
        break
      case 'failed':
        console.error(`kanso: could not open ${msg.entityId}: ${msg.message}`)
        break
      case 'deletedRows':
        remote.get(msg.entityId)?.takeDeletedRows(msg.ask, msg.rows)
        break
      case 'duplicates':
        duplicateAsks.get(msg.ask)?.(msg.groups)
        duplicateAsks.delete(msg.ask)
        break
      case 'ruleEffects':
        automation.record(msg)
        break
      case 'import':
        imports.take(msg.job, msg.event)
        break
    }
  }
  worker.onerror = (event) => console.error('kanso: workspace worker failed', event.message)

  // Edits made before the worker has loaded their document are written to IndexedDB here, not
  // in the worker: its thread may be busy decoding that document for seconds. One chain per
  // entity keeps them in order; the worker applies them once loaded and deletes them after.
  const loadedDocs = new Set<string>()
  const intentChains = new Map<string, Promise<void>>()
  const sendIntent = (entityId: string, intent: EntityIntent) => {
    if (!performance.getEntriesByName('kanso:edit-made').length) performance.mark('kanso:edit-made')
    const storeHere = !loadedDocs.has(entityId) && intent.op !== 'undo' && intent.op !== 'redo'
    const key = storeHere ? intentKey(entityId) : null
    const chain = (intentChains.get(entityId) ?? Promise.resolve()).then(async () => {
      if (key) {
        await meta.set('intents', key, intent)
        markStored()
      }
      send({ type: 'intent', entityId, intent, key })
    }).catch((err: unknown) => {
      console.error(`kanso: could not keep an edit of ${entityId} on this device`, err)
      send({ type: 'intent', entityId, intent, key: null })
    })
    intentChains.set(entityId, chain)
  }

  /**
   * Paints a snapshot from its first rows (enough for the first screen); the rest are parsed in
   * background tasks of 256 KB each (~5–10 ms: a keystroke waits at most that long), not in
   * one task of 0.3 s for 30k contacts.
   */
  const paint = (entityId: string, snapshot: RowSnapshot) => {
    const { total, slices } = rowSlices<Row>(snapshot.bytes, FIRST_SLICE_ROWS, SLICE_BYTES)
    const first = slices.next()
    return makeRemote(entityId, first.done ? [] : first.value, { total, slices, pause: backgroundTurn })
  }
  const makeRemote = (entityId: string, rows: Row[], rest?: RowsToCome) => {
    const askDeleted = (ask: number, ids: string[] | null) => send({ type: 'deletedRows', entityId, ask, ids })
    const store = new RemoteEntityStore(entityId, rows, opts.member.id, (intent) => sendIntent(entityId, intent), rest, askDeleted)
    remote.set(entityId, store)
    return store
  }

  return {
    member: opts.member,
    schema,
    presence,
    automation,
    imports,
    whenSchema() {
      if (cachedSchema) return Promise.resolve(cachedSchema)
      return new Promise((resolve) => {
        let done = false
        const check = () => {
          const s = schema.read()
          if (done || !s.entities.length) return
          done = true
          stop()
          resolve(s)
        }
        const stop = schema.subscribe(check)
        void schemaDoc.whenLocal.then(check)
        void relaySchema.then((s) => {
          if (done || !s) return
          done = true
          stop()
          performance.mark('kanso:schema-from-relay')
          resolve(s)
        })
        check()
      })
    },
    whenSchemaLoaded() {
      schemaDoc.loadNow()
      return schemaLoaded
    },
    duplicates(entity) {
      const ask = ++lastDuplicateAsk
      return new Promise((resolve) => {
        duplicateAsks.set(ask, resolve)
        // behind this list's edits on their way to the worker, the one being made included (a store
        // tells its listeners before it sends the intent): the answer includes them
        void Promise.resolve().then(() => intentChains.get(entity.id)).then(() => send({ type: 'duplicates', entityId: entity.id, ask, entity }))
      })
    },
    entity(entityId) {
      let p = stores.get(entityId)
      if (!p) {
        // the worker may have it open already, for the rules: its state is known then
        if (!statuses.has(entityDocName(entityId))) statuses.set(entityDocName(entityId), { state: 'connecting', pending: 0 })
        const boot = storePrefix === 'kanso:' ? takeBootSnapshot(entityId) : undefined
        // Resolves with the painted store: from the snapshot index.html read, else from the one
        // the worker sends, else once the worker has loaded the document.
        p = new Promise<EntityStore>((resolve) => {
          const done = (store: RemoteEntityStore) => {
            waiting.delete(entityId)
            // let the browser breathe between parsing and building the grid: two short tasks
            // instead of one long one (the store already takes the worker's patches meanwhile)
            setTimeout(() => resolve(store), 0)
          }
          waiting.set(entityId, done)
          if (!boot) {
            send({ type: 'open', entityId, painted: null })
            return
          }
          const paintWhole = (snapshot: RowSnapshot | null) => {
            performance.mark(`kanso:snapshot-read:${entityId}`)
            if (!snapshot) return send({ type: 'open', entityId, painted: null })
            const store = paint(entityId, snapshot)
            done(store)
            // The worker gets the painted bytes, to tell what changed once the document has
            // loaded: transferred (copying 10+ MB cost the page 100–180 ms) once every row is
            // parsed from them. Until then the worker does not compete with the first paint
            // for this machine's cores either.
            void store.complete.then(() => send({ type: 'open', entityId, painted: snapshot }, [snapshot.bytes.buffer]))
          }
          void boot.head.then((head) => {
            if (!head) return void boot.full.then(paintWhole)
            performance.mark(`kanso:snapshot-read:${entityId}`)
            performance.mark(`kanso:snapshot-head:${entityId}`)
            // the first rows now; the rest from the whole snapshot (same version) once it is read
            let whole: RowSnapshot | null = null
            const read = boot.full.then((s) => {
              performance.mark(`kanso:snapshot-whole:${entityId}`)
              whole = s && s.version === head.version ? s : null
            })
            function* rest(): Generator<Row[]> {
              if (whole) yield* rowSlices<Row>(whole.bytes, FIRST_SLICE_ROWS, SLICE_BYTES).slices
            }
            const store = makeRemote(entityId, decodeRows<Row[]>(head.bytes), { total: head.total, slices: rest(), pause: () => read.then(backgroundTurn), ask: boot.readRest })
            done(store)
            // without the whole snapshot the worker tells the rest as a difference from the head
            void store.complete.then(() => {
              const painted = whole ?? head
              send({ type: 'open', entityId, painted: { version: painted.version, bytes: painted.bytes } }, [painted.bytes.buffer])
            })
          })
        })
        stores.set(entityId, p)
      }
      return p
    },
    status: () => aggregate(),
    onStatus(listener) {
      statusListeners.add(listener)
      return () => statusListeners.delete(listener)
    },
    setOnline(next) {
      online = next
      send({ type: 'online', online: next })
      for (const doc of [schemaDoc, automationDoc]) {
        if (next) doc.goOnline()
        else doc.goOffline()
      }
      setStatus(SCHEMA_DOC, schemaDoc.getStatus())
      setStatus(AUTOMATION_DOC, automationDoc.getStatus())
    },
    destroy() {
      stopRemembering()
      stopAutomation()
      stopSchemaRules()
      worker.terminate()
      schemaDoc.destroy()
      automationDoc.destroy()
      for (const s of remote.values()) s.destroy()
    },
  }
}

function readCachedSchema(key: string): WorkspaceSchema | null {
  try {
    const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(key)
    const parsed = raw ? (JSON.parse(raw) as WorkspaceSchema) : null
    return parsed && Array.isArray(parsed.entities) && parsed.entities.length ? parsed : null
  } catch {
    return null
  }
}

/** The first edit of this page that is safe on this device (the bench's "edit stored"). */
function markStored(): void {
  if (!performance.getEntriesByName('kanso:edit-stored').length) performance.mark('kanso:edit-stored')
}
