// The relay's document writer thread (see sqliteDocumentWriter.ts): the only writer of
// documents to SQLite, so the event loop never waits for the disk or for a lock.
import { parentPort, workerData } from 'node:worker_threads'
import { createSqliteStorage } from './sqliteStorage'
import type { WriterReply, WriterRequest } from './sqliteDocumentWriter'

const port = parentPort
if (!port) throw new Error('documentWriterThread.ts runs as a worker thread')
const storage = createSqliteStorage((workerData as { file: string }).file, { autoCheckpoint: false })
port.postMessage({ ready: true } satisfies WriterReply)

port.on('message', (request: WriterRequest) => {
  let reply: WriterReply
  try {
    switch (request.kind) {
      case 'append':
        reply = { id: request.id, ok: true, seqs: storage.appendUpdates(request.entries) }
        break
      case 'compact':
        storage.compact(request.name, request.merged, request.upToSeq, request.stateVector)
        reply = { id: request.id, ok: true, seqs: [] }
        break
      case 'stateVector':
        storage.storeStateVector(request.name, request.seq, request.stateVector)
        reply = { id: request.id, ok: true, seqs: [] }
        break
      case 'close':
        storage.close()
        port.postMessage({ id: request.id, ok: true, seqs: [] } satisfies WriterReply)
        port.close()
        return
    }
  } catch (error) {
    reply = { id: request.id, ok: false, error: (error as Error).message }
  }
  port.postMessage(reply)
})
