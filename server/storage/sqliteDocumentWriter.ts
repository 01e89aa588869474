import { Worker } from 'node:worker_threads'
import type { RelayLogger } from '../relayLogger'
import { WriteOutcomes, type DocumentWriter } from './documentWriter'
import type { RelayStorage } from './relayStorage'
import type { LogFile, SeqRow } from './updateLog'

export type WriterRequest =
  | { id: number; kind: 'put'; rows: SeqRow[] }
  | { id: number; kind: 'putLogged'; paths: string[]; count: number }
  | { id: number; kind: 'compact'; name: string; merged: Uint8Array; upToSeq: number; stateVector: Uint8Array }
  | { id: number; kind: 'stateVector'; name: string; seq: number; stateVector: Uint8Array }
  | { id: number; kind: 'probe' }
  | { id: number; kind: 'close' }

export type WriterReply = { id: number; ok: true } | { id: number; ok: false; error: string } | { ready: true }

type Job = WriterRequest extends infer R ? (R extends { id: number; kind: 'put' | 'putLogged' | 'compact' | 'stateVector' | 'probe' } ? Omit<R, 'id'> : never) : never

export interface SqliteDocumentWriterOptions {
  /** Start the writer thread now (a long-running server) rather than at the first write. */
  startThread: boolean
  /** Appends of more bytes than this skip the log and are written by the thread; default 64 KiB. */
  threadAboveBytes?: number
  /** Logged rows wait at most this long before the thread writes them into SQLite; default 1 s… */
  foldDelayMs?: number
  /** …or until appends pause this long; default 20 ms… */
  foldIdleMs?: number
  /** …or until this many bytes are logged; default 1 MiB. */
  foldAboveBytes?: number
  /** Told of every SQLite transaction the writer asks for (to pace WAL checkpoints). */
  onTransaction?: () => void
}

/**
 * Document writes for SQLite storage. All of them run in one writer thread
 * (documentWriterThread.ts), strictly in the order asked, so this event loop never waits for
 * SQLite's write lock or for a commit. What makes a small append durable before it is forwarded
 * is the update log (updateLog.ts): one `write` of a few hundred bytes on this thread, where a
 * SQLite commit would cost tens of microseconds of locks and 4 KiB WAL pages per document. The
 * logged rows go to the thread as one transaction once appends pause or after `foldDelayMs`
 * (sooner: before any other write, when `settled` asks, at close), and their log file is deleted once they are in
 * SQLite; a relay that was killed replays its log files when it starts again.
 *
 * Appends of big updates (an initial push of a whole workspace) skip the log: the thread
 * writes them (hundreds of milliseconds for 18 MB) and they resolve after that, with every
 * append asked for later, so forwarding keeps the order of the appends.
 *
 * Seqs are numbered here (per document, after the last stored row), so rows can be logged
 * before SQLite has them: every write of the relay's documents must go through this writer.
 */
