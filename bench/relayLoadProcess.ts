import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { PROJECT_ROOT } from '../server/config'
import { percentile } from './summarize'

export type LoadCommand =
  | { type: 'connect'; group: string; syncUrl: string; token: string | null; docs: string[]; clientsPerDoc: number }
  /** Fixed rate (editsPerSecond over the whole group) or closed loop (`window` edits in flight per client). */
  | { type: 'run'; group: string; editsPerSecond?: number; window?: number; durationMs?: number; slot?: number }
  | { type: 'stop'; group: string }
  | { type: 'disconnect'; group: string }
  | { type: 'exit' }

export interface LoadRunResult {
  group: string
  sendMs: number
  edits: number
  /** Edits seen by every other client of their document. */
  completed: number
  deliveries: number
  missing: number
  completedPerSecond: number
  deliveriesPerSecond: number
  /** Edit → visible in another client of the same document. */
  p50Ms: number
  p90Ms: number
  p99Ms: number
  p999Ms: number
  maxMs: number
  /** When the run started and stopped sending (epoch ms: lines up with the relay's GC log). */
  startedAt: number
  stoppedAt: number
  /** The slowest 1 % of deliveries: [epoch ms when it arrived, latency ms], for lining up with relay events. */
  slowest: Array<[arrivedAt: number, latencyMs: number]>
  /** Deliveries per 0.1 ms of latency (index = tenths of a ms; the last bucket holds everything slower), to pool runs. */
  histogram: number[]
  /** Every latency, sorted: what a load process sends so that several processes' runs merge exactly (dropped once merged). */
  latencies?: number[]
}

/** Buckets of LoadRunResult.histogram: 0.1 ms each up to 100 ms, then one for the rest. */
export const HISTOGRAM_BUCKETS = 1001

/** The `p` quantile (0–1) of the runs' deliveries pooled (from their histograms; ms, to 0.1 ms). */
export function pooledPercentile(runs: readonly LoadRunResult[], p: number): number {
  const counts = new Array<number>(HISTOGRAM_BUCKETS).fill(0)
  for (const run of runs) run.histogram.forEach((n, i) => (counts[i] = (counts[i] ?? 0) + n))
  const total = counts.reduce((a, b) => a + b, 0)
  if (total === 0) return NaN
  const rank = Math.ceil(p * total)
  let seen = 0
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i] as number
    if (seen >= rank) return (i + 1) / 10
  }
  return NaN
}

export type LoadReply =
  | { type: 'ready' }
  | { type: 'connected'; group: string; clients: number; ms: number }
  | { type: 'result'; result: LoadRunResult }
  | { type: 'disconnected'; group: string }
  | { type: 'error'; message: string }

/** Fixed rate (edits/s over the group) or closed loop (`window` edits in flight per client); `slot` see relayLoadClients. */
export type LoadHow = { editsPerSecond?: number; window?: number; slot?: number }

export interface LoadProcess {
  /** Connects `clientsPerDoc` y-websocket clients to each document; resolves once all synced. */
  connect(group: string, syncUrl: string, token: string | null, docs: string[], clientsPerDoc: number): Promise<{ clients: number; ms: number }>
  /** Runs edits for `durationMs` and returns what arrived. */
  run(group: string, how: LoadHow, durationMs: number): Promise<LoadRunResult>
  /** Starts edits until `stop` is called. */
  start(group: string, how: LoadHow): void
  stop(group: string): Promise<LoadRunResult>
  disconnect(group: string): Promise<void>
  close(): Promise<void>
}

export interface LoadProcessOptions {
  /**
   * Load processes sharing the clients, each with whole documents (a document's clients, sender
   * and receivers, in one process: latencies are timed on one clock). One process's GC pause
   * delays every delivery it measures, whichever server sends it; real clients are separate
   * browsers. Default 1.
   */
  processes?: number
}

/** Starts bench/relayLoadClients.ts in `processes` processes of its own and talks to them over IPC as one load. */
export async function startLoadProcess(options: LoadProcessOptions = {}): Promise<LoadProcess> {
  const count = Math.max(1, Math.floor(options.processes ?? 1))
  const children = await Promise.all(Array.from({ length: count }, () => spawnLoadChild()))
  /** Per group, each child's clients (a child with none of a group's documents gets no commands for it). */
  const shares = new Map<string, number[]>()
  const involved = (group: string) => children.map((child, i) => ({ child, clients: shares.get(group)?.[i] ?? 0, index: i })).filter((c) => c.clients > 0)
  const commandsFor = (group: string, how: LoadHow) => {
    const parts = involved(group)
    const total = parts.reduce((n, p) => n + p.clients, 0)
    // a fixed rate is split by clients; each process starts in its own slot of the clients' gaps
    return parts.map((p, k) => ({ child: p.child, how: how.editsPerSecond === undefined ? how : { ...how, editsPerSecond: (how.editsPerSecond * p.clients) / total, slot: k / parts.length } }))
  }
  return {
    async connect(group, syncUrl, token, docs, clientsPerDoc) {
      const slices = children.map((_, i) => docs.filter((_, d) => d % count === i))
      const replies = await Promise.all(children.map((child, i) => ((slices[i] as string[]).length > 0 ? child.connect(group, syncUrl, token, slices[i] as string[], clientsPerDoc) : Promise.resolve({ clients: 0, ms: 0 }))))
      shares.set(group, replies.map((r) => r.clients))
      return { clients: replies.reduce((n, r) => n + r.clients, 0), ms: Math.max(...replies.map((r) => r.ms)) }
    },
    async run(group, how, durationMs) {
      return mergeLoadRuns(await Promise.all(commandsFor(group, how).map(({ child, how: h }) => child.run(group, h, durationMs))))
    },
    start(group, how) {
      for (const { child, how: h } of commandsFor(group, how)) child.start(group, h)
    },
    async stop(group) {
      return mergeLoadRuns(await Promise.all(involved(group).map(({ child }) => child.stop(group))))
    },
    async disconnect(group) {
      await Promise.all(involved(group).map(({ child }) => child.disconnect(group)))
      shares.delete(group)
    },
    async close() {
      await Promise.all(children.map((child) => child.close()))
    },
  }
}

