// B8: the relay's event-loop lag while it cold-loads a 100k-record workspace for one client and
// serves busy clients of another document. Part of `npm run bench`; standalone:
// npx tsx bench/measureRelayColdLoad.ts
import { rmSync } from 'node:fs'
import { loadavg } from 'node:os'
import { pathToFileURL } from 'node:url'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import type { LoopLagSnapshot } from '../server/http/loopLagMonitor'
import { copyDataDir } from './copyDataDir'
import { formatSummary, formatTable } from './formatSummaryTable'
import { BUDGET_WORKSPACE, type WorkspaceCounts } from './generateWorkspace'
import { prepareWorkspace, type PreparedWorkspace } from './prepareWorkspace'
import { startLoadProcess, type LoadRunResult } from './relayLoadProcess'
import { startBenchRelay } from './startRelayProcess'
import { summarize, type Summary } from './summarize'

export interface MeasureRelayColdLoadOptions {
  /** The seeded workspace (see prepareWorkspace); without it one of `counts` is generated. */
  prepared?: PreparedWorkspace
  /** Records per entity document when generating; default 30k contacts, 10k companies, 20k deals, 40k activities. */
  counts?: WorkspaceCounts
  /** Busy clients on the other document; default 20. */
  busyClients?: number
  /** Edits per second over all busy clients; default 80 (each client every 250 ms). */
  busyEditsPerSecond?: number
  /** Default 5; each starts a new relay process on a copy of the seeded data. */
  reps?: number
  onProgress?: (message: string) => void
}

export interface ColdLoadRep {
  lag: LoopLagSnapshot
  /** Connect → every document's sync step 2 received by the loading client. */
  loadMs: number
  /** What the relay sent that client. */
  bytes: number
  busy: LoadRunResult
}

export interface RelayColdLoadResult {
  /**
   * Event-loop delay p99 inside the relay during each cold load, ms (budget ≤ 50), corrected
   * for coordinated omission (see LoopLagSnapshot): what a message arriving then would wait.
   */
  lagP99Ms: number[]
  lagMaxMs: number[]
  /** p99 of perf_hooks.monitorEventLoopDelay, uncorrected (a stall of any length is one sample). */
  lagRawP99Ms: number[]
  loadMs: number[]
  /** Edit → other busy client during the cold loads. */
  busyP99Ms: number[]
  summary: { lagP99: Summary; lagMax: Summary; lagRawP99: Summary; loadMs: Summary; busyP50: Summary; busyP99: Summary }
  reps: ColdLoadRep[]
  documents: { name: string; records: number; bytes: number }[]
  busy: { clients: number; editsPerSecond: number; docName: string }
  loadAverage: [start: number, end: number]
}

/** Not part of the generated workspace: the busy clients' document. */
const BUSY_DOC = 'entity-leads'

async function loopLag(url: string, reset: boolean): Promise<LoopLagSnapshot> {
  const response = await fetch(`${url}/debug/loop-lag${reset ? '?reset=1' : ''}`)
  if (!response.ok) throw new Error(`GET /debug/loop-lag: ${response.status}`)
  return (await response.json()) as LoopLagSnapshot
}

const MESSAGE_SYNC = 0
const SYNC_STEP_1 = 0
const SYNC_STEP_2 = 1

/**
 * One client with empty documents opening the whole workspace at once, speaking the y-websocket
 * sync protocol itself: sync step 1 with an empty state vector, an empty step 2 in answer to
 * the relay's step 1, done when the relay's step 2 (the whole document) has arrived. It does not
 * decode the documents: a real client does that on its own machine, here it would take ~10 s of
 * the two cores the relay under test runs on. Resolves with the ms until every document arrived
 * and the bytes received.
 */
