import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import { defaultPipeline } from '../pipelines/pipeline'
import { pipelineChoices, stageChoices } from '../pipelines/stageChoices'
import type { EntityDef, FieldValue, Row } from '../schema'
import type { ReportDefinition } from './reportDefinition'
import { ReportError } from './reportDefinition'
import { runReport, type ReportContext } from './runReport'

const pipelines = [defaultPipeline()]
const deals: EntityDef = (() => {
  const e = defaultSchema().entities.find((x) => x.id === 'deals')!
  return { ...e, fields: e.fields.map((f) => (f.choicesFrom === 'stages' ? { ...f, choices: stageChoices(pipelines) } : f.choicesFrom === 'pipelines' ? { ...f, choices: pipelineChoices(pipelines) } : f)) }
})()

let n = 0
function deal(createdAt: string, values: Record<string, FieldValue | object> = {}, extra: Partial<Row> = {}): Row {
  return { id: `d${++n}`, createdAt, createdBy: 'u1', values: { 'deals.pipeline': 'sales', ...values } as Row['values'], ...extra }
}

const ctx = (o: Partial<ReportContext> = {}): ReportContext => ({
  entity: deals, pipelines, memberId: 'u1', now: new Date('2026-05-15T12:00:00Z'), timeZone: 'UTC',
  rates: { currency: 'EUR', rates: { USD: 0.9 } }, ...o,
})
const countBy = (group: ReportDefinition['groups'][number], extra: Partial<ReportDefinition> = {}): ReportDefinition =>
  ({ id: 'r', name: 'r', entity: 'deals', filters: [], groups: [group], measures: [{ key: 'deals', label: 'Deals', op: 'count' }], ...extra })
const table = (r: ReturnType<typeof runReport>) => r.rows.map((row) => [...row.keys, ...row.values])

