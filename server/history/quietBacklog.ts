import { performance } from 'node:perf_hooks'

/** When a QuietBacklog works off what it holds. */
export interface QuietBacklogLimits {
  /** Work starts once nothing was pushed for this long (ms): a burst is worked off after it. */
  quietMs: number
  /**
   * Work also starts, pushes or not, when the event loop was busy less than this share of the
   * time since the last look (every quietMs): a steady load that leaves spare time never lets the
   * backlog grow, one that keeps the loop busy defers the work until it pauses.
   */
  spareBelow: number
  /** Beyond this many items or bytes held, work goes on while items keep coming, so memory stays bounded. */
  maxItems: number
  maxBytes: number
  /** Items handed to one call of the work; the event loop runs between slices. */
  sliceItems: number
}

/**
 * Items worked off in slices when the event loop has spare time: the relay's live path pushes
 * (cheap) and the work runs in the gaps between its bursts, or beside a load that leaves the loop
 * mostly idle, a slice at a time. Work goes on back to back (a slice per turn) when the backlog is
 * over its limits or someone waits for it (drained()). Slices run one at a time, in push order.
 */
export class QuietBacklog<T> {
  private items: T[] = []
  private sizes: number[] = []
  /** Index of the oldest item not yet handed out (items before it are dropped in batches). */
  private head = 0
  private bytes = 0
  private lastPush = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private soon = false
  private running = false
  private waiters: (() => void)[] = []
  /** The event loop's use when the last look or slice ended. */
  private mark = performance.eventLoopUtilization()

  constructor(
    private readonly limits: QuietBacklogLimits,
    private readonly work: (slice: T[]) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Items pushed and not yet handed to the work. */
  get length(): number {
    return this.items.length - this.head
  }

  push(item: T, bytes: number): void {
    this.items.push(item)
    this.sizes.push(bytes)
    this.bytes += bytes
    this.lastPush = performance.now()
    this.schedule()
  }

  /** Resolves once every item pushed so far, and any pushed meanwhile, is worked off; starts the work now. */
  drained(): Promise<void> {
    if (this.length === 0 && !this.running) return Promise.resolve()
    return new Promise<void>((resolve) => {
      this.waiters.push(resolve)
      this.schedule()
    })
  }

  private urgent(): boolean {
    return this.waiters.length > 0 || this.length > this.limits.maxItems || this.bytes > this.limits.maxBytes
  }

  private schedule(): void {
    if (this.running || this.soon || this.length === 0) return
    if (this.urgent() || performance.now() - this.lastPush >= this.limits.quietMs) {
      if (this.timer) clearTimeout(this.timer)
      this.timer = null
      this.soon = true
      setImmediate(() => {
        this.soon = false
        this.runSlice()
      })
      return
    }
    this.timer ??= this.startTimer(this.limits.quietMs)
  }

  private startTimer(ms: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.timer = null
      const quietFor = performance.now() - this.lastPush
      const busy = performance.eventLoopUtilization(this.mark).utilization
      this.mark = performance.eventLoopUtilization()
      if (this.urgent() || quietFor >= this.limits.quietMs || busy < this.limits.spareBelow) this.runSlice()
      else this.timer = this.startTimer(Math.max(1, this.limits.quietMs - quietFor))
    }, ms)
    // a relay that is closed flushes through drained(); nothing pushed keeps a process alive
    timer.unref()
    return timer
  }

  private runSlice(): void {
    if (this.running || this.length === 0) return
    const end = Math.min(this.items.length, this.head + this.limits.sliceItems)
    const slice = this.items.slice(this.head, end)
    for (let k = this.head; k < end; k++) this.bytes -= this.sizes[k]!
    this.head = end
    if (this.head === this.items.length) {
      this.items = []
      this.sizes = []
      this.head = 0
      this.bytes = 0
    } else if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.sizes = this.sizes.slice(this.head)
      this.head = 0
    }
    this.running = true
    this.work(slice).catch(this.onError).finally(() => {
      this.running = false
      this.mark = performance.eventLoopUtilization()
      this.sliceDone()
    })
  }

  private sliceDone(): void {
    if (this.length === 0) {
      const waiters = this.waiters
      this.waiters = []
      for (const resolve of waiters) resolve()
      return
    }
    this.schedule()
  }
}
