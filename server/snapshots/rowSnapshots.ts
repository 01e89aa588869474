import { Worker } from 'node:worker_threads'
import { entityDocName } from '../../src/crdt/docNames'
import type { RelayLogger as Logger } from '../relayLogger'
import type { RelayStorage } from '../storage/relayStorage'
import { readRowSnapshot } from './readRowSnapshot'
import type { SnapshotReply, SnapshotRequest } from './rowSnapshotWorker'

export interface RowSnapshot {
  /** The document's last stored seq when the rows were read. */
  seq: number
  /** `Row[]` as ASCII JSON. */
  bytes: Uint8Array
  /** Rows in it (one per line; null for an older layout that does not tell). */
  rows: number | null
}

export interface RowSnapshots {
  /**
   * The entity's live rows for a browser that has nothing stored yet, so it can show them before
   * it has downloaded and decoded the document. May be a little behind the document (it is
   * refreshed in the background after writes); the browser corrects it once the document has
   * loaded. Null when the entity has no document.
   */
  get(entityId: string): Promise<RowSnapshot | null>
  /** Loads the saved snapshots at start and refreshes the stale ones in the background, so first visits are answered at once. */
  warmAll(): void
  close(): Promise<void>
}

export interface RowSnapshotsOptions {
  storage: RelayStorage
  logger: Logger
  /** Bytes of snapshots kept in memory; least recently used ones go first. Default 128 MiB. */
  maxBytes?: number
}

/**
 * Row snapshots of the entity documents, decoded in one worker thread from the SQLite file
 * (inline for storage without a file, i.e. tests), cached with a memory budget, served stale
 * while a fresh one is read.
 */
export function createRowSnapshots(options: RowSnapshotsOptions): RowSnapshots {
  const { storage, logger } = options
  const maxBytes = options.maxBytes ?? 128 * 1024 * 1024
  const cache = new Map<string, RowSnapshot>()
  const reading = new Map<string, Promise<RowSnapshot>>()
  // Two threads: the reader (normal priority) answers from saved snapshots, which a first visit
  // waits for; the decoder (below the event loop's priority) decodes documents. On a busy
  // machine a low-priority thread waited seconds for the CPU before serving a 0.1 s read.
  const workers: Record<'reader' | 'decoder', Worker | null> = { reader: null, decoder: null }
  let nextId = 1
  const pending = new Map<number, { resolve: (s: RowSnapshot) => void; reject: (e: Error) => void }>()
  let closed = false

  const spawn = (role: 'reader' | 'decoder'): Worker => {
    const w = new Worker(new URL('../workerEntry.mjs', import.meta.url), { workerData: { module: './snapshots/rowSnapshotWorker.ts', lowPriority: role === 'decoder' } })
    w.unref()
    w.on('message', (reply: SnapshotReply) => {
      const p = pending.get(reply.id)
      if (!p) return
      pending.delete(reply.id)
      if (reply.ok) p.resolve({ seq: reply.seq, bytes: reply.bytes, rows: reply.rows })
      else p.reject(new Error(`row snapshot: ${reply.error}`))
    })
    const fail = (error: Error) => {
      if (workers[role] === w) workers[role] = null
      for (const p of pending.values()) p.reject(error)
      pending.clear()
    }
    w.on('error', (error) => {
      logger.error(`row snapshot worker failed: ${error.stack ?? error.message}`)
      fail(error)
    })
    w.on('exit', (code) => fail(new Error(`row snapshot worker exited with code ${code}`)))
    return w
  }

  const decode = (docName: string, mode: SnapshotRequest['mode']): Promise<RowSnapshot> => {
    if (!storage.file) return Promise.resolve(readRowSnapshot(storage, docName, mode === 'saved'))
    const role = mode === 'saved' ? 'reader' : 'decoder'
    const worker = (workers[role] ??= spawn(role))
    const id = nextId++
    const request: SnapshotRequest = { id, file: storage.file, docName, mode }
    const result = new Promise<RowSnapshot>((resolve, reject) => pending.set(id, { resolve, reject }))
    worker.postMessage(request)
    return result
  }

  const remember = (docName: string, snapshot: RowSnapshot) => {
    cache.delete(docName)
    cache.set(docName, snapshot)
    let total = 0
    for (const s of cache.values()) total += s.bytes.byteLength
    for (const [name, s] of cache) {
      if (total <= maxBytes || name === docName) break
      cache.delete(name)
      total -= s.bytes.byteLength
    }
  }

  /** `saved`: the snapshot saved in the database will do (a restarted relay answers at once). */
  const read = (docName: string, saved: boolean): Promise<RowSnapshot> => {
    const key = `${saved ? 'saved' : 'fresh'}:${docName}`
    let p = reading.get(key)
    if (!p) {
      p = decode(docName, saved ? 'saved' : 'fresh').then((snapshot) => {
        const cached = cache.get(docName)
        if (!closed && (!cached || cached.seq <= snapshot.seq)) remember(docName, snapshot)
        return snapshot
      }).finally(() => reading.delete(key))
      reading.set(key, p)
    }
    return p
  }
  const refresh = (docName: string) => {
    void read(docName, false).catch((error: unknown) => logger.warn(`could not refresh the row snapshot of ${docName}: ${(error as Error).message}`))
  }

  return {
    async get(entityId) {
      const docName = entityDocName(entityId)
      const lastSeq = storage.lastSeq(docName)
      if (lastSeq === 0) return null
      let snapshot = cache.get(docName)
      if (snapshot) {
        cache.delete(docName)
        cache.set(docName, snapshot)
      } else {
        snapshot = await read(docName, true)
      }
      if (snapshot.seq !== lastSeq) refresh(docName)
      return snapshot
    },
    warmAll() {
      // At start: the saved snapshots into memory (the reader thread moves, not copies, them),
      // then fresh ones for the documents that moved on since. Contacts first (the list the app
      // opens by default), then the smaller documents.
      const names = storage.listDocuments().filter((n) => n.startsWith(entityDocName('')))
        .map((name) => ({ name, bytes: name === entityDocName('contacts') ? -1 : storage.documentSize(name).bytes }))
        .sort((a, b) => a.bytes - b.bytes)
        .map((d) => d.name)
      void (async () => {
        for (const name of names) {
          if (closed) return
          const snapshot = await read(name, true).catch((error: unknown) => {
            logger.warn(`could not read the row snapshot of ${name}: ${(error as Error).message}`)
            return null
          })
          if (snapshot && snapshot.seq !== storage.lastSeq(name)) refresh(name)
        }
      })()
    },
    async close() {
      closed = true
      const running = [workers.reader, workers.decoder].filter((w): w is Worker => w !== null)
      workers.reader = workers.decoder = null
      await Promise.all(running.map(async (w) => {
        const exited = new Promise((resolve) => w.once('exit', resolve))
        w.postMessage({ close: true })
        const timer = setTimeout(() => void w.terminate(), 5000)
        await exited
        clearTimeout(timer)
      }))
    },
  }
}
