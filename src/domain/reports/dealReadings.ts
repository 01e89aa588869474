import { instantMs } from '../instantMs'
import { DAY_MS } from '../localDays'
import { livePipelines, liveStages, type Pipeline, type Stage } from '../pipelines/pipeline'
import type { EntityDef, FieldDef, Row } from '../schema'
import { stageFieldsOf } from '../pipelines/stageHistory'
import { moneyOf } from './currencyRates'
import { compactFactSlots, makeFactSlots, type FactSlots } from './factSlots'
import { makeDealStages, type ReportFieldContext } from './reportFields'
import { factsKey, rowReadings } from './rowFacts'
import { makeStageTimelineReader } from './stageTimeline'

// a deal's slot: ints, floats, refs
export const STAGE = 0, CURRENCY = 1
export const AMOUNT = 0, CREATED_MS = 1, CLOSED_MS = 2
export const CLOSED_AT = 0, STAGE_CELL = 1
// a deal's slot among its steps (dealSteps): ints, then floats (days per step)
export const STEP = 0, FURTHEST = 1

/**
 * What every deals report reads of a deal the same way, whatever the report: its stage (and
 * pipeline), when it was created and closed, its amount in minor units and currency. One slot per
 * live deal (factSlots; null for a deleted one), kept per set of rows under the entity, pipelines
 * and time zone (rowReadings), so reading 100k deals' values — scattered over memory, 50–80 ms
 * per pass on a busy machine — happens once per version of the rows, not once per report and per
 * change in the builder. The funnels' reading of the stage history is dealSteps, apart: a report
 * that needs none does not pay for it on the first run after the rows arrive.
 */
export interface DealReadings {
  /** Per place in the rows: the deal's slot, null for a deleted or purged one. */
  facts: (number | null)[]
  slots: FactSlots
  /** STAGE's numbers: the deal's stage and its pipeline (-1: none found). */
  stages: { stage: Stage; pipeline: Pipeline }[]
  /** CURRENCY's numbers (-1: no amount). */
  currencies: string[]
  /** Per stage number: its place among its pipeline's live lost stages (-1: not one). */
  lostAt: number[]
}

interface ReadingsStore { slots: FactSlots; stages: { stage: Stage; pipeline: Pipeline }[]; stageNo: Map<string, number>; currencies: string[]; lostAt: number[] }

/** The deals' readings over `rows` (undefined when the entity has no stage field): worked out for rows new since the last run. */
export function dealReadings(rows: readonly Row[], entity: EntityDef, ctx: ReportFieldContext): DealReadings | undefined {
  const deals = makeDealStages(entity, ctx)
  if (!deals) return undefined
  const amountField = amountFieldOf(entity)
  const stageField = stageFieldsOf(entity)!.stage
  // each live pipeline's lost stages
  const lostOf = new Map<string, string[]>()
  for (const p of livePipelines(ctx.pipelines)) lostOf.set(p.id, liveStages(p).filter((s) => s.kind === 'lost').map((s) => s.id))

  const read = (row: Row, store: ReadingsStore): number | null => {
    if (row.deletedAt || row.purgedAt) return null
    const slots = store.slots
    const slot = slots.take()
    const found = deals.stageOf(row)
    let stageNo = -1
    if (found) {
      stageNo = store.stageNo.get(found.stage.id) ?? -1
      if (stageNo < 0) {
        stageNo = store.stages.push(found) - 1
        store.stageNo.set(found.stage.id, stageNo)
        store.lostAt.push(lostOf.get(found.pipeline.id)?.indexOf(found.stage.id) ?? -1)
      }
    }
    const money = amountField ? moneyOf(row.values[amountField.id]) : null
    let currency = -1
    if (money) {
      currency = store.currencies.indexOf(money.currency)
      if (currency < 0) currency = store.currencies.push(money.currency) - 1
    }
    const closedAt = deals.closedAt(row)
    const createdMs = row.createdAt ? instantMs(row.createdAt) : Number.NaN
    slots.ints[STAGE]![slot] = stageNo
    slots.ints[CURRENCY]![slot] = currency
    slots.floats[AMOUNT]![slot] = money ? money.amount : Number.NaN
    slots.floats[CREATED_MS]![slot] = createdMs
    slots.floats[CLOSED_MS]![slot] = closedAt === null ? Number.NaN : instantMs(closedAt)
    slots.refs[CLOSED_AT]![slot] = closedAt
    // the stage as stored (an id; a name in a workspace from before pipelines), for a grouping by it
    slots.refs[STAGE_CELL]![slot] = row.values[stageField.id]
    return slot
  }

  const kept = rowReadings<number | null, ReadingsStore>(factsKey(['deals', entity, ctx.pipelines, ctx.timeZone]),
    () => ({ slots: makeFactSlots(2, 3, Math.max(1024, rows.length), 2), stages: [], stageNo: new Map(), currencies: [], lostAt: [] }))
  const { facts, store } = kept.of(rows, read)
  store.slots = compactFactSlots(store.slots, facts)
  return { facts, slots: store.slots, stages: store.stages, currencies: store.currencies, lostAt: store.lostAt }
}

