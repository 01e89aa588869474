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

export interface RecordHistoryResult {
  /** Edits written to the measured company. */
  edits: number
  /** History entries of the measured company (the generated workspace's records have none before). */
  entries: number
  /** The open panel asks the relay for the history → its timeline painted with it; each open a sample. */
  shownMs: number[]
  /** Space on the company's row → the same frame: the panel's own open (B18) and the history. */
  fromKeyMs: number[]
  /** GET …/history of the record from Node, without a page: the relay's own answer. */
  relayAnswerMs: number[]
  /** What the panel's history heading counted (a check that the edits were there). */
  countShown: string
  errors: string[]
}

const HISTORY_MARK = 'kanso:history-shown'
/** Edits written through the API before the opens, alternating two members over three fields. */
const EDITS = 1000

/**
 * Space on the focused row, then the panel's next kanso:history-shown mark: the time from the
 * panel's request (kanso:history-asked) and from the keydown.
 */
async function spaceToHistory(page: Page, rowId: string, timeoutMs: number): Promise<{ shown: number; fromKey: number; readMs: number; netMs: number; server: string }> {
  const marks = await page.evaluate(`performance.getEntriesByName(${JSON.stringify(HISTORY_MARK)}).length`) as number
  await page.locator(`.kanso-grid .ag-row[row-id="${rowId}"] .ag-cell[col-id="companies.industry"]`).click()
  await page.evaluate(`window.__kansoSpaceAt = null; addEventListener('keydown', (e) => { if (e.key === ' ') window.__kansoSpaceAt = e.timeStamp }, { capture: true, once: true })`)
  await page.keyboard.press('Space')
  await page.waitForFunction(`performance.getEntriesByName(${JSON.stringify(HISTORY_MARK)}).length > ${marks}`, null, { timeout: timeoutMs, polling: 20 })
  const [shown, fromKey, readMs, netMs, server] = await page.evaluate(`(() => {
    const shown = performance.getEntriesByName(${JSON.stringify(HISTORY_MARK)})[${marks}].startTime
    const asked = performance.getEntriesByName('kanso:history-asked').filter((m) => m.startTime >= window.__kansoSpaceAt)[0]?.startTime
    const read = performance.getEntriesByName('kanso:history-read').filter((m) => m.startTime >= asked)[0]?.startTime
    const net = performance.getEntriesByType('resource').filter((r) => r.name.includes('/history') && r.startTime >= asked)[0]
    return [shown - asked, shown - window.__kansoSpaceAt, read - asked, net ? net.responseEnd - asked : NaN, net ? net.serverTiming.map((t) => t.name + ' ' + t.duration.toFixed(1)).join(', ') + ' wait ' + (net.responseStart - net.requestStart).toFixed(1) : '']
  })()`) as [number, number, number, number, string]
  if (!Number.isFinite(shown) || !Number.isFinite(fromKey)) throw new Error('the keystroke or the history request was not seen by the page')
  return { shown, fromKey, readMs, netMs, server }
}

/**
 * B20: the history of a record with 1,000 edits (issue 15), on the generated workspace: a
 * company edited 1,000 times through the API by two members in turn (name, website, phone), then
 * Space on its row in the companies grid opens its record panel, which asks the relay for the
 * history (GET …/history: 1,000 entries from SQLite): the figure is that request → the frame
 * after the timeline painted them (grouped, the newest drawn); Space → that frame, which adds the
 * panel's own open (B18), is a context row. Every open reads the history again; the tab's first
 * open is one of the samples.
 */