async function coldLoad(syncUrl: string, token: string, docNames: string[]): Promise<{ ms: number; bytes: number }> {
  const started = performance.now()
  const frame = (syncType: number, payload: Uint8Array) => {
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, MESSAGE_SYNC)
    encoding.writeVarUint(e, syncType)
    encoding.writeVarUint8Array(e, payload)
    return encoding.toUint8Array(e)
  }
  const empty = new Y.Doc()
  const step1 = frame(SYNC_STEP_1, Y.encodeStateVector(empty))
  const emptyStep2 = frame(SYNC_STEP_2, Y.encodeStateAsUpdate(empty))
  const sockets: WebSocket[] = []
  let bytes = 0
  try {
    await Promise.all(docNames.map((name) => new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(`${syncUrl}/${encodeURIComponent(name)}?token=${encodeURIComponent(token)}`)
      sockets.push(ws)
      const timer = setTimeout(() => reject(new Error(`cold load of ${name} did not complete within 180 s`)), 180_000)
      ws.on('open', () => ws.send(step1))
      ws.on('message', (data: Buffer) => {
        bytes += data.byteLength
        const d = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
        if (decoding.readVarUint(d) !== MESSAGE_SYNC) return
        const syncType = decoding.readVarUint(d)
        if (syncType === SYNC_STEP_1) ws.send(emptyStep2)
        else if (syncType === SYNC_STEP_2) {
          clearTimeout(timer)
          resolve()
        }
      })
      ws.on('close', (code, reason) => { clearTimeout(timer); reject(new Error(`relay closed ${name}: ${code} ${reason.toString()}`)) })
      ws.on('error', (error) => { clearTimeout(timer); reject(error) })
    })))
    return { ms: performance.now() - started, bytes }
  } finally {
    for (const ws of sockets) {
      ws.removeAllListeners('close')
      ws.terminate()
    }
    empty.destroy()
  }
}

/**
 * On the seeded 100k-record workspace (schema + four entity documents, each one compacted row),
 * per repetition: starts the relay in its own process on a copy of the data, lets `busyClients`
 * y-websocket clients (another process) edit another document for 3 s, resets the relay's
 * loop-delay histogram, opens every document at once with one fresh client (see coldLoad) and
 * reads the histogram once all of them have arrived.
 */
export async function measureRelayColdLoad(opts: MeasureRelayColdLoadOptions = {}): Promise<RelayColdLoadResult> {
  const busyClients = opts.busyClients ?? 20
  const busyEditsPerSecond = opts.busyEditsPerSecond ?? 80
  const repCount = opts.reps ?? 5
  const progress = opts.onProgress ?? (() => {})
  const loadStart = loadavg()[0] ?? NaN
  const prepared = opts.prepared ?? prepareWorkspace(opts.counts ?? BUDGET_WORKSPACE, progress)
  const docs = prepared.workspace.docs
  const admin = prepared.members[0]
  const busy = prepared.members.at(-1)
  if (!admin || !busy || admin === busy) throw new Error('the workspace needs an admin and another member')
  let load: Awaited<ReturnType<typeof startLoadProcess>> | undefined
  try {
    load = await startLoadProcess()
    const reps: ColdLoadRep[] = []
    for (let rep = 0; rep < repCount; rep++) {
      const dataDir = copyDataDir(prepared.templateDir)
      const relay = await startBenchRelay(dataDir)
      try {
        await load.connect('busy', relay.syncUrl, busy.token, [BUSY_DOC], busyClients)
        load.start('busy', { editsPerSecond: busyEditsPerSecond })
        // Steady state: the relay's worker threads have loaded their code (about a second of CPU each).
        await new Promise((r) => setTimeout(r, 3000))
        await loopLag(relay.url, true)
        const { ms: loadMs, bytes } = await coldLoad(relay.syncUrl, admin.token, docs.map((d) => d.name))
        const lag = await loopLag(relay.url, false)
        const busyResult = await load.stop('busy')
        await load.disconnect('busy')
        reps.push({ lag, loadMs, bytes, busy: busyResult })
        progress(`  rep ${rep + 1}/${repCount}: ${(bytes / 1e6).toFixed(0)} MB sent in ${(loadMs / 1000).toFixed(2)} s; relay loop lag p99 ${lag.p99Ms.toFixed(1)} ms, max ${lag.maxMs.toFixed(0)} ms (uncorrected p99 ${lag.raw.p99Ms.toFixed(1)} ms); busy edits p99 ${busyResult.p99Ms.toFixed(1)} ms, missing ${busyResult.missing}`)
      } finally {
        // Killed, not stopped: its data is thrown away, a graceful stop would first compact it.
        await relay.kill()
        rmSync(dataDir, { recursive: true, force: true })
      }
    }
    const lagP99Ms = reps.map((r) => r.lag.p99Ms)
    const lagMaxMs = reps.map((r) => r.lag.maxMs)
    const lagRawP99Ms = reps.map((r) => r.lag.raw.p99Ms)
    const loadMs = reps.map((r) => r.loadMs)
    const busyP99Ms = reps.map((r) => r.busy.p99Ms)
    return {
      lagP99Ms,
      lagMaxMs,
      lagRawP99Ms,
      loadMs,
      busyP99Ms,
      summary: {
        lagP99: summarize(lagP99Ms),
        lagMax: summarize(lagMaxMs),
        lagRawP99: summarize(lagRawP99Ms),
        loadMs: summarize(loadMs),
        busyP50: summarize(reps.map((r) => r.busy.p50Ms)),
        busyP99: summarize(busyP99Ms),
      },
      reps,
      documents: docs.map((d) => ({ name: d.name, records: d.records, bytes: d.update.byteLength })),
      busy: { clients: busyClients, editsPerSecond: busyEditsPerSecond, docName: BUSY_DOC },
      loadAverage: [loadStart, loadavg()[0] ?? NaN],
    }
  } finally {
    await load?.close()
    if (!opts.prepared) prepared.remove()
  }
}

