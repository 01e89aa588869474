import { instantMs } from '../instantMs'
import { DAY_MS } from '../localDays'
import { livePipelines, liveStages, type Pipeline, type StageKind } from '../pipelines/pipeline'
import { stageTimeline } from './stageTimeline'
import { spanInstants, spanOfDates } from '../relativePeriod'
import type { EntityDef, Row } from '../schema'
import { makeMoneyConverter, moneyOf, roundMoney, type CurrencyRates } from './currencyRates'
import { makeDealStages } from './reportFields'
import { factsKey, rowFacts } from './rowFacts'

/** Which deals a funnel counts: those created, or those closed (won or lost), in the period. */
export type FunnelBasis = 'created' | 'closed'

export interface FunnelQuery {
  /** A pipeline id; default the first live pipeline. */
  pipeline?: string
  /** `YYYY-MM-DD`, both inclusive, days in the workspace's time zone; an absent side is open. */
  from?: string
  to?: string
  basis?: FunnelBasis
  /** A member id: only their deals. */
  owner?: string
  /** A source option: only deals from it. */
  source?: string
  /** List each stage's deals (a click on a stage); off, `dealIds` are empty and nothing is collected. */
  withDeals?: boolean
}

export interface FunnelContext { entity: EntityDef; pipelines: readonly Pipeline[]; now: Date; timeZone: string; rates: CurrencyRates }

export interface FunnelStage {
  id: string
  name: string
  kind: StageKind
  /** Deals that reached this stage (are in it or went past it). */
  count: number
  /** Their amount in the report currency (major units); deals in a currency without a rate are left out. */
  amount: number
  /** Deals in this stage now. */
  inStage: number
  /** count ÷ the previous stage's count (null for the first stage, or after a stage nobody reached). */
  conversionFromPrevious: number | null
  conversionFromFirst: number | null
  /** Deals that reached the previous stage but not this one. */
  dropOff: number
  /** Average days a deal spent in this stage before it moved on (each deal's visits added up); null when none has left it. */
  avgDaysInStage: number | null
  /** The deals counted, for a click on the stage to list them (when the query asks withDeals). */
  dealIds: string[]
}

export interface Funnel {
  pipeline: { id: string; name: string }
  basis: FunnelBasis
  from: string | null
  to: string | null
  currency: string
  /** The pipeline's open and won stages in order: the steps a deal goes through. */
  stages: FunnelStage[]
  /** Lost stages: where deals left the funnel. */
  lost: { id: string; name: string; count: number; amount: number }[]
  deals: number
  won: number
  lostCount: number
  /** won ÷ (won + lost) of the deals counted; null when none is closed. */
  winRate: number | null
  withoutRate: string[]
}

export class FunnelError extends Error {}

const OPEN = 0, WON = 1, LOST = 2

/** The facts of a run's deals as columns, place by place (counted 0: left out); days and visits `steps` wide per deal. */
interface DealColumns {
  size: number
  counted: Uint8Array
  missing: Uint8Array
  furthest: Int16Array
  step: Int16Array
  kind: Uint8Array
  lost: Int16Array
  amount: Float64Array
  visited: Uint8Array
  days: Float64Array
  place(r: number, facts: DealFacts | null): void
}

function makeDealColumns(size: number, steps: number, lostIds: string[]): DealColumns {
  const cols: DealColumns = {
    size,
    counted: new Uint8Array(size), missing: new Uint8Array(size), furthest: new Int16Array(size), step: new Int16Array(size),
    kind: new Uint8Array(size), lost: new Int16Array(size), amount: new Float64Array(size),
    visited: new Uint8Array(size * steps), days: new Float64Array(size * steps),
    place(r, facts) {
      cols.counted[r] = facts ? 1 : 0
      cols.visited.fill(0, r * steps, (r + 1) * steps)
      if (!facts) return
      cols.missing[r] = facts.missing === null ? 0 : 1
      cols.furthest[r] = facts.furthest
      cols.step[r] = facts.step
      cols.kind[r] = facts.kind === 'won' ? WON : facts.kind === 'lost' ? LOST : OPEN
      cols.lost[r] = lostIds.indexOf(facts.stage)
      cols.amount[r] = facts.amount
      for (let k = 0; k < facts.stages.length; k++) {
        cols.visited[r * steps + facts.stages[k]!] = 1
        cols.days[r * steps + facts.stages[k]!] = facts.days[k]!
      }
    },
  }
  return cols
}

