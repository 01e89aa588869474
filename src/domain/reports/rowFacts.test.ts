import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import { defaultPipeline, type Pipeline } from '../pipelines/pipeline'
import { stageChoices } from '../pipelines/stageChoices'
import type { EntityDef, Row } from '../schema'
import { seededRandom } from '../seededRandom'
import { runFunnel, type FunnelContext, type FunnelQuery } from './funnel'
import { READY_REPORTS } from './readyReports'
import type { ReportDefinition } from './reportDefinition'
import { runReport, type ReportContext } from './runReport'
import { forgetRowFacts, forgetRowReadings, keptKeyCount } from './rowFacts'

/*
 * Reports keep each row's facts between runs (rowFacts). A cached run must read exactly as a run
 * over rows it has never seen: copies of the same records are new Row objects, so running on
 * copies works everything out again and is the reference each cached run is compared with.
 */
const pipelines = [defaultPipeline()]
const dealsOf = (ps: readonly Pipeline[]): EntityDef => {
  const e = defaultSchema().entities.find((x) => x.id === 'deals')!
  return { ...e, fields: e.fields.map((f) => (f.choicesFrom === 'stages' ? { ...f, choices: stageChoices(ps) } : f)) }
}
const deals = dealsOf(pipelines)
const STAGES = pipelines[0]!.stages
const DAY_MS = 86_400_000

function makeDeals(count: number, seed: number): Row[] {
  const r = seededRandom(seed)
  return Array.from({ length: count }, (_, i) => {
    const created = Date.UTC(2025, 4, 1) + r.int(0, 400) * DAY_MS + r.int(0, 86_399) * 1000
    const target = r.int(0, STAGES.length - 1)
    const values: Record<string, unknown> = {
      'deals.amount': { amount: r.int(1, 5000) * 100, currency: r.pick(['EUR', 'USD', 'GBP']) },
      'deals.owner': r.pick(['u1', 'u2', 'u3']),
      'deals.source': r.pick(['Website', 'Referral', 'Event']),
      'deals.close_date': new Date(created + r.int(0, 200) * DAY_MS).toISOString().slice(0, 10),
    }
    if (r.next() < 0.3) values['deals.probability'] = r.int(0, 100)
    let at = created
    let from: string | null = null
    for (let s = 0; s <= target; s++) {
      if (s > 0 && r.next() < 0.3 && s !== target) continue
      const to = STAGES[s]!.id
      values[`stage@k${s}`] = { from, to, at: new Date(at).toISOString(), by: 'u1' }
      from = to
      at += r.int(1, 15) * DAY_MS
    }
    values['deals.stage'] = STAGES[target]!.id
    return { id: `d${seed}-${i}`, createdAt: new Date(created).toISOString(), createdBy: 'u1', values: values as Row['values'] }
  })
}

const context = (o: Partial<ReportContext> = {}): ReportContext => ({
  entity: deals, pipelines, memberId: 'u1', now: new Date('2026-05-15T12:00:00Z'), timeZone: 'Europe/Berlin',
  rates: { currency: 'EUR', rates: { USD: 0.9, GBP: 1.15 } }, ...o,
})
const fresh = (rows: readonly Row[]) => rows.map((row) => ({ ...row }))

const definitions: ReportDefinition[] = [
  ...READY_REPORTS.flatMap((r) => (r.kind === 'engine' && r.definition.entity === 'deals' ? [r.definition] : [])),
  {
    id: 'by_owner_and_week', name: 'Per owner and week, per currency, against the weeks before', entity: 'deals',
    filters: [{ field: 'deals.owner', op: 'isMe' }], period: { field: '$createdAt', relative: 'last90Days' }, comparePrevious: true,
    groups: [{ field: 'deals.source' }, { field: '$createdAt', bucket: 'week' }], money: 'perCurrency',
    measures: [
      { key: 'n', label: 'Deals', op: 'count' },
      { key: 'avg', label: 'Average', op: 'avg', field: 'deals.amount' },
      { key: 'min', label: 'Min', op: 'min', field: 'deals.amount' },
      { key: 'max', label: 'Max', op: 'max', field: 'deals.amount' },
      { key: 'won', label: 'Won share', op: 'rate', where: [{ field: '$stageKind', op: 'equals', value: 'won' }] },
    ],
  },
]

