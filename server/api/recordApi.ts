import type { RelayRules } from '../automation/relayRules'
import type { RelayHooks } from '../relayHooks'
import type { RelayLogger } from '../relayLogger'
import type { SyncServer } from '../rooms/syncServer'
import type { RelayStorage } from '../storage/relayStorage'
import { createDuplicatesFinder, type DuplicatesFinder } from './duplicatesFinder'
import { createEntityLoader } from './entityLoader'
import { EntityStores } from './entityStores'
import { createIdempotencyStore, type IdempotencyStore } from './idempotencyStore'
import type { RecordRoutesContext } from './recordRoutes'
import { makeRecordHistoryFeed, type RecordHistoryFeed } from '../history/recordHistoryFeed'

/** The records part of /api/v1: the entity documents' in-memory copies and the idempotency answers. */
export interface RecordApi {
  readonly stores: EntityStores
  readonly idempotency: IdempotencyStore
  /** The record history, derived from every stored entity update (server/history). */
  readonly history: RecordHistoryFeed
  /** The duplicates searches (GET /{entity}/duplicates), in a process of their own for big lists. */
  readonly duplicates: DuplicatesFinder
  /** Rules the relay's own record writes trigger (set once the automation part is made); null: none run. */
  rules: RelayRules | null
  /** The relay's hooks with the copies kept current by every stored update. */
  hooks(hooks: RelayHooks | undefined): RelayHooks
  /** What the record routes under /api/v1 (handleApiV1 → handleRecordRoutes) work with. */
  routes(sync: SyncServer): RecordRoutesContext
  /** Derives the history still queued, then closes. */
  close(): Promise<void>
}

export interface RecordApiOptions {
  /** Lists with fewer live records find their duplicates on the event loop (default DUPLICATES_INLINE_ROWS). */
  duplicatesInlineBelowRows?: number
  /** How long the duplicates process keeps an unused copy (default DUPLICATES_KEEP_MS). */
  duplicatesKeepMs?: number
}

export function createRecordApi(storage: RelayStorage, logger: RelayLogger, options: RecordApiOptions = {}): RecordApi {
  const loader = createEntityLoader(logger)
  const stores = new EntityStores(storage, loader, logger)
  const idempotency = createIdempotencyStore(storage)
  const history = makeRecordHistoryFeed(storage, loader, logger)
  const duplicates = createDuplicatesFinder({ storage, logger, inlineBelowRows: options.duplicatesInlineBelowRows, keepMs: options.duplicatesKeepMs })
  const api: RecordApi = {
    rules: null,
    stores,
    idempotency,
    history,
    duplicates,
    hooks: (inner) => {
      const hooks = history.hooks(inner)
      return {
        ...hooks,
        afterStoreUpdate(context) {
          stores.stored(context.documentName, context.update)
          duplicates.stored(context.documentName, context.update)
          hooks.afterStoreUpdate?.(context)
        },
      }
    },
    routes: (sync) => {
      history.start(sync, stores)
      // the duplicates process reads a document from the file once storage has everything stored so far
      duplicates.start(() => sync.settledWrites())
      return { storage, sync, stores, idempotency, history, duplicates, rules: () => api.rules }
    },
    close: async () => {
      await history.close()
      await duplicates.close()
      idempotency.close()
      void loader.close()
    },
  }
  return api
}