/** What a funnel keeps of a deal it counts (rowFacts): its furthest step, its step now (-1: none), stage, amount, and days per step visited. */
interface DealFacts { furthest: number; step: number; kind: StageKind; stage: string; amount: number; missing: string | null; stages: number[]; days: number[] }

/**
 * The funnel of one pipeline. A deal counts in every stage up to the furthest it reached, read
 * from its current stage and its stage history (a deal moved straight from New to Won went past
 * the stages between); a lost deal counts up to the furthest stage it reached before it was lost
 * (the first stage when its history does not say). Time in stage comes from the stage changes'
 * own times, ordered by `at` as stageChangesOf orders them, so a change made offline and synced later sits
 * where it happened.
 */
export function runFunnel(query: FunnelQuery, rows: readonly Row[], ctx: FunnelContext): Funnel {
  const live = livePipelines(ctx.pipelines)
  const pipeline = query.pipeline === undefined ? live[0] : live.find((p) => p.id === query.pipeline)
  if (!pipeline) throw new FunnelError(query.pipeline === undefined ? 'the workspace has no pipeline' : `no pipeline "${query.pipeline}" (pipelines: ${live.map((p) => p.id).join(', ')})`)
  const deals = makeDealStages(ctx.entity, ctx)
  if (!deals) throw new FunnelError(`${ctx.entity.label} have no stage field`)
  const field = (key: string) => ctx.entity.fields.find((f) => f.key === key && !f.deletedAt)
  const owner = field('owner')
  const source = field('source')
  const amountField = ctx.entity.fields.find((f) => f.key === 'amount' && f.type === 'money' && !f.deletedAt)

  const steps = liveStages(pipeline).filter((s) => s.kind !== 'lost')
  const stepOf = new Map(steps.map((s, i) => [s.id, i]))
  const lostStages = liveStages(pipeline).filter((s) => s.kind === 'lost')
  const basis = query.basis ?? 'created'
  const { startMs, endMs } = spanInstants(spanOfDates(query.from, query.to), ctx.timeZone)

  const counts = steps.map(() => ({ count: 0, amount: 0, inStage: 0, daysSum: 0, daysDeals: 0, ids: [] as string[] }))
  const lost = new Map(lostStages.map((s) => [s.id, { id: s.id, name: s.name, count: 0, amount: 0 }]))
  const withoutRate = new Set<string>()
  const convert = makeMoneyConverter(ctx.rates)
  let total = 0, won = 0, lostCount = 0
  // one deal's days per stage, reused from deal to deal
  const dealDays = new Float64Array(steps.length)
  const touched: number[] = []
  let fromStep = new Int16Array(8)
  let toStep = new Int16Array(8)
  const visit = (i: number, fromMs: number, toMs: number) => {
    if (i < 0) return
    if (dealDays[i] === 0 && !touched.includes(i)) touched.push(i)
    dealDays[i] = dealDays[i]! + Math.max(0, toMs - fromMs) / DAY_MS
  }

  const factsOf = (row: Row): DealFacts | null => {
    if (row.deletedAt || row.purgedAt) return null
    const found = deals.stageOf(row)
    // the stage says the pipeline (a stage edit writes the pipeline with it)
    if (!found || found.pipeline.id !== pipeline.id) return null
    if (query.owner !== undefined && (!owner || row.values[owner.id] !== query.owner)) return null
    if (query.source !== undefined && (!source || row.values[source.id] !== query.source)) return null
    const at = basis === 'created' ? row.createdAt : deals.closedAt(row)
    if (!at) return null
    const atMs = instantMs(at)
    if (!(atMs >= startMs && atMs < endMs)) return null

    const changes = stageTimeline(row)
    const n = changes.length
    // each change's stages as steps of this funnel (-1: none of its steps), looked up once
    if (n > toStep.length) { fromStep = new Int16Array(n * 2); toStep = new Int16Array(n * 2) }
    const step = stepOf.get(found.stage.id)
    let furthest = step ?? 0
    for (let k = 0; k < n; k++) {
      const from = changes.from[k], to = changes.to[k]
      const a = from === null || from === undefined ? -1 : stepOf.get(from) ?? -1
      const b = to === null || to === undefined ? -1 : stepOf.get(to) ?? -1
      fromStep[k] = a
      toStep[k] = b
      if (a > furthest) furthest = a
      if (b > furthest) furthest = b
    }
    const money = amountField ? moneyOf(row.values[amountField.id]) : null
    let amount = 0
    let missing: string | null = null
    if (money) {
      const converted = convert(money)
      if (converted === null) missing = money.currency
      else amount = converted
    }
    // completed visits only: the stage a deal sits in now has no length yet
    touched.length = 0
    let previousMs = n ? changes.ms[0]! : 0
    if (n && row.createdAt) visit(fromStep[0]!, basis === 'created' ? atMs : instantMs(row.createdAt), previousMs)
    for (let i = 0; i + 1 < n; i++) {
      const nextMs = changes.ms[i + 1]!
      visit(toStep[i]!, previousMs, nextMs)
      previousMs = nextMs
    }
    const days = touched.map((i) => dealDays[i]!)
    for (const i of touched) dealDays[i] = 0
    return { furthest, step: step ?? -1, kind: found.stage.kind, stage: found.stage.id, amount, missing, stages: touched.slice(), days }
  }

  const kept = rowFacts<DealFacts | null>(factsKey(['funnel', pipeline.id, basis, startMs, endMs, query.owner ?? null, query.source ?? null, ctx.entity, ctx.pipelines, ctx.timeZone, ctx.rates]))
  const { facts: all, moved } = kept.of(rows, factsOf)
  // the deals' facts as columns in the rows' order: adding 100k deals up reads them one after the other
  let cols = kept.columns as DealColumns | undefined
  if (!cols || cols.size !== rows.length) {
    cols = makeDealColumns(rows.length, steps.length, lostStages.map((s) => s.id))
    kept.columns = cols
    for (let r = 0; r < rows.length; r++) cols.place(r, all[r]!)
  } else {
    for (const r of moved) cols.place(r, all[r]!)
  }
  const lostList = [...lost.values()]
  const width = steps.length
  for (let r = 0; r < rows.length; r++) {
    if (!cols.counted[r]) continue
    total++
    const missing = cols.missing[r] ? all[r]!.missing : null
    if (missing !== null) withoutRate.add(missing)
    const amount = cols.amount[r]!
    const furthest = cols.furthest[r]!
    for (let i = 0; i <= furthest && i < counts.length; i++) {
      const c = counts[i]!
      c.count++
      c.amount += amount
      if (query.withDeals) c.ids.push(rows[r]!.id)
    }
    const step = cols.step[r]!
    if (step >= 0) counts[step]!.inStage++
    const kind = cols.kind[r]
    if (kind === WON) won++
    if (kind === LOST) {
      lostCount++
      const l = lostList[cols.lost[r]!]
      if (l) { l.count++; l.amount += amount }
    }
    const at = r * width
    for (let i = 0; i < width; i++) {
      if (!cols.visited[at + i]) continue
      const c = counts[i]!
      c.daysSum += cols.days[at + i]!
      c.daysDeals++
    }
  }

  const round = (v: number) => roundMoney(v, ctx.rates.currency)
  const first = counts[0]?.count ?? 0
  const stages = steps.map((s, i): FunnelStage => {
    const c = counts[i]!
    const previous = i === 0 ? null : counts[i - 1]!.count
    return {
      id: s.id, name: s.name, kind: s.kind, count: c.count, amount: round(c.amount), inStage: c.inStage,
      conversionFromPrevious: previous ? c.count / previous : null,
      conversionFromFirst: first ? c.count / first : null,
      dropOff: previous === null ? 0 : previous - c.count,
      avgDaysInStage: c.daysDeals ? c.daysSum / c.daysDeals : null,
      dealIds: c.ids,
    }
  })
  return {
    pipeline: { id: pipeline.id, name: pipeline.name }, basis, from: query.from ?? null, to: query.to ?? null, currency: ctx.rates.currency,
    stages, lost: [...lost.values()].map((l) => ({ ...l, amount: round(l.amount) })), deals: total, won, lostCount,
    winRate: won + lostCount ? won / (won + lostCount) : null, withoutRate: [...withoutRate].sort(),
  }
}