export function sqliteDocumentWriter(storage: RelayStorage, logger: RelayLogger, options: SqliteDocumentWriterOptions): DocumentWriter {
  const file = storage.file
  if (!file) throw new Error('sqliteDocumentWriter needs storage with a file')
  const threadAbove = options.threadAboveBytes ?? 64 * 1024
  const foldDelayMs = options.foldDelayMs ?? 1000
  const foldIdleMs = options.foldIdleMs ?? 20
  const foldAboveBytes = options.foldAboveBytes ?? 1024 * 1024

  if (!storage.openUpdateLog) throw new Error('sqliteDocumentWriter needs storage with an update log')
  const { recovered, log } = storage.openUpdateLog()
  if (recovered > 0) logger.info(`recovered ${recovered} logged update(s) into ${file}`)

  /** Per document, whoever waits for its logged rows to be in SQLite. */
  const settleWaiters = new Map<string, Array<() => void>>()
  /** The last big append in the thread and everything asked after it: later appends resolve after it. */
  let barrier: Promise<unknown> | null = null
  let foldTimer: NodeJS.Timeout | null = null
  let idleTimer: NodeJS.Timeout | null = null
  let closed = false
  let worker: Worker | null = null
  let loaded: Promise<boolean> = Promise.resolve(false)
  let threadReady = false
  /** Jobs posted to the thread and not answered yet. */
  let posted = 0
  let nextId = 1
  const replies = new Map<number, { resolve: () => void; reject: (error: Error) => void }>()
  /** Logged rows whose write into SQLite failed and is being tried again. */
  const retrying = new Set<LogFile>()
  /** Jobs posted and not answered yet (close waits for them). */
  let inFlight: Promise<unknown> = Promise.resolve()
  /** How the thread's writes (and this thread's appends) ended, for health checks. */
  const outcomes = new WriteOutcomes()

  function startThread(): Worker {
    if (worker) return worker
    const started = new Worker(new URL('../workerEntry.mjs', import.meta.url), { workerData: { module: './storage/documentWriterThread.ts', file } })
    let markLoaded: (ok: boolean) => void = () => {}
    loaded = new Promise((resolve) => (markLoaded = resolve))
    const gone = (error: Error) => {
      markLoaded(false)
      if (worker !== started) return
      worker = null
      threadReady = false
      for (const { reject } of replies.values()) reject(error)
      replies.clear()
    }
    started.on('message', (reply: WriterReply) => {
      if ('ready' in reply) {
        threadReady = worker === started
        markLoaded(true)
        return
      }
      const waiting = replies.get(reply.id)
      if (!waiting) return
      replies.delete(reply.id)
      if (reply.ok) waiting.resolve()
      else waiting.reject(new Error(reply.error))
    })
    started.on('error', (error) => {
      logger.error(`document writer thread failed: ${error.stack ?? error.message}`)
      gone(error)
    })
    started.on('exit', (code) => gone(new Error(`document writer thread exited with code ${code}`)))
    worker = started
    return started
  }

  /** Posts a job to the thread now (jobs run in the order posted); resolves once it is done. */
  function post(job: Job): Promise<void> {
    const thread = startThread()
    const done = loaded.then(
      (ok) =>
        new Promise<void>((resolve, reject) => {
          if (!ok || worker !== thread) throw new Error('document writer thread is not running')
          const id = nextId++
          replies.set(id, { resolve, reject })
          thread.postMessage({ ...job, id })
        }),
    )
    posted++
    if (job.kind !== 'probe') options.onTransaction?.()
    const settled = done.finally(() => posted--)
    settled.then(() => outcomes.wrote(), (error: unknown) => outcomes.failed(error as Error))
    inFlight = Promise.allSettled([inFlight, settled])
    return done
  }

  /** Sends the logged rows to the thread as one transaction. */
  function fold(): void {
    if (foldTimer) clearTimeout(foldTimer)
    if (idleTimer) clearTimeout(idleTimer)
    foldTimer = null
    idleTimer = null
    const sealed = log.seal()
    if (!sealed) return
    if (!threadReady && posted === 0) {
      // The thread is still starting (tests, a relay that has just started): write them here
      // rather than keep other readers of the file waiting for it.
      startThread()
      try {
        storage.putRows(sealed.rows)
        options.onTransaction?.()
        outcomes.wrote()
        written(sealed)
        return
      } catch (error) {
        outcomes.failed(error as Error)
        logger.warn(`writing ${sealed.rows.length} logged update(s) here failed; the writer thread will: ${(error as Error).message}`)
      }
    }
    writeLogged(sealed)
  }

  function written(sealed: LogFile): void {
    retrying.delete(sealed)
    try {
      log.written(sealed)
    } catch (error) {
      logger.warn(`removing a written update log failed: ${(error as Error).message}`)
    }
    for (const [name, waiting] of settleWaiters) {
      if (log.hasLogged(name)) continue
      settleWaiters.delete(name)
      for (const wake of waiting) wake()
    }
  }

  /**
   * The thread reads the sealed files itself: posting the rows cloned them on the event loop
   * (0.6 ms for 1000 rows, 2–6 ms for 3000, 16–36 ms for 12,000: a stall that every edit
   * arriving meanwhile waited for). A retry posts the rows (the files might be what failed).
   */
  function writeLogged(sealed: LogFile, fromFiles = true): void {
    const job: Job = fromFiles ? { kind: 'putLogged', paths: sealed.paths, count: sealed.rows.length } : { kind: 'put', rows: sealed.rows }
    post(job).then(
      () => written(sealed),
      (error: unknown) => {
        // The rows are safe in the log file: try again (a restart would replay them too).
        logger.error(`writing ${sealed.rows.length} logged update(s) into SQLite failed (retry in 1 s): ${(error as Error).message}`)
        retrying.add(sealed)
        const retry = setTimeout(() => writeLogged(sealed, false), closed ? 0 : 1000)
        retry.unref()
      },
    )
  }

  /**
   * Fold once appends pause for `foldIdleMs`, and at least every `foldDelayMs` while they do
   * not: a busy relay writes seconds of edits per transaction (many rows per document page,
   * where one row per transaction rewrites a 4 KiB page for each), a quiet one writes each
   * edit soon after it was made.
   */
  function scheduleFold(): void {
    if (log.pendingBytes >= foldAboveBytes) {
      fold()
      return
    }
    if (idleTimer) idleTimer.refresh()
    else {
      idleTimer = setTimeout(fold, foldIdleMs)
      idleTimer.unref()
    }
    if (foldTimer) return
    foldTimer = setTimeout(fold, foldDelayMs)
    foldTimer.unref()
  }

  /** After every earlier big append: the order appends resolve in is the order they were asked. */
  function inOrder<T>(value: T): Promise<T> {
    return barrier ? barrier.then(() => value) : Promise.resolve(value)
  }

  function append(entries: ReadonlyArray<{ name: string; update: Uint8Array }>): Promise<number[]> {
    if (closed) return Promise.reject(new Error('the document writer is closed'))
    if (entries.length === 0) return inOrder([])
    const bytes = entries.reduce((n, e) => n + e.update.byteLength, 0)
    if (bytes > threadAbove) {
      fold()
      const rows = entries.map(({ name, update }): SeqRow => ({ name, seq: log.reserveSeq(name), update }))
      const written = post({ kind: 'put', rows })
      const seqs = rows.map((row) => row.seq)
      const result = (barrier ? Promise.allSettled([barrier, written]).then(() => written) : written).then(() => seqs)
      const settled = result.catch(() => {})
      barrier = settled
      void settled.then(() => {
        if (barrier === settled) barrier = null
      })
      return result
    }
    let seqs: number[]
    try {
      seqs = storage.appendUpdates(entries, true)
    } catch (error) {
      outcomes.appendFailed(error as Error)
      return Promise.reject(error as Error)
    }
    outcomes.appended()
    scheduleFold()
    return inOrder(seqs)
  }

  function other(job: Job): Promise<void> {
    if (closed) return Promise.reject(new Error('the document writer is closed'))
    fold()
    return post(job)
  }

  if (options.startThread) startThread()

  return {
    append,
    compact: (name, merged, upToSeq, stateVector) => other({ kind: 'compact', name, merged, upToSeq, stateVector }),
    storeStateVector: (name, seq, stateVector) => other({ kind: 'stateVector', name, seq, stateVector }),
    // in the thread, behind the writes asked for before it: a locked or failing database makes it
    // wait or fail there, never here
    probe: () => (closed ? Promise.reject(new Error('the document writer is closed')) : post({ kind: 'probe' })),
    async start() {
      startThread()
      await loaded
    },
    health: () => outcomes.read(),
    settled(name) {
      if (!log.hasLogged(name)) return Promise.resolve()
      fold()
      if (!log.hasLogged(name)) return Promise.resolve()
      return new Promise((resolve) => {
        let waiting = settleWaiters.get(name)
        if (!waiting) settleWaiters.set(name, (waiting = []))
        waiting.push(resolve)
      })
    },
    async close() {
      if (closed) return
      closed = true
      fold()
      await inFlight
      // Rows whose write failed are retried at once; wait a while for those too (whatever is
      // left stays in its log file, which the next start replays).
      const giveUpAt = performance.now() + 10_000
      while (retrying.size > 0 && performance.now() < giveUpAt) {
        await new Promise((r) => setTimeout(r, 5))
        await inFlight
      }
      // Stopping a thread while it loads its code can take the process down, so it is asked to
      // close once loaded and terminated only as a last resort.
      const current = worker
      if (!current) return
      const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()))
      const timer = setTimeout(() => void current.terminate(), 10_000)
      if (await loaded) current.postMessage({ kind: 'close', id: nextId++ } satisfies WriterRequest)
      await exited
      clearTimeout(timer)
    },
  }
}
