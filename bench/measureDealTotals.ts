import { dealTotals, type DealLineInput } from '../src/domain/deals/dealTotals'
import { seededRandom } from '../src/domain/seededRandom'
import { percentile } from './summarize'

export interface DealTotalsBenchResult {
  lines: number
  callsPerRep: number
  /** Per repetition: p99 and p50 of one dealTotals call over all the lines, in ms. */
  p99Ms: number[]
  p50Ms: number[]
}

/**
 * B14: a deal's totals over `lines` lines (decimal quantities, discounts, included and added
 * tax, seeded), timed per call in this Node process — the same pure function the app and the
 * relay call on every line edit.
 */
export function measureDealTotals(o: { lines: number; reps: number; callsPerRep: number }): DealTotalsBenchResult {
  const random = seededRandom(14)
  const lines: DealLineInput[] = Array.from({ length: o.lines }, (_, i) => ({
    id: `line${i}`,
    quantity: Math.round(random.next() * 400) / 4,
    unitPrice: { amount: Math.round(random.next() * 1_000_000), currency: 'EUR' },
    discountPct: i % 3 === 0 ? Math.round(random.next() * 250) / 10 : null,
    taxPct: [0, 7, 19, 19.6][i % 4]!,
    taxIncluded: i % 5 === 0,
  }))
  let sink = 0
  // warm-up: the first calls run in the interpreter
  for (let i = 0; i < 200; i++) sink += dealTotals(lines, 'EUR').ok ? 1 : 0
  const p99Ms: number[] = []
  const p50Ms: number[] = []
  for (let rep = 0; rep < o.reps; rep++) {
    const times: number[] = []
    for (let i = 0; i < o.callsPerRep; i++) {
      const started = performance.now()
      const result = dealTotals(lines, 'EUR')
      times.push(performance.now() - started)
      if (result.ok) sink += result.totals.total
    }
    times.sort((a, b) => a - b)
    p99Ms.push(percentile(times, 0.99))
    p50Ms.push(percentile(times, 0.5))
  }
  if (sink === 0) throw new Error('dealTotals added nothing up')
  return { lines: o.lines, callsPerRep: o.callsPerRep, p99Ms, p50Ms }
}
