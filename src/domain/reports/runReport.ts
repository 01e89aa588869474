import { previousSpan, resolvePeriod, spanDates, spanOfDates, spanTest, type DaySpan } from '../relativePeriod'
import type { EntityDef, FieldDef, Money, Row } from '../schema'
import { compileConditions } from '../views/viewFilter'
import { currencyDigits } from '../currencyDigits'
import { makeMoneyConverter, moneyOf, roundMoney, type CurrencyRates } from './currencyRates'
import { makeDateBuckets, type DateBuckets } from './dateBuckets'
import { ReportError, type ReportDefinition, type MeasureOp, type ReportMeasure, type ReportResult, type ReportRow } from './reportDefinition'
import { cellReader, reportFields, type DealCursor, type ReportFieldContext } from './reportFields'
import { AMOUNT, CLOSED_AT, CURRENCY, STAGE, STAGE_CELL, amountFieldOf, dealReadings } from './dealReadings'
import { reportProblems } from './reportProblems'
import { boundByNow, factsKey, relativeSpans, rowFacts } from './rowFacts'
import { compactFactSlots, makeFactSlots, type FactSlots } from './factSlots'
import { livePipelines, liveStages } from '../pipelines/pipeline'

/** Where a report runs: its entity, who asks ("is me"), now, the workspace's time zone and currency rates. */
export interface ReportContext extends ReportFieldContext {
  entity: EntityDef
  memberId: string
  now: Date
  /** 1 = Monday … 7 = Sunday (default Monday, ISO). */
  weekStart?: number
  rates: CurrencyRates
  memberName?: (id: string) => string | undefined
  /** Keep each row's record ids (ReportRow.recordIds), for a click on a bar to list them. */
  recordIds?: boolean
}

/** Past this many rows an empty group is no longer added for every combination of two groupings. */
const FILL_MAX = 10_000
const NONE = '\u0000'

interface Figures { n: number; sum: number; min: number; max: number; hits: number; total: number }
interface Group { parts: (string | number | null)[]; currency: string | null; cur: Figures[]; prev: Figures[]; ids: string[] }
interface Level {
  field: FieldDef
  /** null: not a date bucket. */
  buckets: DateBuckets | null
  read: (row: Row) => unknown
  /** The order of known keys (options, stages), for sorting and filling. */
  order: Map<string, number> | null
  fill: string[] | null
}

/** One scope's part of a row: whether it falls in the period and the one before, its groups (key and parts), each measure's contribution. */
interface ScopeFacts {
  now: boolean
  earlier: boolean
  parts: (string | number | null)[][]
  keys: readonly string[]
  shifted: readonly (string | number | null)[][]
  shiftedKeys: readonly string[]
  values: (number | null)[]
}
/** What a run keeps of a row (rowFacts): null for a row left out (deleted, filtered). */
interface Facts { currency: string | null; missing: string[] | null; scopes: (ScopeFacts | null)[] }

const groupKey = (parts: (string | number | null)[], currency: string | null): string =>
  currency === null && parts.length === 1 ? (parts[0] === null ? NONE : String(parts[0])) : `${parts.map((p) => (p === null ? NONE : p)).join('\u0001')}\u0002${currency ?? NONE}`

const NO_PARTS: readonly (string | number | null)[][] = []
const NO_KEYS: readonly string[] = []

/**
 * The groups rows fall in, numbered once per rowFacts key so slots hold numbers: found by their
 * parts through one map per grouping level and one for the currency, so a row's group is found
 * without writing its key.
 */
interface GroupIds { root: Map<unknown, unknown>; list: { key: string; parts: (string | number | null)[]; currency: string | null }[] }

function groupId(groups: GroupIds, parts: readonly (string | number | null)[], currency: string | null): number {
  let map = groups.root
  for (let l = 0; l < parts.length; l++) {
    let next = map.get(parts[l]) as Map<unknown, unknown> | undefined
    if (!next) { next = new Map(); map.set(parts[l], next) }
    map = next
  }
  let id = map.get(currency) as number | undefined
  if (id === undefined) {
    id = groups.list.length
    map.set(currency, id)
    groups.list.push({ key: groupKey(parts as (string | number | null)[], currency), parts: parts.slice(), currency })
  }
  return id
}

