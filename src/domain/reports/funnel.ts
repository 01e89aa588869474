import { livePipelines, liveStages, type Pipeline, type StageKind } from '../pipelines/pipeline'
import { AMOUNT, CLOSED_MS, CREATED_MS, CURRENCY, FURTHEST, STAGE, STEP, dealReadings, dealSteps } from './dealReadings'
import { spanInstants, spanOfDates } from '../relativePeriod'
import type { EntityDef, Row } from '../schema'
import { makeMoneyConverter, roundMoney, type CurrencyRates } from './currencyRates'
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
  /** Lost stages: where deals left the funnel; `dealIds` the deals lost there (when the query asks withDeals). */
  lost: { id: string; name: string; count: number; amount: number; dealIds: string[] }[]
  deals: number
  won: number
  lostCount: number
  /** won ÷ (won + lost) of the deals counted; null when none is closed. */
  winRate: number | null
  withoutRate: string[]
}

export class FunnelError extends Error {}

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
  // what does not depend on the query is read once per version of the rows, for every report
  // (dealReadings): a funnel's first run only says which deals it counts
  const readings = dealReadings(rows, ctx.entity, ctx)
  if (!readings) throw new FunnelError(`${ctx.entity.label} have no stage field`)
  const field = (key: string) => ctx.entity.fields.find((f) => f.key === key && !f.deletedAt)
  const owner = field('owner')
  const source = field('source')

  const steps = liveStages(pipeline).filter((s) => s.kind !== 'lost')
  const lostStages = liveStages(pipeline).filter((s) => s.kind === 'lost')
  const basis = query.basis ?? 'created'
  const { startMs, endMs } = spanInstants(spanOfDates(query.from, query.to), ctx.timeZone)

  const counts = steps.map(() => ({ count: 0, amount: 0, inStage: 0, daysSum: 0, daysDeals: 0, ids: [] as string[] }))
  const lost = new Map(lostStages.map((s) => [s.id, { id: s.id, name: s.name, count: 0, amount: 0, dealIds: [] as string[] }]))
  const withoutRate = new Set<string>()
  const convert = makeMoneyConverter(ctx.rates)
  let total = 0, won = 0, lostCount = 0

  const stageOf = readings.stages
  const counted = (row: Row, _: unknown, place: number): 1 | null => {
    const slot = readings.facts[place]
    if (slot === null || slot === undefined) return null
    const { ints, floats } = readings.slots
    const stageNo = ints[STAGE]![slot]!
    // the stage says the pipeline (a stage edit writes the pipeline with it)
    if (stageNo < 0 || stageOf[stageNo]!.pipeline.id !== pipeline.id) return null
    if (query.owner !== undefined && (!owner || row.values[owner.id] !== query.owner)) return null
    if (query.source !== undefined && (!source || row.values[source.id] !== query.source)) return null
    const atMs = floats[basis === 'created' ? CREATED_MS : CLOSED_MS]![slot]!
    return atMs >= startMs && atMs < endMs ? 1 : null
  }

  const width = steps.length
  const kept = rowFacts<1 | null, null>(factsKey(['funnel', pipeline.id, basis, startMs, endMs, query.owner ?? null, query.source ?? null, ctx.entity, ctx.pipelines, ctx.timeZone]), () => null)
  const { facts: all } = kept.of(rows, counted)
  const stepsRead = dealSteps(rows, readings, ctx.entity, ctx)
  const { ints, floats } = readings.slots
  const stageNoOf = ints[STAGE]!, currencyOf = ints[CURRENCY]!, amountOf = floats[AMOUNT]!
  const furthestOf = stepsRead.slots.ints[FURTHEST]!, stepNow = stepsRead.slots.ints[STEP]!, daysOf = stepsRead.slots.floats
  // each currency's amount in the report currency (null: no rate), converted once per currency
  const factors = readings.currencies.map((currency) => convert({ amount: 1, currency }))
  const lostList = [...lost.values()]
  for (let r = 0; r < rows.length; r++) {
    if (all[r] !== 1) continue
    const slot = readings.facts[r]!, at = stepsRead.facts[r]!
    total++
    const c = currencyOf[slot]!
    let amount = 0
    if (c >= 0) {
      const factor = factors[c]
      if (factor === null || factor === undefined) withoutRate.add(readings.currencies[c]!)
      else amount = amountOf[slot]! * factor
    }
    const furthest = furthestOf[at]!
    for (let i = 0; i <= furthest && i < counts.length; i++) {
      const c = counts[i]!
      c.count++
      c.amount += amount
      if (query.withDeals) c.ids.push(rows[r]!.id)
    }
    const step = stepNow[at]!
    if (step >= 0) counts[step]!.inStage++
    const stageNo = stageNoOf[slot]!
    const kind = stageOf[stageNo]!.stage.kind
    if (kind === 'won') won++
    if (kind === 'lost') {
      lostCount++
      const l = lostList[readings.lostAt[stageNo]!]
      if (l) {
        l.count++
        l.amount += amount
        if (query.withDeals) l.dealIds.push(rows[r]!.id)
      }
    }
    for (let i = 0; i < width; i++) {
      const days = daysOf[i]![at]!
      if (Number.isNaN(days)) continue
      const c = counts[i]!
      c.daysSum += days
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
