// B26 (issue 18): 100k contacts imported from one CSV in the app — Import… in the contacts' grid,
// in Chromium, on the real relay (its own process, default schema, empty contacts) — timed from
// choosing the file to the summary, with the page's longest task, the progress bar's values and
// the relay's event-loop lag; B26h: the same CSV through POST /api/v1/contacts/import (no budget).
// Part of `npm run bench` (--only import); standalone: npx tsx bench/measureImport.ts [rows] [appDir]
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as Y from 'yjs'
import type { LoopLagSnapshot } from '../server/http/loopLagMonitor'
import { SCHEMA_DOC } from '../src/crdt/docNames'
import { seedDefaultSchema } from '../src/crdt/schemaDoc'
import { seededRandom } from '../src/domain/seededRandom'
import { formatSummary, formatTable } from './formatSummaryTable'
import { launchProfile, watchProblems } from './openPage'
import { seedMembers, seedRelayStorage } from './seedRelayStorage'
import { startBenchRelay } from './startRelayProcess'
import { summarize } from './summarize'
import { waitForBrowserIdle } from './waitForBrowserIdle'
import { readLoopLag } from './readLoopLag'

export interface ImportBenchResult {
  rows: number
  /** The CSV's size in bytes. */
  bytes: number
  /** The import in the app (Chromium, the built app served by the relay), per repetition. */
  app: {
    /** Choosing the file → the summary shown, the mapping and the preview clicked through (B26). */
    importMs: number[]
    /** The phases of that: file chosen → mapping shown, Preview → counts shown, Import → summary shown. */
    headerMs: number[]
    planMs: number[]
    writeMs: number[]
    /** The page's longest main-thread task meanwhile (PerformanceObserver 'longtask'; 0 when none over 50 ms) (B26b). */
    longestTaskMs: number[]
    longTasks: number[]
    /** Distinct values the progress bar showed while reading and while writing (B26c). */
    progressValues: number[]
    /** The summary → the sync indicator says every record is on the relay. */
    syncedMs: number[]
    /** The relay's event-loop delay from choosing the file until all was synced: p99 and max. */
    lagP99Ms: number[]
    lagMaxMs: number[]
    /** Contacts the summary said were created (all of them: the file has no bad rows). */
    created: number[]
  }
  /** POST /api/v1/contacts/import → the answer, per repetition, with the relay's loop lag meanwhile (B26h, no budget). */
  http: { importMs: number[]; lagP99Ms: number[]; lagMaxMs: number[]; created: number[] }
  loadAverage: [start: number, end: number]
}

export interface MeasureImportOptions {
  rows?: number
  reps?: number
  /** Repetitions of the HTTP import (default `reps`). */
  httpReps?: number
  /** The built app (bench/results/app) the relay serves for the app import; without it only the HTTP import is measured. */
  appDir?: string
  timeoutMs?: number
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

/** A data dir with the default schema and one admin, as a new workspace has. */
function freshWorkspace(): { dataDir: string; token: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'kanso-bench-import-'))
  const [admin] = seedMembers(dataDir, ['Bench Admin'])
  const schema = new Y.Doc()
  seedDefaultSchema(schema)
  seedRelayStorage(dataDir, [{ name: SCHEMA_DOC, update: Y.encodeStateAsUpdate(schema) }])
  return { dataDir, token: admin!.token }
}

/** In the page, from choosing the file until the summary: the progress bar's distinct values and the long tasks. */
const WATCH_IMPORT = `(() => {
  const w = window.__kansoImport = { values: [], longTasks: [], done: false }
  new PerformanceObserver((list) => { for (const e of list.getEntries()) w.longTasks.push(e.duration) }).observe({ type: 'longtask' })
  const seen = new Set()
  const look = () => {
    const bar = document.querySelector('[data-testid=import-progress]')
    if (bar) {
      const phase = document.querySelector('[data-testid=import-writing]') ? 'w' : 'r'
      const key = phase + bar.value
      if (!seen.has(key)) { seen.add(key); w.values.push(key) }
    }
    if (!w.done) requestAnimationFrame(look)
  }
  requestAnimationFrame(look)
})()`

interface ImportWatch { values: string[]; longTasks: number[] }

/** In the page: the File read before (window.__kansoFile) dropped on the import dialog's drop zone. */
const DROP_FILE = `(() => {
  const data = new DataTransfer()
  data.items.add(window.__kansoFile)
  document.querySelector('[data-testid=import-drop]').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }))
})()`

