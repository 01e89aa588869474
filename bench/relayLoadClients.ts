// Child-process entry: many real y-websocket clients (WebsocketProvider + Y.Doc each), driven
// over IPC by relayLoadProcess.ts, so the load does not share an event loop with the bench or
// with the server under test. Run as: node --import tsx bench/relayLoadClients.ts (with IPC).
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { logGcPauses } from './logGcPauses'
import { HISTOGRAM_BUCKETS, type LoadCommand, type LoadReply, type LoadRunResult } from './relayLoadProcess'
import { percentile } from './summarize'

interface Client {
  group: string
  index: number
  doc: Y.Doc
  provider: WebsocketProvider
  /** Peers in the same document (receivers of this client's edits). */
  peers: number
  seq: number
  /** Edits sent and not yet seen by every peer: seq → receivers still missing. */
  outstanding: Map<number, number>
  /** The field each edit sets (`<entity>.name`) in this client's own record `c<index>`. */
  field: string
  record: Y.Map<string> | null
}

interface Run {
  latencies: number[]
  /** performance.now() when each latency's delivery arrived (same order as latencies). */
  arrivals: number[]
  edits: number
  deliveries: number
  completed: number
  /** Closed loop: send the next edit when one completes. */
  window: number
  running: boolean
  started: number
  timers: NodeJS.Timeout[]
}

const groups = new Map<string, Client[]>()
const runs = new Map<string, Run>()
const EDIT_ORIGIN = 'load-edit'

const send = (reply: LoadReply) => process.send?.(reply)

// KANSO_BENCH_LOAD_GC_LOG: the load process's own GC pauses (they delay every delivery it measures, for either server)
if (process.env.KANSO_BENCH_LOAD_GC_LOG) logGcPauses(process.env.KANSO_BENCH_LOAD_GC_LOG)

function waitForSync(provider: WebsocketProvider, timeoutMs: number): Promise<void> {
  if (provider.synced) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`a client did not sync within ${timeoutMs} ms`)), timeoutMs)
    const onSync = (synced: boolean) => {
      if (!synced) return
      clearTimeout(timer)
      provider.off('sync', onSync)
      resolve()
    }
    provider.on('sync', onSync)
  })
}

function edit(client: Client, run: Run): void {
  const seq = ++client.seq
  client.outstanding.set(seq, client.peers)
  run.edits++
  // the documents' layout, as the relay enforces it: a Y.Map per record, a JSON value per field
  client.doc.transact(() => {
    if (!client.record) client.doc.getMap('records').set(`c${client.index}`, (client.record = new Y.Map<string>()))
    client.record.set(client.field, `${seq} ${performance.now()}`)
  }, EDIT_ORIGIN)
}

/** The seq and send time of an edit (see edit). */
function readEdit(text: string | undefined): [number, number] | null {
  const [seq, sentAt] = (text ?? '').split(' ').map(Number)
  return seq !== undefined && sentAt !== undefined && Number.isFinite(seq) && Number.isFinite(sentAt) ? [seq, sentAt] : null
}

async function connect(command: Extract<LoadCommand, { type: 'connect' }>): Promise<void> {
  const started = performance.now()
  const clients: Client[] = []
  process.setMaxListeners(Math.max(process.getMaxListeners(), 20 + command.docs.length * command.clientsPerDoc * 2))
  for (const docName of command.docs) {
    const field = `${docName.replace(/^entity-/, '')}.name`
    const inDoc: Client[] = []
    for (let i = 0; i < command.clientsPerDoc; i++) {
      const doc = new Y.Doc()
      const provider = new WebsocketProvider(command.syncUrl, docName, doc, {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
        params: command.token ? { token: command.token } : {},
        maxBackoffTime: 1000,
      })
      inDoc.push({ group: command.group, index: clients.length + i, doc, provider, peers: command.clientsPerDoc - 1, seq: 0, outstanding: new Map(), field, record: null })
    }
    for (const receiver of inDoc) {
      const records = receiver.doc.getMap<Y.Map<string>>('records')
      records.observeDeep((events, transaction) => {
        if (transaction.origin === EDIT_ORIGIN) return
        const now = performance.now()
        const run = runs.get(command.group)
        // a sender's first edit adds its record, the later ones change a field in it
        const changed = new Set<string>()
        for (const event of events) {
          if (event instanceof Y.YMapEvent && event.target === records) for (const key of event.keysChanged) changed.add(key)
          else changed.add(String(event.path[0]))
        }
        for (const key of changed) {
          const value = readEdit(records.get(key)?.get(field))
          if (!value || !run) continue
          const sender = inDoc.find((c) => `c${c.index}` === key)
          const remaining = sender?.outstanding.get(value[0])
          if (!sender || remaining === undefined) continue
          if (value[1] >= run.started) {
            run.latencies.push(now - value[1])
            run.arrivals.push(now)
            run.deliveries++
          }
          if (remaining > 1) {
            sender.outstanding.set(value[0], remaining - 1)
            continue
          }
          sender.outstanding.delete(value[0])
          run.completed++
          if (run.window > 0 && run.running) queueMicrotask(() => run.running && edit(sender, run))
        }
      })
    }
    clients.push(...inDoc)
  }
  groups.set(command.group, clients)
  await Promise.all(clients.map((c) => waitForSync(c.provider, 120_000)))
  send({ type: 'connected', group: command.group, clients: clients.length, ms: performance.now() - started })
}

