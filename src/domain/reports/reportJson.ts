import type { Funnel } from './funnel'
import type { ReportDefinition, ReportResult } from './reportDefinition'
import type { ConditionField } from '../views/viewFilter'

/*
 * Reports as the HTTP API answers them (snake_case keys, a public contract): the funnel's
 * `stages` entries carry exactly id, name, count, amount, conversion_from_previous,
 * conversion_from_first and avg_days_in_stage; a report's rows are flat objects keyed by its
 * columns.
 */

export interface FunnelStageJson {
  id: string
  name: string
  count: number
  amount: number
  conversion_from_previous: number | null
  conversion_from_first: number | null
  avg_days_in_stage: number | null
}

const days = (d: number | null) => (d === null ? null : Math.round(d * 100) / 100)

export function funnelJson(f: Funnel) {
  return {
    pipeline: f.pipeline,
    basis: f.basis,
    from: f.from,
    to: f.to,
    currency: f.currency,
    stages: f.stages.map((s): FunnelStageJson => ({
      id: s.id, name: s.name, count: s.count, amount: s.amount,
      conversion_from_previous: s.conversionFromPrevious, conversion_from_first: s.conversionFromFirst, avg_days_in_stage: days(s.avgDaysInStage),
    })),
    win_rate: f.winRate,
    deals: f.deals,
    won: f.won,
    lost: f.lostCount,
    drop_off: f.stages.slice(1).map((s, i) => ({ from: f.stages[i]!.id, to: s.id, count: s.dropOff })),
    in_stage: f.stages.map((s) => ({ id: s.id, count: s.inStage })),
    lost_stages: f.lost.map((l) => ({ id: l.id, name: l.name, count: l.count, amount: l.amount })),
    without_rate: f.withoutRate,
  }
}

export interface ReportColumnJson { key: string; label: string; kind: 'group' | 'measure'; bucket?: string }

/** A report's result as columns and flat rows: a group column holds its key, `<key>_label` what it reads as; a measure its value (and `<key>_previous`). */
export function reportResultJson(def: ReportDefinition, result: ReportResult, fields: ReadonlyMap<string, ConditionField>) {
  const groupKeys = def.groups.map((g) => {
    const key = fields.get(g.field)?.field.key ?? g.field
    return g.bucket ? `${key}_${g.bucket}` : key
  })
  const columns: ReportColumnJson[] = [
    ...def.groups.map((g, i): ReportColumnJson => ({ key: groupKeys[i]!, label: fields.get(g.field)?.field.label ?? g.field, kind: 'group', ...(g.bucket ? { bucket: g.bucket } : {}) })),
    ...def.measures.map((m): ReportColumnJson => ({ key: m.key, label: m.label, kind: 'measure' })),
  ]
  const rows = result.rows.map((row) => {
    const out: Record<string, string | number | null> = {}
    groupKeys.forEach((key, i) => {
      out[key] = row.keys[i] ?? null
      out[`${key}_label`] = row.labels[i] ?? null
    })
    if (row.currency) out.currency = row.currency
    def.measures.forEach((m, i) => {
      out[m.key] = row.values[i] ?? null
      if (row.previous) out[`${m.key}_previous`] = row.previous[i] ?? null
    })
    return out
  })
  return { columns, rows, currency: result.currency ?? null, without_rate: result.withoutRate, period: result.period ?? null }
}