/**
 * What a report keeps of its rows. Most rows (one group per scope, no currency without a rate)
 * are a slot (factSlots): per scope its group now and in the previous period (-1: none), then per
 * scope and measure its value (NaN: not measured). The others keep a Facts object.
 */
interface ReportStore { slots: FactSlots; groups: GroupIds }

const figures = (): Figures => ({ n: 0, sum: 0, min: Infinity, max: -Infinity, hits: 0, total: 0 })

/**
 * Runs a report over an entity's rows: deleted and purged records are left out, the filters and
 * the period applied, rows grouped and measured. Throws ReportError naming what does not fit the
 * entity (reportProblems).
 */
export function runReport(def: ReportDefinition, rows: readonly Row[], ctx: ReportContext): ReportResult {
  // a deal's stage and close time as every report reads them, read once per version of the rows
  // (dealReadings): the derived fields take them from the cursor, set row by row below
  const cursor: DealCursor = { row: null, found: undefined, closedAt: null, stageCell: undefined, amount: Number.NaN, currency: null }
  const fields = reportFields(ctx.entity, ctx, cursor)
  const problems = def.entity === ctx.entity.id || def.entity === ctx.entity.key ? reportProblems(def, fields) : [`it counts ${def.entity}, not ${ctx.entity.key}`]
  if (problems.length) throw new ReportError(`${def.name}: ${problems.join('; ')}`)
  const fieldOf = (id: string) => fields.get(id)
  const clock = { now: ctx.now, timeZone: ctx.timeZone, weekStart: ctx.weekStart }
  const viewCtx = { memberId: ctx.memberId, ...clock }
  const keep = compileConditions(fieldOf, def.filters, viewCtx)

  const span: DaySpan | null = !def.period ? null : 'relative' in def.period ? resolvePeriod(def.period.relative, clock) : spanOfDates(def.period.from, def.period.to)
  const before = span && def.comparePrevious ? previousSpan(span) : null
  if (def.comparePrevious && !before) throw new ReportError(`${def.name}: a comparison with the previous period needs a period with a start and an end`)

  const perCurrency = def.money === 'perCurrency'
  const withoutRate = new Set<string>()
  const convert = makeMoneyConverter(ctx.rates)
  const moneyField = def.measures.map((m) => (m.field ? fields.get(m.field)!.field.type === 'money' : false))
  const firstMoney = def.measures.findIndex((_, i) => moneyField[i])
  const currencyOf = perCurrency && firstMoney >= 0 ? cellReader(fields.get(def.measures[firstMoney]!.field!)!) : null

  const levelOf = (group: ReportDefinition['groups'][number], dateField?: string): Level => {
    const isDate = (f: FieldDef) => f.type === 'date' || f.type === 'dateTime'
    const own = fields.get(group.field)!
    const source = dateField && isDate(own.field) ? fields.get(dateField)! : own
    const field = source.field
    const buckets = isDate(field) ? makeDateBuckets(field.type as 'date' | 'dateTime', group.bucket ?? 'month', ctx.timeZone, ctx.weekStart) : null
    const known = knownKeys(field, ctx)
    return { field, buckets, read: cellReader(source), order: known && new Map(known.map((k, i) => [k, i])), fill: known }
  }

  // measures counted at another date than the groups' form scopes of their own
  const scopes = new Map<string, { measures: number[]; levels: Level[]; parts: (string | number | null)[]; inPeriod: ((row: Row) => boolean) | null; inBefore: ((row: Row) => boolean) | null; shift: number[] }>()
  def.measures.forEach((m, i) => {
    const dateField = m.date ?? def.period?.field ?? ''
    let scope = scopes.get(dateField)
    if (!scope) {
      const levels = def.groups.map((g) => levelOf(g, m.date))
      const periodTest = (s: DaySpan | null) => {
        if (!s || !dateField) return null
        const source = fields.get(dateField)!
        const test = spanTest(source.field.type === 'date' ? 'date' : 'dateTime', s, clock)
        const read = cellReader(source)
        return (row: Row) => test(read(row))
      }
      // a bucket of the previous period is compared with the one as far into this period
      const shift = levels.map((l) => (l.buckets && span && before && l.field.id === dateField ? l.buckets.ofDay(span.from) - l.buckets.ofDay(before.from) : 0))
      scope = { measures: [], levels, parts: levels.map(() => null), inPeriod: periodTest(span), inBefore: periodTest(before), shift }
      scopes.set(dateField, scope)
    }
    scope.measures.push(i)
  })
  const tests = def.measures.map((m) => ({
    where: m.where?.length ? compileConditions(fieldOf, m.where, viewCtx) : null,
    of: m.of?.length ? compileConditions(fieldOf, m.of, viewCtx) : null,
    value: m.field ? cellReader(fields.get(m.field)!) : null,
    weight: m.weight ? cellReader(fields.get(m.weight)!) : null,
  }))

  const groups = new Map<string, Group>()
  const seen: Set<string | number | null>[] = def.groups.map(() => new Set())
  const groupAt = (parts: (string | number | null)[], currency: string | null, key = groupKey(parts, currency)): Group => {
    let group = groups.get(key)
    if (!group) {
      parts = parts.slice()
      group = { parts, currency, cur: def.measures.map(figures), prev: def.measures.map(figures), ids: [] }
      groups.set(key, group)
      parts.forEach((p, i) => seen[i]!.add(p))
    }
    return group
  }

  const readings = dealReadings(rows, ctx.entity, ctx)
  // the deals' amount converted from the readings (its minor units and currency), not read from the row
  const amountId = readings ? amountFieldOf(ctx.entity)?.id : undefined
  const fromReadings = def.measures.map((m) => !perCurrency && amountId !== undefined && m.field === amountId && !fields.get(m.field)!.read)
  const scratch: Money = { amount: 0, currency: '' }
  const convertedAmount = (missing: Set<string>): number | null => {
    if (cursor.currency === null) return null
    scratch.amount = cursor.amount
    scratch.currency = cursor.currency
    const v = convert(scratch)
    if (v === null) missing.add(cursor.currency)
    return v
  }

  // a measure's part of one row: count 1, a value, a rate's 0 (counted) or 1 (a hit); null: not measured
  const contribution = (i: number, m: ReportMeasure, row: Row, missing: Set<string>): number | null => {
    const t = tests[i]!
    if (m.op === 'rate') {
      if (t.of && !t.of(row)) return null
      return !t.where || t.where(row) ? 1 : 0
    }
    if (t.where && !t.where(row)) return null
    if (m.op === 'count' || (m.op === 'share' && !t.value)) return 1
    let v = fromReadings[i] && row === cursor.row ? convertedAmount(missing) : valueOf(t.value!(row), moneyField[i]!, perCurrency, convert, missing)
    if (v === null) return null
    if (t.weight) {
      const w = t.weight(row)
      if (typeof w !== 'number') return null
      v = (v * w) / 100
    }
    return v
  }

  const scopeList = [...scopes.values()]
  // currencies without a rate met in one row (cleared row by row)
  const missing = new Set<string>()
  const factsOf = (row: Row, store: ReportStore, place: number): number | Facts | null => {
    if (readings) {
      const slot = readings.facts[place]
      // deleted or purged
      if (slot === null || slot === undefined) return null
      const stageNo = readings.slots.ints[STAGE]![slot]!
      cursor.row = row
      cursor.found = stageNo < 0 ? undefined : readings.stages[stageNo]
      cursor.closedAt = readings.slots.refs[CLOSED_AT]![slot] as string | null
      cursor.stageCell = readings.slots.refs[STAGE_CELL]![slot]
      const currency = readings.slots.ints[CURRENCY]![slot]!
      cursor.currency = currency < 0 ? null : readings.currencies[currency]!
      cursor.amount = readings.slots.floats[AMOUNT]![slot]!
    } else if (row.deletedAt || row.purgedAt) return null
    if (!keep(row)) return null
    const currency = currencyOf ? moneyOf(currencyOf(row))?.currency ?? null : null
    missing.clear()
    return slotOf(row, currency, store) ?? factsOfScopes(row, currency)
  }
  // the slot of a row with one group per scope and no currency without a rate; undefined for any other
  const nowIn = new Uint8Array(scopeList.length), earlierIn = new Uint8Array(scopeList.length)
  const measured = scopeList.map((scope) => new Float64Array(scope.measures.length))
  const nowGroup = new Int32Array(scopeList.length), earlierGroup = new Int32Array(scopeList.length)
  const slotOf = (row: Row, currency: string | null, store: ReportStore): number | undefined => {
    for (let s = 0; s < scopeList.length; s++) {
      const scope = scopeList[s]!
      const now = scope.inPeriod ? scope.inPeriod(row) : true
      const earlier = scope.inBefore ? scope.inBefore(row) : false
      nowIn[s] = now ? 1 : 0
      earlierIn[s] = earlier ? 1 : 0
      if (!now && !earlier) continue
      for (let l = 0; l < scope.levels.length; l++) {
        const key = singleKey(scope.levels[l]!, row)
        if (key === SEVERAL) return undefined
        scope.parts[l] = key
      }
      const values = measured[s]!
      for (let k = 0; k < scope.measures.length; k++) {
        const i = scope.measures[k]!
        values[k] = contribution(i, def.measures[i]!, row, missing) ?? Number.NaN
      }
      if (missing.size) return undefined
      nowGroup[s] = now ? groupId(store.groups, scope.parts, currency) : -1
      if (earlier) {
        for (let l = 0; l < scope.levels.length; l++) {
          const k = scope.parts[l]
          if (typeof k === 'number' && scope.shift[l]) scope.parts[l] = k + scope.shift[l]!
        }
        earlierGroup[s] = groupId(store.groups, scope.parts, currency)
      } else earlierGroup[s] = -1
    }
    const slots = store.slots
    const slot = slots.take()
    for (let s = 0, at = 0; s < scopeList.length; s++) {
      const on = nowIn[s] || earlierIn[s]
      slots.ints[2 * s]![slot] = on ? nowGroup[s]! : -1
      slots.ints[2 * s + 1]![slot] = on ? earlierGroup[s]! : -1
      const values = measured[s]!
      for (let k = 0; k < values.length; k++, at++) slots.floats[at]![slot] = on ? values[k]! : Number.NaN
    }
    return slot
  }
  const factsOfScopes = (row: Row, currency: string | null): Facts => {
    missing.clear()
    const ofScopes = scopeList.map((scope): ScopeFacts | null => {
      const now = scope.inPeriod ? scope.inPeriod(row) : true
      const earlier = scope.inBefore ? scope.inBefore(row) : false
      if (!now && !earlier) return null
      // one group for almost every row; a grouping field holding several values (tags, linked records) gives one per combination
      let single = true
      for (let l = 0; l < scope.levels.length; l++) {
        const key = singleKey(scope.levels[l]!, row)
        if (key === SEVERAL) { single = false; break }
        scope.parts[l] = key
      }
      const parts = single ? [scope.parts.slice()] : keyParts(scope.levels, row)
      // most rows are not in the previous period: they share one empty list
      const shifted = earlier ? parts.map((p) => p.map((k, l) => (typeof k === 'number' && scope.shift[l] ? k + scope.shift[l]! : k))) : NO_PARTS
      return {
        now, earlier, parts, shifted,
        keys: !now ? NO_KEYS : parts.map((p) => groupKey(p, currency)),
        shiftedKeys: earlier ? shifted.map((p) => groupKey(p, currency)) : NO_KEYS,
        values: scope.measures.map((i) => contribution(i, def.measures[i]!, row, missing)),
      }
    })
    return { currency, missing: missing.size ? [...missing] : null, scopes: ofScopes }
  }

  const add = (scope: { measures: number[] }, values: (number | null)[], into: Figures[]) => {
    for (let k = 0; k < values.length; k++) {
      const v = values[k]!
      if (v === null) continue
      const i = scope.measures[k]!
      addFigure(into[i]!, def.measures[i]!.op, v)
    }
  }

  const spans = [span, before, ...relativeSpans([...def.filters, ...def.measures.flatMap((m) => [...(m.where ?? []), ...(m.of ?? [])])], clock)]
  const valuesWide = scopeList.reduce((n, scope) => n + scope.measures.length, 0)
  const kept = rowFacts<number | Facts | null, ReportStore>(boundByNow(spans) ? null
    : factsKey(['report', def, ctx.entity, ctx.pipelines, ctx.timeZone, ctx.weekStart ?? 1, ctx.rates, ctx.memberId, spans]),
  () => ({ slots: makeFactSlots(2 * scopeList.length, valuesWide, Math.max(1024, rows.length)), groups: { root: new Map(), list: [] } }))
  const { facts: all, store } = kept.of(rows, factsOf)
  cursor.row = null
  store.slots = compactFactSlots(store.slots, all)
  const { ints, floats } = store.slots
  const byId: (Group | undefined)[] = []
  const groupOf = (id: number): Group => {
    let group = byId[id]
    if (!group) {
      const g = store.groups.list[id]!
      group = groupAt(g.parts, g.currency, g.key)
      byId[id] = group
    }
    return group
  }
  // where each scope's values start among the floats
  const firstValue = scopeList.map((_, s) => scopeList.slice(0, s).reduce((n, scope) => n + scope.measures.length, 0))
  const addSlot = (s: number, slot: number, into: Figures[]) => {
    const scope = scopeList[s]!
    const at = firstValue[s]!
    for (let k = 0; k < scope.measures.length; k++) {
      const v = floats[at + k]![slot]!
      if (Number.isNaN(v)) continue
      const i = scope.measures[k]!
      addFigure(into[i]!, def.measures[i]!.op, v)
    }
  }
  for (let r = 0; r < rows.length; r++) {
    const facts = all[r]
    if (facts === null || facts === undefined) continue
    const row = rows[r]!
    if (typeof facts === 'number') {
      for (let s = 0; s < scopeList.length; s++) {
        const now = ints[2 * s]![facts]!, earlier = ints[2 * s + 1]![facts]!
        if (now >= 0) {
          const group = groupOf(now)
          addSlot(s, facts, group.cur)
          // a row counted by two scopes in one group is listed once (its scopes run one after the other)
          if (ctx.recordIds && group.ids[group.ids.length - 1] !== row.id) group.ids.push(row.id)
        }
        if (earlier >= 0) addSlot(s, facts, groupOf(earlier).prev)
      }
      continue
    }
    if (facts.missing) for (const c of facts.missing) withoutRate.add(c)
    for (let s = 0; s < scopeList.length; s++) {
      const f = facts.scopes[s]
      if (!f) continue
      const scope = scopeList[s]!
      for (let c = 0; c < f.parts.length; c++) {
        if (f.now) {
          const group = groupAt(f.parts[c]!, facts.currency, f.keys[c]!)
          add(scope, f.values, group.cur)
          if (ctx.recordIds && group.ids[group.ids.length - 1] !== row.id) group.ids.push(row.id)
        }
        if (f.earlier) add(scope, f.values, groupAt(f.shifted[c]!, facts.currency, f.shiftedKeys[c]!).prev)
      }
    }
  }

  const levels = [...scopes.values()][0]?.levels ?? def.groups.map((g) => levelOf(g))
  fillEmptyGroups(levels, seen, span, new Set([...groups.values()].map((g) => g.parts.join('\u0001'))), ctx.pipelines, groupAt)

  const reportCurrency = ctx.rates.currency
  const list = [...groups.values()]
  const currencyFor = (g: Group, i: number) => (moneyField[i]! ? (perCurrency ? g.currency : reportCurrency) : null)
  // a share is its group's part of the total over every group, before top N (per currency when money is per currency)
  const totalsOf = (figuresOf: (g: Group) => Figures[]) => {
    const totals = new Map<string | null, number[]>()
    if (!def.measures.some((m) => m.op === 'share')) return totals
    for (const g of list) {
      const t = totals.get(g.currency) ?? def.measures.map(() => 0)
      totals.set(g.currency, t)
      figuresOf(g).forEach((f, i) => { t[i] = t[i]! + f.sum })
    }
    return totals
  }
  const totalNow = totalsOf((g) => g.cur), totalBefore = totalsOf((g) => g.prev)
  const out = list.map((g): ReportRow => {
    const values = def.measures.map((m, i) => figureOf(m, g.cur[i]!, currencyFor(g, i), perCurrency, totalNow.get(g.currency)?.[i]))
    const row: ReportRow = {
      keys: g.parts.map((p, l) => (p === null ? null : levels[l]!.buckets ? levels[l]!.buckets!.keyOf(p as number) : String(p))),
      labels: g.parts.map((p, l) => labelOf(levels[l]!, p, ctx)),
      values,
    }
    if (perCurrency && g.currency) row.currency = g.currency
    if (ctx.recordIds) row.recordIds = g.ids
    if (before) row.previous = def.measures.map((m, i) => figureOf(m, g.prev[i]!, currencyFor(g, i), perCurrency, totalBefore.get(g.currency)?.[i]))
    return row
  })
  const parts = new Map(out.map((row, i) => [row, list[i]!.parts]))
  const natural = (a: ReportRow, b: ReportRow) => {
    const pa = parts.get(a)!, pb = parts.get(b)!
    for (let l = 0; l < levels.length; l++) {
      const c = compareParts(levels[l]!, pa[l]!, pb[l]!, a.labels[l]!, b.labels[l]!)
      if (c) return c
    }
    return (a.currency ?? '').localeCompare(b.currency ?? '')
  }
  out.sort(def.sort ? (a, b) => compareValues(a.values[def.sort!.measure] ?? null, b.values[def.sort!.measure] ?? null, def.sort!.desc) || natural(a, b) : natural)
  const result: ReportResult = { rows: def.limit !== undefined ? out.slice(0, def.limit) : out, withoutRate: [...withoutRate].sort() }
  if (!perCurrency && moneyField.some(Boolean)) result.currency = reportCurrency
  if (span) result.period = { ...spanDates(span), ...(before ? { previous: spanDates(before) } : {}) }
  return result
}

