import { isRelativePeriod, resolvePeriod, type DaySpan, type PeriodClock } from '../relativePeriod'
import type { Row } from '../schema'
import type { ViewCondition } from '../views/savedView'

/**
 * What a report learned from each row — kept in, its group keys, its measures' values — kept
 * beside the Row objects of the last run under a key naming everything that answer depends on. A record's Row is replaced
 * whenever it changes (the stores hand out new rows in patches), so a dashboard running its
 * reports again after a teammate's edit works out only the edited deals and adds the rest up from
 * what it kept; a removed row simply is not in the next run's rows.
 *
 * The key holds the definition, the entity's fields, the pipelines, the time zone, week start,
 * rates, member and the days every relative period resolves to today (not `now` itself, which
 * changes on every run). `past`/`future` are bounded by the instant now: a report naming them
 * keeps nothing (key null). A schema or settings change is a new key, and its first run fills it.
 */
export interface RowFacts<T, S> {
  /**
   * Each row's facts, in the rows' order: kept ones reused, the others worked out by `compute` and
   * kept. `store` is the caller's own store kept with this set of rows (made by `makeStore` for a
   * new set), which `compute` may write the facts into (factSlots). `place` is the row's index
   * in `rows`: another RowFacts' facts over the same rows, worked out just before, are at it.
   */
  of(rows: readonly Row[], compute: (row: Row, store: S, place: number) => T): { facts: T[]; store: S }
}

/** One set of rows a key ran over, with their facts and the caller's store. */
interface Generation { rows: Row[]; facts: unknown[]; store: unknown }
/** Up to GENERATIONS sets per key, most recent first: the same report over two sets of rows (the relay's copies and a bench's) stays warm for both. */
interface Kept { generations: Generation[]; used: number }

// the builder makes a new key on each change: the least recently used ones are let go, and so is
// a key no run has asked for in the last IDLE runs (a report no longer on screen) — each holds
// its rows and their facts
const KEYS_MAX = 32
const IDLE = 64
// up to this many changed places, their rows are worked out rather than looked up among the last run's
const FEW = 16
const GENERATIONS = 2
// places compared to tell which set of rows a run is over
const SAMPLES = 32

/** A set of keys and their kept facts, with its own least-recently-used order. */
interface FactsCache { kept: Map<string, Kept>; runs: number }

const reportsCache: FactsCache = { kept: new Map(), runs: 0 }
// what every report reads of a row the same way (rowReadings): a key per entity, not per report
const readingsCache: FactsCache = { kept: new Map(), runs: 0 }

export function rowFacts<T, S>(key: string | null, makeStore: () => S): RowFacts<T, S> {
  return factsIn(reportsCache, key, makeStore)
}

/**
 * rowFacts for what does not depend on a report — a deal's stage, its stage history worked out,
 * its amount (dealReadings): kept under a key of the entity and the settings they depend on, so
 * every report and every change in the builder reads them from typed columns instead of the rows.
 * forgetRowFacts leaves them (forgetRowReadings lets them go).
 */
export function rowReadings<T, S>(key: string, makeStore: () => S): RowFacts<T, S> {
  return factsIn(readingsCache, key, makeStore)
}

function factsIn<T, S>(cache: FactsCache, key: string | null, makeStore: () => S): RowFacts<T, S> {
  const kept = cache.kept
  const runs = ++cache.runs
  for (const [k, e] of kept) if (runs - e.used > IDLE) kept.delete(k)
  // a report bounded by the instant now is never run at the same key twice: nothing is kept for it
  let entry = key === null ? undefined : kept.get(key)
  if (!entry) {
    entry = { generations: [], used: runs }
    if (key !== null && kept.size >= KEYS_MAX) kept.delete(kept.keys().next().value!)
  } else {
    kept.delete(key!)
  }
  entry.used = runs
  if (key !== null) kept.set(key, entry)
  const k = entry!
  const keeps = key !== null
  let e: Generation = k.generations[0] ?? { rows: [], facts: [], store: undefined }
  return {
    of(rows, compute) {
      e = generationFor(k, rows)
      if (e.store === undefined) e.store = makeStore()
      const store = e.store as S
      // the rows of the last run at the same places are compared first: a lookup per row of 100k
      // scattered over memory costs more than adding the row's facts up. Both arrays are this
      // key's own copies, changed in place at the places that moved (the caller may change its
      // array in place before the next run). Rows that moved place (one removed before them)
      // are found by a lookup made only then; a few new rows are simply worked out.
      const before = e.rows, facts = e.facts as T[]
      let changed = 0
      for (let r = 0; r < rows.length; r++) if (before[r] !== rows[r]) changed++
      let known: Map<Row, T> | null = null
      if (changed > FEW && keeps && before.length) {
        known = new Map()
        for (let r = 0; r < before.length; r++) known.set(before[r]!, facts[r]!)
      }
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r]!
        if (before[r] === row) continue
        let f = known?.get(row)
        if (f === undefined) f = compute(row, store, r)
        before[r] = row
        facts[r] = f
      }
      before.length = rows.length
      facts.length = rows.length
      return { facts, store }
    },
  }
}

/** The set of rows kept under the key that shares most places with `rows`; a new one (the oldest let go) when none is theirs. */
function generationFor(k: Kept, rows: readonly Row[]): Generation {
  let best = -1, bestShared = 0
  const step = Math.max(1, Math.floor(rows.length / SAMPLES))
  k.generations.forEach((g, i) => {
    let shared = 0
    for (let r = 0; r < rows.length; r += step) if (g.rows[r] === rows[r]) shared++
    if (shared > bestShared) { best = i; bestShared = shared }
  })
  // rows moved by a removal or an insertion before them share no sampled place: a set as long, give or take a few, is theirs
  if (best < 0) best = k.generations.findIndex((g) => Math.abs(g.rows.length - rows.length) <= FEW)
  let g: Generation
  if (best >= 0) g = k.generations.splice(best, 1)[0]!
  else {
    g = { rows: [], facts: [], store: undefined }
    if (k.generations.length >= GENERATIONS) k.generations.pop()
  }
  k.generations.unshift(g)
  return g
}

/**
 * Lets every report key's facts go: the next run of any report is its first run (the bench
 * measures those), reading the rows' readings (rowReadings) kept from the runs before.
 */
export function forgetRowFacts(): void {
  reportsCache.kept.clear()
}

/** Lets the rows' readings go too: the next report reads every row again (the rows just loaded). */
export function forgetRowReadings(): void {
  readingsCache.kept.clear()
}

/** How many report keys hold facts now (at most 32): a report bounded by now adds none. */
export function keptKeyCount(): number {
  return reportsCache.kept.size
}

/** The days each relative period among `conditions` covers at `clock`, for a row-facts key. */
export function relativeSpans(conditions: readonly ViewCondition[], clock: PeriodClock): DaySpan[] {
  const spans: DaySpan[] = []
  for (const c of conditions) if (c.op === 'relative' && isRelativePeriod(c.value)) spans.push(resolvePeriod(c.value, clock))
  return spans
}

/** `past` and `future` end at the instant now: a key naming one would be new on every run. */
export function boundByNow(spans: readonly (DaySpan | null)[]): boolean {
  return spans.some((s) => s !== null && (s.beforeMs !== undefined || s.afterMs !== undefined))
}

/** A row-facts key from its parts; infinite bounds of open spans are written as themselves (JSON would write null). */
export function factsKey(parts: unknown[]): string {
  return JSON.stringify(parts, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))
}