/** The CSV over HTTP on loopback, for the page to read into a File (CORS open: the app's page is on the relay's port). */
async function serveFile(bytes: Buffer): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/csv', 'Content-Length': bytes.length, 'Access-Control-Allow-Origin': '*' })
    res.end(bytes)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/contacts.csv`, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

/**
 * B26: the import as a member makes it, in Chromium: the CSV chosen in Import… of the contacts,
 * the mapping (matched by the columns' names) and the preview clicked through, the records
 * written by the workspace worker and synced to the relay — timed from choosing the file to the
 * summary, with the page's long tasks, the progress bar's values and the relay's loop lag.
 */
async function measureAppImport(appDir: string, fileUrl: string, rows: number, timeoutMs: number): Promise<{ importMs: number; headerMs: number; planMs: number; writeMs: number; longest: number; longTasks: number; progressValues: number; syncedMs: number; lag: LoopLagSnapshot; created: number }> {
  const { dataDir, token } = freshWorkspace()
  const relay = await startBenchRelay(dataDir, { distDir: appDir, cpuProfileFile: process.env.KANSO_BENCH_IMPORT_PROFILE ? `${process.env.KANSO_BENCH_IMPORT_PROFILE}-${Date.now()}.cpuprofile` : undefined })
  const profile = mkdtempSync(join(tmpdir(), 'kanso-bench-profile-'))
  const context = await launchProfile(profile)
  try {
    const page = context.pages()[0] ?? await context.newPage()
    await waitForBrowserIdle(profile)
    const problems = watchProblems(page)
    await page.goto(`${relay.url}/contacts#token=${token}`)
    await page.locator('[data-testid=sync-status][data-state=synced]').waitFor({ timeout: timeoutMs })
    await page.locator('.kanso-grid .ag-root').waitFor({ timeout: timeoutMs })
    // the lazy dialog's chunk loaded before the clock starts, as for a member's second import
    await page.getByTestId('import-open').click()
    await page.getByTestId('import-drop').waitFor({ timeout: timeoutMs })
    // The file is dropped, as a member drops one: read into a File in the page first. Playwright's
    // setInputFiles hands the bytes to the page's main thread through the debugging protocol, a
    // task of seconds for 6.5 MB that no member's file chooser has.
    await page.evaluate(`fetch(${JSON.stringify(fileUrl)}).then((r) => r.blob()).then((b) => { window.__kansoFile = new File([b], 'contacts.csv', { type: 'text/csv' }) })`)
    await new Promise((r) => setTimeout(r, 1000))
    await readLoopLag(relay.url, true)
    await page.evaluate(WATCH_IMPORT)
    const started = performance.now()
    await page.evaluate(DROP_FILE)
    await page.getByTestId('import-mapping').waitFor({ timeout: timeoutMs })
    const mapped = performance.now()
    await page.getByRole('button', { name: 'Preview →' }).click()
    await page.getByTestId('import-counts').waitFor({ timeout: timeoutMs })
    const planned = performance.now()
    await page.getByTestId('import-run').click()
    await page.getByTestId('import-summary').waitFor({ timeout: timeoutMs })
    const finished = performance.now()
    const watch = await page.evaluate('(() => { window.__kansoImport.done = true; return window.__kansoImport })()') as ImportWatch
    const created = Number(((await page.getByTestId('import-created').textContent()) ?? '').replace(/\D/g, ''))
    if (created !== rows) throw new Error(`the summary says ${created} created, not ${rows}${problems.length ? `: ${problems.join('; ')}` : ''}`)
    await page.locator('[data-testid=sync-status][data-state=synced]').waitFor({ timeout: timeoutMs })
    const synced = performance.now()
    const lag = await readLoopLag(relay.url, false)
    return {
      importMs: finished - started, headerMs: mapped - started, planMs: planned - mapped, writeMs: finished - planned,
      longest: watch.longTasks.reduce((m, d) => Math.max(m, d), 0), longTasks: watch.longTasks.length,
      progressValues: watch.values.length, syncedMs: synced - finished, lag, created,
    }
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
    // a profiled relay writes its profile when stopped
    await (process.env.KANSO_BENCH_IMPORT_PROFILE ? relay.stop() : relay.kill())
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Per repetition: a new relay on a new workspace; the CSV imported in the app, then posted over HTTP. */
export async function measureImport(opts: MeasureImportOptions = {}): Promise<ImportBenchResult> {
  const rows = opts.rows ?? 100_000
  const reps = opts.reps ?? 3
  const progress = opts.onProgress ?? (() => {})
  const loadStart = loadavg()[0] ?? NaN
  const csv = Buffer.from(contactsCsv(rows))
  const result: ImportBenchResult = {
    rows, bytes: csv.length, loadAverage: [loadStart, NaN],
    app: { importMs: [], headerMs: [], planMs: [], writeMs: [], longestTaskMs: [], longTasks: [], progressValues: [], syncedMs: [], lagP99Ms: [], lagMaxMs: [], created: [] },
    http: { importMs: [], lagP99Ms: [], lagMaxMs: [], created: [] },
  }
  const served = opts.appDir ? await serveFile(csv) : null
  for (let rep = 0; opts.appDir && served && rep < reps; rep++) {
    const r = await measureAppImport(opts.appDir, served.url, rows, opts.timeoutMs ?? 120_000)
    const a = result.app
    a.importMs.push(r.importMs); a.headerMs.push(r.headerMs); a.planMs.push(r.planMs); a.writeMs.push(r.writeMs)
    a.longestTaskMs.push(r.longest); a.longTasks.push(r.longTasks); a.progressValues.push(r.progressValues); a.syncedMs.push(r.syncedMs)
    a.lagP99Ms.push(r.lag.p99Ms); a.lagMaxMs.push(r.lag.maxMs); a.created.push(r.created)
    progress(`  app rep ${rep + 1}/${reps}: ${r.created.toLocaleString('en-US')} contacts, file → summary ${(r.importMs / 1000).toFixed(2)} s (mapping ${(r.headerMs / 1000).toFixed(2)}, preview ${(r.planMs / 1000).toFixed(2)}, writing ${(r.writeMs / 1000).toFixed(2)}); longest task ${r.longest.toFixed(0)} ms (${r.longTasks} over 50 ms); ${r.progressValues} progress values; synced ${(r.syncedMs / 1000).toFixed(2)} s after; relay loop lag p99 ${r.lag.p99Ms.toFixed(1)} ms, max ${r.lag.maxMs.toFixed(0)} ms`)
  }
  await served?.close()
  for (let rep = 0; rep < (opts.httpReps ?? reps); rep++) {
    const { dataDir, token } = freshWorkspace()
    const relay = await startBenchRelay(dataDir, { env: { KANSO_API_RATE_PER_S: 'off' } })
    try {
      // steady state: the worker threads have loaded their code
      await new Promise((r) => setTimeout(r, 2000))
      await readLoopLag(relay.url, true)
      const started = performance.now()
      const response = await fetch(`${relay.url}/api/v1/contacts/import?dedupe=email`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csv })
      const answer = await response.json() as { created: number; rejected: unknown[] }
      const ms = performance.now() - started
      if (!response.ok) throw new Error(`POST /api/v1/contacts/import: ${response.status} ${JSON.stringify(answer)}`)
      if (answer.rejected.length) throw new Error(`rows refused: ${JSON.stringify(answer.rejected.slice(0, 3))}`)
      const lag = await readLoopLag(relay.url, false)
      result.http.importMs.push(ms)
      result.http.lagP99Ms.push(lag.p99Ms)
      result.http.lagMaxMs.push(lag.maxMs)
      result.http.created.push(answer.created)
      progress(`  HTTP rep ${rep + 1}/${opts.httpReps ?? reps}: ${answer.created.toLocaleString('en-US')} contacts in ${(ms / 1000).toFixed(2)} s; relay loop lag p99 ${lag.p99Ms.toFixed(1)} ms, max ${lag.maxMs.toFixed(0)} ms`)
    } finally {
      await relay.kill()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
  result.loadAverage[1] = loadavg()[0] ?? NaN
  return result
}

export function formatImportBench(r: ImportBenchResult): string {
  const s = (values: number[], scale: number, digits: number, unit: string) => formatSummary(summarize(values.map((v) => v / scale)), digits, unit)
  const rows = [
    ['metric', `median (min–max) over ${r.app.importMs.length} app / ${r.http.importMs.length} HTTP reps`, 'budget'],
    ['B26 app: file chosen → summary', s(r.app.importMs, 1000, 2, ' s'), `≤ 10 s ${summarize(r.app.importMs).median <= 10_000 ? 'pass' : 'FAIL'}`],
    ['B26b app: longest main-thread task', s(r.app.longestTaskMs, 1, 0, ' ms'), `≤ 200 ms ${summarize(r.app.longestTaskMs).median <= 200 ? 'pass' : 'FAIL'}`],
    ['B26c app: progress bar values seen', s(r.app.progressValues, 1, 0, ''), `≥ 5 ${summarize(r.app.progressValues).median >= 5 ? 'pass' : 'FAIL'}`],
    ['app: mapping / preview / writing', `${s(r.app.headerMs, 1000, 2, ' s')} / ${s(r.app.planMs, 1000, 2, ' s')} / ${s(r.app.writeMs, 1000, 2, ' s')}`, ''],
    ['app: summary → all on the relay', s(r.app.syncedMs, 1000, 2, ' s'), ''],
    ['app: relay loop lag p99 / max', `${s(r.app.lagP99Ms, 1, 1, ' ms')} / ${s(r.app.lagMaxMs, 1, 0, ' ms')}`, ''],
    ['B26h POST /api/v1/contacts/import → answer', s(r.http.importMs, 1000, 2, ' s'), 'no budget'],
    ['B26h relay loop lag p99 / max', `${s(r.http.lagP99Ms, 1, 1, ' ms')} / ${s(r.http.lagMaxMs, 1, 0, ' ms')}`, ''],
  ]
  return [`B26 import of ${r.rows.toLocaleString('en-US')} contacts (${(r.bytes / 1e6).toFixed(1)} MB CSV)`, formatTable(rows), `load average ${r.loadAverage[0].toFixed(2)} at start, ${r.loadAverage[1].toFixed(2)} at end`].join('\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // standalone: npx tsx bench/measureImport.ts [rows] [appDir] (the app built by `npx tsx bench/buildApp.ts` or a bench run)
  const rows = Number(process.argv[2] ?? 100_000)
  const result = await measureImport({ rows, appDir: process.argv[3], onProgress: (m) => console.log(m), reps: 1 })
  console.log(formatImportBench(result))
}
