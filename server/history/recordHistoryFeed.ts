import { CompactRecordStore } from '../../src/crdt/compactRecordStore'
import { SCHEMA_DOC } from '../../src/crdt/docNames'
import { applyUpdateWithEdits } from '../../src/crdt/readUpdateEdits'
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

const ENTITY_DOC_PREFIX = 'entity-'

/** The relay's own writes of conflict marks carry this author. */
export const HISTORY_MEMBER: Member = { id: 'relay:history', name: 'History', role: 'editor', createdAt: '' }

export interface RecordHistoryFeed {
  /** The relay's hooks with this one around them: every stored entity update is queued for the history. */
  hooks(inner: RelayHooks | undefined): RelayHooks
  /** The sync server and API copies its conflict marks are written through (made after the hooks). */
  start(sync: SyncServer, stores: EntityStores): void
  /** Resolves once nothing is queued or being derived (tests, shutdown, the history route). */
  idle(): Promise<void>
}

interface Arrived { name: string; update: Uint8Array; seq: number; member: Member; via: HistoryVia; arrivedAt: number }

/** The feed's copy of one stored entity document, and each record's row as last seen. */
interface StoredCopy { store: CompactRecordStore; rows: Map<string, Row> }

/**
 * Derives the record history (issue 15) from the updates the relay stores. Off the per-message
 * path: the hook only queues the update with its arrival time and sender; a drain on the next
 * turn applies the queued updates to the feed's own copy of each document (fed by stored updates
 * only, as the webhooks' copy: the API's copies run ahead of storage while a write is made),
 * reads each write's stamp from the update itself (readUpdateEdits), diffs the touched records
 * (recordChanges) and appends the entries in one transaction. A value that lost to a write made
 * apart from it is kept as a `conflict` entry, and the relay marks its cell (`conflict@<field id>`)
 * until a member sets the cell again or removes the mark.
 */
export function makeRecordHistoryFeed(storage: RelayStorage, loader: EntityLoader, logger: RelayLogger): RecordHistoryFeed {
  let sync: SyncServer | null = null
  let stores: EntityStores | null = null
  const queue: Arrived[] = []
  const copies = new Map<string, StoredCopy>()
  let running: Promise<void> | null = null
  let schemaCache: { seq: number; schema: WorkspaceSchema } | null = null
  const readSchema = () => {
    const seq = storage.lastSeq(SCHEMA_DOC)
    if (schemaCache?.seq !== seq) schemaCache = { seq, schema: readStoredSchema(storage) }
    return schemaCache.schema
  }

  const schedule = () => {
    running ??= new Promise<void>((resolve) => setImmediate(resolve)).then(drain).finally(() => { running = null })
  }

  const drain = async () => {
    while (queue.length) {
      const batch = queue.splice(0)
      const entries: HistoryEntry[] = []
      const marks: { name: string; entityId: string; changes: { recordId: string; key: string; value: ConflictMark | undefined }[] }[] = []
      for (const arrived of batch) {
        try {
          const copy = copies.get(arrived.name) ?? (await load(arrived.name, arrived.seq))
          derive(copy, arrived, entries, marks)
        } catch (error) {
          // a copy that failed to apply is read again from storage for the next update
          copies.delete(arrived.name)
          logger.warn(`history: could not derive the changes of "${arrived.name}" seq ${arrived.seq}: ${(error as Error).message}`)
        }
      }
      storage.appendHistory(entries)
      for (const mark of marks) await writeMarks(mark.name, mark.entityId, mark.changes)
    }
  }

  /** The document as stored before `seq`, loaded off the event loop when big. */
  const load = async (name: string, seq: number): Promise<StoredCopy> => {
    const rows = storage.loadRows(name).filter((row) => row.seq < seq)
    const loaded = await loader.load(name, rows.map((row) => row.update))
    // updates of a room clients edit concurrently may need the Y.Doc path: the feed takes them all
    const store = CompactRecordStore.adopt(loaded.exportState(), { name, mergeIntoStateBytes: Number.POSITIVE_INFINITY })
    const copy: StoredCopy = { store, rows: new Map(store.allRows().map((row) => [row.id, row])) }
    copies.set(name, copy)
    return copy
  }

  const derive = (copy: StoredCopy, arrived: Arrived, entries: HistoryEntry[], marks: { name: string; entityId: string; changes: { recordId: string; key: string; value: ConflictMark | undefined }[] }[]) => {
    const entityId = arrived.name.slice(ENTITY_DOC_PREFIX.length)
    const applied = applyUpdateWithEdits(copy.store, arrived.update, (id) => copy.rows.get(id))
    const entity = readSchema().entities.find((e) => e.id === entityId)
    const writes = new Map<string, typeof applied.edits>()
    for (const edit of applied.edits) {
      const list = writes.get(edit.recordId)
      if (list) list.push(edit)
      else writes.set(edit.recordId, [edit])
    }
    const changes: { recordId: string; key: string; value: ConflictMark | undefined }[] = []
    for (const [recordId, before] of applied.before) {
      const after = copy.store.row(recordId)
      if (after) copy.rows.set(recordId, after)
      if (!entity) continue
      const recordWrites = writes.get(recordId) ?? []
      const found = recordChanges(entity, recordId, before, after, recordWrites, {
        entityId, arrivedAt: arrived.arrivedAt, memberId: arrived.member.id, memberName: arrived.member.name, via: arrived.via,
        stampOf: (key) => applied.keyStamps.get(`${recordId}\n${key}`) ?? applied.recordStamps.get(recordId),
        previousWrite: (fieldId) => {
          // the entries of this batch are not stored yet: the newest of them first
          const pending = [...entries].reverse().find((e) => e.recordId === recordId && e.entityId === entityId && e.fieldId === fieldId && e.kind !== 'conflict')
          return pending ?? storage.lastFieldWrite(entityId, recordId, fieldId) ?? undefined
        },
      })
      entries.push(...found)
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

  const writeMarks = async (name: string, entityId: string, changes: { recordId: string; key: string; value: ConflictMark | undefined }[]) => {
    if (!sync || !stores) return
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
        if (context.documentName === SCHEMA_DOC || !context.documentName.startsWith(ENTITY_DOC_PREFIX)) return
        queue.push({ name: context.documentName, update: context.update, seq: context.seq, member: context.member, via: viaOf(context.origin), arrivedAt: Date.now() })
        schedule()
      },
    }),
    start(s, st) {
      sync = s
      stores = st
    },
    async idle() {
      while (running) await running
    },
  }
}

function viaOf(origin: UpdateOrigin | undefined): HistoryVia {
  return origin === undefined || origin === 'sync' ? 'app' : origin
}
