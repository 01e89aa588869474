import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { CHROMIUM_ARGS, CHROMIUM_PATH, VIEWPORT } from './chromiumOptions'
import { findCellExpression, typeIntoCell, type CellTarget } from './editCells'
import { OPEN_PROBE, type OpenProbe } from './openProbe'

/** A persistent profile in the system Chromium with the open probe (openProbe.ts) in every page. */
export async function launchProfile(userDataDir: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: VIEWPORT,
    // the relay's Content-Security-Policy forbids eval, and Playwright's waitForFunction and
    // evaluate of page code given as a string run through it
    bypassCSP: true,
  })
  await context.addInitScript(OPEN_PROBE)
  return context
}

export const pageTime = (page: Page) => page.evaluate('performance.now()') as Promise<number>
export const markTime = (page: Page, name: string) =>
  page.evaluate(`performance.getEntriesByName(${JSON.stringify(name)})[0]?.startTime ?? null`) as Promise<number | null>
export const readProbe = (page: Page) => page.evaluate('window.__kansoOpen') as Promise<OpenProbe>

/** Waits until the page's clock has passed `ms` (plus a margin, so a long task running then has been reported). */
export async function waitForPageTime(page: Page, ms: number): Promise<void> {
  const now = await pageTime(page)
  if (now < ms + 100) await page.waitForTimeout(ms + 100 - now)
}

/** Waits up to `timeoutMs` for the performance mark `name`; its time (ms from navigation start), or null. */
export async function waitForMark(page: Page, name: string, timeoutMs: number): Promise<number | null> {
  return page.waitForFunction(`performance.getEntriesByName(${JSON.stringify(name)}).length > 0`, null, { timeout: timeoutMs, polling: 100 })
    .then(() => markTime(page, name), () => null)
}

export async function shownCount(page: Page): Promise<string | null> {
  return page.locator('.kanso-count').textContent({ timeout: 1000 }).catch(() => null)
}

/** The page's console errors and uncaught errors, for the message when an open fails. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`) })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  return problems
}

/** The first edit of an open, made as soon as rows are shown. */
export interface UserEdit {
  header: string
  rowId: string | null
  colId: string | null
  value: string
  /** The bench's click (pointerdown), ms from navigation start. */
  clickedMs: number | null
  /** The page's mark that the edit went through (the app: `kanso:edit-stored`, durable in IndexedDB); null when it set none. */
  storedMs: number | null
  /** The cell showed the new value once the document had loaded (the edit was not lost). */
  keptAfterLoad: boolean | null
  error?: string
}

/**
 * B2's first step, in the app or the floor page at `url`: waits until rows are shown and the
 * first row's `header` cell can be clicked (one round trip, so the bench clicks as soon as it
 * can), then edits it like a user. A page that sets `document.body.dataset.failed` fails at once.
 */
export async function editRightAway(page: Page, url: string, header: string, value: string, timeoutMs: number, problems: string[]): Promise<{ edit: UserEdit; cell: CellTarget | null }> {
  const edit: UserEdit = { header, rowId: null, colId: null, value, clickedMs: null, storedMs: null, keptAfterLoad: null }
  let found: CellTarget | { hidden: true } | { missing: true } | { failed: string }
  try {
    await page.goto(url, { waitUntil: 'commit' })
    const handle = await page.waitForFunction(`(() => {
      const failed = document.body && document.body.dataset.failed
      if (failed) return { failed }
      const p = window.__kansoOpen
      if (!p || p.shownAt === null) return null
      return ${findCellExpression(header, 0)} ?? { missing: true }
    })()`, null, { timeout: timeoutMs, polling: 'raf' })
    found = (await handle.jsonValue()) as typeof found
  } catch (error) {
    throw new Error(`opening ${url} failed: ${(error as Error).message.split('\n')[0]}; count shown: ${await shownCount(page)}\n${problems.join('\n')}`)
  }
  if ('failed' in found) throw new Error(`opening ${url} failed: ${found.failed}\n${problems.join('\n')}`)
  if ('missing' in found || 'hidden' in found) {
    edit.error = `the "${header}" cell of the first row was ${'missing' in found ? 'not rendered' : 'not visible'} when rows were shown`
    return { edit, cell: null }
  }
  edit.rowId = found.rowId
  edit.colId = found.colId
  await typeIntoCell(page, found, value)
  return { edit, cell: found }
}
