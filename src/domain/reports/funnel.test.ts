import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import { defaultPipeline, pipelineFromStageNames } from '../pipelines/pipeline'
import { stageChoices } from '../pipelines/stageChoices'
import type { EntityDef, Row } from '../schema'
import { runFunnel, FunnelError, type FunnelContext } from './funnel'

const pipelines = [defaultPipeline(), pipelineFromStageNames(['Lead', 'Won'], 'partners', 'Partners')]
const deals: EntityDef = (() => {
  const e = defaultSchema().entities.find((x) => x.id === 'deals')!
  return { ...e, fields: e.fields.map((f) => (f.choicesFrom === 'stages' ? { ...f, choices: stageChoices(pipelines) } : f)) }
})()
const ctx: FunnelContext = { entity: deals, pipelines, now: new Date('2026-04-01T00:00:00Z'), timeZone: 'Europe/Berlin', rates: { currency: 'EUR', rates: { USD: 0.9 } } }

type Change = [key: string, from: string | null, to: string | null, day: string]
function deal(id: string, created: string, stage: string, money: [number, string], changes: Change[], extra: Partial<Row> & { owner?: string; source?: string } = {}): Row {
  const values: Record<string, unknown> = { 'deals.stage': `${stage.includes('.') ? '' : 'sales.'}${stage}`, 'deals.amount': { amount: money[0] * 100, currency: money[1] }, 'deals.owner': extra.owner ?? 'u1', 'deals.source': extra.source ?? 'Website' }
  for (const [key, from, to, day] of changes) values[`stage@${key}`] = { from: from && `sales.${from}`, to: to && `sales.${to}`, at: `${day}T10:00:00.000Z`, by: 'u1' }
  return { id, createdAt: `${created}T10:00:00.000Z`, createdBy: 'u1', values: values as Row['values'], deletedAt: extra.deletedAt }
}

// hand-computed below; every deal was created with its first stage (the null → new change)
const rows = [
  deal('A', '2026-01-01', 'won', [1000, 'EUR'], [['a1', null, 'new', '2026-01-01'], ['a2', 'new', 'qualified', '2026-01-11'], ['a3', 'qualified', 'proposal', '2026-01-21'], ['a4', 'proposal', 'won', '2026-02-10']]),
  // skipped Qualified: it went past it
  deal('B', '2026-01-05', 'proposal', [500, 'USD'], [['b1', null, 'new', '2026-01-05'], ['b2', 'new', 'proposal', '2026-01-15']], { source: 'Referral' }),
  deal('C', '2026-01-02', 'lost', [200, 'EUR'], [['c1', null, 'new', '2026-01-02'], ['c2', 'new', 'qualified', '2026-01-04'], ['c3', 'qualified', 'lost', '2026-01-10']]),
  deal('D', '2026-01-20', 'new', [100, 'EUR'], [], { owner: 'u2' }),
  // the change to Qualified was made offline on the 3rd and synced after the one on the 8th (its key sorts last too)
  deal('H', '2026-01-01', 'negotiation', [300, 'EUR'], [['h1', null, 'new', '2026-01-01'], ['h2', 'qualified', 'negotiation', '2026-01-08'], ['hz', 'new', 'qualified', '2026-01-03']]),
  deal('E', '2026-01-03', 'won', [999, 'EUR'], [], { deletedAt: '2026-01-04T00:00:00.000Z' }),
  deal('F', '2026-03-01', 'new', [50, 'EUR'], []),
  deal('G', '2026-01-06', 'partners.lead', [70, 'EUR'], []),
  // 31 Jan 23:30 UTC is 1 Feb in Berlin
  { ...deal('I', '2026-01-31', 'new', [10, 'EUR'], []), createdAt: '2026-01-31T23:30:00.000Z' },
]