/** The small table the standalone run prints. */
export function formatRelayColdLoad(r: RelayColdLoadResult): string {
  const s = r.summary
  const records = r.documents.reduce((n, d) => n + d.records, 0)
  const bytes = r.documents.reduce((n, d) => n + d.bytes, 0)
  const rows = [
    ['metric', `median (min–max) over ${r.lagP99Ms.length} reps`, 'budget'],
    ['relay event-loop lag p99 during the cold load', formatSummary(s.lagP99, 1, ' ms'), `≤ 50 ms ${s.lagP99.median <= 50 ? 'pass' : 'FAIL'}`],
    ['relay event-loop lag max', formatSummary(s.lagMax, 0, ' ms'), ''],
    ['  (uncorrected monitorEventLoopDelay p99)', formatSummary(s.lagRawP99, 1, ' ms'), ''],
    [`cold load: connect → ${r.documents.length} documents received (client)`, formatSummary(summarize(r.loadMs.map((v) => v / 1000)), 2, ' s'), ''],
    [`busy clients' edit → other client p50`, formatSummary(s.busyP50, 1, ' ms'), ''],
    [`busy clients' edit → other client p99`, formatSummary(s.busyP99, 1, ' ms'), ''],
  ]
  return [
    `B8 relay cold load: ${records.toLocaleString('en-US')} records in ${r.documents.length} documents (${r.documents.map((d) => `${d.name} ${(d.bytes / 1e6).toFixed(1)} MB`).join(', ')}; ${(bytes / 1e6).toFixed(1)} MB), one fresh client opening all of them at once (y-websocket protocol, documents received, not decoded); meanwhile ${r.busy.clients} clients edit ${r.busy.docName} at ${r.busy.editsPerSecond} edits/s. Lag: a 10 ms timer inside the relay; a stall of D ms counts as the D, D−10, D−20 … ms waits of the ticks it swallowed (coordinated-omission correction).`,
    formatTable(rows),
    `load average ${r.loadAverage[0].toFixed(2)} at start, ${r.loadAverage[1].toFixed(2)} at end`,
  ].join('\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now()
  const result = await measureRelayColdLoad({ onProgress: (m) => console.log(m) })
  console.log(formatRelayColdLoad(result))
  console.log(`took ${((performance.now() - started) / 1000).toFixed(0)} s`)
}
