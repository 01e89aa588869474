import { createSignal } from 'solid-js'
import type { RowPatch, WorkspaceSchema } from '../../domain/schema'
import { SearchIndex, type SearchGroup } from '../../domain/search/searchIndex'
import { backgroundTurn } from '../../sync/backgroundTurn'
import type { WorkspaceSession } from '../../sync/workspaceSession'

/** Rows put into the index per task, and chunks (256 records) folded per task: each a few ms. */
const ROWS_PER_TURN = 4000
const CHUNKS_PER_TURN = 8

export interface SearchStatus {
  /** idle: not asked yet; indexing: reading the lists and folding them; ready: every keystroke is answered. */
  phase: 'idle' | 'indexing' | 'ready'
  indexed: number
  total: number
}

export interface SearchStore {
  status(): SearchStatus
  /** Bumped when the index changed (a teammate's edit): results on screen are asked again. */
  version(): number
  /** Starts building the index (the first focus of the box, or Ctrl+K); later calls do nothing. */
  start(): void
  setSchema(schema: WorkspaceSchema): void
  /** The results of `text`; none until the index is ready, so no keystroke folds a list. */
  query(text: string, limit?: number): SearchGroup[]
  destroy(): void
}

/**
 * The page's search index over every entity. It lives on the page, beside the rows the page
 * already holds (each list's RemoteEntityStore, kept current by the worker's patches): the
 * workspace worker only has a document once it has decoded it (seconds, one at a time), and a
 * search worker would need a second copy of every row. It is built lazily, when the box is first
 * used, never while a list opens: every entity's rows (painted from its snapshot) are put in
 * and folded a few thousand at a time in background tasks, then each list's patches keep it
 * current, so a keystroke only runs the query (≤ 50 ms p95 over 100k records: bench B17).
 */
export function makeSearchStore(session: WorkspaceSession, initialSchema: WorkspaceSchema | null): SearchStore {
  const [status, setStatus] = createSignal<SearchStatus>({ phase: 'idle', indexed: 0, total: 0 })
  const [version, setVersion] = createSignal(0)
  let schema = initialSchema
  let index: SearchIndex | null = null
  let destroyed = false
  const opened = new Set<string>()
  const loading = new Set<string>()
  const totals = new Map<string, number>()
  const stops: (() => void)[] = []
  let folding = false

  const report = () => {
    if (!index || destroyed) return
    const total = [...totals.values()].reduce((n, c) => n + c, 0)
    const ready = loading.size === 0 && !folding && index.pendingChunks() === 0
    setStatus({ phase: ready ? 'ready' : 'indexing', indexed: index.size(), total: Math.max(total, index.size()) })
  }

  const fold = async () => {
    if (folding || !index) return
    folding = true
    try {
      while (!destroyed && !index.prepare(CHUNKS_PER_TURN)) {
        report()
        await backgroundTurn()
      }
    } finally {
      folding = false
    }
    report()
    setVersion((v) => v + 1)
  }

  const openEntity = async (entityId: string) => {
    if (opened.has(entityId) || !index) return
    opened.add(entityId)
    loading.add(entityId)
    const store = await session.entity(entityId)
    if (destroyed) return
    totals.set(entityId, store.count())
    // every row is needed now, not only those a list has scrolled to
    store.loadRest?.()
    let live = false
    const held: RowPatch[] = []
    stops.push(store.subscribe((patch) => {
      if (!live) {
        held.push(patch)
        return
      }
      index?.applyPatch(entityId, patch)
      totals.set(entityId, store.count())
      setVersion((v) => v + 1)
    }))
    await (store.complete ?? Promise.resolve())
    const rows = store.rows()
    for (let i = 0; i < rows.length && !destroyed; i += ROWS_PER_TURN) {
      index.put(entityId, rows.slice(i, i + ROWS_PER_TURN))
      report()
      await backgroundTurn()
    }
    // patches are whole rows: those that came meanwhile, replayed in order, end where the store is
    for (const patch of held) index.applyPatch(entityId, patch)
    live = true
    loading.delete(entityId)
    void fold()
  }

  return {
    status,
    version,
    start() {
      if (index || !schema || destroyed) return
      index = new SearchIndex(schema)
      // every list is counted as loading before the first report: an empty index is not ready
      for (const entity of schema.entities) void openEntity(entity.id).catch((error: unknown) => console.error(`kanso: could not index ${entity.id} for search`, error))
      report()
    },
    setSchema(next) {
      schema = next
      if (!index) return
      index.setSchema(next)
      for (const entity of next.entities) void openEntity(entity.id).catch((error: unknown) => console.error(`kanso: could not index ${entity.id} for search`, error))
      void fold()
    },
    query(text, limit) {
      if (!index || status().phase !== 'ready') return []
      return index.query(text, { limit })
    },
    destroy() {
      destroyed = true
      for (const stop of stops.splice(0)) stop()
    },
  }
}
