// The API's document loader thread (see entityLoader.ts): builds a CompactRecordStore from a
// document's stored updates and posts its state back, so the relay's event loop never decodes a
// big entity document (30k contacts: 3–7 s on a busy machine).
import { parentPort } from 'node:worker_threads'
import { CompactRecordStore, type CompactStoreState } from '../../src/crdt/compactRecordStore'
import type { Row } from '../../src/domain/schema'

export interface EntityLoadRequest { id: number; name: string; updates: Uint8Array[] }
/** The receiver took a slice: the next may come. */
export interface EntityLoadAck { ack: number }
/**
 * The rows and the id index come in slices before the rest of the state (whose table holds
 * none of them), the next only once the receiver acknowledged the last: Node decodes every
 * queued message in one event-loop task, so unpaced slices stalled the relay as one message did.
 */
export type EntityLoadReply =
  | { id: number; ok: true; slice: { rows: Row[]; ids: [string, number][] } }
  | { id: number; ok: true; state: CompactStoreState }
  | { id: number; ok: false; error: string }

const SLICE_ROWS = 2000

const port = parentPort
if (!port) throw new Error('entityLoadWorker.ts runs as a worker thread')

/** Per load, the messages still to send, one per acknowledgement. */
const queued = new Map<number, EntityLoadReply[]>()

function sendNext(id: number): void {
  const rest = queued.get(id)
  const next = rest?.shift()
  if (!next) return
  if (rest!.length === 0) queued.delete(id)
  port!.postMessage(next)
}

port.on('message', (msg: EntityLoadRequest | EntityLoadAck | { close: true }) => {
  if ('close' in msg) {
    port.close()
    return
  }
  if ('ack' in msg) {
    sendNext(msg.ack)
    return
  }
  try {
    const store = new CompactRecordStore({ name: msg.name })
    store.load(msg.updates)
    const state = store.exportState()
    const ids = [...state.table.ids]
    const messages: EntityLoadReply[] = []
    for (let from = 0; from < Math.max(state.table.rows.length, ids.length); from += SLICE_ROWS) {
      messages.push({ id: msg.id, ok: true, slice: { rows: state.table.rows.slice(from, from + SLICE_ROWS), ids: ids.slice(from, from + SLICE_ROWS) } })
    }
    const table = Object.assign(Object.create(null) as object, state.table, { rows: [], ids: new Map() }) as CompactStoreState['table']
    messages.push({ id: msg.id, ok: true, state: { ...state, table } })
    queued.set(msg.id, messages)
    sendNext(msg.id)
  } catch (error) {
    port.postMessage({ id: msg.id, ok: false, error: (error as Error).stack ?? String(error) } satisfies EntityLoadReply)
  }
})
