import { performance } from 'node:perf_hooks'

/** When a QuietBacklog works off what it holds. */
export interface QuietBacklogLimits {
  /** Work starts once nothing was pushed for this long (ms): a burst is worked off after it. */
  quietMs: number
  /** Beyond this many items or bytes held, work goes on while items keep coming, so memory stays bounded. */
  maxItems: number
  maxBytes: number
  /** Items handed to one call of the work at most; the event loop runs between slices. */
  sliceItems: number
  /**
   * Time one slice may take (ms): the work is told when to stop (`until`) and answers how many of
   * its items it worked off; the rest are handed out again in the next slice.
   */
  sliceMs: number
}

/**
 * Items worked off in slices in the pauses of what pushes them: the relay's live path pushes
 * (cheap) and the work runs once nothing was pushed for quietMs, a slice (at most sliceMs) per
 * turn, at setImmediate priority so I/O that arrived meanwhile is read first. A steady load with no
 * such pause, however light, is not interrupted by the work: a slice between two of its messages
 * delays the second (seen in B9's p99 at 1000 edits/s). Work goes on back to back while pushes
 * keep coming only when the backlog is over its limits or someone waits for it (drained()).
 * Slices run one at a time, in push order.
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

  constructor(
    private readonly limits: QuietBacklogLimits,
    /**
     * Works off a slice, stopping once performance.now() passes `until`; answers how many items it
     * finished (all when void). 0 means it worked on the first item without finishing it: the item
     * keeps its progress and comes first again (the work must make progress on every call).
     */
    private readonly work: (slice: T[], until: number) => Promise<number | void>,
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
    const quietFor = performance.now() - this.lastPush
    if (this.urgent() || quietFor >= this.limits.quietMs) {
      if (this.timer) clearTimeout(this.timer)
      this.timer = null
      this.soon = true
      setImmediate(() => {
        this.soon = false
        this.runSlice()
      })
      return
    }
    this.timer ??= this.startTimer(Math.max(1, this.limits.quietMs - quietFor))
  }

  private startTimer(ms: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.timer = null
      this.schedule()
    }, ms)
    // a relay that is closed flushes through drained(); nothing pushed keeps a process alive
    timer.unref()
    return timer
  }

  private runSlice(): void {
    if (this.running || this.length === 0) return
    // a push may have come since the slice was scheduled: the pause is over, wait for the next
    if (!this.urgent() && performance.now() - this.lastPush < this.limits.quietMs) return this.schedule()
    const slice = this.items.slice(this.head, Math.min(this.items.length, this.head + this.limits.sliceItems))
    this.running = true
    this.work(slice, performance.now() + this.limits.sliceMs)
      .then((done) => this.handedOut(typeof done === 'number' ? Math.min(slice.length, Math.max(0, done)) : slice.length))
      .catch((error: unknown) => {
        this.onError(error)
        this.handedOut(slice.length)
      })
      .finally(() => {
        this.running = false
        this.sliceDone()
      })
  }

  /** Drops the first `count` items not yet worked off (new ones may have been pushed behind them meanwhile). */
  private handedOut(count: number): void {
    const end = this.head + count
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
