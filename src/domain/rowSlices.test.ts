import { describe, expect, it } from 'vitest'
import { asciiJson } from './asciiJson'
import { rowSlices, snapshotRowCount } from './rowSlices'
import { rowsJson } from './rowsJson'

const bytesOf = (text: string) => new TextEncoder().encode(text)

const rows = Array.from({ length: 50 }, (_, i) => ({
  id: `r${i}`,
  values: { name: `Name ${i} Müller ı 🤝`, note: i % 3 ? `line one\nline two, "quoted" ${i}` : '', tags: [`a${i}`, 'b'], n: i * 1.5, lines: [{ id: 'x', q: 2 }] },
}))

describe('rowsJson', () => {
  it('writes ASCII JSON that parses to the same rows, one row per line', () => {
    const text = rowsJson(rows)
    expect(text).toMatch(/^[\n\x20-\x7e]*$/)
    expect(JSON.parse(text)).toEqual(rows)
    expect(text.split('\n')).toHaveLength(rows.length)
    expect(rowsJson([])).toBe('[]')
    expect(JSON.parse(rowsJson([rows[0]]))).toEqual([rows[0]])
  })
})

describe('rowSlices', () => {
  it('gives every row once, in order, in slices of about the asked size', () => {
    const text = bytesOf(rowsJson(rows))
    const { total, slices } = rowSlices<(typeof rows)[number]>(text, 4, 1000)
    expect(total).toBe(50)
    const got = [...slices]
    expect(got.length).toBeGreaterThan(3)
    expect(got[0]).toHaveLength(4)
    expect(got[1]!.length).toBeGreaterThan(4)
    expect(got.flat()).toEqual(rows)
  })

  it('parses one slice when the first rows are all of them, and nothing for no rows', () => {
    const text = bytesOf(rowsJson(rows))
    expect([...rowSlices(text, 50, text.length).slices]).toEqual([rows])
    expect([...rowSlices(text, 80, text.length).slices]).toEqual([rows])
    const none = rowSlices(bytesOf('[]'), 10, 10)
    expect(none.total).toBe(0)
    expect([...none.slices]).toEqual([])
  })

  it('reads an older snapshot written on one line whole', () => {
    const text = bytesOf(asciiJson(rows))
    const { total, slices } = rowSlices(text, 100, 100)
    expect(total).toBe(50)
    expect([...slices]).toEqual([rows])
  })

  it('refuses text that is not a JSON array, and a broken slice fails to parse', () => {
    expect(() => rowSlices(bytesOf('{"a":1}'), 10, 10)).toThrow(/not a JSON array/)
    const broken = rowsJson(rows).replace('"r30"', '"r30')
    expect(() => [...rowSlices(bytesOf(broken), 100, 100).slices]).toThrow(SyntaxError)
  })
})

describe('snapshotRowCount', () => {
  it('counts the rows of one-row-per-line bytes, and does not guess for one line', () => {
    expect(snapshotRowCount(bytesOf(rowsJson(rows)))).toBe(50)
    expect(snapshotRowCount(bytesOf(rowsJson(rows.slice(0, 2))))).toBe(2)
    expect(snapshotRowCount(bytesOf('[]'))).toBe(0)
    expect(snapshotRowCount(bytesOf(rowsJson(rows.slice(0, 1))))).toBeNull()
    expect(snapshotRowCount(bytesOf(asciiJson(rows)))).toBeNull()
    expect(snapshotRowCount(bytesOf('nope'))).toBeNull()
  })
})
