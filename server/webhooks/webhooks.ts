import { randomBytes } from 'node:crypto'
import type { RelayHooks } from '../relayHooks'
import type { RelayLogger } from '../relayLogger'
import type { RelayStorage } from '../storage/relayStorage'
import { createMemoryWebhookQueue } from './memoryWebhookQueue'
import { createSqliteWebhookQueue } from './sqliteWebhookQueue'
import { WebhookFeed } from './webhookFeed'
import { publicSubscription, RULE_WEBHOOK_EVENT, type StoredWebhookSubscription, type WebhookQueue, type WebhookSubscription } from './webhookQueue'
import { loadRelaySecret } from '../forms/formSecret'
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
  /**
   * Queues a rule's webhook call (issue 16) as the delivery `rule_<outboxId>`, durable when it
   * returns: false when that delivery was queued before (a restart, a retried write), so an outbox
   * entry is posted once whatever happens between queueing it and removing it from the outbox.
   */
  queueRuleWebhook(call: { outboxId: string; url: string; body: string; createdAt: number }): boolean
  /** The secret rule webhook calls are signed with (Kanso-Signature, like subscriptions'); shown to admins by GET /api/v1/rules. */
  readonly ruleSecret: string
  close(): Promise<void>
}

/** Rule webhook calls are deliveries of a subscription that is not stored: its id holds the URL. */
const RULE_SUBSCRIPTION_PREFIX = 'rule '

/** In the relay's SQLite file when storage has one, else in memory. */
export function createWebhooks(storage: RelayStorage, logger: RelayLogger, options: WebhookOptions = {}): Webhooks {
  const queue = storage.file ? createSqliteWebhookQueue(storage.file) : createMemoryWebhookQueue()
  let subscriptions = queue.listSubscriptions()
  const byId = () => new Map(subscriptions.map((s) => [s.id, s]))
  let subscriptionById = byId()
  let sender: WebhookSender | null = null
  const ruleSecret = `whsec_${loadRelaySecret(storage, 'rule_webhooks').toString('base64url')}`
  const ruleSubscription = (id: string): StoredWebhookSubscription | undefined =>
    id.startsWith(RULE_SUBSCRIPTION_PREFIX) ? { id, url: id.slice(RULE_SUBSCRIPTION_PREFIX.length), events: [], entity: null, createdAt: '', createdBy: 'rules', secret: ruleSecret } : undefined
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
      sender = startWebhookSender({ queue, logger, subscription: (id) => subscriptionById.get(id) ?? ruleSubscription(id), ...options })
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
    ruleSecret,
    queueRuleWebhook(call) {
      const id = `rule_${call.outboxId}`
      if (queue.get(id)) return false
      queue.enqueue([{ id, subscriptionId: `${RULE_SUBSCRIPTION_PREFIX}${call.url}`, event: RULE_WEBHOOK_EVENT, body: call.body, createdAt: call.createdAt }], [])
      sender?.kick()
      return true
    },
    async close() {
      if (cursorTimer) clearInterval(cursorTimer)
      await sender?.close()
      feed.saveCursors()
      queue.close()
    },
  }
}
