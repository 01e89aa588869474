import { instantMs } from '../instantMs'
import { DAY_MS } from '../localDays'
import { livePipelines, liveStages, type Pipeline, type StageKind } from '../pipelines/pipeline'
import { makeStageTimelineReader } from './stageTimeline'
import { compactFactSlots, makeFactSlots, type FactSlots } from './factSlots'
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

const OPEN = 0, WON = 1, LOST = 2
// a deal's slot (factSlots): ints, then floats — its amount and its days per step (NaN: not visited)
const FURTHEST = 0, STEP = 1, KIND = 2, LOST_AT = 3, MISSING = 4
const AMOUNT = 0, DAYS = 1

/** What a funnel keeps of the deals it counts: one slot each (its facts are the slot's number; null: left out), the currencies without a rate by number. */
interface DealStore { slots: FactSlots; currencies: string[] }

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
  const lost = new Map(lostStages.map((s) => [s.id, { id: s.id, name: s.name, count: 0, amount: 0, dealIds: [] as string[] }]))
  const withoutRate = new Set<string>()
  const convert = makeMoneyConverter(ctx.rates)
  let total = 0, won = 0, lostCount = 0
  let fromStep = new Int16Array(8)
  let toStep = new Int16Array(8)
  // a deal's time in step i, added to its slot's days
  const visit = (slots: FactSlots, slot: number, i: number, fromMs: number, toMs: number) => {
    if (i < 0) return
    const days = slots.floats[DAYS + i]!
    days[slot] = (Number.isNaN(days[slot]!) ? 0 : days[slot]!) + Math.max(0, toMs - fromMs) / DAY_MS
  }

  const lostIds = lostStages.map((s) => s.id)
  const readTimeline = makeStageTimelineReader()
  const factsOf = (row: Row, store: DealStore): number | null => {
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

    const changes = readTimeline(row)
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
    let missing = -1
    if (money) {
      const converted = convert(money)
      if (converted !== null) amount = converted
      else {
        missing = store.currencies.indexOf(money.currency)
        if (missing < 0) missing = store.currencies.push(money.currency) - 1
      }
    }
    const slots = store.slots
    const slot = slots.take()
    slots.ints[FURTHEST]![slot] = furthest
    slots.ints[STEP]![slot] = step ?? -1
    slots.ints[KIND]![slot] = found.stage.kind === 'won' ? WON : found.stage.kind === 'lost' ? LOST : OPEN
    slots.ints[LOST_AT]![slot] = lostIds.indexOf(found.stage.id)
    slots.ints[MISSING]![slot] = missing
    slots.floats[AMOUNT]![slot] = amount
    // completed visits only: the stage a deal sits in now has no length yet
    for (let i = 0; i < steps.length; i++) slots.floats[DAYS + i]![slot] = Number.NaN
    let previousMs = n ? changes.ms[0]! : 0
    if (n && row.createdAt) visit(slots, slot, fromStep[0]!, basis === 'created' ? atMs : instantMs(row.createdAt), previousMs)
    for (let i = 0; i + 1 < n; i++) {
      const nextMs = changes.ms[i + 1]!
      visit(slots, slot, toStep[i]!, previousMs, nextMs)
      previousMs = nextMs
    }
    return slot
  }

  const width = steps.length
  const kept = rowFacts<number | null, DealStore>(factsKey(['funnel', pipeline.id, basis, startMs, endMs, query.owner ?? null, query.source ?? null, ctx.entity, ctx.pipelines, ctx.timeZone, ctx.rates]),
    () => ({ slots: makeFactSlots(5, DAYS + width, Math.max(1024, rows.length)), currencies: [] }))
  const { facts: all, store } = kept.of(rows, factsOf)
  store.slots = compactFactSlots(store.slots, all)
  const { ints, floats } = store.slots
  const furthestOf = ints[FURTHEST]!, stepNow = ints[STEP]!, kindOf = ints[KIND]!, lostAt = ints[LOST_AT]!, missingOf = ints[MISSING]!, amountOf = floats[AMOUNT]!
  const lostList = [...lost.values()]
  for (let r = 0; r < rows.length; r++) {
    const slot = all[r]
    if (slot === null || slot === undefined) continue
    total++
    const missing = missingOf[slot]!
    if (missing >= 0) withoutRate.add(store.currencies[missing]!)
    const amount = amountOf[slot]!
    const furthest = furthestOf[slot]!
    for (let i = 0; i <= furthest && i < counts.length; i++) {
      const c = counts[i]!
      c.count++
      c.amount += amount
      if (query.withDeals) c.ids.push(rows[r]!.id)
    }
    const step = stepNow[slot]!
    if (step >= 0) counts[step]!.inStage++
    const kind = kindOf[slot]
    if (kind === WON) won++
    if (kind === LOST) {
      lostCount++
      const l = lostList[lostAt[slot]!]
      if (l) {
        l.count++
        l.amount += amount
        if (query.withDeals) l.dealIds.push(rows[r]!.id)
      }
    }
    for (let i = 0; i < width; i++) {
      const days = floats[DAYS + i]![slot]!
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
