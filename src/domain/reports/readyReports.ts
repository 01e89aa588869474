import type { EntityDef, Row } from '../schema'
import type { ViewCondition } from '../views/savedView'
import type { CurrencyRates } from './currencyRates'
import { runFunnel, type Funnel, type FunnelQuery } from './funnel'
import type { ReportDefinition } from './reportDefinition'
import { CLOSED_AT, CREATED_AT, PROBABILITY, STAGE_KIND, type ReportFieldContext } from './reportFields'
import { runReport } from './runReport'
import type { ReportResult } from './reportDefinition'

/** How a report is drawn by default (the builder may change it). */
export type ReportChart = 'funnel' | 'bar' | 'stackedBar' | 'line' | 'doughnut' | 'table'

/**
 * A report every workspace has from the first minute, one click each (issue 17). Most are
 * engine definitions over the default entities' fixed field ids; the sales funnel and the time
 * in stage are the pipeline's funnel.
 */
export type ReadyReport = { id: string; name: string; chart: ReportChart } & (
  | { kind: 'engine'; definition: ReportDefinition }
  | { kind: 'funnel' })

const won: ViewCondition = { field: STAGE_KIND, op: 'equals', value: 'won' }
const closed: ViewCondition = { field: STAGE_KIND, op: 'equals', value: ['won', 'lost'] }
const open: ViewCondition = { field: STAGE_KIND, op: 'equals', value: 'open' }

const engine = (id: string, name: string, chart: ReportChart, def: Omit<ReportDefinition, 'id' | 'name'>): ReadyReport =>
  ({ id, name, chart, kind: 'engine', definition: { id, name, ...def } })

export const READY_REPORTS: readonly ReadyReport[] = [
  { id: 'sales_funnel', name: 'Sales funnel', chart: 'funnel', kind: 'funnel' },
  engine('win_rate_by_owner', 'Win rate by owner', 'bar', {
    entity: 'deals', filters: [closed], groups: [{ field: 'deals.owner' }],
    measures: [
      { key: 'win_rate', label: 'Win rate', op: 'rate', where: [won] },
      { key: 'won', label: 'Won', op: 'count', where: [won] },
      { key: 'closed', label: 'Closed', op: 'count' },
    ],
    sort: { measure: 0, desc: true },
  }),
  engine('revenue_won_by_month', 'Revenue won by month', 'bar', {
    entity: 'deals', filters: [won], period: { field: CLOSED_AT, relative: 'last12Months' }, groups: [{ field: CLOSED_AT, bucket: 'month' }],
    measures: [{ key: 'revenue', label: 'Revenue', op: 'sum', field: 'deals.amount' }, { key: 'deals', label: 'Deals', op: 'count' }],
  }),
  engine('pipeline_value_by_stage', 'Pipeline value by stage', 'bar', {
    entity: 'deals', filters: [open], groups: [{ field: 'deals.stage' }],
    measures: [{ key: 'value', label: 'Value', op: 'sum', field: 'deals.amount' }, { key: 'deals', label: 'Deals', op: 'count' }],
  }),
  engine('deals_created_vs_won', 'Deals created vs won', 'line', {
    entity: 'deals', filters: [], period: { field: CREATED_AT, relative: 'last12Months' }, groups: [{ field: CREATED_AT, bucket: 'month' }],
    measures: [{ key: 'created', label: 'Created', op: 'count' }, { key: 'won', label: 'Won', op: 'count', where: [won], date: CLOSED_AT }],
  }),
  engine('lead_sources', 'Lead sources and lead-to-deal conversion', 'bar', {
    entity: 'leads', filters: [], groups: [{ field: 'leads.source' }],
    measures: [
      { key: 'leads', label: 'Leads', op: 'count' },
      { key: 'to_deal', label: 'Became deals', op: 'count', where: [{ field: 'leads.converted_deal', op: 'notEmpty' }] },
      { key: 'conversion', label: 'Lead-to-deal conversion', op: 'rate', where: [{ field: 'leads.converted_deal', op: 'notEmpty' }] },
    ],
    sort: { measure: 0, desc: true },
  }),
  engine('activities_by_owner_and_type', 'Activities by owner and type', 'stackedBar', {
    entity: 'activities', filters: [], period: { field: 'activities.due', relative: 'last30Days' }, groups: [{ field: 'activities.owner' }, { field: 'activities.type' }],
    measures: [{ key: 'activities', label: 'Activities', op: 'count' }, { key: 'done', label: 'Done', op: 'count', where: [{ field: 'activities.done', op: 'equals', value: true }] }],
  }),
  engine('overdue_activities_by_owner', 'Overdue activities by owner', 'bar', {
    entity: 'activities', filters: [{ field: 'activities.due', op: 'relative', value: 'past' }, { field: 'activities.done', op: 'equals', value: false }],
    groups: [{ field: 'activities.owner' }], measures: [{ key: 'overdue', label: 'Overdue', op: 'count' }], sort: { measure: 0, desc: true },
  }),
  { id: 'average_time_in_stage', name: 'Average time in stage', chart: 'bar', kind: 'funnel' },
  engine('forecast', 'Forecast by expected close month', 'stackedBar', {
    entity: 'deals', filters: [open], groups: [{ field: 'deals.close_date', bucket: 'month' }],
    measures: [
      { key: 'weighted', label: 'Weighted by probability', op: 'sum', field: 'deals.amount', weight: PROBABILITY },
      { key: 'value', label: 'Pipeline value', op: 'sum', field: 'deals.amount' },
      { key: 'deals', label: 'Deals', op: 'count' },
    ],
  }),
]

export function readyReport(id: string): ReadyReport | undefined {
  return READY_REPORTS.find((r) => r.id === id)
}

/** What a report runs on: an entity's definition and rows, by entity id; the workspace's clock, zone and rates. */
export interface ReportSource extends ReportFieldContext {
  entity(id: string): { entity: EntityDef; rows: readonly Row[] } | undefined
  memberId: string
  now: Date
  weekStart?: number
  rates: CurrencyRates
  memberName?: (id: string) => string | undefined
}

export type ReadyReportResult = { kind: 'engine'; definition: ReportDefinition; result: ReportResult } | { kind: 'funnel'; funnel: Funnel }

export class MissingEntityError extends Error {}

/** Runs a ready-made report; `funnel` chooses the funnel's pipeline, period and filters. */
export function runReadyReport(report: ReadyReport, source: ReportSource, funnel: FunnelQuery = {}): ReadyReportResult {
  const entityId = report.kind === 'funnel' ? 'deals' : report.definition.entity
  const data = source.entity(entityId)
  if (!data) throw new MissingEntityError(`${report.name} counts ${entityId}, which the workspace lacks`)
  if (report.kind === 'funnel') return { kind: 'funnel', funnel: runFunnel(funnel, data.rows, { ...source, entity: data.entity }) }
  return { kind: 'engine', definition: report.definition, result: runReport(report.definition, data.rows, { ...source, entity: data.entity }) }
}
