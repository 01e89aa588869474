import type { DocumentWriter, WriteOutcome } from './documentWriter'

/** What GET /healthz answers: 200 `{ ok: true }`, or 503 with the reason. */
export type StorageHealthReport = { ok: true } | { ok: false; reason: string }

export interface StorageHealthOptions {
  /** A write that ended this recently speaks for storage; older, a probe is run (default 2000 ms). */
  intervalMs?: number
  /** How long a check waits for that probe before it answers without it (default 1000 ms). */
  waitMs?: number
  /** How long a check waits for the writer's thread to start (default 10 s). */
  startMs?: number
}

/**
 * Storage health from the document writer's own recent writes: the last commit, else a probe
 * the writer runs where its writes run (the writer thread, for SQLite) — at most one at a time,
 * and none while a write ended less than `intervalMs` ago, however many callers ask. A check
 * never writes on this event loop and never waits for SQLite's lock, so health checks can
 * neither stall the relay nor be used to slow it: a database locked by another process makes
 * the answer a prompt 503 (once the writer reports the lock, with SQLite's reason).
 */
export class StorageHealth {
  private readonly intervalMs: number
  private readonly waitMs: number
  private readonly startMs: number
  private probing: Promise<void> | null = null

  constructor(
    private readonly writer: Pick<DocumentWriter, 'probe' | 'start' | 'health'>,
    options: StorageHealthOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 2000
    this.waitMs = options.waitMs ?? 1000
    this.startMs = options.startMs ?? 10_000
  }

  async check(): Promise<StorageHealthReport> {
    const before = this.writer.health()
    if (before.appendFailure) return failed(before.appendFailure.reason)
    if (before.lastWrite && Date.now() - before.lastWrite.at < this.intervalMs) return report(before.lastWrite)
    // A writer thread still loading its code (a relay that has just started) is waited for once.
    if (!(await within(this.writer.start(), this.startMs))) return failed(`the document writer has not started within ${this.startMs} ms`)
    this.probing ??= this.writer
      .probe()
      .catch(() => {}) // its outcome is in writer.health()
      .finally(() => {
        this.probing = null
      })
    const probed = await within(this.probing, this.waitMs)
    const after = this.writer.health()
    if (after.appendFailure) return failed(after.appendFailure.reason)
    if (probed && after.lastWrite) return report(after.lastWrite)
    // The probe waits behind the writer's other writes, or for SQLite's lock.
    const last = after.lastWrite
    if (last && !last.ok) return failed(last.reason)
    const since = last ? `for ${Date.now() - last.at} ms` : 'yet'
    return failed(`no write has completed ${since} (is another process holding the database's write lock?)`)
  }
}

function report(outcome: WriteOutcome): StorageHealthReport {
  return outcome.ok ? { ok: true } : failed(outcome.reason)
}

function failed(reason: string): StorageHealthReport {
  return { ok: false, reason: `storage is not writable: ${reason}` }
}

/** Whether `promise` settles within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
    timer.unref()
  })
  try {
    return await Promise.race([promise.then(() => true, () => true), timedOut])
  } finally {
    clearTimeout(timer)
  }
}
