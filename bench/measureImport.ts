// B26 (issue 18): 100k contacts imported from one CSV through POST /api/v1/contacts/import on the
// real relay (its own process, default schema, empty contacts), with the relay's event-loop lag
// meanwhile. Part of `npm run bench` (--only import); standalone: npx tsx bench/measureImport.ts
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as Y from 'yjs'
import type { LoopLagSnapshot } from '../server/http/loopLagMonitor'
import { SCHEMA_DOC } from '../src/crdt/docNames'
import { seedDefaultSchema } from '../src/crdt/schemaDoc'
import { seededRandom } from '../src/domain/seededRandom'
import { formatSummary, formatTable } from './formatSummaryTable'
import { seedMembers, seedRelayStorage } from './seedRelayStorage'
import { startBenchRelay } from './startRelayProcess'
import { summarize } from './summarize'

export interface ImportBenchResult {
  rows: number
  /** The CSV's size in bytes. */
  bytes: number
  /** POST → the answer received, per repetition (B26). */
  importMs: number[]
  /** The relay's event-loop delay p99 during the import, per repetition (B26b). */
  lagP99Ms: number[]
  lagMaxMs: number[]
  /** Records the answer said were created, per repetition (all of them: the file has no bad rows). */
  created: number[]
  loadAverage: [start: number, end: number]
}

export interface MeasureImportOptions {
  rows?: number
  reps?: number
  onProgress?: (message: string) => void
}

const FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Eva', 'Felix', 'Greta', 'Hugo', 'Ida', 'Jonas', 'Олег', 'Мария', 'Yuki', 'José']
const LAST = ['Müller', 'Schmidt', 'Lee', 'García', 'Rossi', 'Novak', 'Иванова', 'Tanaka', 'Dubois', 'Nowak']
const POSITIONS = ['CEO', 'Head of Sales', 'Buyer', '"Lead, Procurement"', 'CTO', '']

/**
 * 100k contacts as a CSV a CRM export would give: names (some non-Latin), a unique email, a
 * German phone number as people type it, a position (some quoted with a comma). Seeded.
 */
export function contactsCsv(rows: number): string {
  const random = seededRandom(26)
  const lines = ['First name,Last name,Email,Phone,Position']
  for (let i = 0; i < rows; i++) {
    const first = random.pick(FIRST)
    const last = random.pick(LAST)
    const phone = `+49 30 ${String(random.int(2_000_000, 9_999_999)).replace(/^(\d{3})/, '$1 ')}`
    lines.push(`${first},${last},contact${i}@example${i % 97}.com,${phone},${random.pick(POSITIONS)}`)
  }
  return `${lines.join('\r\n')}\r\n`
}

async function loopLag(url: string, reset: boolean): Promise<LoopLagSnapshot> {
  const response = await fetch(`${url}/debug/loop-lag${reset ? '?reset=1' : ''}`)
  if (!response.ok) throw new Error(`GET /debug/loop-lag: ${response.status}`)
  return (await response.json()) as LoopLagSnapshot
}

/** A data dir with the default schema and one admin, as a new workspace has. */
function freshWorkspace(): { dataDir: string; token: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'kanso-bench-import-'))
  const [admin] = seedMembers(dataDir, ['Bench Admin'])
  const schema = new Y.Doc()
  seedDefaultSchema(schema)
  seedRelayStorage(dataDir, [{ name: SCHEMA_DOC, update: Y.encodeStateAsUpdate(schema) }])
  return { dataDir, token: admin!.token }
}

/** Per repetition: a new relay on a new workspace, the CSV posted once. */
export async function measureImport(opts: MeasureImportOptions = {}): Promise<ImportBenchResult> {
  const rows = opts.rows ?? 100_000
  const reps = opts.reps ?? 3
  const progress = opts.onProgress ?? (() => {})
  const loadStart = loadavg()[0] ?? NaN
  const csv = Buffer.from(contactsCsv(rows))
  const result: ImportBenchResult = { rows, bytes: csv.length, importMs: [], lagP99Ms: [], lagMaxMs: [], created: [], loadAverage: [loadStart, NaN] }
  for (let rep = 0; rep < reps; rep++) {
    const { dataDir, token } = freshWorkspace()
    const relay = await startBenchRelay(dataDir, { env: { KANSO_API_RATE_PER_S: 'off' } })
    try {
      // steady state: the worker threads have loaded their code
      await new Promise((r) => setTimeout(r, 2000))
      await loopLag(relay.url, true)
      const started = performance.now()
      const response = await fetch(`${relay.url}/api/v1/contacts/import?dedupe=email`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csv })
      const answer = await response.json() as { created: number; rejected: unknown[] }
      const ms = performance.now() - started
      if (!response.ok) throw new Error(`POST /api/v1/contacts/import: ${response.status} ${JSON.stringify(answer)}`)
      if (answer.rejected.length) throw new Error(`rows refused: ${JSON.stringify(answer.rejected.slice(0, 3))}`)
      const lag = await loopLag(relay.url, false)
      result.importMs.push(ms)
      result.lagP99Ms.push(lag.p99Ms)
      result.lagMaxMs.push(lag.maxMs)
      result.created.push(answer.created)
      progress(`  rep ${rep + 1}/${reps}: ${answer.created.toLocaleString('en-US')} contacts in ${(ms / 1000).toFixed(2)} s; relay loop lag p99 ${lag.p99Ms.toFixed(1)} ms, max ${lag.maxMs.toFixed(0)} ms`)
    } finally {
      await relay.kill()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
  result.loadAverage[1] = loadavg()[0] ?? NaN
  return result
}

export function formatImportBench(r: ImportBenchResult): string {
  const rows = [
    ['metric', `median (min–max) over ${r.importMs.length} reps`, 'budget'],
    ['POST /api/v1/contacts/import → answer', formatSummary(summarize(r.importMs.map((v) => v / 1000)), 2, ' s'), `≤ 10 s ${summarize(r.importMs).median <= 10_000 ? 'pass' : 'FAIL'}`],
    ['relay event-loop lag p99 meanwhile', formatSummary(summarize(r.lagP99Ms), 1, ' ms'), `≤ 50 ms ${summarize(r.lagP99Ms).median <= 50 ? 'pass' : 'FAIL'}`],
    ['relay event-loop lag max', formatSummary(summarize(r.lagMaxMs), 0, ' ms'), ''],
  ]
  return [`B26 import of ${r.rows.toLocaleString('en-US')} contacts (${(r.bytes / 1e6).toFixed(1)} MB CSV)`, formatTable(rows), `load average ${r.loadAverage[0].toFixed(2)} at start, ${r.loadAverage[1].toFixed(2)} at end`].join('\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = Number(process.argv[2] ?? 100_000)
  const result = await measureImport({ rows, onProgress: (m) => console.log(m), reps: 1 })
  console.log(formatImportBench(result))
}