export async function measureRecordHistory(o: { prepared: PreparedWorkspace; appDir: string; reps: number; timeoutMs: number; onProgress: (m: string) => void }): Promise<RecordHistoryResult> {
  const tokens = [o.prepared.members[0]!.token, o.prepared.members[1]!.token]
  const dataDir = copyDataDir(o.prepared.templateDir)
  const relay = await startBenchRelay(dataDir, { distDir: o.appDir })
  const userDataDir = mkdtempSync(join(tmpdir(), 'kanso-bench-profile-'))
  const out: RecordHistoryResult = { edits: EDITS, entries: 0, shownMs: [], fromKeyMs: [], relayAnswerMs: [], countShown: '', errors: [] }
  try {
    for (const name of [SCHEMA_DOC, 'companies'].map((n) => (n === SCHEMA_DOC ? n : entityDocName(n)))) await warmRoom(relay.syncUrl, name, tokens[1]!)
    const context = await launchProfile(userDataDir)
    try {
      const page = context.pages()[0] ?? await context.newPage()
      await waitForBrowserIdle(userDataDir)
      const problems = watchProblems(page)
      await page.goto(`${relay.url}/companies#token=${tokens[1]}`)
      if (await waitForMark(page, 'kanso:rows-shown:companies', o.timeoutMs) === null) throw new Error(`the companies grid did not show${problems.length ? `: ${problems.join('; ')}` : ''}`)
      const first = page.locator('.kanso-grid .ag-row[row-index="0"]').first()
      await first.waitFor({ timeout: o.timeoutMs })
      const company = (await first.getAttribute('row-id'))!
      const fields = ['name', 'website', 'phone'] as const
      for (let i = 0; i < EDITS; i++) {
        const field = fields[i % fields.length]!
        const value = field === 'name' ? `Company ${i}` : field === 'website' ? `https://c${i}.example` : `+4930${String(1000000 + i)}`
        let answer = await apiRequest(relay.url, 'PATCH', `/companies/${company}`, tokens[i % 2]!, { [field]: value })
        // the API's rate limit (50 requests per second per member): wait and send it again
        for (let tries = 0; answer.status === 429 && tries < 20; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 500))
          answer = await apiRequest(relay.url, 'PATCH', `/companies/${company}`, tokens[i % 2]!, { [field]: value })
        }
        if (answer.status !== 200) throw new Error(`PATCH companies: ${answer.status} ${answer.body.slice(0, 200)}`)
      }
      let history = await apiRequest(relay.url, 'GET', `/companies/${company}/history?limit=10000`, tokens[0]!)
      for (let tries = 0; history.status === 429 && tries < 20; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 500))
        history = await apiRequest(relay.url, 'GET', `/companies/${company}/history?limit=10000`, tokens[0]!)
      }
      if (history.status !== 200) throw new Error(`GET …/history: ${history.status} ${history.body.slice(0, 200)}`)
      out.entries = (JSON.parse(history.body) as { data: unknown[] }).data.length
      const direct: number[] = []
      for (let k = 0; k < 5; k++) direct.push((await apiRequest(relay.url, 'GET', `/companies/${company}/history`, tokens[1]!)).ms)
      out.relayAnswerMs = direct
      o.onProgress(`  ${EDITS} edits written; the company's history holds ${out.entries} entries; GET …/history from Node: ${direct.map((ms) => ms.toFixed(1)).join(', ')} ms`)
      // the edits reach the page through the relay: wait for the last one before timing
      await page.waitForFunction(`document.querySelector('.kanso-grid .ag-row[row-id="${company}"] .ag-cell[col-id="companies.name"]')?.textContent?.includes('Company ${EDITS - (EDITS % 3 === 0 ? 3 : EDITS % 3)}')`, null, { timeout: o.timeoutMs, polling: 100 })
      for (let rep = 1; rep <= o.reps; rep++) {
        try {
          const { shown, fromKey, readMs, netMs, server } = await spaceToHistory(page, company, o.timeoutMs)
          out.shownMs.push(shown)
          out.fromKeyMs.push(fromKey)
          o.onProgress(`  open ${rep}/${o.reps}: history asked → painted ${shown.toFixed(1)} ms, of which the relay's answer read ${readMs.toFixed(1)} ms (on the network ${netMs.toFixed(1)} ms: ${server}) (Space → painted ${fromKey.toFixed(1)} ms)`)
          out.countShown = (await page.locator('[data-testid="record-history"] .kanso-related-count').textContent()) ?? ''
        } catch (error) {
          out.errors.push(`repetition ${rep}: ${(error as Error).message}`)
        }
        await page.keyboard.press('Escape')
        await page.locator('[data-testid="record-panel"]').waitFor({ state: 'detached', timeout: o.timeoutMs })
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
  if (!out.shownMs.length) throw new Error(out.errors[0] ?? 'no repetition')
  return out
}
