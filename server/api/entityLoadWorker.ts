// The API's document loader thread (see entityLoader.ts): builds a CompactRecordStore from a
// document's stored updates and posts its state back, so the relay's event loop never decodes a
// big entity document (30k contacts: 3–7 s on a busy machine).
import { parentPort } from 'node:worker_threads'
import { CompactRecordStore, type CompactStoreState } from '../../src/crdt/compactRecordStore'
import type { Row } from '../../src/domain/schema'

export interface EntityLoadRequest { id: number; name: string; updates: Uint8Array[] }
/**
 * The rows and the id index come in slices before the rest of the state (whose table holds
 * none of them): each message is decoded in its own event-loop task on the receiving side, so
 * adopting 30k rows does not stall the relay for hundreds of ms at once.
 */
export type EntityLoadReply =
  | { id: number; ok: true; slice: { rows: Row[]; ids: [string, number][] } }
  | { id: number; ok: true; state: CompactStoreState }
  | { id: number; ok: false; error: string }

const SLICE_ROWS = 2000

const port = parentPort
if (!port) throw new Error('entityLoadWorker.ts runs as a worker thread')

port.on('message', (msg: EntityLoadRequest | { close: true }) => {
  if ('close' in msg) {
    port.close()
    return
  }
  try {
    const store = new CompactRecordStore({ name: msg.name })
    store.load(msg.updates)
    const state = store.exportState()
    const ids = [...state.table.ids]
    for (let from = 0; from < Math.max(state.table.rows.length, ids.length); from += SLICE_ROWS) {
      const slice = { rows: state.table.rows.slice(from, from + SLICE_ROWS), ids: ids.slice(from, from + SLICE_ROWS) }
      port.postMessage({ id: msg.id, ok: true, slice } satisfies EntityLoadReply)
    }
    const table = Object.assign(Object.create(null) as object, state.table, { rows: [], ids: new Map() }) as CompactStoreState['table']
    port.postMessage({ id: msg.id, ok: true, state: { ...state, table } } satisfies EntityLoadReply)
  } catch (error) {
    port.postMessage({ id: msg.id, ok: false, error: (error as Error).stack ?? String(error) } satisfies EntityLoadReply)
  }
})
