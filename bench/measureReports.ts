import { defaultSchema } from '../src/domain/defaultSchema'
import { defaultPipeline } from '../src/domain/pipelines/pipeline'
import { READY_REPORTS, runReadyReport, type ReportSource } from '../src/domain/reports/readyReports'
import { forgetRowFacts, forgetRowReadings } from '../src/domain/reports/rowFacts'
import type { EntityDef, Row } from '../src/domain/schema'
import { seededRandom, type SeededRandom } from '../src/domain/seededRandom'
import type { GeneratedWorkspace } from './generateWorkspace'
import { dealValues } from './recordValues'

export interface ReportsBenchResult {
  deals: number
  activities: number
  /** Deals given a stage history in memory (the generated documents have none: see below). */
  stageChanges: number
  /**
   * Per repetition: the slowest of the funnel and the ready-made reports' FIRST runs over the
   * workspace (each its median of 3, no report key's facts kept before each: a first click, a
   * change in the builder; the deals' readings, shared by every report, kept from the reports
   * run before, as once any report has run on the rows), in ms (B23).
   */
  workspaceSlowestMs: number[]
  /** Per repetition: the slowest first run of a deals report (funnel and every ready-made deals report) over 100k deals, in ms (B24). */
  bigSlowestMs: number[]
  /** The last repetition's median first run per report, over the workspace and over 100k deals. */
  perReportMs: Record<string, number>
  bigPerReportMs: Record<string, number>
  /** The same first runs' process CPU time (user + system, GC threads included): what they cost on a machine shared with other work. */
  workspaceSlowestCpuMs: number[]
  bigSlowestCpuMs: number[]
  /** The last repetition's median first-run CPU time per report over 100k deals. */
  bigPerReportCpuMs: Record<string, number>
  /**
   * Cold: nothing kept at all, the deals' readings included (the first report after the rows
   * arrive, before any report read them): wall and CPU time of the slowest per repetition, and
   * the last repetition's median CPU time per report over 100k deals.
   */
  workspaceColdSlowestMs: number[]
  bigColdSlowestMs: number[]
  workspaceColdSlowestCpuMs: number[]
  bigColdSlowestCpuMs: number[]
  bigColdPerReportCpuMs: Record<string, number>
  /** The same with each row's facts kept from the run before (a report run again with nothing changed): informative. */
  workspaceWarmSlowestMs: number[]
  bigWarmSlowestMs: number[]
  warmPerReportMs: Record<string, number>
  bigWarmPerReportMs: Record<string, number>
  bigDeals: number
  /** The very first funnel over the workspace and over 100k deals: code not yet optimized, zone offsets not yet looked up. */
  firstFunnelMs: number
  firstBigFunnelMs: number
}

const DAY_MS = 86_400_000
const STAGES = defaultPipeline().stages
const STEPS = STAGES.filter((s) => s.kind !== 'lost')
const LOST = STAGES.find((s) => s.kind === 'lost')!

/**
 * The deal with a stage history that ends in its current stage, as the app would have written it
 * (`stage@<id>` entries, 1–20 days apart): created in New, moved up the steps, a lost deal lost
 * from the step it had reached. The bench workspace's documents hold none, and adding them there
 * would change every other figure's documents, so the reports bench adds them to its rows.
 */
export function withStageHistory(row: Row, r: SeededRandom): { row: Row; changes: number } {
  const stage = row.values['deals.stage']
  const target = STAGES.findIndex((s) => s.id === stage)
  if (target < 0) return { row, changes: 0 }
  const values: Record<string, unknown> = { ...row.values }
  let at = Date.parse(row.createdAt)
  let from: string | null = null
  let changes = 0
  const move = (to: string) => {
    values[`stage@h${changes}`] = { from, to, at: new Date(at).toISOString(), by: row.createdBy }
    from = to
    changes++
    at += r.int(1, 20) * DAY_MS + r.int(0, 86_399) * 1000
  }
  const lost = STAGES[target]!.kind === 'lost'
  const last = lost ? r.int(0, STEPS.length - 2) : target
  for (let i = 0; i <= last; i++) if (i === 0 || i === last || r.next() < 0.8) move(STEPS[i]!.id)
  if (lost) move(LOST.id)
  return { row: { ...row, values: values as Row['values'] }, changes }
}

