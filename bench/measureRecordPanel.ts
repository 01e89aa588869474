import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { entityDocName, SCHEMA_DOC } from '../src/crdt/docNames'
import { apiRequest } from './apiRequest'
import { copyDataDir } from './copyDataDir'
import { launchProfile, waitForMark, watchProblems } from './openPage'
import type { PreparedWorkspace } from './prepareWorkspace'
import { startBenchRelay } from './startRelayProcess'
import { waitForBrowserIdle } from './waitForBrowserIdle'
import { warmRoom } from './warmRoom'

export interface RecordPanelResult {
  /** Records linking to the measured company: its contacts, deals and activities. */
  related: number
  /** The first open of a panel in the tab: Space → fields and every related count painted, the linking lists loaded and indexed on the way. */
  firstOpenMs: number
  /** Every later open of the same company: Space → the same (the indexes kept, a look-up per open). */
  openMs: number[]
  /** What the panel's contacts heading counted (a check that the 500 were there). */
  contactsShown: string
  errors: string[]
}

const PANEL_MARK = 'kanso:panel-shown'
/** The company's related records the API writes before the opens: 500 in all. */
const RELATED = { contacts: 250, deals: 150, activities: 100 }

/** Space on the focused row, then the time from that keydown to the panel's next kanso:panel-shown mark. */
async function spaceToPanel(page: Page, rowId: string, timeoutMs: number): Promise<number> {
  const marks = await page.evaluate(`performance.getEntriesByName(${JSON.stringify(PANEL_MARK)}).length`) as number
  // a cell of the row that is no link, no checkbox (Space there ticks it): the row's second field
  await page.locator(`.kanso-grid .ag-row[row-id="${rowId}"] .ag-cell[col-id="companies.industry"]`).click()
  await page.evaluate(`window.__kansoSpaceAt = null; addEventListener('keydown', (e) => { if (e.key === ' ') window.__kansoSpaceAt = e.timeStamp }, { capture: true, once: true })`)
  await page.keyboard.press('Space')
  await page.waitForFunction(`performance.getEntriesByName(${JSON.stringify(PANEL_MARK)}).length > ${marks}`, null, { timeout: timeoutMs, polling: 20 })
  const ms = await page.evaluate(`performance.getEntriesByName(${JSON.stringify(PANEL_MARK)}).at(-1).startTime - window.__kansoSpaceAt`) as number
  if (!Number.isFinite(ms)) throw new Error('the keystroke was not seen by the page')
  return ms
}

/**
 * B18: a company's record panel with 500 related records (250 contacts, 150 deals, 100
 * activities written through the API) on the generated workspace: Space on the company's row in
 * the companies grid → the frame after the panel painted its fields and every related group's
 * count (`kanso:panel-shown`). The first open of the tab loads and indexes the linking lists;
 * the figure is the opens after it, which look up the kept reverse link indexes.
 */
export async function measureRecordPanel(o: { prepared: PreparedWorkspace; appDir: string; reps: number; timeoutMs: number; onProgress: (m: string) => void }): Promise<RecordPanelResult> {
  const admin = o.prepared.members[0]!.token
  const token = o.prepared.members[1]!.token
  const dataDir = copyDataDir(o.prepared.templateDir)
  const relay = await startBenchRelay(dataDir, { distDir: o.appDir })
  const userDataDir = mkdtempSync(join(tmpdir(), 'kanso-bench-profile-'))
  const out: RecordPanelResult = { related: 0, firstOpenMs: NaN, openMs: [], contactsShown: '', errors: [] }
  try {
    for (const name of [SCHEMA_DOC, 'companies', 'contacts', 'deals', 'activities'].map((n) => (n === SCHEMA_DOC ? n : entityDocName(n)))) await warmRoom(relay.syncUrl, name, token)
    const context = await launchProfile(userDataDir)
    try {
      const page = context.pages()[0] ?? await context.newPage()
      await waitForBrowserIdle(userDataDir)
      const problems = watchProblems(page)
      await page.goto(`${relay.url}/companies#token=${token}`)
      if (await waitForMark(page, 'kanso:rows-shown:companies', o.timeoutMs) === null) throw new Error(`the companies grid did not show${problems.length ? `: ${problems.join('; ')}` : ''}`)
      const first = page.locator('.kanso-grid .ag-row[row-index="0"]').first()
      await first.waitFor({ timeout: o.timeoutMs })
      const company = (await first.getAttribute('row-id'))!
      const post = async (entity: string, body: Record<string, unknown>) => {
        let answer = await apiRequest(relay.url, 'POST', `/${entity}`, admin, body)
        // the set-up is one member writing as fast as it can: past the API's per-member rate limit
        // (a feature of the relay) it waits as long as the 429 asks and sends the record again
        for (let tries = 0; answer.status === 429 && tries < 20; tries++) {
          await new Promise((resolve) => setTimeout(resolve, (answer.retryAfterS ?? 1) * 1000))
          answer = await apiRequest(relay.url, 'POST', `/${entity}`, admin, body)
        }
        if (answer.status !== 201) throw new Error(`POST ${entity}: ${answer.status} ${answer.body.slice(0, 200)}`)
      }
      for (let i = 0; i < RELATED.contacts; i++) await post('contacts', { first_name: 'Panel', last_name: `Contact ${i}`, company })
      for (let i = 0; i < RELATED.deals; i++) await post('deals', { title: `Panel deal ${i}`, company })
      for (let i = 0; i < RELATED.activities; i++) await post('activities', { subject: `Panel call ${i}`, type: 'call', related_company: company })
      out.related = RELATED.contacts + RELATED.deals + RELATED.activities

      out.firstOpenMs = await spaceToPanel(page, company, o.timeoutMs)
      o.onProgress(`  first open (loads and indexes contacts, deals, activities): ${out.firstOpenMs.toFixed(0)} ms`)
      const contacts = page.locator('[data-testid="related-contacts"] [data-testid="related-count"]')
      // the API's writes reach the page through the relay: wait for all of them before timing
      await page.waitForFunction(`Number(document.querySelector('[data-testid="related-contacts"] [data-testid="related-count"]')?.textContent?.replace(/\\D/g, '')) >= ${RELATED.contacts}`, null, { timeout: o.timeoutMs, polling: 100 })
      out.contactsShown = (await contacts.textContent()) ?? ''
      for (let rep = 1; rep <= o.reps; rep++) {
        await page.keyboard.press('Escape')
        await page.locator('[data-testid="record-panel"]').waitFor({ state: 'detached', timeout: o.timeoutMs })
        try {
          const ms = await spaceToPanel(page, company, o.timeoutMs)
          out.openMs.push(ms)
          o.onProgress(`  open ${rep}/${o.reps}: ${ms.toFixed(1)} ms`)
        } catch (error) {
          out.errors.push(`repetition ${rep}: ${(error as Error).message}`)
        }
      }
      if (problems.length) out.errors.push(...problems.slice(0, 3))
    } finally {
      await context.close()
    }
  } finally {
    await relay.kill()
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(userDataDir, { recursive: true, force: true })
  }
  if (!out.openMs.length) throw new Error(out.errors[0] ?? 'no repetition')
  return out
}
