import { setImmediate as nextTurn } from 'node:timers/promises'
import { SearchIndex, type SearchGroup } from '../../src/domain/search/searchIndex'
import { cachedStoredSchema } from '../http/readStoredSchema'
import type { RelayStorage } from '../storage/relayStorage'
import type { EntityStore, EntityStores } from './entityStores'

/** Chunks (256 records) folded per event-loop turn while a first search builds the index: ~1–3 ms each. */
const CHUNKS_PER_TURN = 8

interface Source {
  entry: EntityStore
  /** Records changed since the last search: read again from the copy before the next one. */
  changed: Set<string>
  stop: () => void
}

/**
 * The relay's search index (the same SearchIndex the app builds), fed from the API's copies of
 * the entity documents: built from a copy's rows on the first search, then kept current by the
 * ids each stored change touches (EntityStore.watch), read again only when the next search
 * comes. A copy loaded anew (dropped after a failed write, or too big an update) is indexed
 * anew. The first build is folded a few chunks per event-loop turn, so websocket traffic is not
 * held up behind it.
 */
export class RelaySearch {
  private index: SearchIndex | null = null
  private readonly sources = new Map<string, Source>()

  constructor(private readonly stores: EntityStores, private readonly storage: RelayStorage) {}

  async query(q: string, limit: number): Promise<SearchGroup[]> {
    const schema = cachedStoredSchema(this.storage)
    const entries = await Promise.all(schema.entities.map(async (entity) => [entity.id, await this.stores.load(entity.id)] as const))
    const index = (this.index ??= new SearchIndex(schema))
    index.setSchema(schema)
    for (const [entityId, entry] of entries) {
      const source = this.sources.get(entityId)
      if (source?.entry === entry) {
        const ids = [...source.changed]
        source.changed.clear()
        for (const id of ids) {
          const row = entry.store.row(id)
          if (row) index.put(entityId, [row])
          else index.remove(entityId, [id])
        }
        continue
      }
      source?.stop()
      const changed = new Set<string>()
      const stop = entry.watch((ids) => { for (const id of ids) changed.add(id) })
      this.sources.set(entityId, { entry, changed, stop })
      index.reset(entityId, entry.store.rows())
    }
    while (!index.prepare(CHUNKS_PER_TURN)) await nextTurn()
    return index.query(q, { limit })
  }
}

const byStores = new WeakMap<EntityStores, RelaySearch>()

/** The relay's one search index over these copies. */
export function relaySearchOf(stores: EntityStores, storage: RelayStorage): RelaySearch {
  let search = byStores.get(stores)
  if (!search) byStores.set(stores, (search = new RelaySearch(stores, storage)))
  return search
}
