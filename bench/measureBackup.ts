// B27 (issue 18): a backup of the 100k-record workspace through GET /api/v1/backup on the real
// relay (its own process) while 20 clients edit another document, with the relay's event-loop
// lag meanwhile. Part of `npm run bench` (--only backup); standalone: npx tsx bench/measureBackup.ts
import { rmSync } from 'node:fs'
import { loadavg } from 'node:os'
import { pathToFileURL } from 'node:url'
import { copyDataDir } from './copyDataDir'
import { formatSummary, formatTable } from './formatSummaryTable'
import { BUDGET_WORKSPACE } from './generateWorkspace'
import { prepareWorkspace, type PreparedWorkspace } from './prepareWorkspace'
import { startLoadProcess } from './relayLoadProcess'
import { startBenchRelay } from './startRelayProcess'
import { summarize } from './summarize'
import { readLoopLag } from './readLoopLag'

export interface BackupBenchResult {
  records: number
  /** GET /api/v1/backup → the last byte received, per repetition (B27). */
  backupMs: number[]
  /** The backup file's size, per repetition. */
  bytes: number[]
  /** The relay's event-loop delay p99 during the backup (coordinated-omission corrected), per repetition (B27b). */
  lagP99Ms: number[]
  lagMaxMs: number[]
  /** Busy clients' edit → other client p99 during the backup. */
  busyP99Ms: number[]
  loadAverage: [start: number, end: number]
}

export interface MeasureBackupOptions {
  prepared?: PreparedWorkspace
  reps?: number
  busyClients?: number
  busyEditsPerSecond?: number
  onProgress?: (message: string) => void
}

const BUSY_DOC = 'entity-leads'

/** Downloads the backup, counting its bytes; resolves with the ms until the last one arrived. */
async function downloadBackup(url: string, token: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now()
  const response = await fetch(`${url}/api/v1/backup`, { headers: { authorization: `Bearer ${token}` } })
  if (!response.ok || !response.body) throw new Error(`GET /api/v1/backup: ${response.status} ${await response.text()}`)
  let bytes = 0
  const reader = response.body.getReader()
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.byteLength
  return { ms: performance.now() - started, bytes }
}

/** Per repetition: a relay on a copy of the seeded workspace, busy clients on another document, one backup downloaded. */
export async function measureBackup(opts: MeasureBackupOptions = {}): Promise<BackupBenchResult> {
  const reps = opts.reps ?? 3
  const progress = opts.onProgress ?? (() => {})
  const loadStart = loadavg()[0] ?? NaN
  const prepared = opts.prepared ?? prepareWorkspace(BUDGET_WORKSPACE, progress)
  const admin = prepared.members[0]
  const busy = prepared.members.at(-1)
  if (!admin || !busy || admin === busy) throw new Error('the workspace needs an admin and another member')
  const result: BackupBenchResult = { records: prepared.workspace.records, backupMs: [], bytes: [], lagP99Ms: [], lagMaxMs: [], busyP99Ms: [], loadAverage: [loadStart, NaN] }
  const load = await startLoadProcess()
  try {
    for (let rep = 0; rep < reps; rep++) {
      const dataDir = copyDataDir(prepared.templateDir)
      const relay = await startBenchRelay(dataDir)
      try {
        await load.connect('busy', relay.syncUrl, busy.token, [BUSY_DOC], opts.busyClients ?? 20)
        load.start('busy', { editsPerSecond: opts.busyEditsPerSecond ?? 80 })
        // steady state: the worker threads have loaded their code
        await new Promise((r) => setTimeout(r, 3000))
        await readLoopLag(relay.url, true)
        const { ms, bytes } = await downloadBackup(relay.url, admin.token)
        const lag = await readLoopLag(relay.url, false)
        const busyResult = await load.stop('busy')
        await load.disconnect('busy')
        result.backupMs.push(ms)
        result.bytes.push(bytes)
        result.lagP99Ms.push(lag.p99Ms)
        result.lagMaxMs.push(lag.maxMs)
        result.busyP99Ms.push(busyResult.p99Ms)
        progress(`  rep ${rep + 1}/${reps}: backup of ${(bytes / 1e6).toFixed(1)} MB in ${(ms / 1000).toFixed(2)} s; relay loop lag p99 ${lag.p99Ms.toFixed(1)} ms, max ${lag.maxMs.toFixed(0)} ms; busy edits p99 ${busyResult.p99Ms.toFixed(1)} ms`)
      } finally {
        await relay.kill()
        rmSync(dataDir, { recursive: true, force: true })
      }
    }
  } finally {
    await load.close()
    if (!opts.prepared) prepared.remove()
  }
  result.loadAverage[1] = loadavg()[0] ?? NaN
  return result
}

export function formatBackupBench(r: BackupBenchResult): string {
  const rows = [
    ['metric', `median (min–max) over ${r.backupMs.length} reps`, 'budget'],
    ['GET /api/v1/backup → last byte', formatSummary(summarize(r.backupMs.map((v) => v / 1000)), 2, ' s'), `≤ 10 s ${summarize(r.backupMs).median <= 10_000 ? 'pass' : 'FAIL'}`],
    ['relay event-loop lag p99 meanwhile', formatSummary(summarize(r.lagP99Ms), 1, ' ms'), `≤ 50 ms ${summarize(r.lagP99Ms).median <= 50 ? 'pass' : 'FAIL'}`],
    ['relay event-loop lag max', formatSummary(summarize(r.lagMaxMs), 0, ' ms'), ''],
    ['busy clients\' edit → other client p99', formatSummary(summarize(r.busyP99Ms), 1, ' ms'), ''],
    ['backup file', formatSummary(summarize(r.bytes.map((b) => b / 1e6)), 1, ' MB'), ''],
  ]
  return [`B27 backup of the ${r.records.toLocaleString('en-US')}-record workspace`, formatTable(rows), `load average ${r.loadAverage[0].toFixed(2)} at start, ${r.loadAverage[1].toFixed(2)} at end`].join('\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await measureBackup({ onProgress: (m) => console.log(m), reps: 1 })
  console.log(formatBackupBench(result))
}
