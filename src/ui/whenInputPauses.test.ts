import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

/** A fresh module per test: the last press it noted is module state. */
const load = async () => (await import('./whenInputPauses')).whenInputPauses

/** Resolves-or-not after advancing the fake clock by `ms`. */
async function settledAfter(promise: Promise<void>, ms: number): Promise<boolean> {
  let settled = false
  void promise.then(() => { settled = true })
  await vi.advanceTimersByTimeAsync(ms)
  return settled
}

const press = (type: 'keydown' | 'pointerdown' | 'mousemove') => document.dispatchEvent(new Event(type, { bubbles: true }))

describe('whenInputPauses (loading what is not on screen waits while the member acts)', () => {
  beforeEach(() => {
    vi.resetModules()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] })
  })
  afterEach(() => { vi.useRealTimers() })

  it('resolves the quiet time after it was asked when nobody presses anything', async () => {
    const whenInputPauses = await load()
    const paused = whenInputPauses(250, 2000)
    expect(await settledAfter(paused, 249)).toBe(false)
    expect(await settledAfter(paused, 1)).toBe(true)
  })

  it('waits the quiet time after the last key or pointer press; moving the mouse does not count', async () => {
    const whenInputPauses = await load()
    const paused = whenInputPauses(250, 2000)
    expect(await settledAfter(paused, 100)).toBe(false)
    press('pointerdown')
    expect(await settledAfter(paused, 200)).toBe(false) // 300 ms in, 200 after the click
    press('keydown')
    expect(await settledAfter(paused, 240)).toBe(false)
    press('mousemove')
    expect(await settledAfter(paused, 10)).toBe(true) // 250 after the key
  })

  it('resolves at the latest time while the member goes on pressing keys', async () => {
    const whenInputPauses = await load()
    const paused = whenInputPauses(250, 1000)
    for (let t = 0; t < 900; t += 100) {
      press('keydown')
      expect(await settledAfter(paused, 100), `at ${t + 100} ms`).toBe(false)
    }
    press('keydown')
    expect(await settledAfter(paused, 100)).toBe(true) // 1000 ms
  })
})