function timeOf(run: () => unknown): number {
  const t0 = performance.now()
  run()
  return performance.now() - t0
}

/** A run's wall time and this process's CPU time, in ms. */
function costOf(run: () => unknown): { ms: number; cpuMs: number } {
  const cpu0 = process.cpuUsage()
  const ms = timeOf(run)
  const cpu = process.cpuUsage(cpu0)
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000 }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!

/** The slowest report of a run's medians, named. */
export function slowestReport(perReportMs: Readonly<Record<string, number>>): { id: string; ms: number } | null {
  let worst: { id: string; ms: number } | null = null
  for (const [id, ms] of Object.entries(perReportMs)) if (!worst || ms > worst.ms) worst = { id, ms }
  return worst
}

/**
 * Each report's median of `runs` runs; the slowest of them. A first run keeps no report key's
 * facts from the runs before (forgetRowFacts: what a member waits for on the first click and
 * after each change in the builder) but finds the deals' readings the reports before it made; a
 * cold one keeps nothing at all (forgetRowReadings too: the first report after the rows arrive);
 * a warm one finds every row's facts kept.
 */
function slowest(reports: typeof READY_REPORTS, source: ReportSource, runs: number, into: Record<string, number>, mode: 'first' | 'cold' | 'warm',
  cpuInto: Record<string, number> = {}): { ms: number; cpuMs: number } {
  let worst = 0, worstCpu = 0
  for (const report of reports) {
    runReadyReport(report, source, { pipeline: 'sales' })
    const costs = Array.from({ length: runs }, () => {
      if (mode !== 'warm') forgetRowFacts()
      if (mode === 'cold') forgetRowReadings()
      return costOf(() => runReadyReport(report, source, { pipeline: 'sales' }))
    })
    const ms = median(costs.map((c) => c.ms))
    const cpuMs = median(costs.map((c) => c.cpuMs))
    into[report.id] = ms
    cpuInto[report.id] = cpuMs
    worst = Math.max(worst, ms)
    worstCpu = Math.max(worstCpu, cpuMs)
  }
  return { ms: worst, cpuMs: worstCpu }
}

/**
 * B23 and B24 (issue 17): the funnel and every ready-made report in this Node process over the
 * bench workspace's deals (20k, each given a stage history) and activities (40k) — the engine the
 * app runs over the rows on the device and the relay over its entity copies — and the deals
 * reports over 100k generated deals. The workspace has no leads: lead sources runs over none.
 * Berlin time, rates for every currency the generator uses, "now" mid-2026 so the workspace's
 * dates fall inside the reports' periods.
 */
