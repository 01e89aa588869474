import { randomBytes } from 'node:crypto'
import type { RelayHooks } from '../relayHooks'
import type { RelayLogger } from '../relayLogger'
import type { RelayStorage } from '../storage/relayStorage'
import { createMemoryWebhookQueue } from './memoryWebhookQueue'
import { createSqliteWebhookQueue } from './sqliteWebhookQueue'
import { WebhookFeed } from './webhookFeed'
import { publicSubscription, type StoredWebhookSubscription, type WebhookQueue, type WebhookSubscription } from './webhookQueue'
import { startWebhookSender, type WebhookSender, type WebhookSenderOptions } from './webhookSender'

/** Tuning, mostly for tests. */
export type WebhookOptions = Pick<WebhookSenderOptions, 'retryDelaysMs' | 'timeoutMs' | 'maxInFlight'>

/** Cursors of updates that queued nothing are saved this often (at most this much is read again after a kill). */
const SAVE_CURSORS_MS = 5_000

/** Outgoing webhooks: subscriptions, the feed that queues deliveries for stored updates, the sender. */
export interface Webhooks {
  readonly queue: WebhookQueue
  /** The relay's hooks with every stored update also read by the webhook feed. */
  hooks(hooks: RelayHooks | undefined): RelayHooks
  /** Re-reads updates a killed relay stored without queueing their deliveries, then starts sending. */
  start(): void
  subscribe(input: Pick<StoredWebhookSubscription, 'url' | 'events' | 'entity' | 'createdBy'>): StoredWebhookSubscription
  unsubscribe(id: string): boolean
  list(): WebhookSubscription[]
  close(): Promise<void>
}

/** In the relay's SQLite file when storage has one, else in memory. */
export function createWebhooks(storage: RelayStorage, logger: RelayLogger, options: WebhookOptions = {}): Webhooks {
  const queue = storage.file ? createSqliteWebhookQueue(storage.file) : createMemoryWebhookQueue()
  let subscriptions = queue.listSubscriptions()
  const byId = () => new Map(subscriptions.map((s) => [s.id, s]))
  let subscriptionById = byId()
  let sender: WebhookSender | null = null
  let cursorTimer: NodeJS.Timeout | null = null
  const feed = new WebhookFeed({ storage, queue, logger, subscriptions: () => subscriptions, queued: () => sender?.kick() })
  const reload = () => {
    subscriptions = queue.listSubscriptions()
    subscriptionById = byId()
    feed.subscriptionsChanged()
  }

  return {
    queue,
    hooks: (hooks) => ({
      ...hooks,
      afterStoreUpdate(context) {
        feed.stored(context.documentName, context.update, context.seq, context.member)
        hooks?.afterStoreUpdate?.(context)
      },
    }),
    start() {
      const read = feed.recover()
      if (read > 0) logger.info(`webhooks: read ${read} stored update(s) again after a restart`)
      sender = startWebhookSender({ queue, logger, subscription: (id) => subscriptionById.get(id), ...options })
      cursorTimer = setInterval(() => feed.saveCursors(), SAVE_CURSORS_MS)
      cursorTimer.unref()
    },
    subscribe(input) {
      const subscription: StoredWebhookSubscription = {
        id: `wh_${randomBytes(9).toString('base64url')}`,
        ...input,
        secret: `whsec_${randomBytes(32).toString('base64url')}`,
        createdAt: new Date().toISOString(),
      }
      // its events start with the next stored update
      queue.addSubscription(subscription, feed.currentCursors())
      reload()
      return subscription
    },
    unsubscribe(id) {
      const removed = queue.deleteSubscription(id)
      if (removed) reload()
      return removed
    },
    list: () => subscriptions.map(publicSubscription),
    async close() {
      if (cursorTimer) clearInterval(cursorTimer)
      await sender?.close()
      feed.saveCursors()
      queue.close()
    },
  }
}
