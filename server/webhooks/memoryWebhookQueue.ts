import type { StoredWebhookSubscription, WebhookDelivery, WebhookQueue } from './webhookQueue'

/** WebhookQueue in memory: for storage without a file (tests, throwaway relays). Nothing survives the process. */
export function createMemoryWebhookQueue(): WebhookQueue {
  const subscriptions = new Map<string, StoredWebhookSubscription>()
  /** In insertion order, which breaks ties of the same due time. */
  const deliveries = new Map<string, WebhookDelivery>()
  const cursors = new Map<string, number>()
  let closed = false
  const assertOpen = () => {
    if (closed) throw new Error('webhook queue is closed')
  }
  const copy = (d: WebhookDelivery): WebhookDelivery => ({ ...d })
  const pending = () => [...deliveries.values()].filter((d) => d.status === 'pending')
  const byDue = (a: WebhookDelivery, b: WebhookDelivery) => (a.nextAttemptAt ?? 0) - (b.nextAttemptAt ?? 0)

  return {
    addSubscription(subscription, moved) {
      assertOpen()
      if (subscriptions.has(subscription.id)) throw new Error(`webhook ${subscription.id} already exists`)
      subscriptions.set(subscription.id, { ...subscription, events: [...subscription.events] })
      for (const { doc, seq } of moved) cursors.set(doc, seq)
    },
    listSubscriptions() {
      assertOpen()
      return [...subscriptions.values()].map((s) => ({ ...s, events: [...s.events] }))
    },
    deleteSubscription(id) {
      assertOpen()
      if (!subscriptions.delete(id)) return false
      for (const [key, d] of deliveries) if (d.subscriptionId === id) deliveries.delete(key)
      return true
    },
    enqueue(added, moved) {
      assertOpen()
      for (const d of added) if (deliveries.has(d.id)) throw new Error(`delivery ${d.id} already exists`)
      for (const d of added) {
        deliveries.set(d.id, { ...d, status: 'pending', attempts: 0, nextAttemptAt: d.createdAt, lastAttemptAt: null, responseStatus: null, responseBody: null, error: null })
      }
      for (const { doc, seq } of moved) cursors.set(doc, seq)
    },
    due(now, limit, skip) {
      assertOpen()
      return pending().filter((d) => (d.nextAttemptAt ?? 0) <= now && !skip?.has(d.id)).sort(byDue).slice(0, limit).map(copy)
    },
    nextDueAt() {
      assertOpen()
      const first = pending().sort(byDue)[0]
      return first ? first.nextAttemptAt : null
    },
    markDelivered(id, attempt) {
      assertOpen()
      const d = deliveries.get(id)
      if (!d) return
      Object.assign(d, { status: 'delivered', attempts: d.attempts + 1, nextAttemptAt: null, lastAttemptAt: attempt.at, responseStatus: attempt.status, responseBody: attempt.responseBody, error: attempt.error })
    },
    markFailed(id, attempt, nextAttemptAt) {
      assertOpen()
      const d = deliveries.get(id)
      if (!d) return
      Object.assign(d, { status: nextAttemptAt === null ? 'failed' : 'pending', attempts: d.attempts + 1, nextAttemptAt, lastAttemptAt: attempt.at, responseStatus: attempt.status, responseBody: attempt.responseBody, error: attempt.error })
    },
    get(id) {
      assertOpen()
      const d = deliveries.get(id)
      return d ? copy(d) : null
    },
    recent(limit, subscriptionId) {
      assertOpen()
      const all = [...deliveries.values()].filter((d) => subscriptionId === undefined || d.subscriptionId === subscriptionId)
      return all.reverse().sort((a, b) => b.createdAt - a.createdAt).slice(0, limit).map(copy)
    },
    prune(before) {
      assertOpen()
      let removed = 0
      for (const [key, d] of deliveries) {
        if (d.status !== 'pending' && d.createdAt < before) {
          deliveries.delete(key)
          removed++
        }
      }
      return removed
    },
    cursors() {
      assertOpen()
      return [...cursors].map(([doc, seq]) => ({ doc, seq })).sort((a, b) => a.doc.localeCompare(b.doc))
    },
    setCursors(moved) {
      assertOpen()
      for (const { doc, seq } of moved) cursors.set(doc, seq)
    },
    close() {
      closed = true
    },
  }
}
