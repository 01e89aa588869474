import * as Y from 'yjs'
import { entityDocName } from '../../src/crdt/docNames'
import { boundEntryTime, isTimedEntryKey, TIMED_ENTRIES } from '../../src/domain/boundEntryTime'
import type { FieldValue } from '../../src/domain/schema'
import type { EntityStores } from '../api/entityStores'
import type { Member } from '../auth/member'
import { makeSerialChecks } from '../deals/serialChecks'
import type { RelayHooks } from '../relayHooks'
import type { RelayLogger } from '../relayLogger'
import type { SyncServer } from '../rooms/syncServer'

/** The relay's corrections of writers' clocks carry this author. */
export const ENTRY_TIMES_MEMBER: Member = { id: 'relay:entry-times', name: 'Edit times', role: 'editor', createdAt: '' }

const ENTITY_PREFIX = entityDocName('')
const PREFIXES = TIMED_ENTRIES.map((entry) => Buffer.from(entry.prefix))
const AT_SIGN = 0x40

export interface EntryTimeBound {
  /** The relay's hooks with this one around them: a stored update that writes a timed entry is looked at. */
  hooks(inner: RelayHooks | undefined): RelayHooks
  /** The sync server its writes go through (made after the hooks). */
  start(sync: SyncServer): void
  /** Resolves once no check is pending or running (tests, shutdown). */
  idle(): Promise<void>
}

interface Arrival {
  entityId: string
  update: Uint8Array
  at: Date
}

/**
 * Bounds the writer's clock of timed entries (src/domain/boundEntryTime.ts: a deal's stage
 * changes, issued documents, and whatever joins TIMED_ENTRIES): an entry whose `at` is later than
 * the relay's clock when it stored it (past MAX_CLOCK_AHEAD_MS) is written again with that time,
 * through the API's copy of the document and SyncServer.writeServerUpdate, after the client's
 * update, so every client converges on the bounded time. The writer is neither refused nor closed:
 * its clock is wrong, its work is not. Past times stay as written.
 *
 * Nothing of this runs per message: after storing, an update is looked at only when its bytes
 * name a timed entry's key prefix (Yjs writes a new map key in full, and every entry is a new
 * key); only those are decoded, off the hook, and only a future time costs a look through the
 * document's rows for the entry. A correction is a function of the stored value and is written
 * only while the stored `at` is still ahead, so a check that runs twice writes nothing more.
 */
export function makeEntryTimeBound(stores: EntityStores, logger: RelayLogger): EntryTimeBound {
  let sync: SyncServer | null = null
  let arrivals: Arrival[] = []

  const check = async () => {
    const batch = arrivals
    arrivals = []
    if (!sync) return
    const byEntity = new Map<string, Map<string, Date>>()
    for (const arrival of batch) {
      for (const key of futureEntryKeys(arrival.update, arrival.at)) {
        let keys = byEntity.get(arrival.entityId)
        if (!keys) byEntity.set(arrival.entityId, (keys = new Map()))
        keys.set(key, arrival.at)
      }
    }
    for (const [entityId, keys] of byEntity) await bound(sync, entityId, keys)
  }

  /** Writes the entries of `keys` (entry key → arrival time) whose stored `at` is still ahead of it. */
  const bound = async (server: SyncServer, entityId: string, keys: Map<string, Date>) => {
    const copy = await stores.load(entityId)
    const changes: { recordId: string; fieldId: string; value: FieldValue }[] = []
    for (const row of copy.store.rows()) {
      for (const [key, arrivedAt] of keys) {
        if (!(key in row.values)) continue
        const bounded = boundEntryTime(row.values[key], arrivedAt)
        if (bounded) changes.push({ recordId: row.id, fieldId: key, value: bounded as unknown as FieldValue })
      }
    }
    if (!changes.length) return
    const change = copy.store.updateCells(changes)
    copy.touched(changes.map((c) => c.recordId))
    try {
      await server.writeServerUpdate(entityDocName(entityId), change.update, ENTRY_TIMES_MEMBER, 'relay')
    } catch (error) {
      stores.drop(entityId)
      throw error
    }
    logger.info(`bounded ${changes.length} entry time(s) of "${entityDocName(entityId)}" written ahead of the relay's clock: ${changes.map((c) => c.fieldId).join(', ')}`)
  }

  const checks = makeSerialChecks<'stored'>(check, (error) => logger.warn(`entry times: could not bound a writer's clock: ${error.message}`))

  return {
    hooks: (inner) => ({
      ...inner,
      afterStoreUpdate(context) {
        inner?.afterStoreUpdate?.(context)
        if (!context.documentName.startsWith(ENTITY_PREFIX) || context.member.id === ENTRY_TIMES_MEMBER.id || !namesTimedEntry(context.update)) return
        arrivals.push({ entityId: context.documentName.slice(ENTITY_PREFIX.length), update: context.update, at: new Date() })
        checks.request('stored')
      },
    }),
    start(s) {
      sync = s
    },
    idle: checks.idle,
  }
}

/** Whether the update's bytes hold a timed entry's key prefix. Runs for every stored update: an update without an `@` (most edits) costs ~40 ns. */
function namesTimedEntry(update: Uint8Array): boolean {
  if (update.indexOf(AT_SIGN) < 0) return false
  const bytes = Buffer.from(update.buffer, update.byteOffset, update.byteLength)
  for (const prefix of PREFIXES) if (bytes.includes(prefix)) return true
  return false
}

/** Keys of the timed entries the update writes with an `at` ahead of `arrivedAt`. */
function futureEntryKeys(update: Uint8Array, arrivedAt: Date): string[] {
  const keys: string[] = []
  for (const struct of Y.decodeUpdate(update).structs) {
    if (!(struct instanceof Y.Item) || struct.parentSub === null || !isTimedEntryKey(struct.parentSub)) continue
    if (!(struct.content instanceof Y.ContentAny) || struct.content.arr.length !== 1) continue
    if (boundEntryTime(struct.content.arr[0], arrivedAt)) keys.push(struct.parentSub)
  }
  return keys
}
