import { performance } from 'node:perf_hooks'
import { CompactRecordStore } from '../../src/crdt/compactRecordStore'
import { SCHEMA_DOC } from '../../src/crdt/docNames'
import { applyUpdateWithEdits } from '../../src/crdt/readUpdateEdits'
import { META_PURGED_AT } from '../../src/crdt/recordTable'
import { conflictKey, type ConflictMark, type HistoryEntry, type HistoryVia } from '../../src/domain/history/historyEntry'
import { recordChanges } from '../../src/domain/history/recordChanges'
import type { FieldValue, Row, WorkspaceSchema } from '../../src/domain/schema'
import type { EntityStores } from '../api/entityStores'
import type { EntityLoader } from '../api/entityLoader'
import type { Member } from '../auth/member'
import { readStoredSchema } from '../http/readStoredSchema'
import type { RelayHooks } from '../relayHooks'
import type { RelayLogger } from '../relayLogger'
import type { SyncServer } from '../rooms/syncServer'
import type { UpdateOrigin } from '../rooms/writeServerUpdate'
import type { RelayStorage } from '../storage/relayStorage'
import { makeHistoryWriter } from './historyWriter'
import { QuietBacklog, type QuietBacklogLimits } from './quietBacklog'
import { splitUpdate, type UpdatePiece } from '../../src/crdt/splitUpdate'

const ENTITY_DOC_PREFIX = 'entity-'
/** Records purged in a slice, by entity id. */
type Purged = Map<string, Set<string>>

/**
 * The feed derives its backlog in the relay's pauses: once no entity update was stored for 200 ms
 * (a burst is derived after it, not between its updates), in slices of at most 16 updates and
 * ~0.3 ms, at setImmediate priority; at once, slice after slice, past 200k updates or 64 MB queued
 * (a load that never pauses: memory stays bounded) or when someone reads the history (idle()).
 * A steady load is not interrupted however light: a slice beside it (the rule that derived while
 * the loop was under 15 % busy) delayed forwarding, B9's p99 at 1000 edits/s went from 0.68× to
 * 1.52× the reference's. Slices of 64 updates / 1 ms after 5 ms quiet still ran inside B9's
 * phases (the load pauses for its own GC) and held arriving edits up to a slice each: ours p99
 * 3.8 / 4.6 ms at 1000 / 3000 edits/s, as good as without the feed (1.9 / 3.9 ms) at these limits.
 * Deriving costs ~100 µs of CPU per update (the reference relay spends about that on all of an
 * edit), and on a 2-core machine even a slice in a 10 ms pause takes CPU from whatever else runs
 * (B9's clients): 200 ms of quiet moves it out of a steady load; a reader waits for it (idle()),
 * and conflict marks come at the next pause. 64 MB of queued updates: a 100k-contact import over
 * HTTP (100-record updates, each derived in one task of 30–100 ms) passed 16 MB at ~75k contacts
 * and derived during the import, holding the loop's p99 at 83–230 ms; now it derives after it.
 */
export const HISTORY_BACKLOG: QuietBacklogLimits = { quietMs: 200, maxItems: 200_000, maxBytes: 64 * 1024 * 1024, sliceItems: 16, sliceMs: 0.3 }
/**
 * An update bigger than this (an import's batch written in the app: 1,000 records, ~260 KB; a
 * stock client's offline work sent as one sync step 2) is derived in pieces of about PIECE_BYTES
 * (~100 contacts), cut at record starts as they are derived, a piece per slice when time is
 * short: derived whole, one such update held the relay's event loop for 100–800 ms, and cutting
 * a 12.9 MB one (50k contacts) up front another ~470 ms.
 */
const SPLIT_ABOVE_BYTES = 48 * 1024
const PIECE_BYTES = 24 * 1024
/** Slices whose entries may wait in the history writer's queue at once (a slice of an import's batch: ~600 entries). */
const WRITES_IN_FLIGHT = 8
/** What a queued update holds besides its bytes (the Arrived object), for the backlog's byte cap. */
const ARRIVED_BYTES = 120

/** The relay's own writes of conflict marks carry this author. */
export const HISTORY_MEMBER: Member = { id: 'relay:history', name: 'History', role: 'editor', createdAt: '' }

