import { describe, expect, it } from 'vitest'
import { MessageBudget, TokenBucket } from './tokenBucket'

describe('TokenBucket', () => {
  it('lets a burst through at once, then the sustained rate', () => {
    const bucket = new TokenBucket({ perSecond: 10, burst: 3 }, 0)
    for (let i = 0; i < 3; i++) {
      expect(bucket.waitMs(1, 0)).toBe(0)
      bucket.take(1, 0)
    }
    expect(bucket.waitMs(1, 0)).toBe(100)
    expect(bucket.waitMs(1, 50)).toBe(50)
    expect(bucket.waitMs(1, 100)).toBe(0)
  })

  it('refills up to the burst and no further', () => {
    const bucket = new TokenBucket({ perSecond: 10, burst: 3 }, 0)
    bucket.take(3, 0)
    expect(bucket.fullInMs(0)).toBe(300)
    expect(bucket.fullInMs(10_000)).toBe(0)
    bucket.take(3, 10_000)
    expect(bucket.waitMs(1, 10_000)).toBe(100)
  })

  it('lets a cost above the burst through once the bucket is full, emptying it', () => {
    const bucket = new TokenBucket({ perSecond: 100, burst: 50 }, 0)
    expect(bucket.waitMs(1000, 0)).toBe(0)
    bucket.take(1000, 0)
    expect(bucket.waitMs(1000, 0)).toBe(500)
    expect(bucket.waitMs(1, 0)).toBe(10)
  })
})

describe('MessageBudget', () => {
  const limits = { messages: { perSecond: 10, burst: 2 }, bytes: { perSecond: 1000, burst: 1000 } }

  it('counts every message once, whatever its size', () => {
    const budget = new MessageBudget(limits, 0)
    budget.take(1, 0)
    budget.take(1, 0)
    expect(budget.waitMs(1, 0)).toBe(100)
  })

  it('counts big messages by their bytes', () => {
    const budget = new MessageBudget(limits, 0)
    budget.take(900, 0)
    expect(budget.waitMs(100, 0)).toBe(0)
    expect(budget.waitMs(600, 0)).toBe(500)
    expect(budget.fullInMs(0)).toBe(900)
  })
})
