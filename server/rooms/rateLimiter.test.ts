import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits } from './rateLimiter'

const LIMITS: RateLimits = {
  connection: { messages: { perSecond: 10, burst: 5 }, bytes: { perSecond: 1e6, burst: 1e6 } },
  member: { messages: { perSecond: 10, burst: 8 }, bytes: { perSecond: 1e6, burst: 1e6 } },
  graceMs: 2000,
  maxHeldMessages: 100,
}

const source = () => ({ pause() {}, resume() {} })

describe('RateLimiter', () => {
  beforeEach(() => { vi.useFakeTimers() })
  afterEach(() => { vi.useRealTimers() })

  function connect(limiter: RateLimiter, memberId: string | null) {
    const delivered: number[] = []
    const gate = limiter.open<number>(source(), (m) => delivered.push(m), () => {})
    if (memberId) gate.joinMember(memberId)
    return { gate, delivered }
  }

  it('limits each connection, and a member\'s connections together', () => {
    const limiter = new RateLimiter(LIMITS, () => Date.now())
    const a = connect(limiter, 'm1')
    const b = connect(limiter, 'm1')
    const other = connect(limiter, 'm2')
    for (const c of [a, b, other]) for (let i = 0; i < 10; i++) c.gate.push(i, 1)
    expect(a.delivered).toHaveLength(5) // its own burst
    expect(b.delivered).toHaveLength(3) // what the member's burst had left
    expect(other.delivered).toHaveLength(5) // another member is not affected
  })

  it('keeps a member\'s drained budget across reconnects, and forgets it once refilled', () => {
    const limiter = new RateLimiter(LIMITS, () => Date.now())
    const a = connect(limiter, 'm1')
    for (let i = 0; i < 5; i++) a.gate.push(i, 1)
    a.gate.close()
    const again = connect(limiter, 'm1')
    for (let i = 0; i < 5; i++) again.gate.push(i, 1)
    expect(again.delivered).toHaveLength(3)
    again.gate.close()
    expect(limiter.memberCount()).toBe(1)
    vi.advanceTimersByTime(1000)
    expect(limiter.memberCount()).toBe(0)
  })

  it('lets everything through when the limits are off', () => {
    const c = connect(new RateLimiter(null), 'm1')
    for (let i = 0; i < 100_000; i++) c.gate.push(i, 64)
    expect(c.delivered).toHaveLength(100_000)
  })

  it('has defaults a person never reaches but a flood does', () => {
    const c = connect(new RateLimiter(DEFAULT_RATE_LIMITS, () => Date.now()), 'm1')
    // One sync step 2 of a 60 MB offline backlog, then edits.
    c.gate.push(0, 60 * 1024 * 1024)
    for (let i = 1; i <= 100; i++) c.gate.push(i, 40)
    expect(c.delivered).toHaveLength(101)
    for (let i = 101; i <= 100_000; i++) c.gate.push(i, 40)
    expect(c.delivered.length).toBeLessThanOrEqual(DEFAULT_RATE_LIMITS.connection.messages.burst)
  })
})
