import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { observeRows, readLiveRows, updateCell } from '../src/crdt/recordDoc'
import { percentile } from './summarize'

export interface MeasureRelayLatencyOptions {
  /** ws://host:port/sync */
  syncUrl: string
  token: string
  docName: string
  /**
   * Each client's document before it connects (e.g. GeneratedWorkspace.editedContacts: the
   * records the clients edit, the rest as a garbage-collected range with the same state vector,
   * so the relay sends nothing on connect). Default: empty, the relay sends the whole document.
   * The clients edit the live records of this starting state.
   */
  baseUpdate?: Uint8Array
  /** Text field the edits write (its value carries the send time). */
  fieldId: string
  clients: number
  /** Each client edits once per interval (starts staggered across it). */
  editIntervalMs: number
  roundMs: number
  rounds: number
  onProgress?: (message: string) => void
  /** Runs once every client has synced, before the first round (e.g. starts a load to measure under). */
  beforeRounds?: () => Promise<void>
}

export interface LatencyRound {
  edits: number
  deliveries: number
  /** Deliveries that never arrived (expected: edits × (clients − 1)). */
  missing: number
  p50Ms: number
  p99Ms: number
  maxMs: number
}

export interface RelayLatencyResult {
  rounds: LatencyRound[]
  /** Time for all clients to connect and load the document. */
  connectMs: number
  /** Edits per second over all clients. */
  editsPerSecond: number
}

interface Client {
  index: number
  doc: Y.Doc
  provider: WebsocketProvider
  stop: () => void
}

const EDIT_ORIGIN = 'bench-edit'
const VALUE_PREFIX = 'bench '

function waitForSync(provider: WebsocketProvider, timeoutMs: number): Promise<void> {
  if (provider.synced) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`client did not sync within ${timeoutMs} ms`)), timeoutMs)
    const onSync = (synced: boolean) => {
      if (!synced) return
      clearTimeout(timer)
      provider.off('sync', onSync)
      resolve()
    }
    provider.on('sync', onSync)
  })
}

/**
 * Edit → visible in another client, through the relay: `clients` real y-websocket clients in
 * this process (one clock, performance.now) on one document. Each writes its send time into a
 * cell of records only it edits (`updateCell`), every other client notes when its document
 * reports the change (`observeRows`, as the app sees it).
 */
export async function measureRelayLatency(o: MeasureRelayLatencyOptions): Promise<RelayLatencyResult> {
  const progress = o.onProgress ?? (() => {})
  const connectStarted = performance.now()
  const clients: Client[] = []
  let latencies: number[] = []
  // receiver → sender → highest edit seq seen, so a row reported twice counts once
  const seen: Map<number, number>[] = []
  // Each provider adds a process 'exit' listener in Node.
  process.setMaxListeners(Math.max(process.getMaxListeners(), o.clients + 10))
  try {
    for (let index = 0; index < o.clients; index++) {
      const doc = new Y.Doc()
      if (o.baseUpdate) Y.applyUpdate(doc, o.baseUpdate)
      const provider = new WebsocketProvider(o.syncUrl, o.docName, doc, {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
        params: { token: o.token },
        maxBackoffTime: 1000,
      })
      seen.push(new Map())
      clients.push({ index, doc, provider, stop: () => {} })
    }
    // Connect all at once, as a team opening the app; then wait until every one has the document.
    for (const c of clients) await waitForSync(c.provider, 120_000)
    const connectMs = performance.now() - connectStarted
    progress(`  relay latency: ${o.clients} clients synced in ${(connectMs / 1000).toFixed(1)} s`)

    const recordIds = readLiveRows(clients[0]!.doc).map((r) => r.id)
    const perClient = Math.floor(recordIds.length / o.clients)
    if (perClient < 1) throw new Error(`document "${o.docName}" has too few records (${recordIds.length}) for ${o.clients} clients`)

    for (const c of clients) {
      c.stop = observeRows(c.doc, (patch, origin) => {
        if (origin === EDIT_ORIGIN) return
        const now = performance.now()
        for (const row of patch.updated) {
          const value = row.values[o.fieldId]
          if (typeof value !== 'string' || !value.startsWith(VALUE_PREFIX)) continue
          const [sender, seq, sentAt] = value.slice(VALUE_PREFIX.length).split(' ').map(Number) as [number, number, number]
          const last = seen[c.index]!.get(sender) ?? -1
          if (seq <= last) continue
          seen[c.index]!.set(sender, seq)
          latencies.push(now - sentAt)
        }
      })
    }

    await o.beforeRounds?.()
    const rounds: LatencyRound[] = []
    let seq = 0
    for (let round = 0; round < o.rounds; round++) {
      latencies = []
      let edits = 0
      const timers: NodeJS.Timeout[] = []
      const roundStart = performance.now()
      await new Promise<void>((resolve) => {
        for (const c of clients) {
          const offset = (o.editIntervalMs * c.index) / o.clients
          timers.push(setTimeout(() => {
            const edit = () => {
              if (performance.now() - roundStart > o.roundMs) return
              const mySeq = seq++
              const recordId = recordIds[c.index * perClient + (mySeq % perClient)]!
              updateCell(c.doc, recordId, o.fieldId, `${VALUE_PREFIX}${c.index} ${mySeq} ${performance.now()}`, EDIT_ORIGIN)
              edits++
            }
            edit()
            timers.push(setInterval(edit, o.editIntervalMs))
          }, offset))
        }
        timers.push(setTimeout(resolve, o.roundMs))
      })
      timers.forEach((t) => clearTimeout(t))
      // Let the last edits arrive.
      const expected = edits * (o.clients - 1)
      const drainUntil = performance.now() + 3000
      while (latencies.length < expected && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 20))
      const sorted = [...latencies].sort((a, b) => a - b)
      const result: LatencyRound = {
        edits,
        deliveries: sorted.length,
        missing: expected - sorted.length,
        p50Ms: percentile(sorted, 0.5),
        p99Ms: percentile(sorted, 0.99),
        maxMs: sorted[sorted.length - 1] ?? NaN,
      }
      rounds.push(result)
      progress(`  relay latency round ${round + 1}/${o.rounds}: ${result.deliveries} deliveries, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, max ${result.maxMs.toFixed(1)} ms`)
    }
    return { rounds, connectMs, editsPerSecond: (o.clients * 1000) / o.editIntervalMs }
  } finally {
    for (const c of clients) {
      c.stop()
      c.provider.destroy()
      c.doc.destroy()
    }
  }
}
