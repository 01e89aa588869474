import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { CELL_EDIT_TIMER, cellText, findCell, typeIntoCell, type CellEditSample } from './editCells'
import { measureFloorOpen, type FloorRun, type GridBox } from './measureFloor'
import { measureHeap, type HeapUsage } from './measureHeap'
import { longestTask, type OpenProbe } from './openProbe'
import { editRightAway, launchProfile, readProbe, shownCount, waitForMark, waitForPageTime, watchProblems, type UserEdit } from './openPage'
import { timeJsonParse } from './timeJsonParse'
import { waitForBrowserIdle, type BrowserIdle } from './waitForBrowserIdle'

export interface MeasureOpenOptions {
  /** The relay serving the app, e.g. http://127.0.0.1:1234 */
  appUrl: string
  token: string
  /** Contacts in the workspace: the grid's count must say so. */
  expectedRows: number
  /** Open the floor page (bench/floor/, built into the app's directory) for B1, B2 and B7's denominators. */
  floor: boolean
  /** All rows of the workspace as JSON (see serveRowsJson): the JSON.parse the open is compared with. */
  rowsUrl: string
  timeoutMs: number
  jsonParseRuns: number
  /** B5: keyboard edits in the stored open once the contacts document has loaded. */
  cellEdits: number
  /** Makes this repetition's typed values unique. */
  tag: string
  /**
   * Called once the stored open has loaded its document and synced, before the cell edits, the
   * heap and JSON.parse: e.g. freeze the relay, whose work would otherwise compete for the CPU.
   */
  whenLoaded?: () => Promise<void> | void
  onProgress?: (message: string) => void
}

export interface OpenRun {
  /** ms from navigation start until the first grid rows were painted (B1 stored, B7 new profile). */
  shownMs: number
  /** ms until the first row was in the DOM. */
  rowsMs: number
  /** ms until the sync indicator said "synced"; null if not (yet) seen. */
  syncedMs: number | null
  /** B3: the longest main-thread task that started before `longTaskWindowMs`; 0 when none took over 50 ms. */
  longestTaskMs: number
  longTaskCount: number
  /** End of the B3 window (ms from navigation start). */
  longTaskWindowMs: number
  /** Every long task of the page until it was read: [start, duration] ms. */
  longTasks: [number, number][]
  /** Set when this Chromium reports no long tasks. */
  longTaskError: string | null
  heap: HeapUsage | null
  /** The app's own `kanso:*` performance marks (ms from navigation start): where the time went. */
  marks: Record<string, number>
}

export interface StoredRun extends OpenRun {
  /** The `kanso:doc-loaded:contacts` mark. */
  docLoadedMs: number | null
  edit: UserEdit
  /** B5 samples, in the order made. */
  cellEdits: CellEditSample[]
}

/** The floor page's opens in this repetition (bench/floor/): what B1, B2 and B7 are divided by. */
export interface FloorSample {
  /** The same profile as the app's stored open, just before it: the same IndexedDB snapshot (B1, B2). */
  stored: FloorRun | null
  /** A new profile: the relay's snapshot (B7). */
  relay: FloorRun | null
  /** Why a floor open could not be measured. */
  errors: string[]
  /** The app grid's box in the new-profile open, which the floor's grid was given. */
  box: GridBox | null
}

export interface OpenSample {
  /** New browser profile: nothing stored, everything comes from the relay (B7, B3 fresh). */
  fresh: OpenRun
  /** The same profile reopened in a new browser process: data from IndexedDB (B1–B5). */
  stored: StoredRun
  /** Null when the run did not ask for it (MeasureOpenOptions.floor). */
  floor: FloorSample | null
  /** JSON.parse of all the workspace's rows in the page of the stored open, each run in ms. */
  jsonParseMs: number[]
  /** Rows per IndexedDB object store ("db/store") once the new-profile open had stored everything. */
  storedRows: Record<string, number>
  /** Wall time of each step of the repetition, ms (where the bench's time goes). */
  stepsMs: Record<string, number>
  /** Each launch's wait for the browser's own start-up work, before the open (new profile, stored). */
  browserIdle: BrowserIdle[]
}

/** Adds the wall time since the last call to `steps[name]`. */
function stepClock(steps: Record<string, number>): (name: string) => void {
  let last = performance.now()
  return (name) => {
    const now = performance.now()
    steps[name] = (steps[name] ?? 0) + now - last
    last = now
  }
}

/** Longer than any delayed write the app makes (its row snapshot waits 2 s after the last change). */
const STORED_QUIET_MS = 3000
/** B3 window when there is no kanso:edit-stored mark: rows shown + this. */
const LONG_TASK_TAIL_MS = 2000
/** How long after the document loaded the bench waits for the kanso:edit-stored mark. */
const EDIT_STORED_WAIT_MS = 10_000
const EDIT_STORED_MARK = 'kanso:edit-stored'
const CONTACTS_LOADED_MARK = 'kanso:doc-loaded:contacts'
const B2_HEADER = 'Position'
/** B5 alternates these two text columns (both left of the fold), rows 2, 3, … (row 1 holds B2's edit). */
const B5_HEADERS = ['Position', 'First name']

