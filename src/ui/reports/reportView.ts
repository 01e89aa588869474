import type { Funnel } from '../../domain/reports/funnel'
import type { ReportChart } from '../../domain/reports/readyReports'
import type { ReportDefinition, ReportMeasure, ReportResult } from '../../domain/reports/reportDefinition'
import type { ConditionField } from '../../domain/views/viewFilter'

/*
 * What a report shows, from the engine's result or the funnel: one table (every chart has one,
 * for people who would rather read numbers, and it is what the CSV holds) and one chart model
 * (labels, series and the records behind each bar). Plain data, so the chart and the table are
 * drawn from the same figures and tests read them without a canvas.
 */

export type ValueFormat = 'count' | 'money' | 'percent' | 'number' | 'days'

export interface TableColumn { label: string; format: ValueFormat | 'text' }

export interface TableRow {
  cells: (string | number | null)[]
  /** The records this row counts (a click on it lists them). */
  recordIds?: string[]
}

export interface ChartSeries {
  label: string
  data: (number | null)[]
  format: ValueFormat
  /** Per label: the records behind that bar or slice. */
  recordIds: string[][]
}

export interface ChartModel {
  kind: ReportChart
  labels: string[]
  series: ChartSeries[]
  /** Funnel: per stage, "→ 50% of previous · 25% of first" drawn beside it. */
  notes?: string[]
}

export interface ReportView {
  columns: TableColumn[]
  rows: TableRow[]
  chart: ChartModel
  /** The report's money currency (converted), and currencies left out for want of a rate. */
  currency?: string
  withoutRate: string[]
  /** Which entity the records behind a bar belong to. */
  entity: string
  /**
   * The records behind a bar (series, label) or a table row, found when asked: a report runs
   * again with its records kept only for the click, not on every teammate's edit.
   */
  records?: { ofBar(series: number, index: number): string[]; ofRow(index: number): string[] }
}

function formatOf(m: ReportMeasure, fields: ReadonlyMap<string, ConditionField>): ValueFormat {
  if (m.op === 'rate' || m.op === 'share') return 'percent'
  if (m.op === 'count') return 'count'
  return fields.get(m.field ?? '')?.field.type === 'money' ? 'money' : 'number'
}

/** The engine's result as a table and a chart: one grouping gives a bar per group and a series per measure of the first one's kind; two give a series per inner group of the first measure. */
export function engineReportView(def: ReportDefinition, result: ReportResult, chart: ReportChart, fields: ReadonlyMap<string, ConditionField>): ReportView {
  const formats = def.measures.map((m) => formatOf(m, fields))
  const groupLabels = def.groups.map((g) => fields.get(g.field)?.field.label ?? g.field)
  const perCurrency = result.rows.some((r) => r.currency)
  const columns: TableColumn[] = [
    ...groupLabels.map((label) => ({ label, format: 'text' as const })),
    ...(perCurrency ? [{ label: 'Currency', format: 'text' as const }] : []),
    ...def.measures.flatMap((m, i) => [
      { label: m.label, format: formats[i]! },
      ...(result.period?.previous ? [{ label: `${m.label} (previous period)`, format: formats[i]! }] : []),
    ]),
  ]
  const rows: TableRow[] = result.rows.map((r) => ({
    cells: [...r.labels, ...(perCurrency ? [r.currency ?? ''] : []), ...r.values.flatMap((v, i) => (r.previous ? [v, r.previous[i] ?? null] : [v]))],
    ...(r.recordIds ? { recordIds: r.recordIds } : {}),
  }))
  const labelOf = (r: ReportResult['rows'][number]) => (r.labels.length ? r.labels[0]! : 'All') + (r.currency ? ` (${r.currency})` : '')
  let labels: string[]
  let series: ChartSeries[]
  if (def.groups.length < 2) {
    labels = result.rows.map(labelOf)
    const single = chart === 'doughnut' || chart === 'funnel'
    const shown = def.measures.map((_, i) => i).filter((i) => (single ? i === 0 : formats[i] === formats[0]))
    series = shown.map((i) => ({
      label: def.measures[i]!.label, format: formats[i]!,
      data: result.rows.map((r) => r.values[i] ?? null),
      recordIds: result.rows.map((r) => r.recordIds ?? []),
    }))
  } else {
    labels = [...new Set(result.rows.map(labelOf))]
    const inner = [...new Set(result.rows.map((r) => r.labels[1]!))]
    series = inner.map((name) => {
      const at = new Map(result.rows.filter((r) => r.labels[1] === name).map((r) => [labelOf(r), r]))
      return {
        label: name, format: formats[0]!,
        data: labels.map((l) => at.get(l)?.values[0] ?? null),
        recordIds: labels.map((l) => at.get(l)?.recordIds ?? []),
      }
    })
  }
  // with one grouping the series are different measures (a forecast's weighted and whole value): side by side, never stacked
  const kind: ReportChart = chart === 'stackedBar' && def.groups.length < 2 ? 'bar' : chart
  return { columns, rows, chart: { kind, labels, series }, ...(result.currency ? { currency: result.currency } : {}), withoutRate: result.withoutRate, entity: def.entity }
}