export function measureReports(o: { workspace: GeneratedWorkspace; reps: number; bigDeals: number }): ReportsBenchResult {
  const w = o.workspace
  const r = seededRandom(23)
  let stageChanges = 0
  const deals = (JSON.parse(w.rowsJson.deals) as Row[]).map((row) => {
    const h = withStageHistory(row, r)
    stageChanges += h.changes
    return h.row
  })
  const activities = JSON.parse(w.rowsJson.activities) as Row[]
  const leads = defaultSchema().entities.find((e) => e.id === 'leads')!
  const entities: Record<string, { entity: EntityDef; rows: Row[] }> = {
    deals: { entity: w.entities.deals, rows: deals },
    activities: { entity: w.entities.activities, rows: activities },
    leads: { entity: leads, rows: [] },
  }
  const source = (rows: Record<string, { entity: EntityDef; rows: Row[] }>): ReportSource => ({
    pipelines: [defaultPipeline()], timeZone: 'Europe/Berlin', memberId: 'bench', now: new Date('2026-06-15T12:00:00Z'),
    rates: { currency: 'EUR', rates: { USD: 0.92, GBP: 1.17, CHF: 1.05, JPY: 0.0061 } },
    entity: (id) => rows[id],
  })
  const workspaceSource = source(entities)

  const bigRandom = seededRandom(24)
  const owners = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8']
  const base = Date.UTC(2025, 0, 1)
  const bigRows: Row[] = Array.from({ length: o.bigDeals }, (_, i) => withStageHistory({
    id: `deal${i}`, createdAt: new Date(base + Math.floor((i / o.bigDeals) * 540 * DAY_MS)).toISOString(), createdBy: 'u1',
    values: dealValues(i, ['c1', 'c2', 'c3'], ['p1', 'p2', 'p3'], owners, bigRandom),
  }, bigRandom).row)
  const bigSource = source({ ...entities, deals: { entity: w.entities.deals, rows: bigRows } })
  const dealReports = READY_REPORTS.filter((rep) => rep.kind === 'funnel' || rep.definition.entity === 'deals')

  const firstFunnelMs = timeOf(() => runReadyReport(READY_REPORTS[0]!, workspaceSource, { pipeline: 'sales' }))
  const firstBigFunnelMs = timeOf(() => runReadyReport(READY_REPORTS[0]!, bigSource, { pipeline: 'sales' }))
  // warm-up: the first runs are interpreted
  slowest(READY_REPORTS, workspaceSource, 2, {}, 'cold')
  slowest(dealReports, bigSource, 2, {}, 'cold')
  const workspaceSlowestMs: number[] = [], bigSlowestMs: number[] = [], workspaceWarmSlowestMs: number[] = [], bigWarmSlowestMs: number[] = []
  const workspaceSlowestCpuMs: number[] = [], bigSlowestCpuMs: number[] = []
  const workspaceColdSlowestMs: number[] = [], bigColdSlowestMs: number[] = [], workspaceColdSlowestCpuMs: number[] = [], bigColdSlowestCpuMs: number[] = []
  const bigPerReportCpuMs: Record<string, number> = {}, bigColdPerReportCpuMs: Record<string, number> = {}
  const perReportMs: Record<string, number> = {}, bigPerReportMs: Record<string, number> = {}, warmPerReportMs: Record<string, number> = {}, bigWarmPerReportMs: Record<string, number> = {}
  for (let rep = 0; rep < o.reps; rep++) {
    const workspace = slowest(READY_REPORTS, workspaceSource, 3, perReportMs, 'first')
    const big = slowest(dealReports, bigSource, 3, bigPerReportMs, 'first', bigPerReportCpuMs)
    workspaceSlowestMs.push(workspace.ms)
    workspaceSlowestCpuMs.push(workspace.cpuMs)
    bigSlowestMs.push(big.ms)
    bigSlowestCpuMs.push(big.cpuMs)
    const workspaceCold = slowest(READY_REPORTS, workspaceSource, 3, {}, 'cold')
    const bigCold = slowest(dealReports, bigSource, 3, {}, 'cold', bigColdPerReportCpuMs)
    workspaceColdSlowestMs.push(workspaceCold.ms)
    workspaceColdSlowestCpuMs.push(workspaceCold.cpuMs)
    bigColdSlowestMs.push(bigCold.ms)
    bigColdSlowestCpuMs.push(bigCold.cpuMs)
    workspaceWarmSlowestMs.push(slowest(READY_REPORTS, workspaceSource, 3, warmPerReportMs, 'warm').ms)
    bigWarmSlowestMs.push(slowest(dealReports, bigSource, 3, bigWarmPerReportMs, 'warm').ms)
  }
  const funnel = runReadyReport(READY_REPORTS[0]!, workspaceSource, { pipeline: 'sales' })
  if (funnel.kind !== 'funnel' || funnel.funnel.deals === 0) throw new Error('the funnel counted no deals')
  return {
    deals: deals.length, activities: activities.length, stageChanges, workspaceSlowestMs, bigSlowestMs, perReportMs, bigPerReportMs,
    workspaceSlowestCpuMs, bigSlowestCpuMs, bigPerReportCpuMs, workspaceColdSlowestMs, bigColdSlowestMs, workspaceColdSlowestCpuMs, bigColdSlowestCpuMs, bigColdPerReportCpuMs, workspaceWarmSlowestMs, bigWarmSlowestMs, warmPerReportMs, bigWarmPerReportMs, bigDeals: o.bigDeals, firstFunnelMs, firstBigFunnelMs,
  }
}