const kansoMarks = (page: Page) =>
  page.evaluate(`Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('kanso:')).map((m) => [m.name, Math.round(m.startTime)]))`) as Promise<Record<string, number>>
const gridBox = (page: Page) =>
  page.evaluate(`(() => { const r = document.querySelector('.kanso-grid')?.getBoundingClientRect(); return r ? { width: r.width, height: r.height } : null })()`) as Promise<GridBox | null>
const contactsUrl = (o: MeasureOpenOptions) => `${o.appUrl}/contacts#token=${encodeURIComponent(o.token)}`

/** Opens /contacts and waits until rows are shown (and synced, if asked); failures carry the page's errors. */
async function navigate(page: Page, o: MeasureOpenOptions, waitFor: string, problems: string[]): Promise<void> {
  try {
    await page.goto(contactsUrl(o), { waitUntil: 'commit' })
    await page.waitForFunction(`(() => { const p = window.__kansoOpen; return p && ${waitFor} })()`, null, { timeout: o.timeoutMs, polling: 'raf' })
  } catch (error) {
    throw new Error(`opening ${o.appUrl}/contacts failed: ${(error as Error).message.split('\n')[0]}; count shown: ${await shownCount(page)}\n${problems.join('\n')}`)
  }
}

async function waitForCount(page: Page, o: MeasureOpenOptions, problems: string[]): Promise<void> {
  // the count's first number, in any locale's digit grouping ("30,000 contacts", "30 000 …")
  await page.waitForFunction(`((document.querySelector('.kanso-count')?.textContent ?? '').match(/^[\\d\\s.,\u00a0\u202f']*\\d/)?.[0] ?? '').replace(/\\D/g, '') === '${o.expectedRows}'`, null, { timeout: o.timeoutMs, polling: 100 })
    .catch(async (error: Error) => {
      throw new Error(`the grid did not count ${o.expectedRows} rows: ${error.message.split('\n')[0]}; count shown: ${await shownCount(page)}\n${problems.join('\n')}`)
    })
}

function openRun(probe: OpenProbe, windowMs: number, marks: Record<string, number>, heap: HeapUsage | null): OpenRun {
  const longest = longestTask(probe, windowMs)
  return {
    shownMs: probe.shownAt!,
    rowsMs: probe.rowsAt!,
    syncedMs: probe.syncedAt,
    longestTaskMs: longest.ms,
    longTaskCount: longest.count,
    longTaskWindowMs: windowMs,
    longTasks: probe.longTasks,
    longTaskError: probe.longTaskError,
    heap,
    marks,
  }
}

/** New profile: rows shown, synced, every row counted; then waits until IndexedDB holds everything. */
async function openFresh(context: BrowserContext, o: MeasureOpenOptions, step: (name: string) => void): Promise<{ run: OpenRun; storedRows: Record<string, number>; box: GridBox | null }> {
  const page = context.pages()[0] ?? (await context.newPage())
  const problems = watchProblems(page)
  await navigate(page, o, 'p.shownAt !== null && p.syncedAt !== null', problems)
  await waitForCount(page, o, problems)
  const shownAt = (await readProbe(page)).shownAt!
  await waitForPageTime(page, shownAt + LONG_TASK_TAIL_MS)
  const probe = await readProbe(page)
  const marks = await kansoMarks(page)
  const box = await gridBox(page)
  step('fresh open')
  const storedRows = await waitForStoredData(page, STORED_QUIET_MS, o.timeoutMs)
  step('fresh IndexedDB settles')
  // No heap here: no budget needs it, and a forced GC of the loaded tab takes seconds.
  return { run: openRun(probe, shownAt + LONG_TASK_TAIL_MS, marks, null), storedRows, box }
}

/** B5: `count` keyboard edits on visible cells, each timed in the page (see CELL_EDIT_TIMER). */
export async function timeCellEdits(page: Page, count: number, tag: string): Promise<CellEditSample[]> {
  await page.evaluate(CELL_EDIT_TIMER)
  const missing: CellEditSample[] = []
  for (let i = 0; i < count; i++) {
    const value = `${tag}-${i + 1}`
    const cell = await findCell(page, B5_HEADERS[i % B5_HEADERS.length]!, 1 + Math.floor(i / B5_HEADERS.length))
    await typeIntoCell(page, cell, value)
    const seen = await page.waitForFunction(`window.__kansoCellEdits.samples.some((s) => s.expected === ${JSON.stringify(value)})`, null, { timeout: 8000, polling: 20 })
      .then(() => true, () => false)
    if (!seen) missing.push({ rowId: cell.rowId, colId: cell.colId, expected: value, handlerLagMs: NaN, changedMs: null, frameMs: null, paintedMs: null })
    // The next edit starts on a settled grid, as a user's would.
    await page.waitForTimeout(50)
  }
  const samples = (await page.evaluate('window.__kansoCellEdits.samples')) as CellEditSample[]
  return [...samples, ...missing]
}