const SEVERAL = Symbol('several keys')

/** The row's key at a level, or SEVERAL when its field holds more than one value. */
function singleKey(level: Level, row: Row): string | number | null | typeof SEVERAL {
  const cell = level.read(row)
  if (level.buckets) return level.buckets.indexOf(cell)
  if (level.field.type === 'checkbox') return cell === true ? 'true' : 'false'
  if (cell === null || cell === undefined || cell === '') return null
  if (typeof cell === 'string') return cell
  if (Array.isArray(cell)) return cell.length === 0 ? null : cell.length === 1 ? String(cell[0]) : SEVERAL
  return typeof cell === 'object' ? JSON.stringify(cell) : String(cell)
}

/** Every combination of the row's keys: one, unless a grouping field holds several values (tags, linked records). */
function keyParts(levels: Level[], row: Row): (string | number | null)[][] {
  let combos: (string | number | null)[][] = [[]]
  for (const level of levels) {
    const cell = level.read(row)
    let keys: (string | number | null)[]
    if (level.buckets) keys = [level.buckets.indexOf(cell)]
    else if (Array.isArray(cell)) keys = cell.length ? cell.map(String) : [null]
    else if (level.field.type === 'checkbox') keys = [cell === true ? 'true' : 'false']
    else keys = [cell === null || cell === undefined || cell === '' ? null : typeof cell === 'object' ? JSON.stringify(cell) : String(cell)]
    combos = keys.length === 1 ? combos.map((c) => [...c, keys[0]!]) : combos.flatMap((c) => keys.map((k) => [...c, k]))
  }
  return combos
}

