import type { Principal } from '../auth/authenticateToken'
import { TokenBucket, type RateLimit } from '../rooms/tokenBucket'
import { problem } from './problem'

/**
 * Generous for integrations (a sync job pages through 1000 records a request; a burst of 200
 * covers a batch import's first moments) while one runaway script cannot take the relay's
 * event loop from everyone else. KANSO_API_RATE_PER_S / KANSO_API_BURST change it.
 */
export const DEFAULT_API_RATE_LIMIT: RateLimit = { perSecond: 50, burst: 200 }

/** Buckets at least this many before full ones are dropped (a full bucket is as good as a new one). */
const SWEEP_ABOVE = 1000

/** Every /api/v1 request counts once against its API key's or member's bucket; `null` limit: no limit. */
export class ApiRateLimit {
  private readonly buckets = new Map<string, TokenBucket>()

  constructor(
    readonly limit: RateLimit | null,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts one request; over the limit a 429 problem with Retry-After (whole seconds), and nothing counted. */
  take(principal: Principal): void {
    const limit = this.limit
    if (!limit) return
    const now = this.now()
    const key = `${principal.kind}:${principal.id}`
    let bucket = this.buckets.get(key)
    if (!bucket) {
      if (this.buckets.size >= SWEEP_ABOVE) this.sweep(now)
      bucket = new TokenBucket(limit, now)
      this.buckets.set(key, bucket)
    }
    const waitMs = bucket.waitMs(1, now)
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000))
      const who = principal.kind === 'apiKey' ? `API key "${principal.name}"` : `member "${principal.name}"`
      throw problem(429, `${who} is over its rate limit of ${limit.perSecond} requests per second (bursts of ${limit.burst}); retry in ${seconds} s`, undefined, { 'Retry-After': String(seconds) })
    }
    bucket.take(1, now)
  }

  /** Keys and members with a bucket (tests, diagnostics). */
  size(): number {
    return this.buckets.size
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.fullInMs(now) === 0) this.buckets.delete(key)
  }
}
