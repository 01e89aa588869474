// The offline import as a member makes it, in Chromium: the rep's browser goes offline
// (context.setOffline), imports a CSV of N contacts in the app (Import… in the contacts' grid),
// then comes back online while a teammate's browser has the contacts open. Measured: the update
// messages the rep's workspace worker sends after reconnecting (count, biggest, total), the
// pending counts its sync status shows meanwhile, the time until its status says everything is
// on the server and until the teammate's grid counts every contact, the rep's page's longest
// task meanwhile, and the relay's event-loop lag (its own process) until 8 s after.
// Standalone: npx tsx bench/measureOfflineImportApp.ts <appDir> [rows…]   (default 10000 50000;
// the app built by `npx vite build --outDir <appDir>`)
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { BrowserContext, Page, Worker } from 'playwright-core'
import type { LoopLagSnapshot } from '../server/http/loopLagMonitor'
import { contactsCsv } from './measureImport'
import { launchProfile, watchProblems } from './openPage'
import { startOfflineImportRelay } from './startOfflineImportRelay'
import { listSteps, mib, seconds } from './formatUpload'
import { readLoopLag } from './readLoopLag'

export interface OfflineImportAppResult {
  rows: number
  messages: number
  biggestBytes: number
  totalBytes: number
  /** Distinct "state pending" pairs of the rep's sync status from going online until synced. */
  statusSteps: string[]
  /** Going online → the rep's status says synced. */
  acknowledgedMs: number
  /** Going online → the teammate's grid counts every contact. */
  seenMs: number
  /** The rep's page: longest main-thread task from going online until synced (0 when none over 50 ms). */
  longestTaskMs: number
  lag: LoopLagSnapshot
}

/** The relay's loop is watched this long after both are done. */
const SETTLE_MS = 8000

/** In a worker: counts the update-carrying messages its websockets send (y-websocket type 0, sub-type 1 or 2). */
const COUNT_SENDS = `(() => {
  if (self.__kansoSent) return
  const sent = self.__kansoSent = []
  const send = WebSocket.prototype.send
  WebSocket.prototype.send = function (data) {
    const bytes = data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : null
    if (bytes && bytes[0] === 0 && (bytes[1] === 1 || bytes[1] === 2)) sent.push(bytes.byteLength)
    return send.call(this, data)
  }
})()`

/** In the page: the sync status's distinct (state, pending) and the long tasks, until told to stop. */
const WATCH_STATUS = `(() => {
  const w = window.__kansoStatus = { steps: [], longTasks: [], done: false }
  new PerformanceObserver((list) => { for (const e of list.getEntries()) w.longTasks.push(e.duration) }).observe({ type: 'longtask' })
  const look = () => {
    const s = document.querySelector('[data-testid=sync-status]')
    const key = s ? s.getAttribute('data-state') + ' ' + s.getAttribute('data-pending') : 'none'
    if (w.steps.at(-1) !== key) w.steps.push(key)
    if (!w.done) setTimeout(look, 20)
  }
  look()
})()`

const DROP_FILE = `(() => {
  const data = new DataTransfer()
  data.items.add(new File([window.__kansoCsv], 'contacts.csv', { type: 'text/csv' }))
  document.querySelector('[data-testid=import-drop]').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }))
})()`

async function openContacts(context: BrowserContext, url: string, token: string, timeoutMs: number): Promise<Page> {
  const page = context.pages()[0] ?? await context.newPage()
  await page.goto(`${url}/contacts#token=${token}`)
  await page.locator('[data-testid=sync-status][data-state=synced]').waitFor({ timeout: timeoutMs })
  await page.locator('.kanso-grid .ag-root').waitFor({ timeout: timeoutMs })
  return page
}

