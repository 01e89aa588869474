import { describe, expect, it } from 'vitest'
import { decodeTsv, encodeTsv } from './tsvBlock'

describe('encodeTsv', () => {
  it('joins cells with tabs and rows with CRLF, quoting only what needs it', () => {
    expect(encodeTsv([['Ada', 'Lovelace'], ['Grace', 'Hopper']])).toBe('Ada\tLovelace\r\nGrace\tHopper')
    expect(encodeTsv([['two\nlines', 'a\ttab', 'say "hi"', 'plain']])).toBe('"two\nlines"\t"a\ttab"\t"say ""hi"""\tplain')
  })

  it('keeps empty cells in place', () => {
    expect(encodeTsv([['', 'b', ''], ['', '', '']])).toBe('\tb\t\r\n\t\t')
  })
})

describe('decodeTsv', () => {
  it('reads a block as Excel writes it: CRLF rows, a trailing line break, quoted cells with line breaks and tabs', () => {
    const excel = 'Name\tNotes\tEmail\r\n"Ada\r\nLovelace"\t"first\tprogrammer"\tada@example.com\r\nGrace\t"said ""hello"""\t\r\n'
    expect(decodeTsv(excel)).toEqual([
      ['Name', 'Notes', 'Email'],
      ['Ada\r\nLovelace', 'first\tprogrammer', 'ada@example.com'],
      ['Grace', 'said "hello"', ''],
    ])
  })

  it('reads LF and CR line breaks (Google Sheets, old Mac Excel)', () => {
    expect(decodeTsv('a\tb\nc\td\n')).toEqual([['a', 'b'], ['c', 'd']])
    expect(decodeTsv('a\rb')).toEqual([['a'], ['b']])
  })

  it('drops only one trailing line break: a second one is an empty last row', () => {
    expect(decodeTsv('a\n')).toEqual([['a']])
    expect(decodeTsv('a\n\n')).toEqual([['a'], ['']])
  })

  it('keeps ragged rows ragged', () => {
    expect(decodeTsv('a\tb\tc\nd\ne\tf')).toEqual([['a', 'b', 'c'], ['d'], ['e', 'f']])
  })

  it('reads a quote that does not close a cell as text', () => {
    expect(decodeTsv('5" screen\t"a"b\t"open')).toEqual([['5" screen', '"a"b', '"open']])
  })

  it('reads empty text as no block, and a lone empty cell as one', () => {
    expect(decodeTsv('')).toEqual([])
    expect(decodeTsv('\t')).toEqual([['', '']])
  })

  it('round-trips whatever encodeTsv writes', () => {
    const block = [['x\r\ny', '"', '\t'], ['', 'plain', 'a""b'], ['"quoted"', '', 'end\n']]
    expect(decodeTsv(encodeTsv(block))).toEqual(block)
  })
})
