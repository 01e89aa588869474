// B28 (issue 18): 100k contacts exported as CSV and as XLSX through GET /api/v1/contacts/export on
// the real relay (its own process), with the relay's event-loop lag meanwhile; B28c: the same
// through Export ▾ in the app (Chromium), the page's longest task meanwhile. Part of
// `npm run bench` (--only export); standalone: npx tsx bench/measureExport.ts [contacts] [appDir]
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Page } from 'playwright-core'
import { copyDataDir } from './copyDataDir'
import { formatSummary, formatTable } from './formatSummaryTable'
import { launchProfile, watchProblems } from './openPage'
import { prepareWorkspace, type PreparedWorkspace } from './prepareWorkspace'
import { startBenchRelay } from './startRelayProcess'
import { summarize } from './summarize'
import { waitForBrowserIdle } from './waitForBrowserIdle'
import { readLoopLag } from './readLoopLag'

export interface ExportBenchResult {
  rows: number
  /** GET …/export?format=csv → the last byte received, per repetition (B28). */
  csvMs: number[]
  /** GET …/export?format=xlsx → the last byte received, per repetition (B28b). */
  xlsxMs: number[]
  csvBytes: number[]
  xlsxBytes: number[]
  /** The relay's event-loop delay p99 during each export (coordinated-omission corrected), per repetition; no budget. */
  csvLagP99Ms: number[]
  xlsxLagP99Ms: number[]
  lagMaxMs: number[]
  /** The same exports in the app, per repetition: Export ▾ → the download, and the page's longest task over both (0: none over 50 ms) (B28c); absent without an app. */
  app?: { csvMs: number[]; xlsxMs: number[]; longestTaskMs: number[]; progressValues: number[] }
  loadAverage: [start: number, end: number]
}

export interface MeasureExportOptions {
  /** Contacts in the workspace (each linked to one of a tenth as many companies); default 100k. */
  rows?: number
  reps?: number
  /** The built app (bench/results/app) for the exports in Chromium; without it only the API is measured. */
  appDir?: string
  timeoutMs?: number
  onProgress?: (message: string) => void
}

/** Downloads an export, counting its bytes; resolves with the ms until the last one arrived. */
async function download(url: string, token: string, format: 'csv' | 'xlsx'): Promise<{ ms: number; bytes: number; records: number }> {
  const started = performance.now()
  const response = await fetch(`${url}/api/v1/contacts/export?format=${format}`, { headers: { authorization: `Bearer ${token}` } })
  if (!response.ok || !response.body) throw new Error(`GET /api/v1/contacts/export?format=${format}: ${response.status} ${await response.text()}`)
  let bytes = 0
  const reader = response.body.getReader()
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.byteLength
  return { ms: performance.now() - started, bytes, records: Number(response.headers.get('x-record-count')) }
}

/**
 * A workspace of `rows` contacts (names, email, phone, position, owner, a company link: every
 * column the export formats), generated once; per repetition a relay on a copy, the contacts and
 * companies loaded into its API copies first (an export's cost, not a cold start's), then one CSV
 * and one XLSX export of every contact.
 */
