import { Worker } from 'node:worker_threads'
import type { HistoryEntry } from '../../src/domain/history/historyEntry'
import type { RelayLogger } from '../relayLogger'
import type { RelayStorage } from '../storage/relayStorage'
import type { HistoryWriteReply, HistoryWriteRequest } from './historyWriterThread'

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** Where the record history feed writes what it derived, one write after another in the order asked. */
export interface HistoryWriter {
  /** Appends `entries`, then forgets the history of the purged records (entity id → record ids). */
  write(entries: readonly HistoryEntry[], purged: ReadonlyMap<string, readonly string[]>): Promise<void>
  /** Finishes the writes asked for so far, then stops. */
  close(): Promise<void>
}

/** A history writer for `storage`: a thread of its own for SQLite storage, else writes on this thread. */
export function makeHistoryWriter(storage: RelayStorage, logger: RelayLogger): HistoryWriter {
  return storage.file ? threadHistoryWriter(storage.file, logger) : inlineHistoryWriter(storage)
}

/** Writes on the calling thread (in-memory storage, tests). */
export function inlineHistoryWriter(storage: RelayStorage): HistoryWriter {
  return {
    async write(entries, purged) {
      storage.appendHistory(entries)
      for (const [entityId, ids] of purged) storage.forgetHistory(entityId, [...ids])
    },
    async close() {},
  }
}

/**
 * Writes in a thread of its own (historyWriterThread.ts, started on the first write) with its own
 * SQLite connection: the ~6 µs of SQLite per entry (an imported record makes one per field, and
 * its index is keyed by random record ids) left the relay's event loop, and a write that waits
 * for SQLite's lock (a compaction of a big document) waits there, not on it.
 */
export function threadHistoryWriter(file: string, logger: RelayLogger): HistoryWriter {
  let worker: Worker | null = null
  let nextId = 1
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>()

  const spawn = (): Worker => {
    const w = new Worker(new URL('../workerEntry.mjs', import.meta.url), { workerData: { module: './history/historyWriterThread.ts', file } })
    w.unref()
    w.on('message', (reply: HistoryWriteReply) => {
      const p = pending.get(reply.id)
      if (!p) return
      pending.delete(reply.id)
      if (reply.ok) p.resolve()
      else p.reject(new Error(reply.error))
    })
    const fail = (error: Error) => {
      if (worker === w) worker = null
      for (const p of pending.values()) p.reject(error)
      pending.clear()
    }
    w.on('error', (error) => {
      logger.error(`history writer thread failed: ${error.stack ?? error.message}`)
      fail(error)
    })
    w.on('exit', (code) => fail(new Error(`the history writer thread exited with code ${code}`)))
    return w
  }

  const send = (request: DistributiveOmit<HistoryWriteRequest, 'id'>): Promise<void> => {
    const w = (worker ??= spawn())
    const id = nextId++
    const done = new Promise<void>((resolve, reject) => pending.set(id, { resolve, reject }))
    w.postMessage({ ...request, id } as HistoryWriteRequest)
    return done
  }

  return {
    write(entries, purged) {
      if (entries.length === 0 && purged.size === 0) return Promise.resolve()
      return send({ kind: 'write', entries: [...entries], purged: [...purged].map(([entityId, ids]) => [entityId, [...ids]]) })
    },
    async close() {
      if (!worker) return
      const w = worker
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()))
      await send({ kind: 'close' })
      await exited
    },
  }
}
