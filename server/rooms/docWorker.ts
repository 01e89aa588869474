// A document worker thread (see docWorkerPool.ts): reads, decodes, merges and diffs big
// documents so the relay's event loop never does.
import { parentPort, type TransferListItem } from 'node:worker_threads'
import { lowerThreadPriority } from '../lowerThreadPriority'
import type { RelayStorage } from '../storage/relayStorage'
import { createSqliteStorage } from '../storage/sqliteStorage'
import { diffStep2, inspectIncoming, mergeDocument, prepareDocument } from './documentOps'
import { decodeIncoming } from './inspectUpdate'
import { analyzeInWorker, indexDocument, packPlaced } from './layout/layoutGuard'
import { AUTOMATION_LAYOUT, entityLayout, ROLE_RECORD, SCHEMA_LAYOUT } from './layout/layoutRules'
import { unpackUpdates } from './packedUpdates'
import type { DocTask, DocTaskResults, DocWorkerReply, DocWorkerRequest } from './docWorkerProtocol'
import { MalformedMessageError } from './malformedMessageError'

const port = parentPort
if (!port) throw new Error('docWorker.ts runs as a worker thread')

// Below the main thread's priority: the event loop that answers every client comes first.
const keptPriority = lowerThreadPriority()
if (keptPriority) port.postMessage({ log: `document worker keeps normal priority: ${keptPriority}` })

const storages = new Map<string, RelayStorage>()
function storageAt(file: string): RelayStorage {
  let storage = storages.get(file)
  if (!storage) storages.set(file, (storage = createSqliteStorage(file, { autoCheckpoint: false })))
  return storage
}

/** Buffers to move (not copy) back: everything not in shared memory. */
function transferables(values: Uint8Array[]): TransferListItem[] {
  const out = new Set<ArrayBuffer>()
  for (const value of values) if (value.buffer instanceof ArrayBuffer) out.add(value.buffer)
  return [...out]
}

function run(task: DocTask): { result: DocTaskResults[DocTask['kind']]; transfer: Uint8Array[] } {
  switch (task.kind) {
    case 'load': {
      const storage = task.file ? storageAt(task.file) : null
      const rows = storage ? storage.loadRows(task.name) : (task.rows ?? [])
      const prepared = prepareDocument(rows)
      const layout = task.layout === 'schema' ? SCHEMA_LAYOUT : task.layout === 'automation' ? AUTOMATION_LAYOUT : entityLayout(new Map())
      // entity documents index their records only; the schema and the automation document every item (roles only: a known gap)
      const layoutIndex = task.layout ? packPlaced(indexDocument(rows.map((row) => row.update), layout).filter((p) => p.place.role === ROLE_RECORD || task.layout !== 'entity')) : undefined
      const result: DocTaskResults['load'] = { ...prepared, lastSeq: rows.at(-1)?.seq ?? 0, layoutIndex }
      const views = [...(prepared.base ? [prepared.base.step2.message] : []), ...prepared.tail.map((t) => t.message.message)]
      return { result, transfer: views }
    }
    case 'diff': {
      const result = diffStep2(task.update, task.stateVector)
      return { result, transfer: [result.message] }
    }
    case 'inspect': {
      const decoded = decodeIncoming(task.update)
      const result = { ...inspectIncoming(task.update, decoded), layout: task.layout ? analyzeInWorker(decoded.structs, task.layout) : null }
      return { result, transfer: [result.message.message] }
    }
    case 'merge': {
      const { step2, stateVector } = mergeDocument(task.base, unpackUpdates(task.tail))
      return { result: { seq: task.upToSeq, step2, stateVector }, transfer: [step2.message] }
    }
    case 'checkpoint':
      storageAt(task.file).checkpoint()
      return { result: {}, transfer: [] }
  }
}

port.on('message', (message: DocWorkerRequest | { close: true }) => {
  if ('close' in message) {
    for (const storage of storages.values()) storage.close()
    storages.clear()
    port.close()
    return
  }
  let reply: DocWorkerReply
  let transfer: TransferListItem[] = []
  try {
    const done = run(message.task)
    reply = { id: message.id, ok: true, result: done.result }
    transfer = transferables(done.transfer)
  } catch (error) {
    reply = { id: message.id, ok: false, error: (error as Error).stack ?? String(error), malformed: error instanceof MalformedMessageError }
  }
  port.postMessage(reply, transfer)
})
