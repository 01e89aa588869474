import { defaultSchema } from '../src/domain/defaultSchema'
import { defaultPipeline } from '../src/domain/pipelines/pipeline'
import { SALES_DASHBOARD } from '../src/domain/reports/savedReport'
import type { Row, WorkspaceSchema } from '../src/domain/schema'
import { seededRandom } from '../src/domain/seededRandom'
import type { ReportRows } from '../src/ui/reports/makeReportRows'
import { findReport, runAnyReport, type AnyReport, type RunContext } from '../src/ui/reports/reportRunner'
import type { GeneratedWorkspace } from './generateWorkspace'
import { withStageHistory } from './measureReports'

export interface DashboardBenchResult {
  deals: number
  activities: number
  tiles: number
  /** Tiles that count deals: those a deal edit runs again. */
  dealTiles: number
  edits: number
  /** Per repetition: the p95 of the edits' update times, in ms (B25). */
  p95Ms: number[]
  /** Per repetition: the median. */
  medianMs: number[]
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!

/**
 * B25 (issue 17): the sales dashboard (6 reports) after a teammate's edit of a deal, in Node —
 * what the reports screen does on the page when a patch arrives: the deals' rows copied out of
 * the list's store once (makeReportRows: marked stale by the patch, copied when first asked), then
 * every tile that counts deals run again through the same reportRunner (engine, funnel and the
 * table/chart model); the activities tile does not depend on deals and is not run again, as on
 * the page. Chart.js redrawing the canvases is not in this figure. Each edit moves a deal to
 * another stage (a new stage change entry, as the app writes it) or changes its amount.
 */
export function measureDashboard(o: { workspace: GeneratedWorkspace; reps: number; edits: number }): DashboardBenchResult {
  const w = o.workspace
  const r = seededRandom(25)
  const byId = {
    deals: new Map((JSON.parse(w.rowsJson.deals) as Row[]).map((row) => { const h = withStageHistory(row, r).row; return [h.id, h] })),
    activities: new Map((JSON.parse(w.rowsJson.activities) as Row[]).map((row) => [row.id, row])),
    leads: new Map<string, Row>(),
  }
  const leads = defaultSchema().entities.find((e) => e.id === 'leads')!
  const schema: WorkspaceSchema = {
    entities: [w.entities.deals, w.entities.activities, leads],
    pipelines: [defaultPipeline()],
    workspace: { timeZone: 'Europe/Berlin', reportCurrency: 'EUR', currencyRates: { USD: 0.92, GBP: 1.17, CHF: 1.05, JPY: 0.0061 } },
  }
  // makeReportRows' rule: a patch marks the entity stale; its rows are copied once, when asked
  const stale = new Set<string>(Object.keys(byId))
  const copies = new Map<string, Row[]>()
  const rows: ReportRows = {
    rows(entityId) {
      if (stale.has(entityId)) {
        copies.set(entityId, [...byId[entityId as keyof typeof byId].values()])
        stale.delete(entityId)
      }
      return copies.get(entityId) ?? []
    },
    ready: () => true,
    destroy: () => undefined,
  }
  const run: RunContext = { schema, rows, memberId: 'bench', memberName: () => undefined }
  const tiles = SALES_DASHBOARD.tiles.map((t) => findReport(schema, t.report, 'bench')!)
  const countsDeals = (t: AnyReport) => ('saved' in t ? t.saved.definition.entity : t.ready.kind === 'funnel' ? 'deals' : t.ready.definition.entity) === 'deals'
  const dealTiles = tiles.filter(countsDeals)
  for (const t of tiles) runAnyReport(t, run)

  const ids = [...byId.deals.keys()]
  const steps = defaultPipeline().stages
  const edit = (n: number) => {
    const id = ids[r.int(0, ids.length - 1)]!
    const row = byId.deals.get(id)!
    const values: Record<string, unknown> = { ...row.values }
    if (n % 2 === 0) {
      const to = steps[r.int(0, steps.length - 1)]!.id
      values[`stage@e${n}`] = { from: values['deals.stage'] ?? null, to, at: new Date().toISOString(), by: 'teammate' }
      values['deals.stage'] = to
    } else {
      values['deals.amount'] = { amount: r.int(100, 500_000) * 100, currency: 'EUR' }
    }
    byId.deals.set(id, { ...row, values: values as Row['values'] })
    stale.add('deals')
  }
  const update = () => { for (const t of dealTiles) runAnyReport(t, run) }
  // warm-up: the first runs are interpreted
  for (let i = 0; i < 10; i++) { edit(-1 - i); update() }

  const p95Ms: number[] = []
  const medianMs: number[] = []
  for (let rep = 0; rep < o.reps; rep++) {
    const times: number[] = []
    for (let i = 0; i < o.edits; i++) {
      edit(rep * o.edits + i)
      const t0 = performance.now()
      update()
      times.push(performance.now() - t0)
    }
    p95Ms.push(percentile(times, 0.95))
    medianMs.push(percentile(times, 0.5))
  }
  return { deals: byId.deals.size, activities: byId.activities.size, tiles: tiles.length, dealTiles: dealTiles.length, edits: o.edits, p95Ms, medianMs }
}