describe('the funnel of a pipeline', () => {
  it('counts each deal up to the furthest stage it reached, with amounts, conversions, drop-off and win rate', () => {
    const f = runFunnel({ pipeline: 'sales', from: '2026-01-01', to: '2026-01-31', withDeals: true }, rows, ctx)
    expect(f.deals).toBe(5)
    expect(f.stages.map((s) => [s.name, s.count, s.amount, s.inStage, s.dropOff])).toEqual([
      ['New', 5, 2050, 1, 0], ['Qualified', 4, 1950, 0, 1], ['Proposal', 3, 1750, 1, 1],
      ['Negotiation', 2, 1300, 1, 1], ['Contract', 1, 1000, 0, 1], ['Won', 1, 1000, 1, 0],
    ])
    expect(f.stages.map((s) => s.conversionFromPrevious)).toEqual([null, 0.8, 0.75, 2 / 3, 0.5, 1])
    expect(f.stages.map((s) => s.conversionFromFirst)).toEqual([1, 0.8, 0.6, 0.4, 0.2, 0.2])
    expect(f.stages[1]!.dealIds.sort()).toEqual(['A', 'B', 'C', 'H'])
    expect(f.lost).toEqual([{ id: 'sales.lost', name: 'Lost', count: 1, amount: 200, dealIds: ['C'] }])
    expect(f.winRate).toBe(0.5)
  })

  it('a click on the lost stage lists the deals lost in the period; without withDeals nothing is collected', () => {
    const january = runFunnel({ pipeline: 'sales', from: '2026-01-01', to: '2026-01-31', basis: 'closed', withDeals: true }, rows, ctx)
    expect(january.lost[0]!.dealIds).toEqual(['C'])
    expect(runFunnel({ pipeline: 'sales', from: '2026-02-01', to: '2026-02-28', basis: 'closed', withDeals: true }, rows, ctx).lost[0]!.dealIds).toEqual([])
    expect(runFunnel({ pipeline: 'sales', from: '2026-01-01', to: '2026-01-31' }, rows, ctx).lost[0]!.dealIds).toEqual([])
  })

  it('time in stage from the stage changes\' own times: an offline change counts where it happened', () => {
    const f = runFunnel({ pipeline: 'sales', from: '2026-01-01', to: '2026-01-31' }, rows, ctx)
    // New: A 10, B 10, C 2, H 2 days; Qualified: A 10, C 6, H 5 (3rd → 8th); Proposal: A 20; nobody left Negotiation yet
    expect(f.stages.map((s) => s.avgDaysInStage)).toEqual([6, 7, 20, null, null, null])
  })

  it('filters by owner and source; a stage nobody reached has no conversion from it', () => {
    const mine = runFunnel({ pipeline: 'sales', from: '2026-01-01', to: '2026-01-31', owner: 'u2' }, rows, ctx)
    expect(mine.stages.map((s) => [s.count, s.conversionFromPrevious])).toEqual([[1, null], [0, 0], [0, null], [0, null], [0, null], [0, null]])
    expect(mine.winRate).toBeNull()
    expect(runFunnel({ pipeline: 'sales', source: 'Referral' }, rows, ctx).stages.map((s) => s.count)).toEqual([1, 1, 1, 0, 0, 0])
  })

  it('deals closed in the period, by the time of the change that closed them; the period\'s days are the workspace\'s', () => {
    expect(runFunnel({ pipeline: 'sales', from: '2026-02-01', to: '2026-02-28', basis: 'closed' }, rows, ctx).deals).toBe(1)
    const january = runFunnel({ pipeline: 'sales', from: '2026-01-01', to: '2026-01-31', basis: 'closed' }, rows, ctx)
    expect([january.deals, january.winRate]).toEqual([1, 0])
    expect(runFunnel({ pipeline: 'sales', from: '2026-01-01', to: '2026-01-31' }, rows, { ...ctx, timeZone: 'UTC' }).deals).toBe(6)
  })

  it('another pipeline has its own stages; an unknown one is refused', () => {
    expect(runFunnel({ pipeline: 'partners' }, rows, ctx).stages.map((s) => [s.id, s.count])).toEqual([['partners.lead', 1], ['partners.won', 0]])
    expect(() => runFunnel({ pipeline: 'nope' }, rows, ctx)).toThrow(FunnelError)
  })
})
