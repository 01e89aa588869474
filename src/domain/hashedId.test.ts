import { describe, expect, it } from 'vitest'
import { hashedId } from './hashedId'

describe('hashedId', () => {
  it('is randomId-shaped, the same for the same seed, and different for seeds one character apart', () => {
    const ids = new Set<string>()
    for (let i = 0; i < 20_000; i++) {
      const id = hashedId(`leads:0000lr1xk2:000001:abcdef|${i}`)
      expect(id).toMatch(/^[0-9A-Za-z]{12}$/)
      ids.add(id)
    }
    expect(ids.size).toBe(20_000)
    expect(hashedId('intent-key|0')).toBe(hashedId('intent-key|0'))
    expect(hashedId('intent-key|0')).not.toBe(hashedId('intent-key|1'))
  })
})
