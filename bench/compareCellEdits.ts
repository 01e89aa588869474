// `npx tsx bench/compareCellEdits.ts --builds <dir>,<dir>[,…] [--rounds N] [--edits N] [--quick] [--profile <dir>]`
//
// B5's keyboard edits (measureOpen's timeCellEdits, the same in-page timer) on several builds of
// the app, in alternating rounds on one generated workspace: a before/after of the commit
// keystroke on this shared machine, whose load moves B5 more than most changes do. Build each
// version with `npx vite build --outDir <dir>`. Per build: a relay over its own copy of the
// seeded data, serving that build, and a browser profile opened once from the relay (unmeasured);
// each round then reopens the profile (the stored open, as B5's), waits until the contacts
// document has loaded and synced, freezes the relay, makes the edits and prints B5 and its parts.
// Rounds alternate the order of the builds (A B, B A, …). Not part of `npm run bench`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { parseArgs } from 'node:util'
import type { BrowserContext, Page } from 'playwright-core'
import { SCHEMA_DOC, entityDocName } from '../src/crdt/docNames'
import { cellEditP95 } from './budgets'
import { copyDataDir } from './copyDataDir'
import type { CellEditSample } from './editCells'
import { BUDGET_WORKSPACE, QUICK_WORKSPACE } from './generateWorkspace'
import { timeCellEdits } from './measureOpen'
import { launchProfile, waitForMark } from './openPage'
import { prepareWorkspace } from './prepareWorkspace'
import { startBenchRelay, type RelayProcess } from './startRelayProcess'
import { percentile, summarize } from './summarize'
import { waitForBrowserIdle } from './waitForBrowserIdle'
import { warmRoom } from './warmRoom'

const HELP = `npx tsx bench/compareCellEdits.ts --builds <dir>,<dir> [--rounds 5] [--edits 20] [--quick] [--profile <dir>]
  --builds   app builds to compare (npx vite build --outDir <dir>), in the first round's order
  --rounds   rounds per build (default 5)
  --edits    keyboard edits per round (default 20, as B5)
  --quick    the 10k-record workspace instead of the 100k one
  --profile  write each round's CPU profile of the page over its edits to <dir>/<build>-<round>.cpuprofile`

interface Setup { build: string; relay: RelayProcess; dataDir: string; profileDir: string }
interface Round { b5: number; taskP95: number; taskP50: number; renderP95: number; renderP50: number; load: number }

const p = (values: number[], q: number) => percentile([...values].sort((a, b) => a - b), q)
const fmt = (ms: number) => ms.toFixed(1)

/** B5's parts over one round's edits (an edit whose value never showed counts as ∞). */
function roundOf(samples: CellEditSample[]): Round {
  const task = samples.map((s) => s.changedMs ?? Infinity)
  const render = samples.map((s) => (s.frameMs === null || s.paintedMs === null ? Infinity : s.paintedMs - s.frameMs))
  return { b5: cellEditP95(samples), taskP95: p(task, 0.95), taskP50: p(task, 0.5), renderP95: p(render, 0.95), renderP50: p(render, 0.5), load: loadavg()[0]! }
}

async function openContacts(context: BrowserContext, s: Setup, token: string): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage())
  await page.goto(`${s.relay.url}/contacts#token=${encodeURIComponent(token)}`, { waitUntil: 'commit' })
  if ((await waitForMark(page, 'kanso:doc-loaded:contacts', 120_000)) === null) throw new Error(`${s.build}: the contacts document did not load within 120 s`)
  await page.waitForFunction('window.__kansoOpen.syncedAt !== null', null, { timeout: 60_000, polling: 100 })
  return page
}

/** One browser launch on the build's profile: `use` runs once the browser's own start-up work is done. */
async function inBrowser<T>(s: Setup, use: (context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await launchProfile(s.profileDir)
  try {
    await waitForBrowserIdle(s.profileDir)
    return await use(context)
  } finally {
    await context.close()
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { builds: { type: 'string' }, rounds: { type: 'string' }, edits: { type: 'string' }, quick: { type: 'boolean' }, profile: { type: 'string' }, help: { type: 'boolean', short: 'h' } } })
  if (values.help || !values.builds) { console.log(HELP); return }
  const builds = values.builds.split(',').filter(Boolean)
  const rounds = Number(values.rounds ?? 5)
  const edits = Number(values.edits ?? 20)
  if (values.profile) mkdirSync(values.profile, { recursive: true })
  const prepared = prepareWorkspace(values.quick ? QUICK_WORKSPACE : BUDGET_WORKSPACE, (m) => console.log(m))
  const token = prepared.members[1]!.token
  const setups: Setup[] = []
  const results = new Map<string, Round[]>()
  try {
    for (const build of builds) {
      const dataDir = copyDataDir(prepared.templateDir)
      const relay = await startBenchRelay(dataDir, { distDir: build })
      setups.push({ build, relay, dataDir, profileDir: mkdtempSync(join(tmpdir(), 'kanso-compare-')) })
      for (const name of [SCHEMA_DOC, entityDocName('contacts'), entityDocName('companies')]) await warmRoom(relay.syncUrl, name, token)
      // the first open fills the profile from the relay; the rounds are stored opens, as B5's
      // (the app writes its row snapshot 2 s after the last change)
      await inBrowser(setups.at(-1)!, async (context) => (await openContacts(context, setups.at(-1)!, token)).waitForTimeout(4000))
      results.set(build, [])
    }
    for (let round = 1; round <= rounds; round++) {
      for (const s of round % 2 ? setups : [...setups].reverse()) {
        const samples = await inBrowser(s, async (context) => {
          const page = await openContacts(context, s, token)
          // frozen while the edits are made, as in the bench (its work would share the 2 cores)
          s.relay.pause()
          try {
            const cdp = values.profile ? await context.newCDPSession(page) : null
            await cdp?.send('Profiler.enable')
            await cdp?.send('Profiler.start')
            const made = await timeCellEdits(page, edits, `c${round}`)
            if (cdp) writeFileSync(join(values.profile!, `${basename(s.build)}-${round}.cpuprofile`), JSON.stringify((await cdp.send('Profiler.stop')).profile))
            return made
          } finally {
            // (SIGCONT: the relay syncs the edits before the next round's open)
            process.kill(s.relay.pid, 'SIGCONT')
          }
        })
        const r = roundOf(samples)
        results.get(s.build)!.push(r)
        console.log(`round ${round} ${s.build}: B5 ${fmt(r.b5)} ms; task p95 ${fmt(r.taskP95)} (p50 ${fmt(r.taskP50)}), rendering p95 ${fmt(r.renderP95)} (p50 ${fmt(r.renderP50)}); load ${r.load.toFixed(1)}`)
      }
    }
  } finally {
    for (const s of setups) {
      await s.relay.kill()
      rmSync(s.dataDir, { recursive: true, force: true })
      rmSync(s.profileDir, { recursive: true, force: true })
    }
    prepared.remove()
  }
  const line = (values: number[]) => { const m = summarize(values); return `${fmt(m.median)} (${fmt(m.min)}–${fmt(m.max)})` }
  for (const [build, rs] of results) {
    console.log(`${build}: B5 ${line(rs.map((r) => r.b5))} ms; task p95 ${line(rs.map((r) => r.taskP95))}, p50 ${line(rs.map((r) => r.taskP50))}; rendering p95 ${line(rs.map((r) => r.renderP95))}, p50 ${line(rs.map((r) => r.renderP50))}; load ${rs.map((r) => r.load.toFixed(1)).join(', ')}`)
  }
}

main().then(() => process.exit(0), (error: unknown) => { console.error(error); process.exit(1) })
