import { Worker } from 'node:worker_threads'
import { CompactRecordStore } from '../../src/crdt/compactRecordStore'
import type { Row } from '../../src/domain/schema'
import type { RelayLogger } from '../relayLogger'
import { ownedCopies } from '../rooms/messageSlab'
import type { EntityLoadAck, EntityLoadReply, EntityLoadRequest } from './entityLoadWorker'

/** Loads an entity document's stored updates into a CompactRecordStore. */
export interface EntityLoader {
  load(name: string, updates: Uint8Array[]): Promise<CompactRecordStore>
  close(): Promise<void>
}

/**
 * The API's copies never merge what they apply into their big state (the relay's room keeps the
 * document; merging 14 MB on the event loop stalled every client for a few hundred ms), and an
 * update only a Y.Doc of the whole document could apply drops the copy (EntityStores) instead of
 * decoding the document on the event loop (1–2 s per connecting B6 client for 30k contacts).
 */
export const API_STORE_OPTIONS = { mergeIntoStateBytes: Number.POSITIVE_INFINITY, refuseDocPath: true }

/**
 * A copy loaded on this thread. Loading may decode the document in a Y.Doc (the stored updates
 * of a room clients edit concurrently often need it, and the document is small or the caller
 * cannot wait); only the updates applied afterwards refuse to (API_STORE_OPTIONS), as the loader
 * thread's copies do once adopted.
 */
export function loadEntityInline(name: string, updates: readonly Uint8Array[]): CompactRecordStore {
  const store = new CompactRecordStore({ name })
  store.load(updates)
  return CompactRecordStore.adopt(store.exportState(), { ...API_STORE_OPTIONS, name })
}

/** Documents below this many bytes load inline: a thread round trip would cost more than the decode. */
export const INLINE_LOAD_BYTES = 256 * 1024

/**
 * Big documents load in one worker thread (entityLoadWorker.ts), started on first use; only the
 * adoption of the finished state (a structured clone) runs on the event loop.
 */
export function createEntityLoader(logger: RelayLogger, inlineBelowBytes = INLINE_LOAD_BYTES): EntityLoader {
  let worker: Worker | null = null
  let nextId = 1
  const pending = new Map<number, { name: string; rows: Row[]; ids: [string, number][]; resolve: (store: CompactRecordStore) => void; reject: (error: Error) => void }>()

  const spawn = (): Worker => {
    const w = new Worker(new URL('../workerEntry.mjs', import.meta.url), { workerData: { module: './api/entityLoadWorker.ts' } })
    w.unref()
    w.on('message', (reply: EntityLoadReply) => {
      const p = pending.get(reply.id)
      if (!p) return
      if (reply.ok && 'slice' in reply) {
        for (const row of reply.slice.rows) p.rows.push(row)
        for (const entry of reply.slice.ids) p.ids.push(entry)
        w.postMessage({ ack: reply.id } satisfies EntityLoadAck)
        return
      }
      pending.delete(reply.id)
      if (!reply.ok) {
        p.reject(new Error(`loading ${p.name} for the API failed: ${reply.error}`))
        return
      }
      const table = Object.assign(reply.state.table, { rows: p.rows, ids: new Map(p.ids) })
      p.resolve(CompactRecordStore.adopt({ ...reply.state, table }, { ...API_STORE_OPTIONS, name: p.name }))
    })
    const fail = (error: Error) => {
      if (worker === w) worker = null
      for (const p of pending.values()) p.reject(error)
      pending.clear()
    }
    w.on('error', (error) => {
      logger.error(`API document loader thread failed: ${error.stack ?? error.message}`)
      fail(error)
    })
    w.on('exit', (code) => fail(new Error(`the API document loader thread exited with code ${code}`)))
    return w
  }

  return {
    load(name, updates) {
      const bytes = updates.reduce((n, u) => n + u.byteLength, 0)
      if (bytes < inlineBelowBytes) return Promise.resolve(loadEntityInline(name, updates))
      const w = (worker ??= spawn())
      const id = nextId++
      const result = new Promise<CompactRecordStore>((resolve, reject) => pending.set(id, { name, rows: [], ids: [], resolve, reject }))
      w.postMessage({ id, name, updates: ownedCopies(updates) } satisfies EntityLoadRequest)
      return result
    },
    async close() {
      const w = worker
      worker = null
      if (w) await w.terminate()
    },
  }
}
