import { TokenBucket, type RateLimit } from '../rooms/tokenBucket'

export interface FormRateLimits {
  /** Posts from one IP address, to any form. */
  perIp: RateLimit
  /** Posts to one form, from anywhere. */
  perForm: RateLimit
}

/** A person sends a form a few times at most; a campaign landing page gets a few posts a second. */
export const DEFAULT_FORM_RATE_LIMITS: FormRateLimits = {
  perIp: { perSecond: 0.2, burst: 10 },
  perForm: { perSecond: 5, burst: 100 },
}

const SWEEP_ABOVE = 10_000

/** One token bucket per key (the websocket limits' TokenBucket); full buckets are dropped now and then. */
export class KeyedBuckets {
  private readonly buckets = new Map<string, TokenBucket>()

  constructor(readonly limit: RateLimit, private readonly now: () => number = () => performance.now()) {}

  /** Ms until `key` may post (0: now). */
  waitMs(key: string): number {
    return this.bucket(key).waitMs(1, this.now())
  }

  take(key: string): void {
    this.bucket(key).take(1, this.now())
  }

  private bucket(key: string): TokenBucket {
    let bucket = this.buckets.get(key)
    if (!bucket) {
      const now = this.now()
      if (this.buckets.size >= SWEEP_ABOVE) for (const [k, b] of this.buckets) if (b.fullInMs(now) === 0) this.buckets.delete(k)
      bucket = new TokenBucket(this.limit, now)
      this.buckets.set(key, bucket)
    }
    return bucket
  }
}

/** Both limits: a post counts against its IP and its form, and only when both have room. */
export class FormRateLimit {
  private readonly ips: KeyedBuckets
  private readonly forms: KeyedBuckets

  constructor(readonly limits: FormRateLimits, now?: () => number) {
    this.ips = new KeyedBuckets(limits.perIp, now)
    this.forms = new KeyedBuckets(limits.perForm, now)
  }

  /** Seconds to wait (whole, ≥ 1) and which limit, or null after counting the post. */
  take(ip: string, formId: string): { retryAfterS: number; which: 'address' | 'form' } | null {
    const ipWait = this.ips.waitMs(ip)
    const formWait = this.forms.waitMs(formId)
    if (ipWait > 0 || formWait > 0) return { retryAfterS: Math.max(1, Math.ceil(Math.max(ipWait, formWait) / 1000)), which: ipWait >= formWait ? 'address' : 'form' }
    this.ips.take(ip)
    this.forms.take(formId)
    return null
  }
}
