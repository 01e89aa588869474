import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { entityDocName, SCHEMA_DOC } from '../src/crdt/docNames'
import { copyDataDir } from './copyDataDir'
import { launchProfile, waitForMark, watchProblems } from './openPage'
import type { PreparedWorkspace } from './prepareWorkspace'
import { startBenchRelay } from './startRelayProcess'
import { waitForBrowserIdle } from './waitForBrowserIdle'
import { warmRoom } from './warmRoom'

export interface BoardOpenResult {
  deals: number
  /** Per repetition: a new profile's open of /deals → the grid's first rows shown (kanso:rows-shown:deals). */
  gridShownMs: number[]
  /** The same for /deals/board → the first cards painted (kanso:board-shown:deals). */
  boardShownMs: number[]
  /** Cards in the page once the board is complete (the columns render only those in sight). */
  cardsRendered: number[]
  errors: string[]
}

/** One new-profile open of `path`, until the performance mark `mark`; its time from navigation start. */
async function openUntil(url: string, mark: string, timeoutMs: number): Promise<{ ms: number; cards: number }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'kanso-bench-profile-'))
  const context = await launchProfile(userDataDir)
  try {
    const page = context.pages()[0] ?? await context.newPage()
    await waitForBrowserIdle(userDataDir)
    const problems = watchProblems(page)
    await page.goto(url)
    const ms = await waitForMark(page, mark, timeoutMs)
    if (ms === null) throw new Error(`no ${mark} within ${timeoutMs} ms${problems.length ? `: ${problems.join('; ')}` : ''}`)
    const cards = await page.locator('.kanso-board-card').count()
    return { ms, cards }
  } finally {
    await context.close()
    rmSync(userDataDir, { recursive: true, force: true })
  }
}

/**
 * B15: the board of the workspace's deals (all in the one pipeline) against the deals grid, each
 * opened in a new profile from a relay that has the documents loaded, alternating per repetition
 * so both see the same machine load.
 */
export async function measureBoardOpen(o: { prepared: PreparedWorkspace; appDir: string; reps: number; timeoutMs: number; onProgress: (m: string) => void }): Promise<BoardOpenResult> {
  const out: BoardOpenResult = { deals: o.prepared.workspace.counts.deals, gridShownMs: [], boardShownMs: [], cardsRendered: [], errors: [] }
  const token = o.prepared.members[1]!.token
  const dataDir = copyDataDir(o.prepared.templateDir)
  const relay = await startBenchRelay(dataDir, { distDir: o.appDir })
  try {
    for (const name of [SCHEMA_DOC, entityDocName('deals'), entityDocName('companies'), entityDocName('activities')]) await warmRoom(relay.syncUrl, name, token)
    for (let rep = 1; rep <= o.reps; rep++) {
      try {
        const grid = await openUntil(`${relay.url}/deals#token=${token}`, 'kanso:rows-shown:deals', o.timeoutMs)
        const board = await openUntil(`${relay.url}/deals/board#token=${token}`, 'kanso:board-shown:deals', o.timeoutMs)
        out.gridShownMs.push(grid.ms)
        out.boardShownMs.push(board.ms)
        out.cardsRendered.push(board.cards)
        o.onProgress(`  open ${rep}/${o.reps}: deals grid ${grid.ms.toFixed(0)} ms, board ${board.ms.toFixed(0)} ms (${(board.ms / grid.ms).toFixed(2)}×), ${board.cards} cards in the page`)
      } catch (error) {
        out.errors.push(`repetition ${rep}: ${(error as Error).message}`)
        o.onProgress(`  open ${rep}/${o.reps} failed: ${(error as Error).message}`)
      }
    }
  } finally {
    await relay.kill()
    rmSync(dataDir, { recursive: true, force: true })
  }
  if (!out.boardShownMs.length) throw new Error(out.errors[0] ?? 'no repetition')
  return out
}