/** The keys a field always shows, in order, even without records: options, stages, yes/no. */
function knownKeys(field: FieldDef, ctx: ReportFieldContext): string[] | null {
  if (field.choicesFrom === 'stages') return livePipelines(ctx.pipelines).flatMap((p) => liveStages(p).map((s) => s.id))
  if (field.choicesFrom === 'pipelines') return livePipelines(ctx.pipelines).map((p) => p.id)
  if (field.type === 'select' || field.type === 'multiSelect') return field.options ? [...field.options] : null
  if (field.type === 'checkbox') return ['true', 'false']
  return null
}

function fillEmptyGroups(levels: Level[], seen: Set<string | number | null>[], span: DaySpan | null, present: Set<string>,
  pipelines: ReportFieldContext['pipelines'], groupAt: (parts: (string | number | null)[], currency: string | null) => unknown): void {
  if (levels.length === 0) return
  const pipelineOf = new Map<string, string>()
  for (const p of pipelines) for (const st of p.stages) pipelineOf.set(st.id, p.id)
  const domains = levels.map((level, l) => {
    const keys = new Set<string | number | null>(seen[l])
    if (level.buckets) {
      const numbers = [...keys].filter((k): k is number => typeof k === 'number')
      const from = span && Number.isFinite(span.from) ? level.buckets.ofDay(span.from) : Math.min(...numbers)
      const to = span && Number.isFinite(span.to) ? level.buckets.ofDay(span.to) : Math.max(...numbers)
      if (Number.isFinite(from) && Number.isFinite(to) && to - from < FILL_MAX) for (let i = from; i <= to; i++) keys.add(i)
    } else if (level.fill) {
      // a stage grouping shows the stages of the pipelines the records are in, not every pipeline's
      const shown = new Set([...seen[l]!].map((k) => pipelineOf.get(String(k))))
      const fill = level.field.choicesFrom === 'stages' && seen[l]!.size ? level.fill.filter((k) => shown.has(pipelineOf.get(k))) : level.fill
      for (const k of fill) keys.add(k)
    }
    return [...keys]
  })
  if (domains.reduce((n, d) => n * d.length, 1) > FILL_MAX) return
  let combos: (string | number | null)[][] = [[]]
  for (const domain of domains) combos = combos.flatMap((c) => domain.map((k) => [...c, k]))
  // an empty group has no currency: one row, not one per currency
  for (const parts of combos) if (!present.has(parts.join('\u0001'))) groupAt(parts, null)
}

