import { CompactRecordStore, DocPathRefusedError } from '../../src/crdt/compactRecordStore'
import { entityDocName } from '../../src/crdt/docNames'
import type { Row } from '../../src/domain/schema'
import type { RelayLogger } from '../relayLogger'
import type { RelayStorage } from '../storage/relayStorage'
import { loadEntityInline, type EntityLoader } from './entityLoader'

/** Stored updates above this size drop the loaded copy (read again on the next request) instead of being applied on the event loop. */
const APPLY_LIMIT_BYTES = 1024 * 1024

/** One entity document as the API holds it: its rows in a CompactRecordStore, and when each last changed. */
export interface EntityStore {
  readonly store: CompactRecordStore
  /** The relay's time of a record's last stored change, else its deletion or creation time. */
  updatedAt(row: Row): string
  /**
   * Marks records changed now (an API write's own patch). `created`: records the write created,
   * whose creation time is that change (no mark kept: an import's 100k marks were a Map grown,
   * and rehashed, on the event loop).
   */
  touched(ids: Iterable<string>, created?: boolean): void
  /** Calls `listener` with the ids of every later change (API writes and stored updates alike); returns its removal. */
  watch(listener: (ids: readonly string[]) => void): () => void
}

/**
 * A copy being loaded: every update stored meanwhile, applied once it is there. All of them, even
 * those with a seq at or below the last row the load read: the writer numbers a big write before
 * a later small one yet storage has the small one first, so the load may have read seq 11 but
 * not 10 (applying an update the copy already has changes nothing).
 */
interface Loading {
  done: Promise<EntityStore>
  later: Uint8Array[]
}

/** Loads again (an update stored meanwhile was refused) after these waits; then once on the event loop, which always ends. */
export const RELOAD_WAITS_MS = [0, 100, 400]

/**
 * The API's copy of every entity document it has served: loaded once from storage (decoded off
 * the event loop: EntityLoader), then kept current by every update the relay stores for it
 * (connections' and the API's own, through the afterStoreUpdate hook), so a read never decodes
 * the document. Records' change times are the relay's: the time an update touching the record
 * was stored while the copy was loaded.
 */
export class EntityStores {
  private readonly loaded = new Map<string, EntityStore>()
  private readonly loading = new Map<string, Loading>()

  constructor(private readonly storage: RelayStorage, private readonly loader: EntityLoader, private readonly logger: RelayLogger) {}

  /** The entity's copy, loaded from storage off the event loop if needed. */
  load(entityId: string): Promise<EntityStore> {
    const name = entityDocName(entityId)
    const entry = this.loaded.get(name)
    if (entry) return Promise.resolve(entry)
    return (this.loading.get(name) ?? this.startLoad(name)).done
  }

  /**
   * The entity's copy now: loaded from storage on the event loop if needed (seconds for a big
   * document), so callers that can wait use load().
   */
  get(entityId: string): EntityStore {
    return this.getByName(entityDocName(entityId))
  }

  private getByName(name: string): EntityStore {
    let entry = this.loaded.get(name)
    if (!entry) {
      entry = makeEntry(loadEntityInline(name, this.storage.loadDocument(name)))
      this.loaded.set(name, entry)
      this.loading.delete(name)
    }
    return entry
  }

  /**
   * Loads the copy off the event loop (EntityLoader) and applies the updates stored meanwhile. One
   * the copy refuses (it needs the Y.Doc path) is in storage by then: the copy is loaded again,
   * after a wait, so racing writes cannot keep a big document reloading back to back; after
   * RELOAD_WAITS_MS it is loaded on the event loop (get), a stall rather than no answer.
   */
  private startLoad(name: string, attempt = 0): Loading {
    const started = performance.now()
    const later: Uint8Array[] = []
    const wait = RELOAD_WAITS_MS[attempt] ?? 0
    const waited = wait > 0 ? new Promise<void>((resolve) => setTimeout(resolve, wait)) : Promise.resolve()
    const done = waited
      .then(() => this.loader.load(name, this.storage.loadRows(name).map((r) => r.update)))
      .then((store): EntityStore | Promise<EntityStore> => {
        const entry = makeEntry(store)
        // updates stored while the copy loaded, in the order they were stored
        const complete = later.every((update) => apply(entry, update))
        const current = this.loading.get(name) === loading
        // get() loaded a copy meanwhile; drop() (a failed write) or a newer load: not kept
        const other = current ? undefined : this.loaded.get(name) ?? this.loading.get(name)?.done
        if (other) return other
        if (complete) {
          if (current) {
            this.loading.delete(name)
            this.loaded.set(name, entry)
          }
          const ms = performance.now() - started
          if (ms > 100) this.logger.info(`API: loaded "${name}" (${store.count()} records) in ${ms.toFixed(0)} ms`)
          return entry
        }
        // storage has the refused update now
        if (attempt + 1 < RELOAD_WAITS_MS.length) return this.startLoad(name, attempt + 1).done
        this.logger.warn(`API: loads of "${name}" kept missing updates only a decode of the whole document could apply; loading it on the event loop`)
        return this.getByName(name)
      }, (error: unknown) => {
        if (this.loading.get(name) === loading) this.loading.delete(name)
        throw error
      })
    const loading: Loading = { done, later }
    this.loading.set(name, loading)
    return loading
  }

  /** A stored update of any document (afterStoreUpdate): applied to the copy, if one is loaded or loading. */
  stored(documentName: string, update: Uint8Array): void {
    const loading = this.loading.get(documentName)
    if (loading) {
      loading.later.push(update)
      return
    }
    const entry = this.loaded.get(documentName)
    if (!entry) return
    if (update.byteLength > APPLY_LIMIT_BYTES || !apply(entry, update)) {
      this.loaded.delete(documentName)
      this.logger.info(`API: dropped its copy of "${documentName}" (an update too big, or one only a decode of the whole document could apply); the next request loads it again off the event loop`)
    }
  }

  /** Forgets a copy that may be ahead of storage (a write that failed to store). */
  drop(entityId: string): void {
    const name = entityDocName(entityId)
    this.loaded.delete(name)
    this.loading.delete(name)
  }
}

/** False when the update needs the Y.Doc path (the copy is then out of date: drop it). */
function apply(entry: EntityStore, update: Uint8Array): boolean {
  let patch
  try {
    patch = entry.store.applyUpdate(update)
  } catch (error) {
    if (error instanceof DocPathRefusedError) return false
    throw error
  }
  entry.touched([...patch.added.map((r) => r.id), ...patch.updated.map((r) => r.id), ...patch.removed])
  return true
}

function makeEntry(store: CompactRecordStore): EntityStore {
  const changedAt = new Map<string, string>()
  const watchers = new Set<(ids: readonly string[]) => void>()
  return {
    store,
    updatedAt: (row) => changedAt.get(row.id) ?? latest(row.createdAt, row.deletedAt),
    touched(ids, created = false) {
      const now = new Date().toISOString()
      const list = [...ids]
      if (!created) for (const id of list) changedAt.set(id, now)
      if (list.length) for (const watcher of watchers) watcher(list)
    },
    watch(listener) {
      watchers.add(listener)
      return () => watchers.delete(listener)
    },
  }
}

function latest(a: string, b: string | undefined): string {
  return b !== undefined && b > a ? b : a
}
