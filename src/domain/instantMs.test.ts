import { describe, expect, it } from 'vitest'
import { instantMs } from './instantMs'
import { seededRandom } from './seededRandom'

describe('instantMs', () => {
  it('reads stored instants exactly as Date.parse does, across leap days and centuries (seeded)', () => {
    const r = seededRandom(17)
    for (let i = 0; i < 5000; i++) {
      const text = new Date(r.int(-2_000_000, 2_000_000) * 3_600_000 + r.int(0, 3_599_999)).toISOString()
      expect(instantMs(text), text).toBe(Date.parse(text))
    }
    for (const text of ['2024-02-29T23:59:59.999Z', '2000-02-29T00:00:00.000Z', '1970-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z']) expect(instantMs(text), text).toBe(Date.parse(text))
  })
  it('reads the same text twice in a row, and another after it, each as its own instant', () => {
    expect(instantMs('2026-05-01T10:00:00.000Z')).toBe(Date.UTC(2026, 4, 1, 10))
    expect(instantMs('2026-05-01T10:00:00.000Z')).toBe(Date.UTC(2026, 4, 1, 10))
    expect(instantMs('2026-05-01T10:00:00.001Z')).toBe(Date.UTC(2026, 4, 1, 10, 0, 0, 1))
  })

  it('leaves other forms and impossible dates to Date.parse', () => {
    for (const text of ['2026-03-29T03:00:00+02:00', '2026-03-29T01:00:00Z', '2026-02-29T10:00:00.000Z', '2026-13-01T00:00:00.000Z', '2026-01-01T24:00:00.000Z', 'x026-01-01T00:00:00.000Z', '',
      // a character just past 9 (':' … '?') or just below 0 ('/', '.') where a digit belongs
      '2026-01-0:T00:00:00.000Z', '2026-01-01T00:00:00.00?Z', '2026-01-01T0/:00:00.000Z', '202.-01-01T00:00:00.000Z']) {
      expect(instantMs(text), text).toEqual(Date.parse(text))
    }
  })
})