describe('date buckets in the workspace\'s time zone', () => {
  // instants near month, quarter and year ends: which bucket each falls in depends on the zone
  const rows = [
    deal('2025-12-31T23:30:00Z'), // Berlin: 1 Jan 2026 00:30 · New York: 31 Dec 18:30
    deal('2026-01-31T23:30:00Z'), // Berlin: 1 Feb 00:30
    deal('2026-03-31T22:30:00Z'), // Berlin (summer time since 29 Mar, UTC+2): 1 Apr 00:30 → Q2
    deal('2026-01-01T03:00:00Z'), // New York: 31 Dec 2025 22:00
  ]
  it('months, quarters and years in UTC', () => {
    expect(table(runReport(countBy({ field: '$createdAt', bucket: 'month' }), rows, ctx()))).toEqual([['2025-12', 1], ['2026-01', 2], ['2026-02', 0], ['2026-03', 1]])
    expect(table(runReport(countBy({ field: '$createdAt', bucket: 'quarter' }), rows, ctx()))).toEqual([['2025-Q4', 1], ['2026-Q1', 3]])
    expect(table(runReport(countBy({ field: '$createdAt', bucket: 'year' }), rows, ctx()))).toEqual([['2025', 1], ['2026', 3]])
  })
  it('the same instants in Berlin and New York', () => {
    const berlin = ctx({ timeZone: 'Europe/Berlin' })
    expect(table(runReport(countBy({ field: '$createdAt', bucket: 'month' }), rows, berlin))).toEqual([['2026-01', 2], ['2026-02', 1], ['2026-03', 0], ['2026-04', 1]])
    expect(table(runReport(countBy({ field: '$createdAt', bucket: 'quarter' }), rows, berlin))).toEqual([['2026-Q1', 3], ['2026-Q2', 1]])
    expect(table(runReport(countBy({ field: '$createdAt', bucket: 'year' }), rows, ctx({ timeZone: 'America/New_York' })))).toEqual([['2025', 2], ['2026', 2]])
  })
  it('days across the spring and autumn DST changes (Berlin)', () => {
    const around = [
      deal('2026-03-28T22:59:59Z'), // 28 Mar 23:59:59 CET
      deal('2026-03-28T23:30:00Z'), // 29 Mar 00:30 CET
      deal('2026-03-29T00:59:00Z'), // 29 Mar 01:59 CET, a minute before the jump
      deal('2026-03-29T01:00:00Z'), // 29 Mar 03:00 CEST
      deal('2026-03-29T21:59:59Z'), // 29 Mar 23:59:59 CEST
      deal('2026-03-29T22:00:00Z'), // 30 Mar 00:00 CEST
      deal('2026-10-24T22:30:00Z'), // 25 Oct 00:30 CEST
      deal('2026-10-25T22:30:00Z'), // 25 Oct 23:30 CET (the day had 25 hours)
      deal('2026-10-25T23:00:00Z'), // 26 Oct 00:00 CET
    ]
    const days = runReport(countBy({ field: '$createdAt', bucket: 'day' }, { period: { field: '$createdAt', from: '2026-03-28', to: '2026-03-30' } }), around, ctx({ timeZone: 'Europe/Berlin' }))
    expect(table(days)).toEqual([['2026-03-28', 1], ['2026-03-29', 4], ['2026-03-30', 1]])
    const autumn = runReport(countBy({ field: '$createdAt', bucket: 'day' }, { period: { field: '$createdAt', from: '2026-10-25', to: '2026-10-26' } }), around, ctx({ timeZone: 'Europe/Berlin' }))
    expect(table(autumn)).toEqual([['2026-10-25', 2], ['2026-10-26', 1]])
  })
  it('weeks start on the workspace\'s first day; dates (not instants) are days already', () => {
    const dated = [deal('2026-01-01T00:00:00Z', { 'deals.close_date': '2026-01-01' }), deal('2026-01-01T00:00:00Z', { 'deals.close_date': '2026-01-04' }), deal('2026-01-01T00:00:00Z', { 'deals.close_date': '2026-01-05' })]
    // 1 Jan 2026 is a Thursday
    expect(table(runReport(countBy({ field: 'deals.close_date', bucket: 'week' }), dated, ctx()))).toEqual([['2025-12-29', 2], ['2026-01-05', 1]])
    expect(table(runReport(countBy({ field: 'deals.close_date', bucket: 'week' }), dated, ctx({ weekStart: 7 })))).toEqual([['2025-12-28', 1], ['2026-01-04', 2]])
    // a date does not move with the zone
    expect(table(runReport(countBy({ field: 'deals.close_date', bucket: 'day' }), dated, ctx({ timeZone: 'Pacific/Kiritimati' })))[0]).toEqual(['2026-01-01', 1])
  })
})

describe('money', () => {
  const rows = [
    deal('2026-05-01T10:00:00Z', { 'deals.amount': { amount: 10_000, currency: 'EUR' }, 'deals.owner': 'u1' }),
    deal('2026-05-01T10:00:00Z', { 'deals.amount': { amount: 20_000, currency: 'USD' }, 'deals.owner': 'u1' }),
    deal('2026-05-01T10:00:00Z', { 'deals.amount': { amount: 5_005, currency: 'GBP' }, 'deals.owner': 'u2' }),
    deal('2026-05-01T10:00:00Z', { 'deals.amount': { amount: 1_500, currency: 'JPY' }, 'deals.owner': 'u2' }),
  ]
  const sum: ReportDefinition = {
    id: 'r', name: 'r', entity: 'deals', filters: [], groups: [{ field: 'deals.owner' }],
    measures: [{ key: 'total', label: 'Total', op: 'sum', field: 'deals.amount' }, { key: 'avg', label: 'Average', op: 'avg', field: 'deals.amount' }, { key: 'n', label: 'Deals', op: 'count' }],
  }
  it('converted at the workspace\'s rates; currencies without a rate are left out and named', () => {
    const r = runReport(sum, rows, ctx({ rates: { currency: 'EUR', rates: { USD: 0.9, JPY: 0.0061 } } }))
    // u1: 100 EUR + 200 USD × 0.9 = 280; u2: 1500 JPY × 0.0061 = 9.15 (GBP has no rate)
    expect(table(r)).toEqual([['u1', 280, 140, 2], ['u2', 9.15, 9.15, 2]])
    expect(r.currency).toBe('EUR')
    expect(r.withoutRate).toEqual(['GBP'])
  })
  it('per currency: a row per currency, exact minor units', () => {
    const r = runReport({ ...sum, money: 'perCurrency' }, rows, ctx())
    expect(r.rows.map((row) => [row.keys[0], row.currency, ...row.values])).toEqual([
      ['u1', 'EUR', 100, 100, 1], ['u1', 'USD', 200, 200, 1], ['u2', 'GBP', 50.05, 50.05, 1], ['u2', 'JPY', 1500, 1500, 1],
    ])
    expect(r.withoutRate).toEqual([])
  })
})