function startRun(command: Extract<LoadCommand, { type: 'run' }>): void {
  const clients = groups.get(command.group)
  if (!clients) throw new Error(`no clients in group ${command.group}`)
  for (const c of clients) c.outstanding.clear()
  const run: Run = { latencies: [], arrivals: [], edits: 0, deliveries: 0, completed: 0, window: command.window ?? 0, running: true, started: performance.now(), timers: [] }
  runs.set(command.group, run)
  if (run.window > 0) {
    for (const c of clients) for (let i = 0; i < run.window; i++) edit(c, run)
  } else {
    const intervalMs = (clients.length * 1000) / (command.editsPerSecond ?? 100)
    // `slot` (0–1): where in each client's gap this process starts, so that several load
    // processes at the same rate interleave their edits instead of sending them in pairs
    const slot = command.slot ?? 0
    for (const [i, c] of clients.entries()) {
      run.timers.push(setTimeout(() => {
        if (!run.running) return
        edit(c, run)
        run.timers.push(setInterval(() => run.running && edit(c, run), intervalMs))
      }, (intervalMs * (i + slot)) / clients.length))
    }
  }
  if (command.durationMs !== undefined) run.timers.push(setTimeout(() => void stopRun(command.group), command.durationMs))
}

async function stopRun(group: string): Promise<void> {
  const run = runs.get(group)
  if (!run || !run.running) return
  run.running = false
  const sendMs = performance.now() - run.started
  for (const timer of run.timers) clearTimeout(timer)
  // Let the edits in flight arrive (at most 3 s).
  const clients = groups.get(group) ?? []
  const drainUntil = performance.now() + 3000
  while (clients.some((c) => c.outstanding.size > 0) && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 10))
  const expected = clients.reduce((n, c) => n + c.peers, 0) / Math.max(1, clients.length)
  const epoch = (now: number) => performance.timeOrigin + now
  const slowest = run.latencies
    .map((latency, i): [number, number] => [epoch(run.arrivals[i] as number), latency])
    .sort((a, b) => b[1] - a[1])
    .slice(0, Math.ceil(run.latencies.length / 100))
  const sorted = run.latencies.sort((a, b) => a - b)
  const histogram = new Array<number>(HISTOGRAM_BUCKETS).fill(0)
  for (const latency of sorted) {
    const bucket = Math.min(HISTOGRAM_BUCKETS - 1, Math.max(0, Math.ceil(latency * 10) - 1))
    histogram[bucket] = (histogram[bucket] ?? 0) + 1
  }
  const result: LoadRunResult = {
    group,
    sendMs,
    edits: run.edits,
    completed: run.completed,
    deliveries: run.deliveries,
    missing: Math.round(run.edits * expected) - run.deliveries,
    completedPerSecond: (run.completed * 1000) / sendMs,
    deliveriesPerSecond: (run.deliveries * 1000) / sendMs,
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    p999Ms: percentile(sorted, 0.999),
    maxMs: sorted.at(-1) ?? NaN,
    startedAt: epoch(run.started),
    stoppedAt: epoch(run.started + sendMs),
    slowest,
    histogram,
    latencies: sorted,
  }
  runs.delete(group)
  send({ type: 'result', result })
}

function disconnect(group: string): void {
  for (const c of groups.get(group) ?? []) {
    c.provider.destroy()
    c.doc.destroy()
  }
  groups.delete(group)
  send({ type: 'disconnected', group })
}

process.on('message', (command: LoadCommand) => {
  const fail = (error: unknown) => send({ type: 'error', message: (error as Error).stack ?? String(error) })
  try {
    if (command.type === 'connect') connect(command).catch(fail)
    else if (command.type === 'run') startRun(command)
    else if (command.type === 'stop') stopRun(command.group).catch(fail)
    else if (command.type === 'disconnect') disconnect(command.group)
    else if (command.type === 'exit') process.exit(0)
  } catch (error) {
    fail(error)
  }
})
send({ type: 'ready' })
