import { CompactRecordStore } from '../../src/crdt/compactRecordStore'
import { entityDocName } from '../../src/crdt/docNames'
import type { Row } from '../../src/domain/schema'
import type { RelayLogger } from '../relayLogger'
import type { RelayStorage } from '../storage/relayStorage'

/** Stored updates above this size drop the loaded copy (read again on the next request) instead of being applied on the event loop. */
const APPLY_LIMIT_BYTES = 1024 * 1024

/** One entity document as the API holds it: its rows in a CompactRecordStore, and when each last changed. */
export interface EntityStore {
  readonly store: CompactRecordStore
  /** The relay's time of a record's last stored change, else its deletion or creation time. */
  updatedAt(row: Row): string
  /** Marks records changed now (an API write's own patch). */
  touched(ids: Iterable<string>): void
}

/**
 * The API's copy of every entity document it has served: loaded once from storage, then kept
 * current by every update the relay stores for it (connections' and the API's own, through the
 * afterStoreUpdate hook), so a read never decodes the document. Records' change times are the
 * relay's: the time an update touching the record was stored while the copy was loaded.
 */
export class EntityStores {
  private readonly loaded = new Map<string, EntityStore>()

  constructor(private readonly storage: RelayStorage, private readonly logger: RelayLogger) {}

  /** The entity's copy, loaded from storage (synchronously) if needed. */
  get(entityId: string): EntityStore {
    const name = entityDocName(entityId)
    let entry = this.loaded.get(name)
    if (!entry) {
      const started = performance.now()
      const store = new CompactRecordStore()
      store.load(this.storage.loadDocument(name))
      entry = makeEntry(store)
      this.loaded.set(name, entry)
      const ms = performance.now() - started
      if (ms > 100) this.logger.info(`API: loaded "${name}" (${store.count()} records) in ${ms.toFixed(0)} ms`)
    }
    return entry
  }

  /** A stored update of any document (afterStoreUpdate): applied to the copy, if one is loaded. */
  stored(documentName: string, update: Uint8Array): void {
    const entry = this.loaded.get(documentName)
    if (!entry) return
    if (update.byteLength > APPLY_LIMIT_BYTES) {
      this.loaded.delete(documentName)
      return
    }
    const patch = entry.store.applyUpdate(update)
    entry.touched([...patch.added.map((r) => r.id), ...patch.updated.map((r) => r.id), ...patch.removed])
  }

  /** Forgets a copy that may be ahead of storage (a write that failed to store). */
  drop(entityId: string): void {
    this.loaded.delete(entityDocName(entityId))
  }
}

function makeEntry(store: CompactRecordStore): EntityStore {
  const changedAt = new Map<string, string>()
  return {
    store,
    updatedAt: (row) => changedAt.get(row.id) ?? latest(row.createdAt, row.deletedAt),
    touched(ids) {
      const now = new Date().toISOString()
      for (const id of ids) changedAt.set(id, now)
    },
  }
}

function latest(a: string, b: string | undefined): string {
  return b !== undefined && b > a ? b : a
}
