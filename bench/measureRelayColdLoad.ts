// B8: the relay's event-loop lag while it cold-loads a 100k-record workspace for one client and
// serves busy clients of another document. Standalone: npx tsx bench/measureRelayColdLoad.ts
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { dataFileIn, PROJECT_ROOT } from '../server/config'
import type { LoopLagSnapshot } from '../server/http/loopLagMonitor'
import { createSqliteStorage } from '../server/storage/sqliteStorage'
import { copyDataDir } from './copyDataDir'
import { formatSummary, formatTable } from './formatSummaryTable'
import { generateSalesWorkspace, SALES_WORKSPACE_100K, type SalesWorkspaceCounts } from './generateSalesWorkspace'
import { startLoadProcess, type LoadRunResult } from './relayLoadProcess'
import { seedMembers } from './seedRelayStorage'
import { startRelayProcess } from './startRelayProcess'
import { summarize, type Summary } from './summarize'

export interface MeasureRelayColdLoadOptions {
  /** Records per entity document; default 30k contacts, 10k companies, 20k deals, 40k activities. */
  counts?: SalesWorkspaceCounts
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
  /** Connect → all four documents synced in the loading client. */
  loadMs: number
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

const BUSY_DOC = 'entity-leads'

/** Stores each document as the relay keeps a compacted one: one row (with its state vector when the storage keeps one). */
function seedCompacted(dataDir: string, docs: { name: string; update: Uint8Array }[]): void {
  const storage = createSqliteStorage(dataFileIn(dataDir))
  try {
    for (const { name, update } of docs) {
      const seq = storage.appendUpdate(name, update)
      storage.compact(name, update, seq, Y.encodeStateVectorFromUpdate(update))
    }
  } finally {
    storage.close()
  }
}

async function loopLag(url: string, reset: boolean): Promise<LoopLagSnapshot> {
  const response = await fetch(`${url}/debug/loop-lag${reset ? '?reset=1' : ''}`)
  if (!response.ok) throw new Error(`GET /debug/loop-lag: ${response.status}`)
  return (await response.json()) as LoopLagSnapshot
}

/** One y-websocket client with empty documents opening the whole workspace at once. */
async function coldLoad(syncUrl: string, token: string, docNames: string[]): Promise<number> {
  const started = performance.now()
  const opened = docNames.map((name) => {
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(syncUrl, name, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      params: { token },
      maxBackoffTime: 1000,
    })
    return { doc, provider }
  })
  try {
    await Promise.all(opened.map(({ provider }) => new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('cold load did not sync within 180 s')), 180_000)
      provider.on('sync', (synced: boolean) => {
        if (!synced) return
        clearTimeout(timer)
        resolve()
      })
    })))
    return performance.now() - started
  } finally {
    for (const { doc, provider } of opened) {
      provider.destroy()
      doc.destroy()
    }
  }
}

/**
 * Seeds a relay data directory with the 100k-record workspace (four entity documents, each one
 * compacted row), then per repetition: starts the relay in its own process
 * (KANSO_DEBUG_LOOP_LAG), lets `busyClients` y-websocket clients (another process) edit
 * another document for 3 s, resets the relay's loop-delay histogram, opens the four documents with
 * one fresh client and reads the histogram once all four are synced.
 */
export async function measureRelayColdLoad(opts: MeasureRelayColdLoadOptions = {}): Promise<RelayColdLoadResult> {
  const counts = opts.counts ?? SALES_WORKSPACE_100K
  const busyClients = opts.busyClients ?? 20
  const busyEditsPerSecond = opts.busyEditsPerSecond ?? 80
  const repCount = opts.reps ?? 5
  const progress = opts.onProgress ?? (() => {})
  const loadStart = loadavg()[0] ?? NaN
  const template = mkdtempSync(join(tmpdir(), 'kanso-bench-b8-'))
  const load = await startLoadProcess()
  try {
    const [admin, busy] = seedMembers(template, ['Bench Admin', 'Busy Editor'])
    if (!admin || !busy) throw new Error('seeding members failed')
    const docs = generateSalesWorkspace({ counts, ownerIds: [admin.id, busy.id], onProgress: progress })
    seedCompacted(template, docs)
    const reps: ColdLoadRep[] = []
    for (let rep = 0; rep < repCount; rep++) {
      const dataDir = copyDataDir(template)
      const relay = await startRelayProcess(join(PROJECT_ROOT, 'bench/relayProcessMain.ts'), [dataDir])
      try {
        await load.connect('busy', relay.syncUrl, busy.token, [BUSY_DOC], busyClients)
        load.start('busy', { editsPerSecond: busyEditsPerSecond })
        // Steady state: the relay's worker threads have loaded their code (about a second of CPU each).
        await new Promise((r) => setTimeout(r, 3000))
        await loopLag(relay.url, true)
        const loadMs = await coldLoad(relay.syncUrl, admin.token, docs.map((d) => d.name))
        const lag = await loopLag(relay.url, false)
        const busyResult = await load.stop('busy')
        await load.disconnect('busy')
        reps.push({ lag, loadMs, busy: busyResult })
        progress(`  rep ${rep + 1}/${repCount}: loaded in ${(loadMs / 1000).toFixed(2)} s; relay loop lag p99 ${lag.p99Ms.toFixed(1)} ms, max ${lag.maxMs.toFixed(0)} ms (uncorrected p99 ${lag.raw.p99Ms.toFixed(1)} ms); busy edits p99 ${busyResult.p99Ms.toFixed(1)} ms, missing ${busyResult.missing}`)
      } finally {
        await relay.stop()
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
    await load.close()
    rmSync(template, { recursive: true, force: true })
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
    ['cold load: connect → 4 documents synced (client)', formatSummary(summarize(r.loadMs.map((v) => v / 1000)), 2, ' s'), ''],
    [`busy clients' edit → other client p50`, formatSummary(s.busyP50, 1, ' ms'), ''],
    [`busy clients' edit → other client p99`, formatSummary(s.busyP99, 1, ' ms'), ''],
  ]
  return [
    `B8 relay cold load: ${records.toLocaleString('en-US')} records in ${r.documents.length} documents (${r.documents.map((d) => `${d.name} ${(d.bytes / 1e6).toFixed(1)} MB`).join(', ')}; ${(bytes / 1e6).toFixed(1)} MB), one fresh y-websocket client; meanwhile ${r.busy.clients} clients edit ${r.busy.docName} at ${r.busy.editsPerSecond} edits/s. Lag: a 10 ms timer inside the relay; a stall of D ms counts as the D, D−10, D−20 … ms waits of the ticks it swallowed (coordinated-omission correction).`,
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