export async function measureExport(opts: MeasureExportOptions = {}): Promise<ExportBenchResult> {
  const rows = opts.rows ?? 100_000
  const reps = opts.reps ?? 3
  const progress = opts.onProgress ?? (() => {})
  const loadStart = loadavg()[0] ?? NaN
  const prepared: PreparedWorkspace = prepareWorkspace({ contacts: rows, companies: Math.ceil(rows / 10), deals: 0, activities: 0 }, progress)
  const admin = prepared.members[0]!
  const result: ExportBenchResult = { rows, csvMs: [], xlsxMs: [], csvBytes: [], xlsxBytes: [], csvLagP99Ms: [], xlsxLagP99Ms: [], lagMaxMs: [], loadAverage: [loadStart, NaN] }
  try {
    for (let rep = 0; rep < reps; rep++) {
      const dataDir = copyDataDir(prepared.templateDir)
      const relay = await startBenchRelay(dataDir, { distDir: opts.appDir, env: { KANSO_API_RATE_PER_S: 'off' } })
      try {
        for (const entity of ['contacts', 'companies']) {
          const warm = await fetch(`${relay.url}/api/v1/${entity}?limit=1`, { headers: { authorization: `Bearer ${admin.token}` } })
          if (!warm.ok) throw new Error(`GET /api/v1/${entity}: ${warm.status}`)
        }
        await new Promise((r) => setTimeout(r, 1000))
        await readLoopLag(relay.url, true)
        const csv = await download(relay.url, admin.token, 'csv')
        const csvLag = await readLoopLag(relay.url, true)
        const xlsx = await download(relay.url, admin.token, 'xlsx')
        const xlsxLag = await readLoopLag(relay.url, false)
        if (csv.records !== rows || xlsx.records !== rows) throw new Error(`exported ${csv.records} / ${xlsx.records} of ${rows} contacts`)
        result.csvMs.push(csv.ms)
        result.xlsxMs.push(xlsx.ms)
        result.csvBytes.push(csv.bytes)
        result.xlsxBytes.push(xlsx.bytes)
        result.csvLagP99Ms.push(csvLag.p99Ms)
        result.xlsxLagP99Ms.push(xlsxLag.p99Ms)
        result.lagMaxMs.push(Math.max(csvLag.maxMs, xlsxLag.maxMs))
        if (opts.appDir) {
          const app = await measureAppExport(relay.url, admin.token, rows, opts.timeoutMs ?? 120_000)
          result.app ??= { csvMs: [], xlsxMs: [], longestTaskMs: [], progressValues: [] }
          result.app.csvMs.push(app.csvMs)
          result.app.xlsxMs.push(app.xlsxMs)
          result.app.longestTaskMs.push(app.longestTaskMs)
          result.app.progressValues.push(app.progressValues)
          progress(`  rep ${rep + 1}/${reps} in the app: CSV ${(app.csvMs / 1000).toFixed(2)} s, XLSX ${(app.xlsxMs / 1000).toFixed(2)} s; longest task ${app.longestTaskMs.toFixed(0)} ms; ${app.progressValues} progress values`)
        }
        progress(`  rep ${rep + 1}/${reps}: CSV ${(csv.bytes / 1e6).toFixed(1)} MB in ${(csv.ms / 1000).toFixed(2)} s (loop lag p99 ${csvLag.p99Ms.toFixed(1)} ms), XLSX ${(xlsx.bytes / 1e6).toFixed(1)} MB in ${(xlsx.ms / 1000).toFixed(2)} s (p99 ${xlsxLag.p99Ms.toFixed(1)} ms); lag max ${Math.max(csvLag.maxMs, xlsxLag.maxMs).toFixed(0)} ms`)
      } finally {
        await relay.kill()
        rmSync(dataDir, { recursive: true, force: true })
      }
    }
  } finally {
    prepared.remove()
  }
  result.loadAverage[1] = loadavg()[0] ?? NaN
  return result
}

interface PageWatch { longTasks: number[]; values: Set<string>; stop: boolean }

/** The page's long tasks and the export progress bar's distinct values, from now on. */
async function watchPage(page: Page): Promise<void> {
  // tsx keeps function names with a helper (__name) the page lacks; the watcher's inner function needs it
  await page.evaluate(() => { Reflect.set(window, '__name', (f: unknown) => f) })
  await page.evaluate(() => {
    const w = window as unknown as { kansoExport: PageWatch }
    w.kansoExport = { longTasks: [], values: new Set(), stop: false }
    new PerformanceObserver((list) => { for (const e of list.getEntries()) w.kansoExport.longTasks.push(e.duration) }).observe({ type: 'longtask' })
    const look = () => {
      const bar = document.querySelector<HTMLProgressElement>('[data-testid=export-progress] progress')
      if (bar) w.kansoExport.values.add(`${bar.value}/${bar.max}`)
      if (!w.kansoExport.stop) requestAnimationFrame(look)
    }
    requestAnimationFrame(look)
  })
}

/**
 * B28c: the contacts' grid opened in Chromium (a new profile) with every row in, then Export ▾ →
 * CSV and → Excel, each timed from the click to the download; the page's longest task over both.
 */