/** Runs each definition on `rows` (its facts kept from earlier runs) and on fresh copies; they must agree. */
function expectAsUncached(rows: readonly Row[], ctx: ReportContext): ReturnType<typeof runReport>[] {
  return definitions.map((def) => {
    const cached = runReport(def, rows, ctx)
    expect(cached, def.id).toEqual(runReport(def, fresh(rows), ctx))
    return cached
  })
}

const withAmount = (row: Row, amount: number): Row => ({ ...row, values: { ...row.values, 'deals.amount': { amount, currency: 'EUR' } } as Row['values'] })
const wonNow = (row: Row, at: string): Row => ({
  ...row, values: { ...row.values, 'deals.stage': 'sales.won', 'stage@edit': { from: row.values['deals.stage'] ?? null, to: 'sales.won', at, by: 'u2' } } as unknown as Row['values'],
})

describe('reports keep each row\'s facts between runs (rowFacts)', () => {
  it('a changed, a removed and an added row read as a run that kept nothing', () => {
    const rows = makeDeals(300, 1)
    const first = expectAsUncached(rows, context())
    const changed = rows.slice()
    changed[10] = withAmount(changed[10]!, 99_999_900)
    changed[20] = wonNow(changed[20]!, '2026-05-01T09:00:00.000Z')
    const second = expectAsUncached(changed, context())
    // the edits show (else the comparison above proves nothing)
    expect(second).not.toEqual(first)
    const removed = changed.filter((_, i) => i !== 5)
    expect(expectAsUncached(removed, context())).not.toEqual(second)
    const added = [makeDeals(1, 2)[0]!, ...removed, ...makeDeals(2, 3)]
    expectAsUncached(added, context())
    const deleted = added.slice()
    deleted[7] = { ...deleted[7]!, deletedAt: '2026-05-02T00:00:00.000Z' }
    expectAsUncached(deleted, context())
  })

  it('after many edits (the slots of replaced rows let go and the live ones moved) each run still reads as one that kept nothing', () => {
    const rows = makeDeals(300, 11)
    const funnelCtx = { entity: deals, pipelines, now: new Date('2026-05-15T12:00:00Z'), timeZone: 'Europe/Berlin', rates: { currency: 'EUR', rates: { USD: 0.9, GBP: 1.15 } } }
    // 20 rounds of 100 edited deals: 2000 rows worked out again, more than twice the 300 rows and the slack
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 100; i++) {
        const at = (round * 37 + i * 3) % rows.length
        rows[at] = withAmount(rows[at]!, (round + 1) * 100 + i)
      }
      for (const def of definitions) runReport(def, rows, context())
      runFunnel({ pipeline: 'sales', withDeals: true }, rows, funnelCtx)
    }
    expectAsUncached(rows, context())
    expect(runFunnel({ pipeline: 'sales', withDeals: true }, rows, funnelCtx)).toEqual(runFunnel({ pipeline: 'sales', withDeals: true }, fresh(rows), funnelCtx))
  })

  it('a row replaced in the same array object between runs is read again', () => {
    const rows = makeDeals(100, 4)
    for (const def of definitions) runReport(def, rows, context())
    rows[3] = withAmount(rows[3]!, 12_345_600)
    rows.pop()
    expectAsUncached(rows, context())
  })

  it('a change of time zone, rates, member, pipelines, fields or "now" works the rows out again', () => {
    const rows = makeDeals(300, 5)
    const base = expectAsUncached(rows, context())
    expect(expectAsUncached(rows, context({ timeZone: 'Pacific/Auckland' }))).not.toEqual(base)
    expect(expectAsUncached(rows, context({ rates: { currency: 'EUR', rates: { USD: 2, GBP: 3 } } }))).not.toEqual(base)
    expect(expectAsUncached(rows, context({ memberId: 'u2' }))).not.toEqual(base)
    expect(expectAsUncached(rows, context({ now: new Date('2026-08-20T12:00:00Z') }))).not.toEqual(base)
    // proposals now count as won, at another probability
    const moved = [{ ...pipelines[0]!, stages: pipelines[0]!.stages.map((s) => (s.id === 'sales.proposal' ? { ...s, kind: 'won' as const, probability: 100 } : s)) }]
    expect(expectAsUncached(rows, context({ pipelines: moved, entity: dealsOf(moved) }))).not.toEqual(base)
    // the probability field removed: the forecast weighs by the stages' probabilities only
    const withoutProbability = { ...deals, fields: deals.fields.map((f) => (f.key === 'probability' ? { ...f, deletedAt: '2026-05-01T00:00:00.000Z' } : f)) }
    expect(expectAsUncached(rows, context({ entity: withoutProbability }))).not.toEqual(base)
    expectAsUncached(rows, context())
  })

  it('a definition changed under the same id is worked out again', () => {
    const rows = makeDeals(200, 6)
    const def = definitions.find((d) => d.id === 'pipeline_value_by_stage')!
    const before = runReport(def, rows, context())
    const owned: ReportDefinition = { ...def, filters: [...def.filters, { field: 'deals.owner', op: 'equals', value: ['u3'] }] }
    const after = runReport(owned, rows, context())
    expect(after).toEqual(runReport(owned, fresh(rows), context()))
    expect(after).not.toEqual(before)
  })
})

