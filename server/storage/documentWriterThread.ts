// The relay's document writer thread (see sqliteDocumentWriter.ts): the only writer of
// documents to SQLite, so the event loop never waits for a commit or for SQLite's lock.
import { parentPort, workerData } from 'node:worker_threads'
import { lowerThreadPriority } from '../lowerThreadPriority'
import { createSqliteStorage } from './sqliteStorage'
import { readLogFiles } from './updateLog'
import type { WriterReply, WriterRequest } from './sqliteDocumentWriter'

const port = parentPort
if (!port) throw new Error('documentWriterThread.ts runs as a worker thread')
// Below the event loop's priority: folding logged rows into SQLite can wait, answering clients cannot.
lowerThreadPriority()
const storage = createSqliteStorage((workerData as { file: string }).file, { autoCheckpoint: false })
port.postMessage({ ready: true } satisfies WriterReply)

port.on('message', (request: WriterRequest) => {
  let reply: WriterReply
  try {
    switch (request.kind) {
      case 'put':
        storage.putRows(request.rows)
        reply = { id: request.id, ok: true }
        break
      case 'putLogged': {
        const rows = readLogFiles(request.paths)
        if (rows.length !== request.count) throw new Error(`the update log files held ${rows.length} rows, ${request.count} were logged`)
        storage.putRows(rows)
        reply = { id: request.id, ok: true }
        break
      }
      case 'compact':
        storage.compact(request.name, request.merged, request.upToSeq, request.stateVector)
        reply = { id: request.id, ok: true }
        break
      case 'stateVector':
        storage.storeStateVector(request.name, request.seq, request.stateVector)
        reply = { id: request.id, ok: true }
        break
      case 'probe':
        storage.checkWritable()
        reply = { id: request.id, ok: true }
        break
      case 'close':
        storage.close()
        port.postMessage({ id: request.id, ok: true } satisfies WriterReply)
        port.close()
        return
    }
  } catch (error) {
    reply = { id: request.id, ok: false, error: (error as Error).message }
  }
  port.postMessage(reply)
})
