import { describe, expect, it } from 'vitest'
import type { Principal } from '../auth/authenticateToken'
import { ApiRateLimit } from './apiRateLimit'
import { ProblemError } from './problem'

const key: Principal = { kind: 'apiKey', id: 'k1', name: 'Sync job', role: 'editor' }
const member: Principal = { kind: 'member', id: 'k1', name: 'Ann', role: 'editor' }

function refusal(limit: ApiRateLimit, who: Principal): ProblemError | null {
  try {
    limit.take(who)
    return null
  } catch (error) {
    if (error instanceof ProblemError) return error
    throw error
  }
}

describe('ApiRateLimit', () => {
  it('lets a burst through, then answers 429 with Retry-After in whole seconds until the bucket refills', () => {
    let now = 0
    const limit = new ApiRateLimit({ perSecond: 2, burst: 3 }, () => now)
    for (let i = 0; i < 3; i++) expect(refusal(limit, key)).toBeNull()
    const refused = refusal(limit, key)
    expect(refused?.status).toBe(429)
    expect(refused?.headers['Retry-After']).toBe('1')
    expect(refused?.detail).toMatch(/API key "Sync job" is over its rate limit of 2 requests per second \(bursts of 3\)/)
    now = 499
    expect(refusal(limit, key)?.status).toBe(429)
    now = 500
    expect(refusal(limit, key)).toBeNull()
    expect(refusal(limit, key)?.status).toBe(429)
  })

  it('counts each key and member apart, also when their ids are alike', () => {
    const limit = new ApiRateLimit({ perSecond: 1, burst: 1 }, () => 0)
    expect(refusal(limit, key)).toBeNull()
    expect(refusal(limit, member)).toBeNull()
    expect(refusal(limit, key)?.status).toBe(429)
    expect(refusal(limit, member)?.detail).toMatch(/member "Ann"/)
  })

  it('says how long to wait when the rate is slow', () => {
    const limit = new ApiRateLimit({ perSecond: 0.1, burst: 1 }, () => 0)
    limit.take(key)
    expect(refusal(limit, key)?.headers['Retry-After']).toBe('10')
  })

  it('forgets full buckets once many are kept, and lets everything through without a limit', () => {
    let now = 0
    const limit = new ApiRateLimit({ perSecond: 1000, burst: 1 }, () => now)
    for (let i = 0; i < 1000; i++) limit.take({ ...key, id: `k${i}` })
    expect(limit.size()).toBe(1000)
    now = 10
    limit.take({ ...key, id: 'new' })
    expect(limit.size()).toBe(1)
    const unlimited = new ApiRateLimit(null)
    for (let i = 0; i < 10_000; i++) unlimited.take(key)
    expect(unlimited.size()).toBe(0)
  })
})