describe('groups, filters and measures', () => {
  it('every stage of the pipeline shows, empty ones too; deleted and purged deals are left out', () => {
    const rows = [
      deal('2026-05-01T10:00:00Z', { 'deals.stage': 'sales.proposal', 'deals.amount': { amount: 100, currency: 'EUR' } }),
      deal('2026-05-01T10:00:00Z', { 'deals.stage': 'sales.proposal', 'deals.amount': { amount: 300, currency: 'EUR' } }),
      deal('2026-05-01T10:00:00Z', { 'deals.stage': 'sales.won' }),
      deal('2026-05-01T10:00:00Z', { 'deals.stage': 'sales.won' }, { deletedAt: '2026-05-02T00:00:00Z' }),
      deal('2026-05-01T10:00:00Z', { 'deals.stage': 'sales.new' }, { purgedAt: '2026-05-02T00:00:00Z' }),
    ]
    const r = runReport({ ...countBy({ field: 'deals.stage' }), measures: [{ key: 'n', label: 'n', op: 'count' }, { key: 'avg', label: 'avg', op: 'avg', field: 'deals.amount' }] }, rows, ctx())
    expect(r.rows.map((row) => [row.labels[0], ...row.values])).toEqual([
      ['New', 0, null], ['Qualified', 0, null], ['Proposal', 2, 2], ['Negotiation', 0, null], ['Contract', 0, null], ['Won', 1, null], ['Lost', 0, null],
    ])
  })

  it('a relative period in the time zone, compared with the previous one bucket by bucket', () => {
    const rows = [
      deal('2026-03-31T22:30:00Z'), // Berlin: 1 Apr → this quarter (Q2), not last
      deal('2026-04-20T10:00:00Z'),
      deal('2026-05-02T10:00:00Z'),
      deal('2026-01-10T10:00:00Z'), // last quarter's first month
      deal('2026-02-10T10:00:00Z'),
      deal('2026-02-11T10:00:00Z'),
      deal('2025-12-31T10:00:00Z'), // before both
    ]
    const r = runReport(countBy({ field: '$createdAt', bucket: 'month' }, { period: { field: '$createdAt', relative: 'thisQuarter' }, comparePrevious: true }), rows, ctx({ timeZone: 'Europe/Berlin' }))
    expect(r.period).toEqual({ from: '2026-04-01', to: '2026-06-30', previous: { from: '2026-01-01', to: '2026-03-31' } })
    expect(r.rows.map((row) => [row.keys[0], ...row.values, ...row.previous!])).toEqual([['2026-04', 2, 1], ['2026-05', 1, 2], ['2026-06', 0, 0]])
  })

  it('relative filters: last 30 days and overdue (past)', () => {
    const activities = defaultSchema().entities.find((e) => e.id === 'activities')!
    const act = (due: string, done: boolean, owner: string): Row => ({ id: `a${++n}`, createdAt: '2026-01-01T00:00:00Z', createdBy: 'u1', values: { 'activities.due': due, 'activities.done': done, 'activities.owner': owner } })
    const rows = [act('2026-05-15T11:00:00Z', false, 'u1'), act('2026-05-15T13:00:00Z', false, 'u1'), act('2026-04-16T00:00:00Z', false, 'u2'), act('2026-04-15T23:59:00Z', true, 'u2'), act('2026-04-10T00:00:00Z', false, 'u2')]
    const def: ReportDefinition = { id: 'o', name: 'Overdue', entity: 'activities', filters: [{ field: 'activities.due', op: 'relative', value: 'past' }, { field: 'activities.done', op: 'equals', value: false }], groups: [{ field: 'activities.owner' }], measures: [{ key: 'n', label: 'n', op: 'count' }] }
    expect(table(runReport(def, rows, ctx({ entity: activities })))).toEqual([['u1', 1], ['u2', 2]])
    const recent = { ...def, filters: [{ field: 'activities.due', op: 'relative' as const, value: 'last30Days' }] }
    // 16 Apr … 15 May (UTC) inclusive
    expect(table(runReport(recent, rows, ctx({ entity: activities })))).toEqual([['u1', 2], ['u2', 1]])
  })

  it('win rate by owner, sorted, top N', () => {
    const rows = [
      ...['won', 'won', 'lost', 'proposal'].map((s) => deal('2026-05-01T00:00:00Z', { 'deals.stage': `sales.${s}`, 'deals.owner': 'ann' })),
      ...['won', 'lost', 'lost', 'lost'].map((s) => deal('2026-05-01T00:00:00Z', { 'deals.stage': `sales.${s}`, 'deals.owner': 'bob' })),
      ...['won'].map((s) => deal('2026-05-01T00:00:00Z', { 'deals.stage': `sales.${s}`, 'deals.owner': 'cy' })),
    ]
    const def: ReportDefinition = {
      id: 'w', name: 'Win rate', entity: 'deals', filters: [], groups: [{ field: 'deals.owner' }],
      measures: [{ key: 'win_rate', label: 'Win rate', op: 'rate', where: [{ field: '$stageKind', op: 'equals', value: 'won' }], of: [{ field: '$stageKind', op: 'equals', value: ['won', 'lost'] }] }],
      sort: { measure: 0, desc: true }, limit: 2,
    }
    const r = runReport(def, rows, ctx({ memberName: (id) => ({ ann: 'Ann', bob: 'Bob' } as Record<string, string>)[id] }))
    expect(r.rows.map((row) => [row.labels[0], row.values[0]])).toEqual([['cy', 1], ['Ann', 2 / 3]])
  })

  it('created vs won: the won count falls in the month each deal was won (its stage change\'s time)', () => {
    const won = (created: string, at: string) => deal(created, { 'deals.stage': 'sales.won', 'stage@x1': { from: 'sales.new', to: 'sales.won', at, by: 'u1' } })
    const rows = [won('2026-03-10T00:00:00Z', '2026-04-02T00:00:00Z'), won('2026-04-10T00:00:00Z', '2026-04-20T00:00:00Z'), deal('2026-04-11T00:00:00Z', { 'deals.stage': 'sales.new' })]
    const def: ReportDefinition = {
      id: 'cw', name: 'Created vs won', entity: 'deals', filters: [], groups: [{ field: '$createdAt', bucket: 'month' }],
      period: { field: '$createdAt', from: '2026-03-01', to: '2026-04-30' },
      measures: [{ key: 'created', label: 'Created', op: 'count' }, { key: 'won', label: 'Won', op: 'count', date: '$closedAt', where: [{ field: '$stageKind', op: 'equals', value: 'won' }] }],
    }
    expect(table(runReport(def, rows, ctx()))).toEqual([['2026-03', 1, 0], ['2026-04', 2, 2]])
  })

  it('share: each group\'s part of the total over all groups, of the records or of a field\'s sum, before top N, per currency when money is per currency', () => {
    const eur = (amount: number) => ({ amount: amount * 100, currency: 'EUR' })
    const rows = [
      deal('2026-05-01T10:00:00Z', { 'deals.source': 'Website', 'deals.amount': eur(100) }),
      deal('2026-05-02T10:00:00Z', { 'deals.source': 'Website', 'deals.amount': eur(200) }),
      deal('2026-05-03T10:00:00Z', { 'deals.source': 'Referral', 'deals.amount': eur(500) }),
      deal('2026-05-04T10:00:00Z', { 'deals.source': 'Event', 'deals.amount': { amount: 20_000, currency: 'USD' } }),
    ]
    const def = countBy({ field: 'deals.source' }, {
      measures: [{ key: 'share', label: 'Share of deals', op: 'share' }, { key: 'share_amount', label: 'Share of amount', op: 'share', field: 'deals.amount' }],
      sort: { measure: 1, desc: true }, limit: 2,
    })
    // converted: 100 + 200 + 500 EUR + 200 USD × 0.9 = 980 EUR
    const shares = Object.fromEntries(runReport(def, rows, ctx()).rows.map((r) => [r.keys[0], r.values]))
    expect(shares).toEqual({ Referral: [1 / 4, 500 / 980], Website: [2 / 4, 300 / 980] })
    // per currency: the EUR groups share the EUR total, the USD one is all of its own
    const perCurrency = runReport({ ...def, money: 'perCurrency', limit: undefined }, rows, ctx()).rows.filter((r) => r.values[0] !== null)
    expect(Object.fromEntries(perCurrency.map((r) => [`${r.keys[0]} ${r.currency}`, r.values[1]]))).toEqual({ 'Referral EUR': 500 / 800, 'Website EUR': 300 / 800, 'Event USD': 1 })
    expect(() => runReport({ ...def, measures: [{ key: 's', label: 'Share', op: 'share', field: 'deals.title' }] }, [], ctx())).toThrow(/share needs a number or money field/)
  })

  it('refuses what does not fit the entity, naming it', () => {
    expect(() => runReport(countBy({ field: 'deals.nope' }), [], ctx())).toThrow(ReportError)
    expect(() => runReport(countBy({ field: 'deals.owner', bucket: 'month' }), [], ctx())).toThrow(/not a date bucket of a date field/)
    expect(() => runReport({ ...countBy({ field: 'deals.owner' }), measures: [{ key: 's', label: 'Sum', op: 'sum', field: 'deals.title' }] }, [], ctx())).toThrow(/Sum: sum needs a number or money field/)
  })
})

describe('the records behind a row (a click on a bar lists them)', () => {
  it('lists each row\'s records once, only when asked, deleted ones left out', () => {
    const rows = [
      deal('2026-05-01T10:00:00Z', { 'deals.source': 'Website' }),
      deal('2026-05-02T10:00:00Z', { 'deals.source': 'Website' }),
      deal('2026-05-03T10:00:00Z', { 'deals.source': 'Referral' }),
      deal('2026-05-04T10:00:00Z', { 'deals.source': 'Website' }, { deletedAt: '2026-05-05T10:00:00Z' }),
    ]
    const def = countBy({ field: 'deals.source' }, { measures: [{ key: 'deals', label: 'Deals', op: 'count' }, { key: 'created', label: 'Created', op: 'count', date: '$createdAt' }] })
    const ran = runReport(def, rows, ctx({ recordIds: true }))
    const ids = Object.fromEntries(ran.rows.map((r) => [r.keys[0], r.recordIds]))
    expect(ids.Website).toEqual([rows[0]!.id, rows[1]!.id])
    expect(ids.Referral).toEqual([rows[2]!.id])
    expect(runReport(def, rows, ctx()).rows[0]!.recordIds).toBeUndefined()
  })
})