function valueOf(cell: unknown, money: boolean, perCurrency: boolean, convert: (money: Money) => number | null, withoutRate: Set<string>): number | null {
  if (!money) return typeof cell === 'number' && Number.isFinite(cell) ? cell : null
  const m = moneyOf(cell)
  if (!m) return null
  if (perCurrency) return m.amount
  const v = convert(m)
  if (v === null) withoutRate.add(m.currency)
  return v
}

/** A measure's figure; money (`currency` set) in major units rounded to its minor unit, from minor units when it was summed per currency. */
function figureOf(m: ReportMeasure, f: Figures, currency: string | null, minorUnits: boolean, total = 0): number | null {
  const money = (v: number) => {
    if (currency === null) return v
    return roundMoney(minorUnits ? v / 10 ** currencyDigits(currency) : v, currency)
  }
  switch (m.op) {
    case 'count': return f.n
    case 'rate': return f.total ? f.hits / f.total : null
    case 'share': return total ? f.sum / total : null
    case 'sum': return money(f.sum)
    case 'avg': return f.n ? money(f.sum / f.n) : null
    case 'min': return f.n ? money(f.min) : null
    case 'max': return f.n ? money(f.max) : null
  }
}

function labelOf(level: Level, part: string | number | null, ctx: ReportContext): string {
  if (part === null) return 'None'
  if (level.buckets) return level.buckets.keyOf(part as number)
  const key = String(part)
  if (level.field.choices) return level.field.choices.find((c) => c.id === key)?.label ?? stageName(key, ctx) ?? key
  if (level.field.choicesFrom === 'stages') return stageName(key, ctx) ?? key
  if (level.field.type === 'member') return ctx.memberName?.(key) ?? key
  if (level.field.type === 'checkbox') return key === 'true' ? 'Yes' : 'No'
  return key
}

function stageName(id: string, ctx: ReportFieldContext): string | undefined {
  for (const p of ctx.pipelines) {
    const s = p.stages.find((st) => st.id === id)
    if (s) return s.name
    if (p.id === id) return p.name
  }
  return undefined
}

function compareParts(level: Level, a: string | number | null, b: string | number | null, la: string, lb: string): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const oa = level.order?.get(String(a)), ob = level.order?.get(String(b))
  if (oa !== undefined || ob !== undefined) return (oa ?? Infinity) - (ob ?? Infinity)
  return la.localeCompare(lb)
}

function compareValues(a: number | null, b: number | null, desc: boolean): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  return desc ? b - a : a - b
}

/** One row's value into a measure's figures (the per-object and the column paths add alike). */
function addFigure(f: Figures, op: MeasureOp, v: number): void {
  if (op === 'rate') { f.total++; f.hits += v; return }
  f.n++
  f.sum += v
  if (op === 'count') return
  if (v < f.min) f.min = v
  if (v > f.max) f.max = v
}
