import { describe, expect, it } from 'vitest'
import { csvCell, unneutralised } from '../csvCell'
import { CsvByteReader } from '../import/csvByteReader'
import type { ImportRow } from '../import/importRow'
import type { Row } from '../schema'
import { exportColumns, type ExportContext } from './exportColumns'
import { exportCsvCell, exportCsvLine } from './exportCsv'
import { companyNames, everyType, exportRows, importedValues, liveValues, parseContext } from './exportTestEntity.testkit'

const context = (locale = 'en-US'): ExportContext => ({ parse: parseContext(locale), linkName: (entity, id) => (entity === 'companies' ? companyNames.get(id) : undefined) })


function csvFile(locale: string): string {
  const columns = exportColumns(everyType, context(locale))
  return exportCsvLine(columns.map((c) => c.header)) + exportRows.map((row) => exportCsvLine(columns.map((c) => c.cell(row)))).join('')
}

const readCsv = (text: string): ImportRow[] => {
  const reader = new CsvByteReader()
  return [...reader.push(new TextEncoder().encode(text)), ...reader.end()]
}

describe('exportColumns', () => {
  it('has each live field by its label in order, a link also with its ids', () => {
    expect(exportColumns(everyType, context()).map((c) => c.header)).toEqual([
      'Title', 'Notes', 'Quantity', 'Amount', 'Close date', 'Next call', 'Kind', 'Tags', 'Won', 'Email', 'Phone', 'Website', 'Company', 'Company (id)', 'Owner',
    ])
    const some = exportColumns(everyType, context(), { fields: [everyType.fields[12]!, everyType.fields[0]!], meta: true })
    expect(some.map((c) => c.header)).toEqual(['id', 'Company', 'Company (id)', 'Title', 'Created at'])
    expect(some.map((c) => c.cell(exportRows[0]!))).toEqual(['r1', 'Acme GmbH', 'c1', 'Acme renewal', '2026-12-01T09:00:00.000Z'])
  })

  it('writes values as the grid shows them, keeping numbers, amounts and dates typed', () => {
    const cells = exportColumns(everyType, context()).map((c) => c.cell(exportRows[0]!))
    expect(cells).toEqual([
      'Acme renewal', 'two lines,\nwith "quotes"', 1234.5,
      { kind: 'money', text: '€1,234.50', decimal: '1234.50', currency: 'EUR' },
      { kind: 'date', text: '11/27/2026', iso: '2026-11-27' },
      { kind: 'instant', text: '11/27/2026 2:05:30 PM', ms: Date.parse('2026-11-27T14:05:30Z'), wallMs: Date.parse('2026-11-27T14:05:30Z') },
      'Renewal', 'hot, vip', true, 'ada@example.com', '+12015550123', 'https://example.com/a', 'Acme GmbH', 'c1', 'Ada Lovelace',
    ])
    // a currency whose symbol would not read back is written with its code
    expect(exportColumns(everyType, context()).find((c) => c.header === 'Amount')!.cell(exportRows[3]!)).toMatchObject({ text: 'CAD 1.00' })
    // an unticked box is false, a never-set one empty; a link to a record that is gone shows its id
    expect(exportColumns(everyType, context()).find((c) => c.header === 'Won')!.cell(exportRows[1]!)).toBe(false)
    expect(exportColumns(everyType, context()).find((c) => c.header === 'Won')!.cell(exportRows[2]!)).toBeNull()
    const gone: Row = { ...exportRows[0]!, values: { 'd.company': 'c9' } }
    expect(exportColumns(everyType, context()).filter((c) => c.header.startsWith('Company')).map((c) => c.cell(gone))).toEqual(['c9', 'c9'])
  })
})

describe('export CSV: formula injection', () => {
  it('neutralises text beginning with = + - @, a tab or a carriage return', () => {
    expect(['=1+2', '+49 30 1234567', '-x', '@SUM(A1)', '\tx', '\rx'].map(exportCsvCell)).toEqual(["'=1+2", "'+49 30 1234567", "'-x", "'@SUM(A1)", "'\tx", "\"'\rx\""])
    expect(exportCsvCell('a = b')).toBe('a = b')
    expect(unneutralised("'=1+2")).toBe('=1+2')
    expect(unneutralised("'plain")).toBe("'plain")
  })

  it('keeps numbers and amounts numbers: a negative one is not neutralised', () => {
    expect(exportCsvCell(-3)).toBe('-3')
    expect(exportCsvCell(-12.25)).toBe('-12.25')
    expect(exportCsvCell({ kind: 'money', text: '-$5.00', decimal: '-5.00', currency: 'USD' })).toBe('-$5.00')
    expect(exportCsvCell({ kind: 'money', text: '-1.234,50 €', decimal: '-1234.50', currency: 'EUR' })).toBe('"-1.234,50 €"')
    expect(exportCsvCell(false)).toBe(csvCell(false))
  })

  it('writes the rows of every field type, formula-like text neutralised', () => {
    const lines = csvFile('en-US').split('\r\n')
    expect(lines[2]).toBe('"\'=HYPERLINK(""http://evil"",""x"")",\'@SUM(A1),-3,-$5.00,1/2/1999,3/29/2026 1:30 AM,New,cold,false,b@example.org,\'+493012345678,,Beta Ltd,c2,Alan Turing')
    expect(lines[3]).toBe("'+1 (555) call me,'-minus first,0,¥99,,,,,,,,,,,")
  })
})

describe('export → import round trip (CSV)', () => {
  for (const locale of ['en-US', 'de-DE', 'en-GB', 'ja-JP']) {
    it(`reads every field type back to the same values (${locale})`, () => {
      expect(importedValues(readCsv(csvFile(locale)), locale)).toEqual(exportRows.map(liveValues))
    })
  }
})
