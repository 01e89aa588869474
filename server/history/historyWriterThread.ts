// The record history's writer thread (see historyWriter.ts): appends the entries the feed derived
// and forgets purged records' history with a SQLite connection of its own, off the event loop.
import { parentPort, workerData } from 'node:worker_threads'
import type { HistoryEntry } from '../../src/domain/history/historyEntry'
import { lowerThreadPriority } from '../lowerThreadPriority'
import { createSqliteStorage } from '../storage/sqliteStorage'

export type HistoryWriteRequest =
  | { id: number; kind: 'write'; entries: HistoryEntry[]; purged: [entityId: string, recordIds: string[]][] }
  /** Answered once the connection is closed; the thread then ends. */
  | { id: number; kind: 'close' }

export type HistoryWriteReply = { id: number; ok: true } | { id: number; ok: false; error: string }

const port = parentPort
if (!port) throw new Error('historyWriterThread.ts runs as a worker thread')
// Below the event loop's priority: the history may lag, answering clients may not.
lowerThreadPriority()
const storage = createSqliteStorage((workerData as { file: string }).file, { autoCheckpoint: false })

port.on('message', (request: HistoryWriteRequest) => {
  if (request.kind === 'close') {
    storage.close()
    port.postMessage({ id: request.id, ok: true } satisfies HistoryWriteReply)
    port.close()
    return
  }
  let reply: HistoryWriteReply
  try {
    storage.appendHistory(request.entries)
    for (const [entityId, ids] of request.purged) storage.forgetHistory(entityId, ids)
    reply = { id: request.id, ok: true }
  } catch (error) {
    reply = { id: request.id, ok: false, error: (error as Error).message }
  }
  port.postMessage(reply)
})