export async function measureOfflineImportApp(appDir: string, rows: number, timeoutMs = 300_000): Promise<OfflineImportAppResult> {
  const { relay, rep, teammate, close } = await startOfflineImportRelay(rows, appDir)
  // KANSO_BENCH_OFFLINE_RENICE=-10: the relay's main thread ahead of both browsers for the CPU, so its
  // loop lag shows its own stalls rather than waiting for a core (this machine: 2 cores, two Chromiums)
  const renice = process.env.KANSO_BENCH_OFFLINE_RENICE
  if (renice) execFileSync('renice', ['-n', renice, '-p', String(relay.pid)])
  const profiles = [mkdtempSync(join(tmpdir(), 'kanso-bench-profile-')), mkdtempSync(join(tmpdir(), 'kanso-bench-profile-'))]
  const repContext = await launchProfile(profiles[0]!)
  const teamContext = await launchProfile(profiles[1]!)
  try {
    const workers: Worker[] = []
    repContext.pages()[0]?.on('worker', (w) => workers.push(w))
    const page = await openContacts(repContext, relay.url, rep.token, timeoutMs)
    const problems = watchProblems(page)
    const other = await openContacts(teamContext, relay.url, teammate.token, timeoutMs)
    await page.getByTestId('import-open').click()
    await page.getByTestId('import-drop').waitFor({ timeout: timeoutMs })
    await page.evaluate(`window.__kansoCsv = ${JSON.stringify(contactsCsv(rows))}`)
    await repContext.setOffline(true)
    await page.locator('[data-testid=sync-status][data-state=offline]').waitFor({ timeout: timeoutMs })
    await page.evaluate(DROP_FILE)
    await page.getByTestId('import-mapping').waitFor({ timeout: timeoutMs })
    await page.getByRole('button', { name: 'Preview →' }).click()
    await page.getByTestId('import-counts').waitFor({ timeout: timeoutMs })
    await page.getByTestId('import-run').click()
    await page.getByTestId('import-summary').waitFor({ timeout: timeoutMs })
    const created = Number(((await page.getByTestId('import-created').textContent()) ?? '').replace(/\D/g, ''))
    if (created !== rows) throw new Error(`the summary says ${created} created, not ${rows}${problems.length ? `: ${problems.join('; ')}` : ''}`)
    // every worker of the page (the workspace worker holds the entity documents' sockets)
    for (const w of workers) await w.evaluate(COUNT_SENDS).catch(() => {})
    await new Promise((r) => setTimeout(r, 2000))
    await readLoopLag(relay.url, true)
    await page.evaluate(WATCH_STATUS)
    const started = performance.now()
    await repContext.setOffline(false)
    let acknowledgedMs = NaN
    let seenMs = NaN
    const countText = `${rows.toLocaleString('en-US')} contacts`
    await Promise.all([
      page.locator('[data-testid=sync-status][data-state=synced]').waitFor({ timeout: timeoutMs }).then(() => { acknowledgedMs = performance.now() - started }),
      other.locator('.kanso-count', { hasText: countText }).waitFor({ timeout: timeoutMs }).then(() => { seenMs = performance.now() - started }),
    ])
    // the relay's work after storing (record history, search, webhooks) follows the forwards: count its stalls too
    await new Promise((r) => setTimeout(r, SETTLE_MS))
    const lag = await readLoopLag(relay.url, false)
    const watch = await page.evaluate('(() => { window.__kansoStatus.done = true; return window.__kansoStatus })()') as { steps: string[]; longTasks: number[] }
    const sent: number[] = []
    for (const w of workers) sent.push(...(await w.evaluate('self.__kansoSent ?? []').catch(() => []) as number[]))
    return {
      rows, messages: sent.length, biggestBytes: Math.max(0, ...sent), totalBytes: sent.reduce((a, b) => a + b, 0), statusSteps: watch.steps,
      acknowledgedMs, seenMs, longestTaskMs: watch.longTasks.reduce((m, d) => Math.max(m, d), 0), lag,
    }
  } finally {
    await repContext.close()
    await teamContext.close()
    for (const p of profiles) rmSync(p, { recursive: true, force: true })
    await close()
  }
}

export function formatOfflineImportApp(r: OfflineImportAppResult): string {
  const steps = listSteps(r.statusSteps)
  return [
    `offline import in the app of ${r.rows.toLocaleString('en-US')} contacts, then online (Chromium):`,
    `  the workspace worker sent ${r.messages} update message(s), biggest ${mib(r.biggestBytes)}, total ${mib(r.totalBytes)}`,
    `  the rep's status showed: ${steps}`,
    `  synced after ${seconds(r.acknowledgedMs)}; the teammate's grid counts every contact after ${seconds(r.seenMs)}`,
    `  the rep's page: longest task ${r.longestTaskMs.toFixed(0)} ms; relay loop lag p99 ${r.lag.p99Ms.toFixed(1)} ms, max ${r.lag.maxMs.toFixed(0)} ms`,
  ].join('\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [appDir, ...counts] = process.argv.slice(2)
  if (!appDir) throw new Error('usage: measureOfflineImportApp.ts <appDir> [rows…]')
  for (const rows of counts.length ? counts.map(Number) : [10_000, 50_000]) console.log(formatOfflineImportApp(await measureOfflineImportApp(appDir, rows)))
}
