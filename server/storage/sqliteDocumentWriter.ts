import { Worker } from 'node:worker_threads'
import type { RelayLogger } from '../relayLogger'
import type { DocumentWriter } from './documentWriter'
import type { RelayStorage } from './relayStorage'

export type WriterRequest =
  | { id: number; kind: 'append'; entries: ReadonlyArray<{ name: string; update: Uint8Array }> }
  | { id: number; kind: 'compact'; name: string; merged: Uint8Array; upToSeq: number; stateVector: Uint8Array }
  | { id: number; kind: 'stateVector'; name: string; seq: number; stateVector: Uint8Array }
  | { id: number; kind: 'close' }

export type WriterReply = { id: number; ok: true; seqs: number[] } | { id: number; ok: false; error: string } | { ready: true }

type Write = WriterRequest extends infer R ? (R extends { id: number; kind: 'append' | 'compact' | 'stateVector' } ? Omit<R, 'id'> : never) : never

export interface SqliteDocumentWriterOptions {
  /** Start the writer thread now (a long-running server) rather than at the first big write. */
  startThread: boolean
  /** Writes of more bytes than this go to the writer thread; default 64 KiB. */
  threadAboveBytes?: number
}

const bytesOf = (write: Write): number =>
  write.kind === 'append' ? write.entries.reduce((n, e) => n + e.update.byteLength, 0) : write.kind === 'compact' ? write.merged.byteLength : 0

/**
 * Document writes for SQLite storage, strictly in the order asked. Small writes — nearly all:
 * a batch of edits commits in tens of microseconds — run right here, because handing them to
 * another thread costs more than the commit. Big ones (an initial push of a whole workspace,
 * a compacted 18 MB row: hundreds of milliseconds) go to a writer thread
 * (documentWriterThread.ts); the writes asked for meanwhile wait their turn instead of
 * blocking the event loop on SQLite's lock. The bytes are shared memory, never copied.
 */
export function sqliteDocumentWriter(storage: RelayStorage, logger: RelayLogger, options: SqliteDocumentWriterOptions): DocumentWriter {
  const file = storage.file
  if (!file) throw new Error('sqliteDocumentWriter needs storage with a file')
  const threadAbove = options.threadAboveBytes ?? 64 * 1024
  const queue: Array<{ write: Write; resolve: (seqs: number[]) => void; reject: (error: Error) => void }> = []
  /** A big write is in the thread: later writes queue behind it. */
  let threadBusy = false
  let closed = false
  let worker: Worker | null = null
  let loaded: Promise<boolean> = Promise.resolve(false)
  let nextId = 1
  const replies = new Map<number, { resolve: (seqs: number[]) => void; reject: (error: Error) => void }>()

  function startThread(): Worker {
    if (worker) return worker
    const started = new Worker(new URL('../workerEntry.mjs', import.meta.url), { workerData: { module: './storage/documentWriterThread.ts', file } })
    let markLoaded: (ok: boolean) => void = () => {}
    loaded = new Promise((resolve) => (markLoaded = resolve))
    const gone = (error: Error) => {
      markLoaded(false)
      if (worker !== started) return
      worker = null
      for (const { reject } of replies.values()) reject(error)
      replies.clear()
    }
    started.on('message', (reply: WriterReply) => {
      if ('ready' in reply) {
        markLoaded(true)
        return
      }
      const waiting = replies.get(reply.id)
      if (!waiting) return
      replies.delete(reply.id)
      if (reply.ok) waiting.resolve(reply.seqs)
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

  async function inThread(write: Write): Promise<number[]> {
    const thread = startThread()
    if (!(await loaded) || worker !== thread) throw new Error('document writer thread is not running')
    return new Promise((resolve, reject) => {
      const id = nextId++
      replies.set(id, { resolve, reject })
      thread.postMessage({ ...write, id })
    })
  }

  function here(write: Write): number[] {
    switch (write.kind) {
      case 'append':
        return storage.appendUpdates(write.entries)
      case 'compact':
        storage.compact(write.name, write.merged, write.upToSeq, write.stateVector)
        return []
      case 'stateVector':
        storage.storeStateVector(write.name, write.seq, write.stateVector)
        return []
    }
  }

  function pump(): void {
    while (!threadBusy && queue.length > 0) {
      const { write, resolve, reject } = queue.shift() as (typeof queue)[number]
      if (bytesOf(write) > threadAbove) {
        threadBusy = true
        inThread(write)
          .then(resolve, reject)
          .finally(() => {
            threadBusy = false
            pump()
          })
        return
      }
      try {
        resolve(here(write))
      } catch (error) {
        reject(error as Error)
      }
    }
  }

  function submit(write: Write): Promise<number[]> {
    if (closed) return Promise.reject(new Error('the document writer is closed'))
    if (!threadBusy && queue.length === 0 && bytesOf(write) <= threadAbove) {
      try {
        return Promise.resolve(here(write))
      } catch (error) {
        return Promise.reject(error as Error)
      }
    }
    return new Promise((resolve, reject) => {
      queue.push({ write, resolve, reject })
      pump()
    })
  }

  if (options.startThread) startThread()

  return {
    append: (entries) => submit({ kind: 'append', entries }),
    compact: async (name, merged, upToSeq, stateVector) => {
      await submit({ kind: 'compact', name, merged, upToSeq, stateVector })
    },
    storeStateVector: async (name, seq, stateVector) => {
      await submit({ kind: 'stateVector', name, seq, stateVector })
    },
    async close() {
      // Finish what was asked; stopping a thread while it loads its code can take the process
      // down, so it is asked to close once loaded and terminated only as a last resort.
      while (threadBusy || queue.length > 0) await new Promise((r) => setTimeout(r, 5))
      closed = true
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
