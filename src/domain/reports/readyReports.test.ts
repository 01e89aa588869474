import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import { defaultPipeline } from '../pipelines/pipeline'
import { stageChoices } from '../pipelines/stageChoices'
import type { EntityDef, Row } from '../schema'
import { READY_REPORTS, readyReport, runReadyReport, type ReportSource } from './readyReports'

const pipelines = [defaultPipeline()]
const entities = new Map(defaultSchema().entities.map((e): [string, EntityDef] => [e.id, { ...e, fields: e.fields.map((f) => (f.choicesFrom === 'stages' ? { ...f, choices: stageChoices(pipelines) } : f)) }]))

let n = 0
const row = (values: Record<string, unknown>, createdAt = '2026-05-01T10:00:00.000Z'): Row => ({ id: `r${++n}`, createdAt, createdBy: 'u1', values: values as Row['values'] })
const money = (major: number, currency = 'EUR') => ({ amount: major * 100, currency })

const rows: Record<string, Row[]> = {
  deals: [
    row({ 'deals.stage': 'sales.new', 'deals.amount': money(1000), 'deals.close_date': '2026-06-10', 'deals.probability': 30 }),
    // no probability of its own: its stage's (Proposal, 40 %)
    row({ 'deals.stage': 'sales.proposal', 'deals.amount': money(500), 'deals.close_date': '2026-06-20' }),
    row({ 'deals.stage': 'sales.contract', 'deals.amount': money(200, 'USD'), 'deals.close_date': '2026-08-01', 'deals.probability': 90 }),
    row({ 'deals.stage': 'sales.won', 'deals.amount': money(700), 'deals.owner': 'u1', 'stage@w': { from: 'sales.new', to: 'sales.won', at: '2026-04-15T09:00:00.000Z', by: 'u1' } }),
    row({ 'deals.stage': 'sales.lost', 'deals.amount': money(300), 'deals.owner': 'u1', 'stage@l': { from: 'sales.new', to: 'sales.lost', at: '2026-04-16T09:00:00.000Z', by: 'u1' } }),
  ],
  leads: [
    row({ 'leads.source': 'Website', 'leads.converted_deal': 'r1' }),
    row({ 'leads.source': 'Website' }),
    row({ 'leads.source': 'Website' }),
    row({ 'leads.source': 'Event', 'leads.converted_deal': 'r2' }),
  ],
  activities: [
    row({ 'activities.type': 'call', 'activities.owner': 'u1', 'activities.due': '2026-05-10T10:00:00.000Z', 'activities.done': true }),
    row({ 'activities.type': 'call', 'activities.owner': 'u1', 'activities.due': '2026-05-14T10:00:00.000Z', 'activities.done': false }),
    row({ 'activities.type': 'meeting', 'activities.owner': 'u2', 'activities.due': '2026-05-20T10:00:00.000Z', 'activities.done': false }),
  ],
}

const source: ReportSource = {
  pipelines, timeZone: 'UTC', memberId: 'u1', now: new Date('2026-05-15T12:00:00.000Z'), rates: { currency: 'EUR', rates: { USD: 0.5 } },
  entity: (id) => (entities.has(id) ? { entity: entities.get(id)!, rows: rows[id] ?? [] } : undefined),
}

const engineRows = (id: string) => {
  const ran = runReadyReport(readyReport(id)!, source)
  if (ran.kind !== 'engine') throw new Error(`${id} is no engine report`)
  return ran.result.rows
}

describe('ready-made reports', () => {
  it('each one runs over the default workspace', () => {
    expect(READY_REPORTS.map((r) => r.id)).toEqual([
      'sales_funnel', 'win_rate_by_owner', 'revenue_won_by_month', 'pipeline_value_by_stage', 'deals_created_vs_won', 'lead_sources',
      'activities_by_owner_and_type', 'overdue_activities_by_owner', 'average_time_in_stage', 'forecast',
    ])
    for (const report of READY_REPORTS) expect(() => runReadyReport(report, source), report.id).not.toThrow()
  })

  it('forecast: open deals by expected close month, weighted by their probability or their stage\'s', () => {
    // June: 1000 × 30 % + 500 × 40 % = 500; August: 200 USD × 0.5 × 90 % = 90
    expect(engineRows('forecast').map((r) => [r.keys[0], ...r.values])).toEqual([['2026-06', 500, 1500, 2], ['2026-07', 0, 0, 0], ['2026-08', 90, 100, 1]])
  })

  it('win rate, revenue won, lead sources and overdue activities as hand-counted', () => {
    expect(engineRows('win_rate_by_owner').map((r) => [r.keys[0], ...r.values])).toEqual([['u1', 0.5, 1, 2]])
    const revenue = engineRows('revenue_won_by_month')
    expect(revenue).toHaveLength(12)
    expect(revenue.find((r) => r.keys[0] === '2026-04')!.values).toEqual([700, 1])
    expect(engineRows('lead_sources').filter((r) => r.values[0]).map((r) => [r.keys[0], ...r.values])).toEqual([['Website', 3, 1, 1 / 3], ['Event', 1, 1, 1]])
    // due before now and not done
    expect(engineRows('overdue_activities_by_owner').map((r) => [r.keys[0], ...r.values])).toEqual([['u1', 1]])
    const work = engineRows('activities_by_owner_and_type').filter((r) => r.values[0])
    // the last 30 days: the meeting due on the 20th is still ahead
    expect(work.map((r) => [...r.keys, ...r.values])).toEqual([['u1', 'call', 2, 1]])
  })

  it('the sales funnel and the time in stage are the pipeline\'s funnel', () => {
    const ran = runReadyReport(readyReport('sales_funnel')!, source)
    expect(ran.kind === 'funnel' && ran.funnel.stages.map((s) => s.count)).toEqual([5, 3, 3, 2, 2, 1])
  })
})
