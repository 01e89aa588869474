/** What the gate stops reading from while it holds messages back: a `ws` WebSocket. */
export interface PausableSource {
  pause(): void
  resume(): void
}

/** A budget messages are paid from (see MessageBudget). */
export interface Budget {
  waitMs(bytes: number, now: number): number
  take(bytes: number, now: number): void
}

export interface MessageGateOptions<T> {
  /** Where admitted messages go, in arrival order. */
  deliver(message: T): void
  /**
   * The sender has been over its limits too long: close it (the gate has let go of it already
   * and does not read from it again).
   */
  overLimit(reason: string): void
  /** Close a sender held back this long, with breaks shorter than RESUME_GAP_MS. */
  graceMs: number
  /** Close a sender with more messages than this waiting (a read that paused too late). */
  maxHeldMessages: number
  now?: () => number
}

/**
 * A break shorter than this between two hold-backs counts as none: a flooding client has data
 * waiting in the kernel the moment its socket is read again, a client that finished a burst
 * goes quiet.
 */
export const RESUME_GAP_MS = 1000

/**
 * Lets one connection's messages through as its budgets allow, in order. A message the budgets
 * cannot pay for yet is held, and the socket stops being read (TCP then slows the sender down
 * instead of the relay buffering its flood); held messages are let through as the budgets
 * refill, and reading resumes once none is left. A sender held back for `graceMs` without a
 * real break is handed to `overLimit`.
 */
export class MessageGate<T> {
  private readonly budgets: Budget[] = []
  private held: Array<{ message: T; bytes: number }> = []
  private timer: NodeJS.Timeout | null = null
  /** Start of the current run of hold-backs; null before the first. */
  private heldSince: number | null = null
  private resumedAt = -Infinity
  private closed = false
  private readonly now: () => number

  constructor(
    private readonly source: PausableSource,
    private readonly options: MessageGateOptions<T>,
  ) {
    this.now = options.now ?? (() => performance.now())
  }

  /** Messages from now on are paid from this budget too (e.g. the member's, once known). */
  addBudget(budget: Budget): void {
    this.budgets.push(budget)
  }

  /** Messages waiting for their budgets. */
  get heldCount(): number {
    return this.held.length
  }

  push(message: T, bytes: number): void {
    if (this.closed) return
    const now = this.now()
    if (this.held.length === 0 && this.waitMs(bytes, now) === 0) {
      this.pay(bytes, now)
      this.options.deliver(message)
      return
    }
    this.held.push({ message, bytes })
    if (this.held.length > this.options.maxHeldMessages) {
      this.giveUp(`more than ${this.options.maxHeldMessages} messages waiting for the rate limit`)
      return
    }
    if (this.held.length > 1) return
    // The first held message starts a hold-back; one soon after the last resume continues it.
    this.source.pause()
    if (this.heldSince === null || now - this.resumedAt > RESUME_GAP_MS) this.heldSince = now
    this.schedule(now)
  }

  /** Stops for good (the socket closed): drops what is held, cancels the timer. */
  close(): void {
    this.closed = true
    this.held = []
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private drain(): void {
    this.timer = null
    const now = this.now()
    let next = 0
    while (!this.closed && next < this.held.length) {
      const { message, bytes } = this.held[next] as { message: T; bytes: number }
      if (this.waitMs(bytes, now) > 0) break
      this.pay(bytes, now)
      next++
      this.options.deliver(message)
    }
    if (this.closed) return
    this.held = this.held.slice(next)
    if (this.held.length === 0) {
      this.resumedAt = now
      this.source.resume()
      return
    }
    const heldMs = now - (this.heldSince ?? now)
    if (heldMs > this.options.graceMs) {
      this.giveUp(`over the rate limit for ${(heldMs / 1000).toFixed(1)} s`)
      return
    }
    this.schedule(now)
  }

  private schedule(now: number): void {
    const first = this.held[0]
    if (!first || this.timer) return
    // At least 1 ms: timers round down, and a wait of 0.2 ms must not spin.
    this.timer = setTimeout(() => this.drain(), Math.max(1, Math.ceil(this.waitMs(first.bytes, now))))
  }

  private giveUp(reason: string): void {
    this.close()
    this.options.overLimit(reason)
  }

  private waitMs(bytes: number, now: number): number {
    let wait = 0
    for (const budget of this.budgets) wait = Math.max(wait, budget.waitMs(bytes, now))
    return wait
  }

  private pay(bytes: number, now: number): void {
    for (const budget of this.budgets) budget.take(bytes, now)
  }
}
