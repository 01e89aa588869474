import Database from 'better-sqlite3'
import { isWebhookEvent } from '../../src/domain/webhooks/webhookEvents'
import type { DeliveryEvent, DeliveryStatus, StoredWebhookSubscription, WebhookCursor, WebhookDelivery, WebhookQueue } from './webhookQueue'

interface SubscriptionRow { id: string; url: string; events: string; entity: string | null; secret: string; created_at: string; created_by: string }
interface DeliveryRow {
  id: string; subscription_id: string; event: string; body: string; status: string; attempts: number; created_at: number
  next_attempt_at: number | null; last_attempt_at: number | null; response_status: number | null; response_body: string | null; error: string | null
}

/**
 * WebhookQueue in the relay's SQLite file, on a connection of its own with tables of its own
 * (like the API's idempotency answers): the relay's storage interface stays about documents and
 * credentials. Commits survive a killed process (WAL); like the relay's own connection it uses
 * synchronous = NORMAL and leaves checkpoints to the relay's document worker, so no commit here
 * waits for a disk flush or a checkpoint on the event loop.
 */
export function createSqliteWebhookQueue(file: string): WebhookQueue {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('wal_autocheckpoint = 0')
  db.pragma('busy_timeout = 5000')
  db.exec(`
    CREATE TABLE IF NOT EXISTS webhook_subscriptions (
      id TEXT PRIMARY KEY,
      url TEXT NOT NULL,
      events TEXT NOT NULL,
      entity TEXT,
      secret TEXT NOT NULL,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS webhook_deliveries (
      id TEXT PRIMARY KEY,
      subscription_id TEXT NOT NULL,
      event TEXT NOT NULL,
      body TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      next_attempt_at INTEGER,
      last_attempt_at INTEGER,
      response_status INTEGER,
      response_body TEXT,
      error TEXT
    );
    CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
    CREATE INDEX IF NOT EXISTS webhook_deliveries_created ON webhook_deliveries (created_at);
    CREATE INDEX IF NOT EXISTS webhook_deliveries_subscription ON webhook_deliveries (subscription_id);
    CREATE TABLE IF NOT EXISTS webhook_cursors (doc TEXT PRIMARY KEY, seq INTEGER NOT NULL);
  `)

  const insertSubscription = db.prepare('INSERT INTO webhook_subscriptions (id, url, events, entity, secret, created_at, created_by) VALUES (@id, @url, @events, @entity, @secret, @createdAt, @createdBy)')
  const selectSubscriptions = db.prepare<[], SubscriptionRow>('SELECT * FROM webhook_subscriptions ORDER BY created_at, rowid')
  const removeSubscription = db.prepare<[string]>('DELETE FROM webhook_subscriptions WHERE id = ?')
  const removeDeliveriesOf = db.prepare<[string]>('DELETE FROM webhook_deliveries WHERE subscription_id = ?')
  const insertDelivery = db.prepare(
    "INSERT INTO webhook_deliveries (id, subscription_id, event, body, status, created_at, next_attempt_at) VALUES (@id, @subscriptionId, @event, @body, 'pending', @createdAt, @createdAt)",
  )
  const upsertCursor = db.prepare<[string, number]>('INSERT INTO webhook_cursors (doc, seq) VALUES (?, ?) ON CONFLICT (doc) DO UPDATE SET seq = excluded.seq')
  const selectCursors = db.prepare<[], WebhookCursor>('SELECT doc, seq FROM webhook_cursors ORDER BY doc')
  const selectDue = db.prepare<[number, number], DeliveryRow>(
    "SELECT * FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, rowid LIMIT ?",
  )
  const selectNextDue = db.prepare<[], { at: number | null }>("SELECT min(next_attempt_at) AS at FROM webhook_deliveries WHERE status = 'pending'")
  const updateAttempt = db.prepare(
    'UPDATE webhook_deliveries SET status = @status, attempts = attempts + 1, next_attempt_at = @next, last_attempt_at = @at, response_status = @responseStatus, response_body = @responseBody, error = @error WHERE id = @id',
  )
  const selectDelivery = db.prepare<[string], DeliveryRow>('SELECT * FROM webhook_deliveries WHERE id = ?')
  const selectRecent = db.prepare<[number], DeliveryRow>('SELECT * FROM webhook_deliveries ORDER BY created_at DESC, rowid DESC LIMIT ?')
  const selectRecentOf = db.prepare<[string, number], DeliveryRow>('SELECT * FROM webhook_deliveries WHERE subscription_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?')
  const deleteOld = db.prepare<[number]>("DELETE FROM webhook_deliveries WHERE status != 'pending' AND created_at < ?")

  const moveCursors = (cursors: readonly WebhookCursor[]) => {
    for (const { doc, seq } of cursors) upsertCursor.run(doc, seq)
  }
  const addSubscription = db.transaction((s: StoredWebhookSubscription, cursors: readonly WebhookCursor[]) => {
    insertSubscription.run({ ...s, events: JSON.stringify(s.events) })
    moveCursors(cursors)
  })
  const deleteSubscription = db.transaction((id: string) => {
    if (removeSubscription.run(id).changes === 0) return false
    removeDeliveriesOf.run(id)
    return true
  })
  const enqueue = db.transaction((deliveries: readonly Parameters<WebhookQueue['enqueue']>[0][number][], cursors: readonly WebhookCursor[]) => {
    for (const d of deliveries) insertDelivery.run(d)
    moveCursors(cursors)
  })
  const record = (id: string, status: DeliveryStatus, next: number | null, attempt: Parameters<WebhookQueue['markDelivered']>[1]) => {
    updateAttempt.run({ id, status, next, at: attempt.at, responseStatus: attempt.status, responseBody: attempt.responseBody, error: attempt.error })
  }

  return {
    addSubscription: (subscription, cursors) => addSubscription.immediate(subscription, cursors),
    listSubscriptions: () => selectSubscriptions.all().map(toSubscription),
    deleteSubscription: (id) => deleteSubscription.immediate(id),
    enqueue: (deliveries, cursors) => {
      if (deliveries.length > 0 || cursors.length > 0) enqueue.immediate(deliveries, cursors)
    },
    due: (now, limit, skip) => {
      // the ones in flight are among the earliest due: ask for that many more
      const rows = selectDue.all(now, limit + (skip?.size ?? 0)).filter((row) => !skip?.has(row.id))
      return rows.slice(0, limit).map(toDelivery)
    },
    nextDueAt: () => selectNextDue.get()?.at ?? null,
    markDelivered: (id, attempt) => record(id, 'delivered', null, attempt),
    markFailed: (id, attempt, next) => record(id, next === null ? 'failed' : 'pending', next, attempt),
    get: (id) => {
      const row = selectDelivery.get(id)
      return row ? toDelivery(row) : null
    },
    recent: (limit, subscriptionId) => (subscriptionId === undefined ? selectRecent.all(limit) : selectRecentOf.all(subscriptionId, limit)).map(toDelivery),
    prune: (before) => deleteOld.run(before).changes,
    cursors: () => selectCursors.all(),
    setCursors: (cursors) => {
      if (cursors.length > 0) db.transaction(moveCursors).immediate(cursors)
    },
    close: () => {
      if (db.open) db.close()
    },
  }
}

function toSubscription(row: SubscriptionRow): StoredWebhookSubscription {
  const events = (JSON.parse(row.events) as unknown[]).filter(isWebhookEvent)
  return { id: row.id, url: row.url, events, entity: row.entity, secret: row.secret, createdAt: row.created_at, createdBy: row.created_by }
}

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    event: row.event as DeliveryEvent,
    body: row.body,
    createdAt: row.created_at,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    responseStatus: row.response_status,
    responseBody: row.response_body,
    error: row.error,
  }
}