describe('a report bounded by the instant now (past, future)', () => {
  it('keeps nothing, and follows now', () => {
    const rows = makeDeals(200, 10)
    const overdue: ReportDefinition = { id: 'closing_past', name: 'Close date past', entity: 'deals', filters: [{ field: 'deals.close_date', op: 'relative', value: 'past' }], groups: [{ field: 'deals.owner' }], measures: [{ key: 'n', label: 'Deals', op: 'count' }] }
    // enough runs of one report that every other key goes idle and is let go
    for (let i = 0; i < 70; i++) runReport(definitions[0]!, rows, context())
    expect(keptKeyCount()).toBe(1)
    const at = (now: string) => {
      const ctx = context({ now: new Date(now) })
      const cached = runReport(overdue, rows, ctx)
      expect(cached).toEqual(runReport(overdue, fresh(rows), ctx))
      return cached
    }
    expect(at('2025-09-01T12:00:00Z')).not.toEqual(at('2026-01-01T12:00:00Z'))
    at('2026-01-01T12:00:01Z')
    expect(keptKeyCount()).toBe(1)
  })
})

describe('the funnel keeps each deal\'s facts between runs', () => {
  const funnelCtx = (o: Partial<FunnelContext> = {}): FunnelContext => ({ entity: deals, pipelines, now: new Date('2026-05-15T12:00:00Z'), timeZone: 'Europe/Berlin', rates: { currency: 'EUR', rates: { USD: 0.9, GBP: 1.15 } }, ...o })
  const queries: FunnelQuery[] = [{}, { basis: 'closed', from: '2025-06-01', to: '2026-03-31' }, { owner: 'u2', source: 'Event', withDeals: true }]
  const expectAsUncached = (rows: readonly Row[], ctx: FunnelContext) => queries.map((q) => {
    const cached = runFunnel(q, rows, ctx)
    expect(cached).toEqual(runFunnel(q, fresh(rows), ctx))
    return cached
  })

  it('after a deal moves, one is removed and one added', () => {
    const rows = makeDeals(300, 7)
    const first = expectAsUncached(rows, funnelCtx())
    const changed = rows.slice()
    changed[1] = wonNow(changed[1]!, '2026-01-10T09:00:00.000Z')
    changed[2] = withAmount(changed[2]!, 77_700)
    const second = expectAsUncached(changed, funnelCtx())
    expect(second).not.toEqual(first)
    expect(expectAsUncached(changed.slice(1), funnelCtx())).not.toEqual(second)
    expectAsUncached([...makeDeals(3, 8), ...changed], funnelCtx())
  })

  it('after the time zone or the rates change', () => {
    const rows = makeDeals(300, 9)
    const base = expectAsUncached(rows, funnelCtx())
    expect(expectAsUncached(rows, funnelCtx({ rates: { currency: 'EUR', rates: { USD: 2 } } }))).not.toEqual(base)
    // deals created around midnight fall on other days: the period's edges move
    const edges = { from: '2025-09-01', to: '2025-12-31' }
    const berlin = runFunnel(edges, rows, funnelCtx())
    const tokyo = runFunnel(edges, rows, funnelCtx({ timeZone: 'Asia/Tokyo' }))
    expect(tokyo).toEqual(runFunnel(edges, fresh(rows), funnelCtx({ timeZone: 'Asia/Tokyo' })))
    expect(tokyo).not.toEqual(berlin)
  })
})

