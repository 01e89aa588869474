import { describe, expect, it } from 'vitest'
import { packUpdates, packedTransfer, unpackUpdates } from './packedUpdates'

describe('packUpdates / unpackUpdates', () => {
  it('round-trips updates of any size, views into a larger buffer and empty ones included, in order', () => {
    const backing = new Uint8Array([9, 9, 1, 2, 3, 9])
    const updates = [new Uint8Array([7]), backing.subarray(2, 5), new Uint8Array(0), new Uint8Array(300).fill(4)]
    const packed = packUpdates(updates)
    expect(packed.bytes.byteLength).toBe(304)
    expect([...packed.lengths]).toEqual([1, 3, 0, 300])
    expect(unpackUpdates(packed).map((u) => [...u])).toEqual(updates.map((u) => [...u]))
    expect(unpackUpdates(packUpdates([]))).toEqual([])
  })

  it('survives a transfer to another thread (structured clone with the buffers moved)', () => {
    const packed = packUpdates([new Uint8Array([1, 2]), new Uint8Array([3])])
    const moved = structuredClone(packed, { transfer: packedTransfer(packed) })
    expect(packed.bytes.byteLength).toBe(0) // detached: moved, not copied
    expect(unpackUpdates(moved).map((u) => [...u])).toEqual([[1, 2], [3]])
  })
})