/**
 * One load's run from its processes' runs of the same phase: counts and rates add up, the
 * percentiles are those of every latency together (exact: each process sends its latencies,
 * which the merged result drops), and each process's slowest 1 % (the diagnostics' `slowest`).
 */
export function mergeLoadRuns(runs: readonly LoadRunResult[]): LoadRunResult {
  const first = runs[0]
  if (!first) throw new Error('mergeLoadRuns: no runs')
  const sorted = runs.length === 1 ? (first.latencies ?? []) : runs.flatMap((r) => r.latencies ?? []).sort((a, b) => a - b)
  const sum = (pick: (r: LoadRunResult) => number) => runs.reduce((n, r) => n + pick(r), 0)
  const histogram = new Array<number>(HISTOGRAM_BUCKETS).fill(0)
  for (const run of runs) run.histogram.forEach((n, i) => (histogram[i] = (histogram[i] ?? 0) + n))
  const deliveries = sum((r) => r.deliveries)
  return {
    group: first.group,
    sendMs: Math.max(...runs.map((r) => r.sendMs)),
    edits: sum((r) => r.edits),
    completed: sum((r) => r.completed),
    deliveries,
    missing: sum((r) => r.missing),
    completedPerSecond: sum((r) => r.completedPerSecond),
    deliveriesPerSecond: sum((r) => r.deliveriesPerSecond),
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    p999Ms: percentile(sorted, 0.999),
    maxMs: sorted.at(-1) ?? NaN,
    startedAt: Math.min(...runs.map((r) => r.startedAt)),
    stoppedAt: Math.max(...runs.map((r) => r.stoppedAt)),
    slowest: runs.flatMap((r) => r.slowest).sort((a, b) => b[1] - a[1]),
    histogram,
  }
}

/** One process running bench/relayLoadClients.ts, talked to over IPC. */
async function spawnLoadChild(): Promise<LoadProcess> {
  const child: ChildProcess = spawn(process.execPath, [...(process.env.KANSO_BENCH_LOAD_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', join(PROJECT_ROOT, 'bench/relayLoadClients.ts')], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const killOnExit = () => { child.kill('SIGKILL') }
  process.on('exit', killOnExit)
  child.once('exit', () => process.off('exit', killOnExit))
  const waiting: Array<{ accept: (reply: LoadReply) => boolean; resolve: (reply: LoadReply) => void; reject: (error: Error) => void }> = []
  child.on('message', (reply: LoadReply) => {
    if (reply.type === 'error') {
      for (const w of waiting.splice(0)) w.reject(new Error(`load process: ${reply.message}`))
      return
    }
    const index = waiting.findIndex((w) => w.accept(reply))
    if (index >= 0) waiting.splice(index, 1)[0]?.resolve(reply)
  })
  child.once('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`load process exited with ${code}`))
  })
  const expect = <T extends LoadReply>(accept: (reply: LoadReply) => reply is T): Promise<T> =>
    new Promise((resolve, reject) => waiting.push({ accept, resolve: resolve as (reply: LoadReply) => void, reject }))
  const command = (c: LoadCommand) => child.send(c)
  const resultOf = (group: string) => expect((r): r is Extract<LoadReply, { type: 'result' }> => r.type === 'result' && r.result.group === group)

  await expect((r): r is Extract<LoadReply, { type: 'ready' }> => r.type === 'ready')
  return {
    async connect(group, syncUrl, token, docs, clientsPerDoc) {
      const done = expect((r): r is Extract<LoadReply, { type: 'connected' }> => r.type === 'connected' && r.group === group)
      command({ type: 'connect', group, syncUrl, token, docs, clientsPerDoc })
      const reply = await done
      return { clients: reply.clients, ms: reply.ms }
    },
    async run(group, how, durationMs) {
      const done = resultOf(group)
      command({ type: 'run', group, ...how, durationMs })
      return (await done).result
    },
    start(group, how) {
      command({ type: 'run', group, ...how })
    },
    async stop(group) {
      const done = resultOf(group)
      command({ type: 'stop', group })
      return (await done).result
    },
    async disconnect(group) {
      const done = expect((r): r is Extract<LoadReply, { type: 'disconnected' }> => r.type === 'disconnected' && r.group === group)
      command({ type: 'disconnect', group })
      await done
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      command({ type: 'exit' })
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    },
  }
}
