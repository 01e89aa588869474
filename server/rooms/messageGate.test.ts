import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MessageGate, RESUME_GAP_MS } from './messageGate'
import { MessageBudget } from './tokenBucket'

/** A socket stand-in that records whether it is being read. */
function pausable() {
  const source = { paused: false, pauses: 0, pause: () => { source.paused = true; source.pauses++ }, resume: () => { source.paused = false } }
  return source
}

describe('MessageGate', () => {
  beforeEach(() => { vi.useFakeTimers() })
  afterEach(() => { vi.useRealTimers() })

  function setup(limits = { messages: { perSecond: 10, burst: 3 }, bytes: { perSecond: 1_000_000, burst: 1_000_000 } }, graceMs = 2000, maxHeldMessages = 100) {
    const source = pausable()
    const delivered: number[] = []
    const overLimit: string[] = []
    const gate = new MessageGate<number>(source, { deliver: (m) => delivered.push(m), overLimit: (r) => overLimit.push(r), graceMs, maxHeldMessages, now: () => Date.now() })
    gate.addBudget(new MessageBudget(limits, Date.now()))
    return { source, delivered, overLimit, gate }
  }

  it('passes messages within the budget at once, without pausing', () => {
    const { source, delivered, gate } = setup()
    for (let i = 0; i < 3; i++) gate.push(i, 10)
    expect(delivered).toEqual([0, 1, 2])
    expect(source.pauses).toBe(0)
  })

  it('holds messages over the budget in order, stops reading, and lets them through as it refills', () => {
    const { source, delivered, gate } = setup()
    for (let i = 0; i < 6; i++) gate.push(i, 10)
    expect(delivered).toEqual([0, 1, 2])
    expect(source.paused).toBe(true)
    expect(gate.heldCount).toBe(3)
    vi.advanceTimersByTime(100)
    expect(delivered).toEqual([0, 1, 2, 3])
    vi.advanceTimersByTime(200)
    expect(delivered).toEqual([0, 1, 2, 3, 4, 5])
    expect(source.paused).toBe(false)
  })

  it('closes a sender held back for longer than the grace period with short breaks', () => {
    const { source, delivered, overLimit, gate } = setup()
    let sent = 0
    // A flood: whenever the socket is read again, more is waiting.
    const flood = () => { for (let i = 0; i < 5; i++) gate.push(sent++, 10) }
    flood()
    for (let t = 0; t < 3000 && overLimit.length === 0; t += 10) {
      vi.advanceTimersByTime(10)
      if (!source.paused) flood()
    }
    expect(overLimit).toHaveLength(1)
    expect(overLimit[0]).toMatch(/over the rate limit for 2\.\d s/)
    // Slowed to the rate: the burst plus ~10 a second for the grace period.
    expect(delivered.length).toBeGreaterThanOrEqual(20)
    expect(delivered.length).toBeLessThanOrEqual(25)
    expect(source.paused).toBe(true) // what it still sends is not parsed (see discardInput)
    gate.push(999, 10)
    vi.advanceTimersByTime(10_000)
    expect(delivered).not.toContain(999)
  })

  it('does not close a client that bursts now and then with real breaks', () => {
    const { delivered, overLimit, gate } = setup(undefined, 500)
    let sent = 0
    for (let burst = 0; burst < 5; burst++) {
      for (let i = 0; i < 6; i++) gate.push(sent++, 10)
      vi.advanceTimersByTime(400 + RESUME_GAP_MS)
    }
    expect(overLimit).toEqual([])
    expect(delivered).toEqual(Array.from({ length: 30 }, (_, i) => i))
  })

  it('lets a message bigger than the byte burst through once the bytes have refilled', () => {
    const { delivered, overLimit, gate } = setup({ messages: { perSecond: 100, burst: 100 }, bytes: { perSecond: 1000, burst: 1000 } })
    gate.push(1, 600)
    gate.push(2, 5000)
    expect(delivered).toEqual([1])
    vi.advanceTimersByTime(600)
    expect(delivered).toEqual([1, 2])
    gate.push(3, 10)
    expect(delivered).toEqual([1, 2])
    vi.advanceTimersByTime(10)
    expect(delivered).toEqual([1, 2, 3])
    expect(overLimit).toEqual([])
  })

  it('closes a sender with too many messages waiting', () => {
    const { overLimit, gate } = setup(undefined, 60_000, 10)
    for (let i = 0; i < 14; i++) gate.push(i, 10)
    expect(overLimit).toEqual(['more than 10 messages waiting for the rate limit'])
  })

  it('pays every budget: a shared one holds back each of its connections', () => {
    const shared = new MessageBudget({ messages: { perSecond: 10, burst: 4 }, bytes: { perSecond: 1e6, burst: 1e6 } }, Date.now())
    const a = setup()
    const b = setup()
    a.gate.addBudget(shared)
    b.gate.addBudget(shared)
    for (let i = 0; i < 3; i++) a.gate.push(i, 1)
    for (let i = 0; i < 3; i++) b.gate.push(i, 1)
    expect(a.delivered).toEqual([0, 1, 2])
    expect(b.delivered).toEqual([0])
    expect(b.source.paused).toBe(true)
  })

  it('drops what it holds once closed', () => {
    const { delivered, gate } = setup()
    for (let i = 0; i < 6; i++) gate.push(i, 10)
    gate.close()
    vi.advanceTimersByTime(1000)
    expect(delivered).toEqual([0, 1, 2])
  })
})