export interface RecordHistoryFeed {
  /** The relay's hooks with this one around them: every stored entity update is queued for the history. */
  hooks(inner: RelayHooks | undefined): RelayHooks
  /** The sync server and API copies its conflict marks are written through (made after the hooks). */
  start(sync: SyncServer, stores: EntityStores): void
  /** Derives what is queued now, and resolves once nothing is queued or being derived (tests, the history route). */
  idle(): Promise<void>
  /** Derives what is queued, then takes no more (the relay closes). */
  close(): Promise<void>
}

interface Arrived {
  name: string
  update: Uint8Array
  seq: number
  member: Member
  via: HistoryVia
  arrivedAt: number
  /** A big update's pieces (splitUpdate, cut as they are derived), and the one to derive next. */
  pieces?: Iterator<UpdatePiece>
  next?: IteratorResult<UpdatePiece>
}

/** Who set a field last and when (what RelayStorage.lastFieldWrite answers). */
type FieldWrite = Pick<HistoryEntry, 'memberId' | 'memberName' | 'at'>

/**
 * The feed's copy of one stored entity document, each record's row as last seen, and per
 * `<record id>\n<field id>` the field's last write: from the entries the feed made since the copy
 * was loaded (`complete` false) and, once asked for, storage's answer (complete).
 */
interface StoredCopy {
  store: CompactRecordStore
  rows: Map<string, Row>
  lastWrites: Map<string, { write: FieldWrite | null; complete: boolean }>
}

type Marks = { name: string; entityId: string; changes: { recordId: string; key: string; value: ConflictMark | undefined }[] }[]

/**
 * Derives the record history (issue 15) from the updates the relay stores, off live sync: the
 * hook only queues the update with its arrival time, sender and way in (bytes the relay has
 * anyway), and the queue is derived in slices while the relay is quiet (HISTORY_BACKLOG). A
 * slice applies its updates to the feed's own copy of each document (fed by stored updates
 * only, as the webhooks' copy: the API's copies run ahead of storage while a write is made),
 * reads each write's stamp from the update itself (readUpdateEdits), diffs the touched records
 * (recordChanges) and appends the slice's entries in one transaction, in a thread of its own
 * (historyWriter.ts). A value that lost to a write made apart from it is kept as a `conflict`
 * entry, and the relay marks its cell
 * (`conflict@<field id>`) until a member sets the cell again or removes the mark.
 */