async function measureAppExport(url: string, token: string, rows: number, timeoutMs: number): Promise<{ csvMs: number; xlsxMs: number; longestTaskMs: number; progressValues: number }> {
  const profile = mkdtempSync(join(tmpdir(), 'kanso-bench-profile-'))
  const context = await launchProfile(profile)
  try {
    const page = context.pages()[0] ?? await context.newPage()
    await waitForBrowserIdle(profile)
    const problems = watchProblems(page)
    await page.goto(`${url}/contacts#token=${token}`)
    await page.locator('[data-testid=sync-status][data-state=synced]').waitFor({ timeout: timeoutMs })
    const total = rows.toLocaleString('en-US')
    await page.locator('.kanso-count', { hasText: `${total} contacts` }).waitFor({ timeout: timeoutMs })
    // the linked companies' names and the first paint's work settle first
    await page.waitForTimeout(3000)
    await watchPage(page)
    const times: number[] = []
    for (const choice of [/CSV/, /Excel/]) {
      const started = performance.now()
      await page.getByRole('button', { name: 'Export ▾' }).click()
      const downloading = page.waitForEvent('download', { timeout: timeoutMs })
      await page.getByRole('menuitem', { name: choice }).click()
      const download = await downloading
      times.push(performance.now() - started)
      await download.delete()
    }
    const watched = await page.evaluate(() => {
      const w = (window as unknown as { kansoExport: PageWatch }).kansoExport
      w.stop = true
      return { longTasks: w.longTasks, values: w.values.size }
    })
    if (problems.length) throw new Error(problems.join('\n'))
    return { csvMs: times[0]!, xlsxMs: times[1]!, longestTaskMs: Math.max(0, ...watched.longTasks), progressValues: watched.values }
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
  }
}

export function formatExportBench(r: ExportBenchResult): string {
  const seconds = (ms: number[]) => formatSummary(summarize(ms.map((v) => v / 1000)), 2, ' s')
  const verdict = (ms: number[]) => `≤ 5 s ${summarize(ms).median <= 5000 ? 'pass' : 'FAIL'}`
  const rows = [
    ['metric', `median (min–max) over ${r.csvMs.length} reps`, 'budget'],
    ['GET …/export?format=csv → last byte', seconds(r.csvMs), verdict(r.csvMs)],
    ['GET …/export?format=xlsx → last byte', seconds(r.xlsxMs), verdict(r.xlsxMs)],
    ['relay event-loop lag p99 during the CSV', formatSummary(summarize(r.csvLagP99Ms), 1, ' ms'), ''],
    ['relay event-loop lag p99 during the XLSX', formatSummary(summarize(r.xlsxLagP99Ms), 1, ' ms'), ''],
    ['relay event-loop lag max', formatSummary(summarize(r.lagMaxMs), 0, ' ms'), ''],
    ...(r.app ? [
      ['in the app: Export ▾ → CSV downloaded', seconds(r.app.csvMs), ''],
      ['in the app: Export ▾ → XLSX downloaded', seconds(r.app.xlsxMs), ''],
      ['the page\'s longest task meanwhile', formatSummary(summarize(r.app.longestTaskMs), 0, ' ms'), `≤ 200 ms ${summarize(r.app.longestTaskMs).median <= 200 ? 'pass' : 'FAIL'}`],
    ] : []),
    ['CSV / XLSX size', `${formatSummary(summarize(r.csvBytes.map((b) => b / 1e6)), 1, ' MB')} / ${formatSummary(summarize(r.xlsxBytes.map((b) => b / 1e6)), 1, ' MB')}`, ''],
  ]
  return [`B28 export of ${r.rows.toLocaleString('en-US')} contacts`, formatTable(rows), `load average ${r.loadAverage[0].toFixed(2)} at start, ${r.loadAverage[1].toFixed(2)} at end`].join('\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = Number(process.argv[2] ?? 100_000)
  const result = await measureExport({ rows, appDir: process.argv[3], onProgress: (m) => console.log(m), reps: 1 })
  console.log(formatExportBench(result))
}
