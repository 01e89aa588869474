import { isRelativePeriod } from '../relativePeriod'
import { isViewConditionList, isViewName, parseViewId } from '../views/savedView'
import { DATE_BUCKETS, MEASURE_OPS, type ReportDefinition } from './reportDefinition'
import type { ReportChart } from './readyReports'
import { REPORT_GROUPS_MAX, REPORT_MEASURES_MAX } from './reportProblems'

/*
 * Saved reports and dashboards (issue 17) as plain data. They live in the `schema` document
 * beside the saved views (src/crdt/reportDoc.ts) and use the views' id scheme, so the relay can
 * tell from the id alone who may write one: `m.<member id>.<random>` is personal (its owner only),
 * `s.<random>` shared (editors and admins write, everyone sees) — savedView's parseViewId,
 * canSeeView and mayWriteView apply as they are.
 */

export const REPORT_CHARTS = ['bar', 'stackedBar', 'line', 'doughnut', 'table', 'funnel'] as const satisfies readonly ReportChart[]

/** What the builder keeps of a report: its definition (id and name are the saved report's own) and how it is drawn. */
export type ReportSpec = Omit<ReportDefinition, 'id' | 'name'>

export interface SavedReport {
  id: string
  name: string
  chart: ReportChart
  definition: ReportSpec
  createdAt: string
  deletedAt?: string
}

/** A report on a dashboard: a ready-made report's id or a saved report's, at `order` in the grid. */
export interface DashboardTile { report: string; order: number }

export interface Dashboard {
  id: string
  name: string
  /** In order; each tile is its own entry in the document, so two members adding tiles apart both win. */
  tiles: DashboardTile[]
  createdAt: string
  deletedAt?: string
}

/** The dashboard every workspace has from the first minute; computed, never stored (like the lists' "All"). */
export const SALES_DASHBOARD_ID = 'sales'
export const SALES_DASHBOARD: Dashboard = {
  id: SALES_DASHBOARD_ID,
  name: 'Sales dashboard',
  tiles: ['sales_funnel', 'revenue_won_by_month', 'pipeline_value_by_stage', 'win_rate_by_owner', 'forecast', 'overdue_activities_by_owner']
    .map((report, order) => ({ report, order })),
  createdAt: '',
}

export const DASHBOARD_TILES_MAX = 24
/** A tile's entry key in a dashboard's map: `tile.<report id>`. */
export const TILE_PREFIX = 'tile.'
const REPORT_REF = /^[A-Za-z0-9_.]{1,80}$/

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isFieldRef = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 64
const isText = (v: unknown, max: number) => typeof v === 'string' && v.length > 0 && v.length <= max

export function isReportChart(v: unknown): v is ReportChart {
  return (REPORT_CHARTS as readonly unknown[]).includes(v)
}

export function isReportName(v: unknown): v is string {
  return isViewName(v)
}

/** The report a tile may name: a ready-made id or a saved report's. */
export function isReportRef(v: unknown): v is string {
  return typeof v === 'string' && REPORT_REF.test(v)
}

/** A tile's stored value: its place in the grid, or removed. */
export function isTileValue(v: unknown): v is { order: number; removed?: true } {
  return isPlainObject(v) && typeof v.order === 'number' && Number.isFinite(v.order)
    && Object.keys(v).every((k) => k === 'order' || k === 'removed') && (!('removed' in v) || v.removed === true)
}

/**
 * The stored shape of a report's definition, whatever the entity (the relay checks this; the
 * fields themselves are checked where the schema is at hand, by reportProblems).
 */
export function isReportSpec(v: unknown): v is ReportSpec {
  if (!isPlainObject(v) || !isFieldRef(v.entity) || !isViewConditionList(v.filters)) return false
  if (!Array.isArray(v.groups) || v.groups.length > REPORT_GROUPS_MAX) return false
  for (const g of v.groups) {
    if (!isPlainObject(g) || !isFieldRef(g.field) || !Object.keys(g).every((k) => k === 'field' || k === 'bucket')) return false
    if ('bucket' in g && !(DATE_BUCKETS as readonly unknown[]).includes(g.bucket)) return false
  }
  if (!Array.isArray(v.measures) || v.measures.length === 0 || v.measures.length > REPORT_MEASURES_MAX) return false
  for (const m of v.measures) {
    if (!isPlainObject(m) || !isText(m.key, 40) || !isText(m.label, 80) || !(MEASURE_OPS as readonly unknown[]).includes(m.op)) return false
    for (const k of ['field', 'weight', 'date'] as const) if (k in m && !isFieldRef(m[k])) return false
    for (const k of ['where', 'of'] as const) if (k in m && !isViewConditionList(m[k])) return false
  }
  if ('period' in v && v.period !== undefined) {
    const p = v.period
    if (!isPlainObject(p) || !isFieldRef(p.field)) return false
    if ('relative' in p ? !isRelativePeriod(p.relative) : !['from', 'to'].every((k) => !(k in p) || (typeof p[k] === 'string' && (p[k] as string).length === 10))) return false
  }
  if ('comparePrevious' in v && typeof v.comparePrevious !== 'boolean') return false
  if ('money' in v && v.money !== 'perCurrency' && v.money !== 'converted') return false
  if ('sort' in v && !(isPlainObject(v.sort) && Number.isInteger(v.sort.measure) && typeof v.sort.desc === 'boolean')) return false
  if ('limit' in v && !(Number.isInteger(v.limit) && (v.limit as number) > 0)) return false
  return true
}

/** A saved report's or dashboard's id (the views' scheme); null when it is none. */
export const parseReportId = parseViewId
