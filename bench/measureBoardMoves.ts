import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { entityDocName, SCHEMA_DOC } from '../src/crdt/docNames'
import { copyDataDir } from './copyDataDir'
import { measureRelayLatency, type MeasureRelayLatencyOptions } from './measureRelayLatency'
import { launchProfile, waitForMark, watchProblems } from './openPage'
import type { PreparedWorkspace } from './prepareWorkspace'
import { startBenchRelay } from './startRelayProcess'
import { percentile } from './summarize'
import { waitForBrowserIdle } from './waitForBrowserIdle'
import { warmRoom } from './warmRoom'

export interface BoardMovesResult {
  deals: number
  /** Clients editing the contacts document through the same relay meanwhile (B6's load). */
  busyClients: number
  /** Per repetition: a keyboard move on one board → the target column's count changed on the other board; p99 and p50. */
  p99Ms: number[]
  p50Ms: number[]
  moves: number
  /** Moves whose column never changed on the other board within the timeout. */
  missing: number
  errors: string[]
}

// Runs in the receiving page: resolves with the wall-clock time the column's count reads `expected`.
const WATCH_COUNT = `({ stage, expected, timeoutMs }) => new Promise((resolve) => {
  const column = document.querySelector('.kanso-board-column[data-stage-id="' + stage + '"]')
  const count = column && column.querySelector('[data-testid="column-count"]')
  if (!count) return resolve(null)
  const read = () => count.textContent.replace(/[^0-9]/g, '')
  const done = (v) => { observer.disconnect(); clearTimeout(timer); resolve(v) }
  const observer = new MutationObserver(() => { if (read() === String(expected)) done(performance.timeOrigin + performance.now()) })
  observer.observe(column, { subtree: true, childList: true, characterData: true })
  const timer = setTimeout(() => done(null), timeoutMs)
  if (read() === String(expected)) done(performance.timeOrigin + performance.now())
})`

// Runs in the sending page: moves the first card of a column one stage right, as Shift+→ does; the wall-clock time it was sent.
const MOVE_FIRST_CARD = `(stage) => {
  const card = document.querySelector('.kanso-board-column[data-stage-id="' + stage + '"] .kanso-board-card')
  if (!card) return null
  card.focus()
  const at = performance.timeOrigin + performance.now()
  card.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', shiftKey: true, bubbles: true }))
  return at
}`

const countOf = (page: Page, stage: string) =>
  page.locator(`.kanso-board-column[data-stage-id="${stage}"] [data-testid="column-count"]`).textContent().then((t) => Number((t ?? '').replace(/[^0-9]/g, '')))

async function openBoard(url: string, deals: number, timeoutMs: number): Promise<{ context: BrowserContext; page: Page; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'kanso-bench-profile-'))
  const context = await launchProfile(dir)
  const page = context.pages()[0] ?? await context.newPage()
  await waitForBrowserIdle(dir)
  const problems = watchProblems(page)
  await page.goto(url)
  if (await waitForMark(page, 'kanso:board-shown:deals', timeoutMs) === null) throw new Error(`the board did not show${problems.length ? `: ${problems.join('; ')}` : ''}`)
  // every deal is in (the count of all columns is the workspace's) before moves are timed
  await page.waitForFunction(`document.querySelector('[data-testid="board-count"]')?.textContent?.replace(/[^0-9]/g, '') === '${deals}'`, null, { timeout: timeoutMs, polling: 200 })
  // and the cards' company names and next activities are in (read once the cards are shown): moves are timed on a settled board
  for (const key of ['companies', 'activities']) {
    if (await waitForMark(page, `kanso:board-linked:${key}`, timeoutMs) === null) throw new Error(`the board did not read the ${key}`)
  }
  return { context, page, dir }
}

/**
 * B16: two members' boards on the 20k deals, in two browsers; one moves a card a stage on
 * (Shift+→, the keyboard move) and the other's target column shows it — while B6's clients edit
 * the contacts through the same relay. Moves go along the open stages, so no lost reason is asked.
 */