/** The deals' amount field, which AMOUNT and CURRENCY read. */
export function amountFieldOf(entity: EntityDef): FieldDef | undefined {
  return entity.fields.find((f) => f.key === 'amount' && f.type === 'money' && !f.deletedAt)
}

/** A deal's stage history as the funnel of its own pipeline counts it, per place in the rows (null: not in a live pipeline's stage, or deleted). */
export interface DealSteps { facts: (number | null)[]; slots: FactSlots }

/**
 * The step each deal is in, the furthest step it reached (from its stage history: a deal moved
 * straight from New to Won went past the stages between), the days of each completed visit to a
 * step (from the changes' own times, ordered as stageTimeline orders them) — read once per version
 * of the rows for every funnel (rowReadings), beside dealReadings (whose slots are at the same places).
 */
export function dealSteps(rows: readonly Row[], readings: DealReadings, entity: EntityDef, ctx: ReportFieldContext): DealSteps {
  // each live pipeline's steps: its open and won stages in order
  const stepsOf = new Map<string, Map<string, number>>()
  let width = 1
  for (const p of livePipelines(ctx.pipelines)) {
    const steps = liveStages(p).filter((s) => s.kind !== 'lost')
    stepsOf.set(p.id, new Map(steps.map((s, i) => [s.id, i])))
    width = Math.max(width, steps.length)
  }
  const readTimeline = makeStageTimelineReader()
  let fromStep = new Int16Array(8), toStep = new Int16Array(8)

  const read = (row: Row, store: { slots: FactSlots }, place: number): number | null => {
    const at = readings.facts[place]
    if (at === null || at === undefined) return null
    const stageNo = readings.slots.ints[STAGE]![at]!
    const found = stageNo < 0 ? undefined : readings.stages[stageNo]!
    const stepOf = found ? stepsOf.get(found.pipeline.id) : undefined
    if (!stepOf) return null
    const slots = store.slots
    const slot = slots.take()
    for (let i = 0; i < width; i++) slots.floats[i]![slot] = Number.NaN
    const changes = readTimeline(row)
    const n = changes.length
    // each change's stages as steps of the deal's pipeline (-1: none of its steps), looked up once
    if (n > toStep.length) { fromStep = new Int16Array(n * 2); toStep = new Int16Array(n * 2) }
    const step = stepOf.get(found!.stage.id)
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
    slots.ints[STEP]![slot] = step ?? -1
    slots.ints[FURTHEST]![slot] = furthest
    // completed visits only: the stage a deal sits in now has no length yet
    let previousMs = n ? changes.ms[0]! : 0
    if (n && row.createdAt) visit(slots, slot, fromStep[0]!, readings.slots.floats[CREATED_MS]![at]!, previousMs)
    for (let i = 0; i + 1 < n; i++) {
      const nextMs = changes.ms[i + 1]!
      visit(slots, slot, toStep[i]!, previousMs, nextMs)
      previousMs = nextMs
    }
    return slot
  }

  const kept = rowReadings<number | null, { slots: FactSlots }>(factsKey(['dealSteps', entity, ctx.pipelines, ctx.timeZone]),
    () => ({ slots: makeFactSlots(2, width, Math.max(1024, rows.length)) }))
  const { facts, store } = kept.of(rows, read)
  store.slots = compactFactSlots(store.slots, facts)
  return { facts, slots: store.slots }
}

/** A deal's time in step i, added to its slot's days. */
function visit(slots: FactSlots, slot: number, i: number, fromMs: number, toMs: number): void {
  if (i < 0) return
  const days = slots.floats[i]!
  days[slot] = (Number.isNaN(days[slot]!) ? 0 : days[slot]!) + Math.max(0, toMs - fromMs) / DAY_MS
}
