import { describe, expect, it } from 'vitest'
import { CsvByteReader, readCsvBytes } from './csvByteReader'
import { CsvRowReader } from './csvRowReader'
import { detectDelimiter } from './detectDelimiter'
import type { ImportRow } from './importRow'

const utf8 = (text: string) => new TextEncoder().encode(text)
const cells = (rows: ImportRow[]) => rows.map((r) => r.cells)

describe('CSV rows from bytes', () => {
  const expected = [['Имя', 'Почта'], ['Иван', 'ivan@example.ru']]

  it.each([
    ['UTF-8', utf8('Имя,Почта\nИван,ivan@example.ru\n'), 'utf-8'],
    ['UTF-8 with BOM', new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('Имя,Почта\r\nИван,ivan@example.ru\r\n')]), 'utf-8'],
    ['UTF-16 LE with BOM', new Uint8Array([0xff, 0xfe, ...Buffer.from('Имя,Почта\nИван,ivan@example.ru', 'utf16le')]), 'utf-16le'],
    ['UTF-16 BE with BOM', new Uint8Array([0xfe, 0xff, ...Buffer.from('Имя,Почта\nИван,ivan@example.ru', 'utf16le').swap16()]), 'utf-16be'],
    ['UTF-16 LE without BOM', new Uint8Array(Buffer.from('Имя,Почта\nИван,ivan@example.ru', 'utf16le')), 'utf-16le'],
    ['UTF-16 BE without BOM', new Uint8Array(Buffer.from('Имя,Почта\nИван,ivan@example.ru', 'utf16le').swap16()), 'utf-16be'],
  ])('%s', (_, bytes, encoding) => {
    const reader = new CsvByteReader()
    const rows = [...reader.push(bytes), ...reader.end()]
    expect(reader.encoding).toBe(encoding)
    expect(cells(rows)).toEqual(expected)
  })

  it('Windows-1251', () => {
    // 'Имя;Почта\nПривет;p@x.ru'
    const bytes = new Uint8Array([0xc8, 0xec, 0xff, 0x3b, 0xcf, 0xee, 0xf7, 0xf2, 0xe0, 0x0a, 0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0x3b, ...utf8('p@x.ru')])
    const reader = new CsvByteReader()
    const rows = [...reader.push(bytes), ...reader.end()]
    expect([reader.encoding, reader.delimiter]).toEqual(['windows-1251', ';'])
    expect(cells(rows)).toEqual([['Имя', 'Почта'], ['Привет', 'p@x.ru']])
  })

  it('Shift_JIS', () => {
    // 'name\tcity\nテスト\t東京'
    const bytes = new Uint8Array([...utf8('name\tcity\n'), 0x83, 0x65, 0x83, 0x58, 0x83, 0x67, 0x09, 0x93, 0x8c, 0x8b, 0x9e])
    const reader = new CsvByteReader()
    const rows = [...reader.push(bytes), ...reader.end()]
    expect([reader.encoding, reader.delimiter]).toEqual(['shift_jis', '\t'])
    expect(cells(rows)).toEqual([['name', 'city'], ['テスト', '東京']])
  })

  it('a character split between two pieces is read whole', () => {
    const bytes = utf8('a,b\nПривет,テスト\n'.repeat(3000))
    const reader = new CsvByteReader()
    const rows: ImportRow[] = []
    for (let at = 0; at < bytes.length; at += 1001) rows.push(...reader.push(bytes.subarray(at, at + 1001)))
    rows.push(...reader.end())
    expect(rows).toHaveLength(6000)
    expect(rows[5999]).toEqual({ row: 6000, cells: ['Привет', 'テスト'] })
  })
})

describe('delimiters', () => {
  it.each([[','], [';'], ['\t'], ['|']])('%j', (d) => {
    const text = ['name', 'email', 'note'].join(d) + '\n' + ['Anna', 'a@x.io', '"1, 2; 3|4\t5"'].join(d) + '\n'
    expect(detectDelimiter(text)).toBe(d)
    expect(cells(readCsvBytes(utf8(text)))).toEqual([['name', 'email', 'note'], ['Anna', 'a@x.io', '1, 2; 3|4\t5']])
  })

  it('a one-column file reads with a comma', () => {
    expect(detectDelimiter('email\na@x.io\nb@x.io')).toBe(',')
  })
})

describe('RFC 4180 quoting', () => {
  it('quoted newlines, doubled quotes and delimiters inside quotes; CRLF, LF and CR breaks', () => {
    const text = 'name,note\r\n"Anna ""Ann"" Lee","line 1\r\nline 2\nline 3"\rBob,"a,b"\nEve,"""quoted"""'
    expect(readCsvBytes(utf8(text))).toEqual([
      { row: 1, cells: ['name', 'note'] },
      { row: 2, cells: ['Anna "Ann" Lee', 'line 1\r\nline 2\nline 3'] },
      { row: 3, cells: ['Bob', 'a,b'] },
      { row: 4, cells: ['Eve', '"quoted"'] },
    ])
  })

  it('skips empty rows but keeps the row numbers a spreadsheet shows', () => {
    expect(readCsvBytes(utf8('name,email\n\nAnna,a@x.io\n,\n  ,\nBob,b@x.io\n\n'))).toEqual([
      { row: 1, cells: ['name', 'email'] },
      { row: 3, cells: ['Anna', 'a@x.io'] },
      { row: 6, cells: ['Bob', 'b@x.io'] },
    ])
  })

  it('a quoted cell split across pieces anywhere reads the same as in one piece', () => {
    const text = 'a;b\r\n"x ""y""\r\nz";w\r\n"";"q"\r\n'
    const whole = new CsvRowReader(';')
    const expected = [...whole.push(text), ...whole.end()]
    for (let cut = 1; cut < text.length; cut++) {
      const reader = new CsvRowReader(';')
      expect([...reader.push(text.slice(0, cut)), ...reader.push(text.slice(cut)), ...reader.end()]).toEqual(expected)
    }
    expect(cells(expected)).toEqual([['a', 'b'], ['x "y"\r\nz', 'w'], ['', 'q']])
  })

  it('a file without a final line break keeps its last row', () => {
    expect(cells(readCsvBytes(utf8('a,b\n1,"2"')))).toEqual([['a', 'b'], ['1', '2']])
  })
})
