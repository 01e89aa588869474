import { describe, expect, it } from 'vitest'
import { asciiJson } from './asciiJson'

describe('asciiJson', () => {
  it('escapes every non-ASCII character and parses back to the same value', () => {
    const value = { name: 'Yılmaz Müller', emoji: 'deal 🤝 done', quote: 'a "b" \\ c', del: '\u007f', nested: [{ x: 'Ωμέγα' }], n: 1.5, b: true, z: null }
    const json = asciiJson(value)
    expect(json).toMatch(/^[\x20-\x7e]*$/)
    expect(JSON.parse(json)).toEqual(value)
  })

  it('leaves plain ASCII JSON as JSON.stringify writes it', () => {
    const value = { id: 'r1', values: { 'contacts.email': 'a@b.example' } }
    expect(asciiJson(value)).toBe(JSON.stringify(value))
  })
})
