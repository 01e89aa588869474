import { describe, expect, it } from 'vitest'
import { HISTOGRAM_BUCKETS, pooledPercentile, type LoadRunResult } from './relayLoadProcess'

/** A run whose deliveries took these latencies (ms), bucketed as relayLoadClients does. */
function runOf(latencies: number[]): LoadRunResult {
  const histogram = new Array<number>(HISTOGRAM_BUCKETS).fill(0)
  for (const ms of latencies) histogram[Math.min(HISTOGRAM_BUCKETS - 1, Math.max(0, Math.ceil(ms * 10) - 1))]! += 1
  return { histogram } as LoadRunResult
}

describe('pooledPercentile', () => {
  it('takes the quantile over every run\'s deliveries together, to the 0.1 ms bucket above', () => {
    const fast = runOf(Array.from({ length: 99 }, () => 0.2).concat([5]))
    const slow = runOf(Array.from({ length: 90 }, () => 0.3).concat(Array.from({ length: 10 }, () => 2.04)))
    expect(pooledPercentile([fast], 0.99)).toBe(0.2)
    expect(pooledPercentile([fast], 1)).toBe(5)
    // 200 deliveries: the 198th fastest is one of the slow run's 2.04 ms (bucket 2.0–2.1)
    expect(pooledPercentile([fast, slow], 0.99)).toBe(2.1)
    expect(pooledPercentile([fast, slow], 0.5)).toBe(0.3)
  })

  it('puts everything over 100 ms in the last bucket and answers NaN for no deliveries', () => {
    expect(pooledPercentile([runOf([250])], 0.99)).toBe(100.1)
    expect(pooledPercentile([runOf([])], 0.99)).toBeNaN()
  })
})
