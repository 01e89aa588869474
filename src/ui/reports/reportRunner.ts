import { runFunnel, type FunnelQuery } from '../../domain/reports/funnel'
import { readyReport, runReadyReport, type ReadyReport, type ReportChart, type ReportSource } from '../../domain/reports/readyReports'
import type { ReportDefinition } from '../../domain/reports/reportDefinition'
import { reportFields } from '../../domain/reports/reportFields'
import { runReport } from '../../domain/reports/runReport'
import type { SavedReport } from '../../domain/reports/savedReport'
import { workspaceReportSettings } from '../../domain/reports/workspaceReportSettings'
import type { EntityDef, WorkspaceSchema } from '../../domain/schema'
import { canSeeView } from '../../domain/views/savedView'
import type { ReportRows } from './makeReportRows'
import { engineReportView, funnelReportView, type ReportView } from './reportView'

/** A report the screen may show: a ready-made one or a saved one. */
export type AnyReport = { ready: ReadyReport } | { saved: SavedReport }

export const reportIdOf = (r: AnyReport) => ('ready' in r ? r.ready.id : r.saved.id)
export const reportNameOf = (r: AnyReport) => ('ready' in r ? r.ready.name : r.saved.name)
export const reportChartOf = (r: AnyReport): ReportChart => ('ready' in r ? r.ready.chart : r.saved.chart)

/** The report an id names for this member: ready-made, or saved and theirs to see. */
export function findReport(schema: WorkspaceSchema, id: string, memberId: string): AnyReport | undefined {
  const ready = readyReport(id)
  if (ready) return { ready }
  const saved = (schema.reports ?? []).find((r) => r.id === id && canSeeView(r, memberId))
  return saved && { saved }
}

export interface RunContext {
  schema: WorkspaceSchema
  rows: ReportRows
  memberId: string
  memberName: (id: string) => string | undefined
}

/** What the engine runs on, from the rows on this device; `recordIds`: keep the records behind each row (for a click that lists them). */
export function reportSource(c: RunContext, recordIds = false): ReportSource {
  const source = {
    ...workspaceReportSettings(c.schema),
    pipelines: c.schema.pipelines ?? [],
    memberId: c.memberId,
    now: new Date(),
    memberName: c.memberName,
    recordIds,
    entity: (id: string) => {
      const entity = c.schema.entities.find((e) => e.id === id || e.key === id)
      return entity ? { entity, rows: c.rows.rows(entity.id) } : undefined
    },
  }
  return source
}

/** The entity a report definition counts. */
export function entityOf(schema: WorkspaceSchema, id: string): EntityDef | undefined {
  return schema.entities.find((e) => e.id === id || e.key === id)
}

/** The records behind bars and rows, from a second run that keeps them, made on the first click. */
function withRecords(view: ReportView, keeping: () => ReportView): ReportView {
  let full: ReportView | undefined
  const kept = () => (full ??= keeping())
  return { ...view, records: { ofBar: (s, i) => kept().chart.series[s]?.recordIds[i] ?? [], ofRow: (i) => kept().rows[i]?.recordIds ?? [] } }
}

function runDefinitionOnce(def: ReportDefinition, chart: ReportChart, c: RunContext, recordIds: boolean): ReportView {
  const source = reportSource(c, recordIds)
  const data = source.entity(def.entity)
  if (!data) throw new Error(`There is no list "${def.entity}" any more`)
  const ctx = { ...source, entity: data.entity }
  return engineReportView(def, runReport(def, data.rows, ctx), chart, reportFields(data.entity, ctx))
}

/** Runs a definition (the builder's, a saved report's) into what the screen shows; throws ReportError naming what does not fit. */
export function runDefinition(def: ReportDefinition, chart: ReportChart, c: RunContext): ReportView {
  return withRecords(runDefinitionOnce(def, chart, c, false), () => runDefinitionOnce(def, chart, c, true))
}

function runReadyOnce(report: ReadyReport, c: RunContext, funnel: FunnelQuery, keep: boolean): ReportView {
  const source = reportSource(c, keep)
  if (report.kind === 'funnel') {
    const deals = source.entity('deals')
    if (!deals) throw new Error('The workspace has no deals list')
    return funnelReportView(runFunnel({ ...funnel, withDeals: keep }, deals.rows, { ...source, entity: deals.entity }), report.chart)
  }
  const ran = runReadyReport(report, source)
  if (ran.kind !== 'engine') throw new Error(`${report.name} is not an engine report`)
  return engineReportView(ran.definition, ran.result, report.chart, reportFields(source.entity(ran.definition.entity)!.entity, source))
}

/** Runs any report; `funnel` chooses the funnel's pipeline, period and filters. */
export function runAnyReport(report: AnyReport, c: RunContext, funnel: FunnelQuery = {}): ReportView {
  if ('saved' in report) return runDefinition({ ...report.saved.definition, id: report.saved.id, name: report.saved.name }, report.saved.chart, c)
  return withRecords(runReadyOnce(report.ready, c, funnel, false), () => runReadyOnce(report.ready, c, funnel, true))
}

type Ran = { view: ReportView } | { error: string }
export const viewOf = (r: Ran) => ('view' in r ? r.view : null)
export const errorOf = (r: Ran) => ('error' in r ? r.error : null)

/** A report's figures, or why it cannot run (a field it counts was removed). */
export function tryRun(run: () => ReportView): Ran {
  try {
    return { view: run() }
  } catch (error) {
    // shown where the chart would be: the report names the field or list it misses
    return { error: error instanceof Error ? error.message : String(error) }
  }
}
