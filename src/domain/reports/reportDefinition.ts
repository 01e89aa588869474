import type { RelativePeriod } from '../relativePeriod'
import type { ViewCondition } from '../views/savedView'

/**
 * A report as plain data (issue 17): which records (one entity, filtered like a saved view, over
 * a period), grouped by up to two fields, with measures per group. The engine (runReport) runs it
 * wherever the rows are — the page, the relay, the bench — and nothing in it names a chart.
 */
export interface ReportDefinition {
  id: string
  name: string
  /** The entity id whose records are counted. */
  entity: string
  /** All must hold; field ids may also be a derived field's ($createdAt, $closedAt, $stageKind, $probability: reportFields.ts). */
  filters: ViewCondition[]
  /** The dates counted: a period named relative to today, or fixed dates (both inclusive). */
  period?: ReportPeriod
  /** Also measure the period just before (last month beside this month), matched group by group. */
  comparePrevious?: boolean
  /** Zero, one or two groupings, outer first. */
  groups: ReportGroup[]
  measures: ReportMeasure[]
  /** Money measures: per currency (a row per currency) or converted at the workspace's rates (default). */
  money?: 'perCurrency' | 'converted'
  /** Rows by a measure (its index) or by the groups' own order (default). */
  sort?: { measure: number; desc: boolean }
  /** Top N: only the first rows after sorting. */
  limit?: number
}

export type ReportPeriod = { field: string; relative: RelativePeriod } | { field: string; from?: string; to?: string }

export const DATE_BUCKETS = ['day', 'week', 'month', 'quarter', 'year'] as const
export type DateBucket = (typeof DATE_BUCKETS)[number]

/** A grouping by a field; a date or date-time field is grouped by `bucket` (default month) in the workspace's time zone. */
export interface ReportGroup { field: string; bucket?: DateBucket }

export const MEASURE_OPS = ['count', 'sum', 'avg', 'min', 'max', 'rate', 'share'] as const
export type MeasureOp = (typeof MEASURE_OPS)[number]

/**
 * One figure per group. `count` counts records; `sum`/`avg`/`min`/`max` read a number or money
 * field; `rate` is the share of the group's records (those matching `of`, when given) that match
 * `where` (0–1). `share` is the group's part of the total over all groups (0–1, before top N): of
 * the records counted, or of the sum of `field` when it names one. `where` limits any measure to matching records. `weight` multiplies each value by
 * a number field read as a percentage (a forecast: amount × probability). `date` counts the
 * record at another date than the group's and the period's field (deals created vs won: the won
 * count falls in the month each was won).
 */
export interface ReportMeasure {
  /** The measure's key in results and over HTTP (snake_case). */
  key: string
  label: string
  op: MeasureOp
  field?: string
  where?: ViewCondition[]
  of?: ViewCondition[]
  weight?: string
  date?: string
}

/** One row of a report's result. */
export interface ReportRow {
  /** Per group: the value grouped by (an id, an option, a bucket such as `2026-03`, `2026-Q1`, the week's first day), null for records without one. */
  keys: (string | null)[]
  /** Per group: what the key reads as (a stage's name, a member's name); the key itself where nothing better is known. */
  labels: string[]
  /** The currency of this row's money measures when money is per currency. */
  currency?: string
  /** Per measure; money in major units; null where there was nothing to measure (the average of no records). */
  values: (number | null)[]
  /** The same measures over the previous period, when compared. */
  previous?: (number | null)[]
  /** The records counted in this row this period, when the context asked for them (ReportContext.recordIds). */
  recordIds?: string[]
}

export interface ReportResult {
  rows: ReportRow[]
  /** The measures' money currency when converted. */
  currency?: string
  /** Currencies met without a rate: their money was left out of the converted measures. */
  withoutRate: string[]
  /** The dates covered (null where open), and the previous period's when compared. */
  period?: { from: string | null; to: string | null; previous?: { from: string | null; to: string | null } }
}

export class ReportError extends Error {}