export async function measureBoardMoves(o: { prepared: PreparedWorkspace; appDir: string; reps: number; movesPerRep: number; timeoutMs: number;
  latency: Pick<MeasureRelayLatencyOptions, 'clients' | 'editIntervalMs' | 'roundMs'>; onProgress: (m: string) => void }): Promise<BoardMovesResult> {
  const p = o.prepared
  const out: BoardMovesResult = { deals: p.workspace.counts.deals, busyClients: o.latency.clients, p99Ms: [], p50Ms: [], moves: 0, missing: 0, errors: [] }
  const dataDir = copyDataDir(p.templateDir)
  const relay = await startBenchRelay(dataDir, { distDir: o.appDir })
  const opened: { context: BrowserContext; dir: string }[] = []
  try {
    for (const name of [SCHEMA_DOC, entityDocName('deals'), entityDocName('companies'), entityDocName('activities'), entityDocName('contacts')]) await warmRoom(relay.syncUrl, name, p.members[1]!.token)
    const a = await openBoard(`${relay.url}/deals/board?pipeline=sales#token=${p.members[1]!.token}`, out.deals, o.timeoutMs)
    opened.push(a)
    const b = await openBoard(`${relay.url}/deals/board?pipeline=sales#token=${p.members[2]!.token}`, out.deals, o.timeoutMs)
    opened.push(b)
    const stages = ['sales.new', 'sales.qualified', 'sales.proposal', 'sales.negotiation', 'sales.contract']
    // the 20 clients connect once and edit through every round (connecting 20 more per round
    // piled up connections on the relay until one could not sync)
    let startMoves!: () => void
    const started = new Promise<void>((resolve) => { startMoves = resolve })
    const busy = measureRelayLatency({
      syncUrl: relay.syncUrl, token: p.members[3]!.token, docName: entityDocName('contacts'), fieldId: p.workspace.contactFields.city,
      baseUpdate: p.workspace.editedContacts.update, ...o.latency, rounds: o.reps, roundMs: Math.max(o.latency.roundMs, o.movesPerRep * 400),
      beforeRounds: async () => { startMoves() },
    })
    await started
    for (let rep = 1; rep <= o.reps; rep++) {
      const times: number[] = []
      for (let i = 0; i < o.movesPerRep; i++) {
        const from = stages[i % (stages.length - 1)]!
        const to = stages[(i % (stages.length - 1)) + 1]!
        const expected = (await countOf(b.page, to)) + 1
        const seen = b.page.evaluate(`(${WATCH_COUNT})(${JSON.stringify({ stage: to, expected, timeoutMs: 5000 })})`) as Promise<number | null>
        const sent = await a.page.evaluate(`(${MOVE_FIRST_CARD})(${JSON.stringify(from)})`) as number | null
        const at = await seen
        out.moves++
        if (sent === null || at === null) { out.missing++; continue }
        times.push(at - sent)
        await a.page.waitForTimeout(150)
      }
      times.sort((x, y) => x - y)
      out.p99Ms.push(percentile(times, 0.99))
      out.p50Ms.push(percentile(times, 0.5))
      o.onProgress(`  round ${rep}/${o.reps}: ${times.length} moves, p50 ${percentile(times, 0.5).toFixed(0)} ms, p99 ${percentile(times, 0.99).toFixed(0)} ms${out.missing ? `, ${out.missing} never seen` : ''}`)
    }
    await busy
  } catch (error) {
    out.errors.push((error as Error).message)
    o.onProgress(`  failed: ${(error as Error).message}`)
  } finally {
    for (const { context, dir } of opened) {
      await context.close()
      rmSync(dir, { recursive: true, force: true })
    }
    await relay.kill()
    rmSync(dataDir, { recursive: true, force: true })
  }
  if (!out.p99Ms.length) throw new Error(out.errors[0] ?? 'no round')
  return out
}
