import type { RelayLogger } from '../relayLogger'
import { SIGNATURE_HEADER, signWebhook } from './webhookSignature'
import type { DeliveryAttempt, StoredWebhookSubscription, WebhookDelivery, WebhookQueue } from './webhookQueue'

/** Waits before the 2nd, 3rd, … attempt; after the last one the delivery has failed for good (≈ 1.7 days in all). */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [10_000, 60_000, 300_000, 1_800_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000]
/** An attempt that has no answer by then counts as failed. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000
/** Requests open at once, across all subscriptions. */
export const DEFAULT_MAX_IN_FLIGHT = 8
/** How much of a receiver's answer is kept, for Settings. */
export const RESPONSE_BYTES_KEPT = 1024
/** Finished deliveries are kept this long. */
const KEEP_FINISHED_MS = 7 * 24 * 60 * 60 * 1000
/** The longest a timer waits before looking at the queue again. */
const MAX_TIMER_MS = 60_000

export interface WebhookSenderOptions {
  queue: WebhookQueue
  subscription(id: string): StoredWebhookSubscription | undefined
  logger: RelayLogger
  retryDelaysMs?: readonly number[]
  timeoutMs?: number
  maxInFlight?: number
}

export interface WebhookSender {
  /** Deliveries were queued: send what is due. */
  kick(): void
  /** Stops sending; requests in flight are aborted and stay pending (sent again after a restart). */
  close(): Promise<void>
}

/**
 * Sends due deliveries with fetch, at most `maxInFlight` at once, each signed when it is sent and
 * given `timeoutMs` to answer. A 2xx answer is delivered; anything else is tried again after the
 * next retry delay. Nothing here waits on the event loop: the queue's reads and writes are single
 * small SQLite statements, the rest is I/O.
 */
export function startWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const { queue, logger } = options
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS
  const timeoutMs = options.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT
  const inFlight = new Map<string, Promise<void>>()
  const stop = new AbortController()
  let timer: NodeJS.Timeout | null = null
  let scheduled = false
  let lastPrune = 0

  const pump = () => {
    scheduled = false
    if (stop.signal.aborted) return
    const now = Date.now()
    if (now - lastPrune > 60 * 60 * 1000) {
      lastPrune = now
      queue.prune(now - KEEP_FINISHED_MS)
    }
    const free = maxInFlight - inFlight.size
    const due = free > 0 ? queue.due(now, free, new Set(inFlight.keys())) : []
    for (const delivery of due) {
      const sending = send(delivery).finally(() => {
        inFlight.delete(delivery.id)
        kick()
      })
      inFlight.set(delivery.id, sending)
    }
    // due now but in flight or over the limit: a finished send pumps again
    const next = queue.nextDueAt()
    if (timer) clearTimeout(timer)
    timer = next !== null && next > now ? setTimeout(kick, Math.min(next - now, MAX_TIMER_MS)) : null
  }

  const kick = () => {
    if (scheduled || stop.signal.aborted) return
    scheduled = true
    setImmediate(pump)
  }

  const send = async (delivery: WebhookDelivery): Promise<void> => {
    const subscription = options.subscription(delivery.subscriptionId)
    if (!subscription) return
    const at = Date.now()
    let attempt: DeliveryAttempt
    try {
      const response = await fetch(subscription.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Kanso-Webhooks/1',
          'Kanso-Event': delivery.event,
          'Kanso-Delivery': delivery.id,
          [SIGNATURE_HEADER]: signWebhook(subscription.secret, delivery.body, Math.floor(at / 1000)),
        },
        body: delivery.body,
        redirect: 'manual',
        signal: AbortSignal.any([stop.signal, AbortSignal.timeout(timeoutMs)]),
      })
      attempt = { at, status: response.status, responseBody: await readStart(response, RESPONSE_BYTES_KEPT), error: null }
    } catch (error) {
      // closing: the delivery stays pending as it is, and goes out again after a restart
      if (stop.signal.aborted) return
      attempt = { at, status: null, responseBody: null, error: describeFailure(error, timeoutMs) }
    }
    if (stop.signal.aborted) return
    if (attempt.status !== null && attempt.status >= 200 && attempt.status < 300) {
      queue.markDelivered(delivery.id, attempt)
      return
    }
    const delay = delays[delivery.attempts]
    queue.markFailed(delivery.id, attempt, delay === undefined ? null : Date.now() + delay)
    if (delay === undefined) logger.warn(`webhook ${subscription.id}: delivery ${delivery.id} failed for good after ${delivery.attempts + 1} attempts (${attempt.error ?? `HTTP ${attempt.status}`})`)
  }

  kick()
  return {
    kick,
    async close() {
      stop.abort()
      if (timer) clearTimeout(timer)
      await Promise.allSettled(inFlight.values())
    },
  }
}

/** The first `max` bytes of the answer's body, as text; the rest is not read. */
async function readStart(response: Response, max: number): Promise<string> {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  while (size < max) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.byteLength
  }
  await reader.cancel()
  return Buffer.concat(chunks).subarray(0, max).toString('utf8')
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs / 1000} s`
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : ''
  return `${error instanceof Error ? error.message : String(error)}${cause}`
}
