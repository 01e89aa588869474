import { afterEach, describe, expect, it } from 'vitest'
import type { DeliveryAttempt, NewDelivery, StoredWebhookSubscription, WebhookQueue } from './webhookQueue'

export interface WebhookQueueFactory {
  create(): WebhookQueue
  /** Closes `queue` and opens the same data again; omitted for a queue that cannot persist. */
  reopen?(queue: WebhookQueue): WebhookQueue
}

function subscription(id: string, overrides: Partial<StoredWebhookSubscription> = {}): StoredWebhookSubscription {
  return { id, url: `http://127.0.0.1:9/${id}`, events: ['record.created'], entity: null, secret: `secret-${id}`, createdAt: `2026-01-0${id.length}T00:00:00.000Z`, createdBy: 'm_admin', ...overrides }
}

function delivery(id: string, createdAt: number, subscriptionId = 'w1'): NewDelivery {
  return { id, subscriptionId, event: 'record.created', body: `{"id":"${id}"}`, createdAt }
}

const attempt = (at: number, status: number | null, responseBody: string | null = null, error: string | null = null): DeliveryAttempt => ({ at, status, responseBody, error })

/** The behaviour every WebhookQueue must have; run once per implementation. */
export function describeWebhookQueueContract(label: string, factory: WebhookQueueFactory): void {
  describe(`WebhookQueue contract: ${label}`, () => {
    let open: WebhookQueue[] = []
    const create = () => {
      const queue = factory.create()
      open.push(queue)
      return queue
    }
    afterEach(() => {
      for (const queue of open) queue.close()
      open = []
    })

    it('keeps subscriptions with their secrets, oldest first, and deletes one with its deliveries', () => {
      const queue = create()
      queue.addSubscription(subscription('w1'), [])
      queue.addSubscription(subscription('w22', { events: ['record.updated', 'deal.stage_changed'], entity: 'deals' }), [])
      expect(queue.listSubscriptions().map((s) => [s.id, s.secret, s.entity, s.events])).toEqual([
        ['w1', 'secret-w1', null, ['record.created']],
        ['w22', 'secret-w22', 'deals', ['record.updated', 'deal.stage_changed']],
      ])
      queue.enqueue([delivery('d1', 100, 'w1'), delivery('d2', 100, 'w22')], [])
      expect(queue.deleteSubscription('w1')).toBe(true)
      expect(queue.deleteSubscription('w1')).toBe(false)
      expect(queue.listSubscriptions().map((s) => s.id)).toEqual(['w22'])
      expect(queue.due(1000, 10).map((d) => d.id)).toEqual(['d2'])
      expect(queue.get('d1')).toBeNull()
    })

    it('a subscription id is unique', () => {
      const queue = create()
      queue.addSubscription(subscription('w1'), [])
      expect(() => queue.addSubscription(subscription('w1'), [])).toThrow()
    })

    it('queued deliveries are pending and due from their creation, earliest first, skipping those in flight', () => {
      const queue = create()
      queue.addSubscription(subscription('w1'), [])
      queue.enqueue([delivery('b', 200), delivery('a', 100), delivery('c', 300)], [])
      expect(queue.due(50, 10)).toEqual([])
      expect(queue.due(250, 10).map((d) => d.id)).toEqual(['a', 'b'])
      expect(queue.due(250, 1).map((d) => d.id)).toEqual(['a'])
      expect(queue.due(250, 1, new Set(['a'])).map((d) => d.id)).toEqual(['b'])
      expect(queue.nextDueAt()).toBe(100)
      const first = queue.get('a')
      expect(first).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: 100, lastAttemptAt: null, responseStatus: null, body: '{"id":"a"}', event: 'record.created', subscriptionId: 'w1' })
    })

    it('a delivery id is unique: a batch with a known id writes nothing', () => {
      const queue = create()
      queue.enqueue([delivery('a', 100)], [])
      expect(() => queue.enqueue([delivery('b', 100), delivery('a', 100)], [{ doc: 'entity-x', seq: 5 }])).toThrow()
      expect(queue.get('b')).toBeNull()
      expect(queue.cursors()).toEqual([])
    })

    it('a delivered one is never due again; a failed attempt is due again later, or failed for good', () => {
      const queue = create()
      queue.enqueue([delivery('a', 100), delivery('b', 100), delivery('c', 100)], [])
      queue.markDelivered('a', attempt(110, 204, ''))
      queue.markFailed('b', attempt(111, 500, 'oops'), 10_111)
      queue.markFailed('c', attempt(112, null, null, 'timed out'), null)
      expect(queue.due(5000, 10)).toEqual([])
      expect(queue.nextDueAt()).toBe(10_111)
      expect(queue.get('a')).toMatchObject({ status: 'delivered', attempts: 1, nextAttemptAt: null, lastAttemptAt: 110, responseStatus: 204, responseBody: '' })
      expect(queue.get('b')).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: 10_111, responseStatus: 500, responseBody: 'oops', error: null })
      expect(queue.get('c')).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: null, responseStatus: null, error: 'timed out' })
      queue.markDelivered('b', attempt(10_200, 200, 'ok'))
      expect(queue.get('b')).toMatchObject({ status: 'delivered', attempts: 2, responseStatus: 200 })
      expect(queue.nextDueAt()).toBeNull()
    })

    it('recent lists newest first, of all or of one subscription; prune drops finished old ones only', () => {
      const queue = create()
      queue.enqueue([delivery('a', 100, 'w1'), delivery('b', 200, 'w2'), delivery('c', 200, 'w1'), delivery('d', 300, 'w1')], [])
      expect(queue.recent(10).map((d) => d.id)).toEqual(['d', 'c', 'b', 'a'])
      expect(queue.recent(2, 'w1').map((d) => d.id)).toEqual(['d', 'c'])
      queue.markDelivered('a', attempt(150, 200))
      queue.markFailed('b', attempt(250, 410), null)
      expect(queue.prune(250)).toBe(2)
      expect(queue.recent(10).map((d) => d.id)).toEqual(['d', 'c'])
      expect(queue.prune(10_000)).toBe(0)
    })

    it('cursors move with the deliveries they belong to and with a new subscription', () => {
      const queue = create()
      queue.addSubscription(subscription('w1'), [{ doc: 'entity-a', seq: 3 }, { doc: 'entity-b', seq: 7 }])
      queue.enqueue([delivery('x', 100)], [{ doc: 'entity-a', seq: 4 }])
      queue.setCursors([{ doc: 'entity-b', seq: 9 }, { doc: 'entity-c', seq: 1 }])
      expect(queue.cursors()).toEqual([{ doc: 'entity-a', seq: 4 }, { doc: 'entity-b', seq: 9 }, { doc: 'entity-c', seq: 1 }])
    })

    if (factory.reopen) {
      const reopen = factory.reopen
      it('survives reopening: subscriptions, pending and finished deliveries, cursors', () => {
        const first = create()
        first.addSubscription(subscription('w1'), [{ doc: 'entity-a', seq: 3 }])
        first.enqueue([delivery('a', 100), delivery('b', 100)], [{ doc: 'entity-a', seq: 4 }])
        first.markDelivered('a', attempt(110, 200, 'ok'))
        open = open.filter((q) => q !== first)
        const again = reopen(first)
        open.push(again)
        expect(again.listSubscriptions().map((s) => s.secret)).toEqual(['secret-w1'])
        expect(again.due(1000, 10).map((d) => d.id)).toEqual(['b'])
        expect(again.get('a')).toMatchObject({ status: 'delivered', responseBody: 'ok' })
        expect(again.cursors()).toEqual([{ doc: 'entity-a', seq: 4 }])
      })
    }
  })
}
