import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { CHROMIUM_ARGS, CHROMIUM_PATH, VIEWPORT } from './chromiumOptions'
import { measureHeap, type HeapUsage } from './measureHeap'
import { OPEN_PROBE, type OpenProbe } from './openProbe'
import { timeJsonParse } from './timeJsonParse'

export interface MeasureOpenOptions {
  /** The relay serving the app, e.g. http://127.0.0.1:1234 */
  appUrl: string
  token: string
  expectedRows: number
  /** The same rows as JSON (see serveRowsJson). */
  rowsUrl: string
  timeoutMs: number
  jsonParseRuns: number
  /**
   * Called once the stored open shows its rows, before heap and JSON.parse are measured there:
   * e.g. pause the relay, whose work on the reconnected client would otherwise compete for CPU.
   */
  afterStoredOpen?: () => Promise<void> | void
}

export interface OpenRun {
  /** ms from navigation start until the first grid rows were painted. */
  shownMs: number
  /** ms until the first row was in the DOM. */
  rowsMs: number
  /** ms until the sync indicator said "synced" (at or after the rows); null if not waited for and not yet. */
  syncedMs: number | null
  heap: HeapUsage
  /** The app's own `kanso:*` performance marks (ms from navigation start): where the time went. */
  marks: Record<string, number>
}

export interface OpenSample {
  /** New browser profile: nothing stored, everything comes from the relay. */
  fresh: OpenRun
  /** The same profile reopened in a new browser process: data from IndexedDB. */
  stored: OpenRun
  /** JSON.parse of the same rows in the page of the stored open, each run in ms. */
  jsonParseMs: number[]
  /** Rows per IndexedDB object store ("db/store") once the new-profile open had stored everything. */
  storedRows: Record<string, number>
}

/** Longer than any delayed write the app makes (its row snapshot waits 2 s after the last change). */
const STORED_QUIET_MS = 4000

async function launch(userDataDir: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: VIEWPORT,
  })
  await context.addInitScript(OPEN_PROBE)
  return context
}

/** Navigates to the contacts grid and waits for every row (and for "synced" if asked). */
async function openApp(context: BrowserContext, o: MeasureOpenOptions, waitForSynced: boolean, beforeHeap?: () => Promise<void> | void): Promise<{ page: Page; run: OpenRun }> {
  const page = context.pages()[0] ?? (await context.newPage())
  const problems: string[] = []
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`) })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  try {
    await page.goto(`${o.appUrl}/contacts#token=${encodeURIComponent(o.token)}`, { waitUntil: 'commit' })
    await page.waitForFunction(`(() => { const p = window.__kansoOpen; return p && p.shownAt !== null${waitForSynced ? ' && p.syncedAt !== null' : ''} })()`,
      null, { timeout: o.timeoutMs, polling: 100 })
    await page.waitForFunction(`(document.querySelector('.kanso-count')?.textContent ?? '').startsWith('${o.expectedRows} ')`,
      null, { timeout: o.timeoutMs, polling: 100 })
  } catch (error) {
    const count = await page.locator('.kanso-count').textContent({ timeout: 1000 }).catch(() => null)
    throw new Error(`opening ${o.appUrl}/contacts failed: ${(error as Error).message.split('\n')[0]}; count shown: ${count}\n${problems.join('\n')}`)
  }
  await beforeHeap?.()
  const probe = (await page.evaluate('window.__kansoOpen')) as OpenProbe
  const marks = (await page.evaluate(`Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('kanso:')).map((m) => [m.name, Math.round(m.startTime)]))`)) as Record<string, number>
  const heap = await measureHeap(context, page)
  return { page, run: { shownMs: probe.shownAt!, rowsMs: probe.rowsAt!, syncedMs: probe.syncedAt, heap, marks } }
}

/** Rows per object store of the app's IndexedDB databases ("db/store" → count). */
async function storedRowCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(`(async () => {
    const out = {}
    for (const { name } of await indexedDB.databases()) {
      if (!name || !name.startsWith('kanso')) continue
      const db = await new Promise((resolve, reject) => { const r = indexedDB.open(name); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error) })
      for (const store of db.objectStoreNames) {
        out[name + '/' + store] = await new Promise((resolve, reject) => {
          const r = db.transaction(store, 'readonly').objectStore(store).count()
          r.onsuccess = () => resolve(r.result)
          r.onerror = () => reject(r.error)
        })
      }
      db.close()
    }
    return out
  })()`) as Promise<Record<string, number>>
}

/**
 * Waits until the app's IndexedDB has stopped changing for `quietMs` (the app writes some of
 * it later, e.g. a row snapshot after a delay), so closing the browser loses nothing.
 * A count read waits for writes already queued on that store.
 */
async function waitForStoredData(page: Page, quietMs: number, timeoutMs: number): Promise<Record<string, number>> {
  const until = Date.now() + timeoutMs
  let last = ''
  let stableSince = Date.now()
  for (;;) {
    const counts = await storedRowCounts(page)
    const key = JSON.stringify(counts)
    if (key !== last) {
      last = key
      stableSince = Date.now()
    } else if (Date.now() - stableSince >= quietMs && Object.values(counts).some((n) => n > 0)) {
      return counts
    }
    if (Date.now() > until) throw new Error(`the app's IndexedDB did not settle within ${timeoutMs} ms: ${key}`)
    await page.waitForTimeout(500)
  }
}

/**
 * One repetition: open the workspace in a new profile (data from the relay), close the
 * browser, reopen the same profile (data from IndexedDB), then time JSON.parse of the same rows
 * in that page.
 */
export async function measureOpen(o: MeasureOpenOptions): Promise<OpenSample> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'kanso-bench-profile-'))
  try {
    let context = await launch(userDataDir)
    let fresh: OpenRun
    let rows: Record<string, number>
    try {
      const opened = await openApp(context, o, true)
      fresh = opened.run
      rows = await waitForStoredData(opened.page, STORED_QUIET_MS, o.timeoutMs)
    } finally {
      await context.close()
    }
    context = await launch(userDataDir)
    try {
      const opened = await openApp(context, o, false, o.afterStoredOpen)
      const jsonParseMs = await timeJsonParse(opened.page, o.rowsUrl, o.jsonParseRuns)
      return { fresh, stored: opened.run, jsonParseMs, storedRows: rows }
    } finally {
      await context.close()
    }
  } finally {
    rmSync(userDataDir, { recursive: true, force: true })
  }
}
