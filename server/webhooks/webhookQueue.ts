import type { WebhookEvent } from '../../src/domain/webhooks/webhookEvents'

/** A subscription as the API shows it: never its secret. */
export interface WebhookSubscription {
  id: string
  url: string
  events: WebhookEvent[]
  /** An entity's API key; null: every entity. */
  entity: string | null
  createdAt: string
  /** The member or API key that subscribed. */
  createdBy: string
}

/** A subscription as stored: with the secret its deliveries are signed with (relay's database only). */
export interface StoredWebhookSubscription extends WebhookSubscription {
  secret: string
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed'

/** A rule's "call a webhook" action (issue 16), delivered like a subscription's events. */
export const RULE_WEBHOOK_EVENT = 'rule.webhook'
export type DeliveryEvent = WebhookEvent | typeof RULE_WEBHOOK_EVENT

export interface NewDelivery {
  id: string
  subscriptionId: string
  event: DeliveryEvent
  /** The JSON body, exactly as it is sent and signed. */
  body: string
  /** Unix ms; also when the first attempt is due. */
  createdAt: number
}

export interface WebhookDelivery extends NewDelivery {
  status: DeliveryStatus
  attempts: number
  /** Unix ms of the next attempt; null once delivered or given up. */
  nextAttemptAt: number | null
  lastAttemptAt: number | null
  /** The last attempt's HTTP status; null when it got no answer. */
  responseStatus: number | null
  /** The first bytes of the last answer's body. */
  responseBody: string | null
  /** Why the last attempt got no answer (timeout, refused connection). */
  error: string | null
}

/** What one attempt got. */
export interface DeliveryAttempt {
  at: number
  status: number | null
  responseBody: string | null
  error: string | null
}

/** Where the webhooks have read an entity document's log up to (its seq). */
export interface WebhookCursor { doc: string; seq: number }

/**
 * Subscriptions and the durable delivery queue (SQLite in the relay's database file, or memory).
 * Synchronous like RelayStorage: `enqueue` is durable when it returns, so the relay can write a
 * stored update's deliveries right after the update, before anything else runs.
 */
export interface WebhookQueue {
  /** Adds a subscription and sets the given cursors (where its events start), in one transaction. */
  addSubscription(subscription: StoredWebhookSubscription, cursors: readonly WebhookCursor[]): void
  /** Oldest first, with secrets: for the relay's own use. */
  listSubscriptions(): StoredWebhookSubscription[]
  /** Removes the subscription and its deliveries; false when the id is unknown. */
  deleteSubscription(id: string): boolean
  /** Queues deliveries (pending, due at createdAt) and moves cursors, all or nothing. */
  enqueue(deliveries: readonly NewDelivery[], cursors: readonly WebhookCursor[]): void
  /** Pending deliveries due at `now`, earliest due first, skipping `skip` (those in flight). */
  due(now: number, limit: number, skip?: ReadonlySet<string>): WebhookDelivery[]
  /** When the earliest pending delivery is due; null when none is pending. */
  nextDueAt(): number | null
  /** A 2xx answer: delivered, never sent again. */
  markDelivered(id: string, attempt: DeliveryAttempt): void
  /** A failed attempt: pending again at `nextAttemptAt`, or failed for good when it is null. */
  markFailed(id: string, attempt: DeliveryAttempt, nextAttemptAt: number | null): void
  get(id: string): WebhookDelivery | null
  /** The latest deliveries, newest first; of one subscription when given. */
  recent(limit: number, subscriptionId?: string): WebhookDelivery[]
  /** Removes delivered and failed deliveries created before `before`; returns how many. */
  prune(before: number): number
  cursors(): WebhookCursor[]
  setCursors(cursors: readonly WebhookCursor[]): void
  close(): void
}

/** A subscription without its secret. */
export function publicSubscription({ secret: _secret, ...subscription }: StoredWebhookSubscription): WebhookSubscription {
  return { ...subscription, events: [...subscription.events] }
}
