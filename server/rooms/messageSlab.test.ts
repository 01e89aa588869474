import { describe, expect, it } from 'vitest'
import { MessageSlab, ownedCopies } from './messageSlab'

describe('MessageSlab', () => {
  it('copies small messages into one block, each its own bytes', () => {
    const slab = new MessageSlab(64, 16)
    const source = Uint8Array.from([1, 2, 3, 4])
    const a = slab.copy(source)
    source[0] = 9
    const b = slab.copy(Uint8Array.from([5, 6]))
    expect([...a]).toEqual([1, 2, 3, 4])
    expect([...b]).toEqual([5, 6])
    expect(a.buffer).toBe(b.buffer)
    expect(b.byteOffset).toBe(4)
  })

  it('starts a new block when one is full; earlier copies stay as they were', () => {
    const slab = new MessageSlab(8, 8)
    const a = slab.copy(Uint8Array.from([1, 1, 1, 1, 1, 1]))
    const b = slab.copy(Uint8Array.from([2, 2, 2, 2]))
    expect(b.buffer).not.toBe(a.buffer)
    expect([...a]).toEqual([1, 1, 1, 1, 1, 1])
    expect([...b]).toEqual([2, 2, 2, 2])
  })

  it('gives a big message a buffer of its own', () => {
    const slab = new MessageSlab(64, 16)
    const small = slab.copy(Uint8Array.from([1]))
    const big = slab.copy(new Uint8Array(17).fill(3))
    expect(big.buffer).not.toBe(small.buffer)
    expect(big.byteLength).toBe(big.buffer.byteLength)
  })
})

describe('ownedCopies', () => {
  it('gives views into a block bytes of their own (a posted view clones its whole buffer) and keeps owned bytes as they are', () => {
    const slab = new MessageSlab(64, 16)
    const view = slab.copy(Uint8Array.from([1, 2]))
    const owned = Uint8Array.from([3])
    const [a, b] = ownedCopies([view, owned])
    expect([...a!]).toEqual([1, 2])
    expect(a!.buffer.byteLength).toBe(2)
    expect(b).toBe(owned)
    expect(structuredClone(view).buffer.byteLength).toBe(64)
    expect(structuredClone(a!).buffer.byteLength).toBe(2)
  })
})
