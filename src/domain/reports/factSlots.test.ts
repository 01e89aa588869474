import { describe, expect, it } from 'vitest'
import { compactFactSlots, makeFactSlots } from './factSlots'

describe('factSlots', () => {
  it('grows past its capacity keeping what the slots hold', () => {
    const slots = makeFactSlots(1, 1, 2)
    for (let i = 0; i < 5; i++) {
      const s = slots.take()
      slots.ints[0]![s] = i * 10
      slots.floats[0]![s] = i / 2
    }
    expect(slots.used).toBe(5)
    expect([...slots.ints[0]!.subarray(0, 5)]).toEqual([0, 10, 20, 30, 40])
    expect([...slots.floats[0]!.subarray(0, 5)]).toEqual([0, 0.5, 1, 1.5, 2])
  })

  it('moves the live slots to the front in the rows\' order once most are garbage, renumbering the facts', () => {
    const slots = makeFactSlots(1, 1, 4)
    for (let i = 0; i < 3000; i++) {
      const s = slots.take()
      slots.ints[0]![s] = i
      slots.floats[0]![s] = -i
    }
    // three rows: their facts are slots 2999, 7 and 1500; one row left out (null), one kept as an object
    const facts: unknown[] = [2999, null, 7, { other: true }, 1500]
    const compacted = compactFactSlots(slots, facts)
    expect(compacted).not.toBe(slots)
    expect(facts).toEqual([0, null, 1, { other: true }, 2])
    expect(compacted.used).toBe(3)
    expect([...compacted.ints[0]!.subarray(0, 3)]).toEqual([2999, 7, 1500])
    expect([...compacted.floats[0]!.subarray(0, 3)]).toEqual([-2999, -7, -1500])
    // a store mostly alive is left as it is
    expect(compactFactSlots(compacted, facts)).toBe(compacted)
  })

  it('moves what the ref columns hold with their slots', () => {
    const slots = makeFactSlots(0, 0, 4, 1)
    for (let i = 0; i < 3000; i++) slots.refs[0]![slots.take()] = `at ${i}`
    const facts: unknown[] = [2999, null, 7]
    const compacted = compactFactSlots(slots, facts)
    expect(facts).toEqual([0, null, 1])
    expect(compacted.refs[0]!.slice(0, 2)).toEqual(['at 2999', 'at 7'])
  })
})
