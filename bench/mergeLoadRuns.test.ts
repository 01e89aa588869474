import { describe, expect, it } from 'vitest'
import { HISTOGRAM_BUCKETS, mergeLoadRuns, type LoadRunResult } from './relayLoadProcess'
import { percentile } from './summarize'

/** A load process's run of one phase whose deliveries took these latencies (ms), arriving at 1000 + i. */
function runOf(latencies: number[], extra: Partial<LoadRunResult> = {}): LoadRunResult {
  const sorted = [...latencies].sort((a, b) => a - b)
  const histogram = new Array<number>(HISTOGRAM_BUCKETS).fill(0)
  for (const ms of sorted) histogram[Math.min(HISTOGRAM_BUCKETS - 1, Math.max(0, Math.ceil(ms * 10) - 1))]! += 1
  const slowest = latencies
    .map((ms, i): [number, number] => [1000 + i, ms])
    .sort((a, b) => b[1] - a[1])
    .slice(0, Math.ceil(latencies.length / 100))
  return {
    group: 'ours',
    sendMs: 2000,
    edits: latencies.length / 2,
    completed: latencies.length / 2,
    deliveries: latencies.length,
    missing: 0,
    completedPerSecond: latencies.length / 4,
    deliveriesPerSecond: latencies.length / 2,
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    p999Ms: percentile(sorted, 0.999),
    maxMs: sorted.at(-1) ?? NaN,
    startedAt: 500,
    stoppedAt: 2500,
    slowest,
    histogram,
    latencies: sorted,
    ...extra,
  }
}

describe('mergeLoadRuns', () => {
  it('gives the percentiles of every process\'s latencies together, not an average of their percentiles', () => {
    // process A is fast; B's slowest 4 % take 9 ms: together 2 % of 400 deliveries are slow
    const a = runOf(Array.from({ length: 200 }, (_, i) => 0.2 + i / 10000))
    const b = runOf(Array.from({ length: 200 }, (_, i) => (i < 192 ? 0.3 : 9)))
    const merged = mergeLoadRuns([a, b])
    const all = [...(a.latencies ?? []), ...(b.latencies ?? [])].sort((x, y) => x - y)
    expect(merged.deliveries).toBe(400)
    expect(merged.p99Ms).toBe(9)
    expect(merged.p99Ms).toBe(percentile(all, 0.99))
    expect(merged.p50Ms).toBe(percentile(all, 0.5))
    expect(merged.maxMs).toBe(9)
    // each process's slowest 1 %, slowest first
    expect(merged.slowest.map(([, ms]) => Math.round(ms * 1e4) / 1e4)).toEqual([9, 9, 0.2199, 0.2198])
    expect(merged.histogram.reduce((n, c) => n + c, 0)).toBe(400)
  })

  it('adds up counts and rates, spans both processes\' phases, and drops the raw latencies', () => {
    const a = runOf([0.1, 0.2], { startedAt: 500, stoppedAt: 2500, sendMs: 2000, missing: 1 })
    const b = runOf([0.3, 0.4, 0.5, 0.6], { startedAt: 498, stoppedAt: 2503, sendMs: 2005 })
    const merged = mergeLoadRuns([a, b])
    expect(merged.edits).toBe(3)
    expect(merged.completedPerSecond).toBeCloseTo(a.completedPerSecond + b.completedPerSecond)
    expect(merged.deliveriesPerSecond).toBeCloseTo(3)
    expect(merged.missing).toBe(1)
    expect([merged.startedAt, merged.stoppedAt, merged.sendMs]).toEqual([498, 2503, 2005])
    expect(merged.latencies).toBeUndefined()
  })

  it('keeps one process\'s run as it measured it', () => {
    const only = runOf([0.4, 0.2, 3, 0.25])
    const merged = mergeLoadRuns([only])
    expect([merged.p50Ms, merged.p99Ms, merged.maxMs]).toEqual([only.p50Ms, only.p99Ms, only.maxMs])
    expect(() => mergeLoadRuns([])).toThrow(/no runs/)
  })
})
