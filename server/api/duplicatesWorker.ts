// The relay's duplicates thread (see duplicatesFinder.ts): keeps its own copies of the entity
// documents whose duplicates were asked for (read from the SQLite file itself, then kept current
// by every update stored afterwards) and answers a search with the groups alone (packed), so
// findDuplicates over 100k contacts (about a second) never runs on the relay's event loop and no
// row crosses between the threads.
import { parentPort } from 'node:worker_threads'
import { CompactRecordStore } from '../../src/crdt/compactRecordStore'
import { findDuplicates } from '../../src/domain/duplicates/findDuplicates'
import { packDuplicateGroups, type PackedDuplicateGroups } from '../../src/domain/duplicates/packedDuplicateGroups'
import type { EntityDef } from '../../src/domain/schema'
import { lowerThreadPriority } from '../lowerThreadPriority'
import type { RelayStorage } from '../storage/relayStorage'
import { createSqliteStorage } from '../storage/sqliteStorage'

export type DuplicatesRequest =
  /**
   * From now on this document's copy is kept: read from `file` (storage has every update stored
   * before the hold) or, for storage without a file, from `updates`; then every later stored update.
   */
  | { kind: 'hold'; name: string; file: string | null; updates: Uint8Array[] }
  | { kind: 'apply'; name: string; updates: Uint8Array[] }
  | { kind: 'release'; name: string }
  | { kind: 'find'; id: number; name: string; entity: EntityDef }
  | { kind: 'close' }

export type DuplicatesReply =
  | { id: number; ok: true; groups: PackedDuplicateGroups; ms: number; rows: number }
  | { id: number; ok: false; error: string }
  | { log: string }

const port = parentPort
if (!port) throw new Error('duplicatesWorker.ts runs as a worker thread')

// Below the main thread's priority: the event loop that answers every client comes first.
const keptPriority = lowerThreadPriority()
if (keptPriority) port.postMessage({ log: `the duplicates thread keeps normal priority: ${keptPriority}` } satisfies DuplicatesReply)

const copies = new Map<string, CompactRecordStore>()
const storages = new Map<string, RelayStorage>()

function storedUpdates(file: string, name: string): Uint8Array[] {
  let storage = storages.get(file)
  if (!storage) storages.set(file, (storage = createSqliteStorage(file, { autoCheckpoint: false })))
  return storage.loadRows(name).map((row) => row.update)
}

port.on('message', (msg: DuplicatesRequest) => {
  switch (msg.kind) {
    case 'hold': {
      const started = performance.now()
      const store = new CompactRecordStore({ name: msg.name })
      store.load(msg.file ? storedUpdates(msg.file, msg.name) : msg.updates)
      copies.set(msg.name, store)
      const ms = performance.now() - started
      if (ms > 100) port.postMessage({ log: `duplicates: loaded its copy of "${msg.name}" (${store.count()} records) in ${ms.toFixed(0)} ms` } satisfies DuplicatesReply)
      return
    }
    case 'apply': {
      const store = copies.get(msg.name)
      // applying an update the copy has already (read with the stored rows) changes nothing
      if (store) for (const update of msg.updates) store.applyUpdate(update)
      return
    }
    case 'release':
      copies.delete(msg.name)
      return
    case 'find': {
      try {
        const started = performance.now()
        const rows = copies.get(msg.name)?.rows() ?? []
        const groups = packDuplicateGroups(findDuplicates(msg.entity, rows))
        const reply: DuplicatesReply = { id: msg.id, ok: true, groups, ms: performance.now() - started, rows: rows.length }
        port.postMessage(reply, [groups.idEnds.buffer, groups.groupEnds.buffer, groups.reasons.buffer])
      } catch (error) {
        port.postMessage({ id: msg.id, ok: false, error: (error as Error).stack ?? String(error) } satisfies DuplicatesReply)
      }
      return
    }
    case 'close':
      for (const storage of storages.values()) storage.close()
      storages.clear()
      port.close()
  }
})