describe('every report reads the deals\' readings kept across report keys (dealReadings)', () => {
  const funnelCtx: FunnelContext = { entity: deals, pipelines, now: new Date('2026-05-15T12:00:00Z'), timeZone: 'Europe/Berlin', rates: { currency: 'EUR', rates: { USD: 0.9, GBP: 1.15 } } }
  const queries: FunnelQuery[] = [{ withDeals: true }, { basis: 'closed', from: '2025-06-01', to: '2026-03-31', withDeals: true }]
  // copies of the rows with deleted ones after them (counted nowhere): too long to be taken for
  // the cached set of rows, whose readings (kept by place) a same-length set could reuse
  const deleted = makeDeals(40, 15).map((row) => ({ ...row, deletedAt: '2026-01-01T00:00:00.000Z' }))
  const reference = (rows: readonly Row[]) => [...fresh(rows), ...deleted]
  const expectAllAsUncached = (rows: readonly Row[]) => {
    const reports = definitions.map((def) => {
      const cached = runReport(def, rows, context())
      expect(cached, def.id).toEqual(runReport(def, reference(rows), context()))
      return cached
    })
    const funnels = queries.map((q) => {
      const cached = runFunnel(q, rows, funnelCtx)
      expect(cached).toEqual(runFunnel(q, reference(rows), funnelCtx))
      return cached
    })
    return { reports, funnels }
  }

  it('a deal edited after a report read it changes the next report\'s first run', () => {
    const rows = makeDeals(300, 12)
    const before = expectAllAsUncached(rows)
    // an open deal won: its stage and close time, read by every report, change
    const at = rows.findIndex((row) => row.values['deals.stage'] === 'sales.new')
    rows[at] = wonNow(rows[at]!, '2026-05-02T09:00:00.000Z')
    // every report key is let go, the readings stay: each report's first run reads them
    forgetRowFacts()
    const after = expectAllAsUncached(rows)
    expect(after.reports).not.toEqual(before.reports)
    expect(after.funnels).not.toEqual(before.funnels)
  })

  it('after random edits, moves, removals and additions, a first run and a warm run read as runs that kept nothing', () => {
    const r = seededRandom(13)
    let rows = makeDeals(400, 14)
    let added = 0
    for (let round = 0; round < 12; round++) {
      const next = rows.slice()
      for (let e = 0; e < r.int(1, 40); e++) {
        const at = r.int(0, next.length - 1)
        const kind = r.int(0, 4)
        if (kind === 0) next[at] = withAmount(next[at]!, r.int(1, 90_000) * 100)
        else if (kind === 1) next[at] = wonNow(next[at]!, new Date(Date.UTC(2025, 6, 1) + r.int(0, 300) * DAY_MS).toISOString())
        else if (kind === 2) next[at] = { ...next[at]!, deletedAt: '2026-05-02T00:00:00.000Z' }
        else if (kind === 3) next.splice(at, 1)
        else next.splice(at, 0, ...makeDeals(1, 100 + added++))
      }
      rows = next
      if (round % 2 === 0) forgetRowFacts()
      expectAllAsUncached(rows)
    }
    // and with nothing kept at all
    forgetRowReadings()
    forgetRowFacts()
    expectAllAsUncached(rows)
  })
})