/**
 * Stored open (data from IndexedDB): B1 rows shown; B2 an edit right away and the
 * kanso:edit-stored mark; B3 the longest task until that mark; then, once the document has
 * loaded and synced, B5 keyboard edits, the heap (B4) and JSON.parse of all rows in this page.
 */
async function openStored(context: BrowserContext, o: MeasureOpenOptions, step: (name: string) => void): Promise<{ run: StoredRun; jsonParseMs: number[] }> {
  const page = context.pages()[0] ?? (await context.newPage())
  const problems = watchProblems(page)
  const { edit, cell } = await editRightAway(page, contactsUrl(o), B2_HEADER, `${o.tag}-first`, o.timeoutMs, problems)

  const docLoadedMs = await waitForMark(page, CONTACTS_LOADED_MARK, o.timeoutMs)
  if (docLoadedMs === null) throw new Error(`no ${CONTACTS_LOADED_MARK} mark within ${o.timeoutMs} ms\n${problems.join('\n')}`)
  if (cell) edit.storedMs = await waitForMark(page, EDIT_STORED_MARK, EDIT_STORED_WAIT_MS)
  await page.waitForFunction(`window.__kansoOpen.syncedAt !== null`, null, { timeout: 60_000, polling: 100 }).catch(() => {})
  await waitForCount(page, o, problems)

  const shownAt = (await readProbe(page)).shownAt!
  const windowMs = edit.storedMs ?? shownAt + LONG_TASK_TAIL_MS
  await waitForPageTime(page, windowMs)
  const probe = await readProbe(page)
  edit.clickedMs = probe.firstInputAt
  await o.whenLoaded?.()
  if (cell) edit.keptAfterLoad = (await cellText(page, cell.rowId, cell.colId)) === edit.value
  step('stored open until loaded and synced')

  const cellEdits = await timeCellEdits(page, o.cellEdits, o.tag)
  step('cell edits')
  const marks = await kansoMarks(page)
  const heap = await measureHeap(context, page)
  step('stored heap')
  const jsonParseMs = await timeJsonParse(page, o.rowsUrl, o.jsonParseRuns)
  step('JSON.parse')
  return { run: { ...openRun(probe, windowMs, marks, heap), docLoadedMs, edit, cellEdits }, jsonParseMs }
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
    await page.waitForTimeout(250)
  }
}

/**
 * One repetition: open the workspace in a new profile (data from the relay), close the
 * browser; open the floor page in that profile (the same stored snapshot), then in a new
 * profile (data from the relay); reopen the first profile and measure the app's stored open
 * (data from IndexedDB; it freezes the relay once loaded). Every open is in a browser launched
 * for it; see README.
 */
export async function measureOpen(o: MeasureOpenOptions): Promise<OpenSample> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'kanso-bench-profile-'))
  const stepsMs: Record<string, number> = {}
  const step = stepClock(stepsMs)
  const browserIdle: BrowserIdle[] = []
  /** Launches a browser on `dir`, waits for its own start-up work, runs `open`, closes it. */
  const inBrowser = async <T>(dir: string, open: (context: BrowserContext) => Promise<T>, name?: string): Promise<T> => {
    const context = await launchProfile(dir)
    step('launch')
    // A person opens Kanso in a running browser: each open starts once the browser's own
    // start-up work is done (see waitForBrowserIdle), not while it competes for the cores.
    browserIdle.push(await waitForBrowserIdle(dir))
    step('browser start-up settles')
    try {
      const result = await open(context)
      if (name) step(name)
      return result
    } finally {
      await context.close()
      step('close')
    }
  }
  try {
    const fresh = await inBrowser(userDataDir, (context) => openFresh(context, o, step))
    const floor: FloorSample | null = o.floor ? { stored: null, relay: null, errors: [], box: fresh.box } : null
    /** A floor open that fails is noted; the app's figures of the repetition still count. */
    const floorOpen = async (from: 'stored' | 'relay', dir: string): Promise<FloorRun | null> => {
      try {
        return await inBrowser(dir, (context) => measureFloorOpen(context, {
          appUrl: o.appUrl, token: o.token, entityId: 'contacts', from, box: fresh.box, timeoutMs: o.timeoutMs,
          edit: { header: B2_HEADER, value: `${o.tag}-floor` },
        }), `floor page, ${from}`)
      } catch (error) {
        floor?.errors.push(`floor page (${from}): ${(error as Error).message}`)
        return null
      }
    }
    if (floor) {
      floor.stored = await floorOpen('stored', userDataDir)
      // before the app's stored open, which freezes the relay once it has loaded
      const newProfile = mkdtempSync(join(tmpdir(), 'kanso-bench-floor-'))
      try {
        floor.relay = await floorOpen('relay', newProfile)
      } finally {
        rmSync(newProfile, { recursive: true, force: true })
      }
    }
    const stored = await inBrowser(userDataDir, (context) => openStored(context, o, step))
    return { fresh: fresh.run, stored: stored.run, floor, jsonParseMs: stored.jsonParseMs, storedRows: fresh.storedRows, stepsMs, browserIdle }
  } finally {
    rmSync(userDataDir, { recursive: true, force: true })
  }
}
