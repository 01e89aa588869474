// The relay's duplicates process (see duplicatesFinder.ts): keeps its own copies of the entity
// documents whose duplicates were asked for (read from the SQLite file itself, then kept current
// by every update stored afterwards) and answers a search with the groups alone (packed), so
// findDuplicates over 100k contacts (about a second) never runs on the relay's event loop and no
// row crosses between the processes. A child process, not a thread: see duplicatesFinder.ts.
import { CompactRecordStore } from '../../src/crdt/compactRecordStore'
import { findDuplicates } from '../../src/domain/duplicates/findDuplicates'
import { packDuplicateGroups, type PackedDuplicateGroups } from '../../src/domain/duplicates/packedDuplicateGroups'
import type { EntityDef } from '../../src/domain/schema'
import { lowerProcessPriority } from '../lowerThreadPriority'
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

export type DuplicatesReply =
  | { id: number; ok: true; groups: PackedDuplicateGroups; ms: number; rows: number }
  | { id: number; ok: false; error: string }
  | { log: string }

const send = process.send?.bind(process)
if (!send) throw new Error('duplicatesWorker.ts runs as a child process of the relay (with an IPC channel)')
const reply = (message: DuplicatesReply) => send(message)

// Below the relay's priority, its garbage collection included: the event loop that answers every client comes first.
const keptPriority = lowerProcessPriority()
if (keptPriority) reply({ log: `the duplicates process keeps normal priority: ${keptPriority}` })

const copies = new Map<string, CompactRecordStore>()
const storages = new Map<string, RelayStorage>()

function storedUpdates(file: string, name: string): Uint8Array[] {
  let storage = storages.get(file)
  if (!storage) storages.set(file, (storage = createSqliteStorage(file, { autoCheckpoint: false })))
  return storage.loadRows(name).map((row) => row.update)
}

// the relay let it go (it keeps no copy) or ended, however abruptly: this process ends too
process.on('disconnect', () => {
  for (const storage of storages.values()) storage.close()
  process.exit(0)
})

process.on('message', (msg: DuplicatesRequest) => {
  switch (msg.kind) {
    case 'hold': {
      const started = performance.now()
      const store = new CompactRecordStore({ name: msg.name })
      store.load(msg.file ? storedUpdates(msg.file, msg.name) : msg.updates)
      copies.set(msg.name, store)
      const ms = performance.now() - started
      if (ms > 100) reply({ log: `duplicates: loaded its copy of "${msg.name}" (${store.count()} records) in ${ms.toFixed(0)} ms` })
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
        reply({ id: msg.id, ok: true, groups, ms: performance.now() - started, rows: rows.length })
      } catch (error) {
        reply({ id: msg.id, ok: false, error: (error as Error).stack ?? String(error) })
      }
      return
    }
  }
})