export function makeRecordHistoryFeed(storage: RelayStorage, loader: EntityLoader, logger: RelayLogger, limits: QuietBacklogLimits = HISTORY_BACKLOG): RecordHistoryFeed {
  let sync: SyncServer | null = null
  let stores: EntityStores | null = null
  /** Closing: the sync server is gone, so no conflict marks are written; closed: nothing more is queued. */
  let closing = false
  let closed = false
  const copies = new Map<string, StoredCopy>()
  const writer = makeHistoryWriter(storage, logger)
  /** Copies being loaded: started on the turn after a document's first queued update, as stored before it. */
  const loading = new Map<string, Promise<StoredCopy>>()
  let schemaCache: { seq: number; schema: WorkspaceSchema } | null = null
  const readSchema = () => {
    const seq = storage.lastSeq(SCHEMA_DOC)
    if (schemaCache?.seq !== seq) schemaCache = { seq, schema: readStoredSchema(storage) }
    return schemaCache.schema
  }

  const deriveSlice = async (slice: Arrived[], until: number): Promise<number> => {
    const entries: HistoryEntry[] = []
    const marks: Marks = []
    const purged: Purged = new Map()
    // once per slice, not per update: a SQLite read per update was a third of the feed's time
    const schema = readSchema()
    let done = 0
    let derivedAny = false
    for (const arrived of slice) {
      // the slice's time is up: the rest is derived in the next one (one piece is always derived)
      if (derivedAny && performance.now() >= until) break
      try {
        const copy = copies.get(arrived.name) ?? (await copyFor(arrived.name, arrived.seq))
        arrived.pieces ??= arrived.update.byteLength > SPLIT_ABOVE_BYTES ? splitUpdate(arrived.update, { maxBytes: PIECE_BYTES }) : [{ update: arrived.update, ends: new Map() }][Symbol.iterator]()
        let next = arrived.next ?? arrived.pieces.next()
        while (!next.done && !(derivedAny && performance.now() >= until)) {
          derive(copy, schema, arrived, next.value.update, entries, marks, purged)
          derivedAny = true
          next = arrived.pieces.next()
        }
        arrived.next = next
        // a big update's next pieces come in the next slice: it stays first in the backlog
        if (!next.done) break
      } catch (error) {
        // a copy that failed to apply is read again from storage for the next update
        copies.delete(arrived.name)
        derivedAny = true
        logger.warn(`history: could not derive the changes of "${arrived.name}" seq ${arrived.seq}: ${(error as Error).message}`)
      }
      done++
    }
    // a purge keeps none of the record's values: not in its document, and not here either
    const kept = purged.size ? entries.filter((e) => !purged.get(e.entityId)?.has(e.recordId)) : entries
    // The next slice derives while this one is written (its fields' last writes are in the copies'
    // lastWrites: storage is read only for fields the feed has not seen written since a copy loaded).
    // A failed write still counts the slice as derived: the copies took its updates, and failing the
    // slice handed the backlog's next updates out underived too, so every later update of those
    // documents waited for them in the copy (seen as SQLITE_BUSY during a 100k-record import).
    const written: Promise<void> = writer.write(kept, new Map([...purged].map(([entityId, ids]) => [entityId, [...ids]])))
      .catch((error: unknown) => logger.error(`history: ${kept.length} entries of ${done} stored update(s) were not written: ${(error as Error).message}`))
      .finally(() => writing.delete(written))
    writing.add(written)
    // the writer takes them in order: waiting for the oldest bounds what waits in its queue
    if (writing.size > WRITES_IN_FLIGHT) await writing.values().next().value
    for (const mark of marks) await writeMarks(mark.name, mark.entityId, mark.changes)
    return done
  }
  /** Slices' writes the writer has not finished, oldest first. */
  const writing = new Set<Promise<void>>()
  const allWritten = async () => {
    await Promise.all([...writing])
  }
  const backlog = new QuietBacklog<Arrived>(limits, deriveSlice, (error) => {
    logger.error(`history: a slice of stored updates was not derived: ${(error as Error).message}`)
  })

  const copyFor = (name: string, seq: number): Promise<StoredCopy> => {
    let pending = loading.get(name)
    if (!pending) {
      pending = load(name, seq)
      loading.set(name, pending)
    }
    return pending
  }

  /** The document as stored before `seq`, loaded off the event loop when big. */
  const load = async (name: string, seq: number): Promise<StoredCopy> => {
    try {
      const rows = storage.loadRows(name).filter((row) => row.seq < seq)
      const loaded = await loader.load(name, rows.map((row) => row.update))
      // updates of a room clients edit concurrently may need the Y.Doc path: the feed takes them all
      const store = CompactRecordStore.adopt(loaded.exportState(), { name, mergeIntoStateBytes: Number.POSITIVE_INFINITY })
      const copy: StoredCopy = { store, rows: new Map(store.allRows().map((row) => [row.id, row])), lastWrites: new Map() }
      copies.set(name, copy)
      return copy
    } finally {
      loading.delete(name)
    }
  }

  const lastWrite = (copy: StoredCopy, entityId: string, recordId: string, fieldId: string): FieldWrite | undefined => {
    const key = `${recordId}\n${fieldId}`
    let known = copy.lastWrites.get(key)
    if (!known?.complete) {
      // storage's entries were appended before the feed's own, and the last appended is the write
      // a racing one replaced, whatever its time (an edit made offline is dated earlier)
      const mine = known?.write ?? null
      known = { write: mine ?? storage.lastFieldWrite(entityId, recordId, fieldId), complete: true }
      copy.lastWrites.set(key, known)
    }
    return known.write ?? undefined
  }

  const noteWrite = (copy: StoredCopy, e: HistoryEntry) => {
    const key = `${e.recordId}\n${e.fieldId}`
    const known = copy.lastWrites.get(key)
    const write = { memberId: e.memberId, memberName: e.memberName, at: e.at }
    if (!known) copy.lastWrites.set(key, { write, complete: false })
    else known.write = write
  }

  const derive = (copy: StoredCopy, schema: WorkspaceSchema, arrived: Arrived, update: Uint8Array, entries: HistoryEntry[], marks: Marks, purged: Purged) => {
    const entityId = arrived.name.slice(ENTITY_DOC_PREFIX.length)
    const applied = applyUpdateWithEdits(copy.store, update, (id) => copy.rows.get(id))
    const entity = schema.entities.find((e) => e.id === entityId)
    const writes = new Map<string, typeof applied.edits>()
    for (const edit of applied.edits) {
      const list = writes.get(edit.recordId)
      if (list) list.push(edit)
      else writes.set(edit.recordId, [edit])
    }
    const changes: Marks[number]['changes'] = []
    for (const [recordId, before] of applied.before) {
      const after = copy.store.row(recordId)
      if (after) copy.rows.set(recordId, after)
      if (!entity) continue
      const recordWrites = writes.get(recordId) ?? []
      if (recordWrites.some((w) => w.key === META_PURGED_AT)) {
        let ids = purged.get(entityId)
        if (!ids) purged.set(entityId, (ids = new Set()))
        ids.add(recordId)
        for (const key of copy.lastWrites.keys()) if (key.startsWith(`${recordId}\n`)) copy.lastWrites.delete(key)
        continue
      }
      const found = recordChanges(entity, recordId, before, after, recordWrites, {
        entityId, arrivedAt: arrived.arrivedAt, memberId: arrived.member.id, memberName: arrived.member.name, via: arrived.via,
        stampOf: (key) => applied.keyStamps.get(`${recordId}\n${key}`) ?? applied.recordStamps.get(recordId),
        previousWrite: (fieldId) => lastWrite(copy, entityId, recordId, fieldId),
      })
      for (const e of found) {
        entries.push(e)
        // what lastFieldWrite answers: values set, not conflicts (nor created, deleted, restored: no field)
        if (e.kind !== 'conflict' && e.fieldId !== null) noteWrite(copy, e)
      }
      if (!after) continue
      for (const e of found) {
        if (e.kind === 'conflict' && e.fieldId && e.to !== null) changes.push({ recordId, key: conflictKey(e.fieldId), value: { value: e.to, by: e.memberId, at: e.at } })
      }
      // a member who sets a marked cell again (not racing) has picked its value: the mark goes
      for (const w of recordWrites) {
        if (w.concurrent || w.key.startsWith('conflict@')) continue
        const key = conflictKey(w.key)
        if (after.values[key] !== undefined && !changes.some((c) => c.recordId === recordId && c.key === key)) changes.push({ recordId, key, value: undefined })
      }
    }
    if (changes.length) marks.push({ name: arrived.name, entityId, changes })
  }

  const writeMarks = async (name: string, entityId: string, changes: Marks[number]['changes']) => {
    if (!sync || !stores || closing) return
    try {
      const entry = await stores.load(entityId)
      const live = changes.filter((c) => entry.store.row(c.recordId) !== undefined)
      if (!live.length) return
      const change = entry.store.writeKeys(live.map((c) => ({ recordId: c.recordId, key: c.key, value: c.value as FieldValue | undefined })))
      entry.touched(live.map((c) => c.recordId))
      await sync.writeServerUpdate(name, change.update, HISTORY_MEMBER, 'relay')
    } catch (error) {
      stores.drop(entityId)
      logger.warn(`history: could not mark conflicting cells of "${name}": ${(error as Error).message}`)
    }
  }

  return {
    hooks: (inner) => ({
      ...inner,
      afterStoreUpdate(context) {
        inner?.afterStoreUpdate?.(context)
        const name = context.documentName
        if (closed || name === SCHEMA_DOC || !name.startsWith(ENTITY_DOC_PREFIX)) return
        const { update, seq } = context
        backlog.push({ name, update, seq, member: context.member, via: viaOf(context.origin), arrivedAt: Date.now() }, update.byteLength + ARRIVED_BYTES)
        // the copy is read as stored before this update now, not when the backlog is derived:
        // by then a compaction may have merged this update into the document's base row
        if (!copies.has(name) && !loading.has(name)) {
          const pending = new Promise<void>((resolve) => setImmediate(resolve)).then(() => load(name, seq))
          loading.set(name, pending)
          pending.catch((error: unknown) => logger.warn(`history: could not load "${name}": ${(error as Error).message}`))
        }
      },
    }),
    start(s, st) {
      sync = s
      stores = st
    },
    idle: async () => {
      await backlog.drained()
      await allWritten()
    },
    async close() {
      closing = true
      await backlog.drained()
      closed = true
      await allWritten()
      await writer.close()
    },
  }
}

function viaOf(origin: UpdateOrigin | undefined): HistoryVia {
  return origin === undefined || origin === 'sync' ? 'app' : origin
}
