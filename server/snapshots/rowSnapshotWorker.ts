// The row snapshot thread (see rowSnapshots.ts): decodes an entity document from the SQLite
// file and answers with its rows as JSON bytes, so the relay's event loop never decodes.
import { parentPort } from 'node:worker_threads'
import { lowerThreadPriority } from '../lowerThreadPriority'
import type { RelayStorage } from '../storage/relayStorage'
import { createSqliteStorage } from '../storage/sqliteStorage'
import { encodeRowSnapshot } from './encodeRowSnapshot'

export interface SnapshotRequest { id: number; file: string; docName: string }
export type SnapshotReply =
  | { id: number; ok: true; seq: number; bytes: Uint8Array }
  | { id: number; ok: false; error: string }

const port = parentPort
if (!port) throw new Error('rowSnapshotWorker.ts runs as a worker thread')
lowerThreadPriority()

const storages = new Map<string, RelayStorage>()
port.on('message', (msg: SnapshotRequest | { close: true }) => {
  if ('close' in msg) {
    for (const s of storages.values()) s.close()
    port.close()
    return
  }
  try {
    let storage = storages.get(msg.file)
    if (!storage) storages.set(msg.file, (storage = createSqliteStorage(msg.file, { autoCheckpoint: false })))
    const seq = storage.lastSeq(msg.docName)
    const bytes = encodeRowSnapshot(storage.loadDocument(msg.docName))
    port.postMessage({ id: msg.id, ok: true, seq, bytes } satisfies SnapshotReply, [bytes.buffer as ArrayBuffer])
  } catch (error) {
    port.postMessage({ id: msg.id, ok: false, error: (error as Error).stack ?? String(error) } satisfies SnapshotReply)
  }
})
