/** A sustained rate and how much of it may come at once. */
export interface RateLimit {
  perSecond: number
  burst: number
}

/**
 * A token bucket: holds up to `burst` tokens and refills at `perSecond`. Time is passed in
 * (ms, monotonic) so that the arithmetic is testable without timers.
 */
export class TokenBucket {
  private level: number
  private updatedAt: number

  constructor(
    readonly limit: RateLimit,
    now: number,
  ) {
    this.level = limit.burst
    this.updatedAt = now
  }

  /**
   * Ms until `cost` tokens can be taken (0: now). A cost above the burst waits for a full
   * bucket and then empties it, so one message bigger than the burst still gets through.
   */
  waitMs(cost: number, now: number): number {
    this.refill(now)
    const missing = Math.min(cost, this.limit.burst) - this.level
    return missing <= 0 ? 0 : (missing * 1000) / this.limit.perSecond
  }

  take(cost: number, now: number): void {
    this.refill(now)
    this.level -= Math.min(cost, this.limit.burst)
  }

  /** Ms until the bucket is full again (0: it is). */
  fullInMs(now: number): number {
    return this.waitMs(this.limit.burst, now)
  }

  private refill(now: number): void {
    if (now <= this.updatedAt) return
    this.level = Math.min(this.limit.burst, this.level + ((now - this.updatedAt) * this.limit.perSecond) / 1000)
    this.updatedAt = now
  }
}

/** Messages and their bytes, each with its own bucket: a message needs room in both. */
export class MessageBudget {
  private readonly messages: TokenBucket
  private readonly bytes: TokenBucket

  constructor(limits: { messages: RateLimit; bytes: RateLimit }, now: number) {
    this.messages = new TokenBucket(limits.messages, now)
    this.bytes = new TokenBucket(limits.bytes, now)
  }

  /** Ms until a message of `bytes` may pass (0: now). */
  waitMs(bytes: number, now: number): number {
    return Math.max(this.messages.waitMs(1, now), this.bytes.waitMs(bytes, now))
  }

  take(bytes: number, now: number): void {
    this.messages.take(1, now)
    this.bytes.take(bytes, now)
  }

  /** Ms until both buckets are full (then the budget is as good as a new one). */
  fullInMs(now: number): number {
    return Math.max(this.messages.fullInMs(now), this.bytes.fullInMs(now))
  }
}
