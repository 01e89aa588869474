import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { PROJECT_ROOT } from '../server/config'

export type LoadCommand =
  | { type: 'connect'; group: string; syncUrl: string; token: string | null; docs: string[]; clientsPerDoc: number }
  /** Fixed rate (editsPerSecond over the whole group) or closed loop (`window` edits in flight per client). */
  | { type: 'run'; group: string; editsPerSecond?: number; window?: number; durationMs?: number }
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

export interface LoadProcess {
  /** Connects `clientsPerDoc` y-websocket clients to each document; resolves once all synced. */
  connect(group: string, syncUrl: string, token: string | null, docs: string[], clientsPerDoc: number): Promise<{ clients: number; ms: number }>
  /** Runs edits for `durationMs` and returns what arrived. */
  run(group: string, how: { editsPerSecond?: number; window?: number }, durationMs: number): Promise<LoadRunResult>
  /** Starts edits until `stop` is called. */
  start(group: string, how: { editsPerSecond?: number; window?: number }): void
  stop(group: string): Promise<LoadRunResult>
  disconnect(group: string): Promise<void>
  close(): Promise<void>
}

/** Starts bench/relayLoadClients.ts in its own process and talks to it over IPC. */
export async function startLoadProcess(): Promise<LoadProcess> {
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
