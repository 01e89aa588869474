// A row snapshot thread (see rowSnapshots.ts): answers with an entity document's rows as JSON
// bytes, either the ones saved in SQLite or freshly decoded from the document (then saved), so
// the relay's event loop never decodes a document or reads a big blob.
import { parentPort, workerData } from 'node:worker_threads'
import { lowerThreadPriority } from '../lowerThreadPriority'
import type { RelayStorage } from '../storage/relayStorage'
import { createSqliteStorage } from '../storage/sqliteStorage'
import { readRowSnapshot } from './readRowSnapshot'

/** `saved`: the saved snapshot if there is one (whatever seq it reflects), else a fresh one; `fresh`: one that reflects the stored document. */
export interface SnapshotRequest { id: number; file: string; docName: string; mode: 'saved' | 'fresh' }
export type SnapshotReply =
  | { id: number; ok: true; seq: number; bytes: Uint8Array; rows: number | null }
  | { id: number; ok: false; error: string }

const port = parentPort
if (!port) throw new Error('rowSnapshotWorker.ts runs as a worker thread')
if ((workerData as { lowPriority?: boolean } | null)?.lowPriority) lowerThreadPriority()

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
    const { seq, bytes, rows } = readRowSnapshot(storage, msg.docName, msg.mode === 'saved')
    const copy = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice()
    port.postMessage({ id: msg.id, ok: true, seq, bytes: copy, rows } satisfies SnapshotReply, [copy.buffer as ArrayBuffer])
  } catch (error) {
    port.postMessage({ id: msg.id, ok: false, error: (error as Error).stack ?? String(error) } satisfies SnapshotReply)
  }
})