const percent = (v: number | null) => (v === null ? '–' : `${Math.round(v * 1000) / 10}%`)

/** The funnel as a table of its stages and a chart: the funnel itself, or (average time in stage) the days per stage. */
export function funnelReportView(f: Funnel, chart: ReportChart): ReportView {
  const columns: TableColumn[] = [
    { label: 'Stage', format: 'text' }, { label: 'Deals', format: 'count' }, { label: 'Amount', format: 'money' },
    { label: 'From previous', format: 'percent' }, { label: 'From first', format: 'percent' },
    { label: 'Avg days in stage', format: 'days' }, { label: 'Drop-off', format: 'count' }, { label: 'In stage now', format: 'count' },
  ]
  const rows: TableRow[] = [
    ...f.stages.map((s) => ({ cells: [s.name, s.count, s.amount, s.conversionFromPrevious, s.conversionFromFirst, s.avgDaysInStage === null ? null : Math.round(s.avgDaysInStage * 10) / 10, s.dropOff, s.inStage], recordIds: s.dealIds })),
    ...f.lost.map((l) => ({ cells: [l.name, l.count, l.amount, null, null, null, null, l.count], recordIds: l.dealIds })),
  ]
  const labels = f.stages.map((s) => s.name)
  const series: ChartSeries[] = chart === 'funnel'
    ? [{ label: 'Deals', format: 'count', data: f.stages.map((s) => s.count), recordIds: f.stages.map((s) => s.dealIds) }]
    : [{ label: 'Avg days in stage', format: 'days', data: f.stages.map((s) => (s.avgDaysInStage === null ? null : Math.round(s.avgDaysInStage * 10) / 10)), recordIds: f.stages.map((s) => s.dealIds) }]
  const notes = chart === 'funnel' ? f.stages.map((s, i) => (i === 0 ? '' : `${percent(s.conversionFromPrevious)} of previous · ${percent(s.conversionFromFirst)} of first`)) : undefined
  return { columns, rows, chart: { kind: chart, labels, series, ...(notes ? { notes } : {}) }, currency: f.currency, withoutRate: f.withoutRate, entity: 'deals' }
}

/** A figure as the table and the chart's labels show it. */
export function formatValue(value: string | number | null, format: ValueFormat | 'text', currency?: string, locale?: string): string {
  if (value === null) return '–'
  if (typeof value === 'string') return value
  switch (format) {
    case 'percent': return percent(value)
    case 'money': return currency ? new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 }).format(value) : new Intl.NumberFormat(locale).format(value)
    case 'days': return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value)} d`
    default: return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value)
  }
}
