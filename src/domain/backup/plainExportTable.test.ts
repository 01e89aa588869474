import { describe, expect, it } from 'vitest'
import type { EntityDef, Row } from '../schema'
import { csvCell } from '../csvCell'
import { csvLine, plainExportTable } from './plainExportTable'

const deals: EntityDef = {
  id: 'deals', key: 'deals', label: 'Deals', singular: 'Deal', primaryField: 'd.title', order: 0,
  fields: [
    { id: 'd.title', key: 'title', label: 'Title', type: 'text', order: 0 },
    { id: 'd.amount', key: 'amount', label: 'Amount', type: 'money', order: 1 },
    { id: 'd.qty', key: 'qty', label: 'Quantity', type: 'number', order: 2 },
    { id: 'd.close', key: 'close_date', label: 'Close date', type: 'date', order: 3 },
    { id: 'd.company', key: 'company', label: 'Company', type: 'link', linkEntity: 'companies', order: 4 },
  ],
}
const row = (values: Row['values']): Row => ({ id: 'r1', values, createdAt: '2026-12-01T09:00:00.000Z', createdBy: 'm1' })

describe('plain export CSV', () => {
  it('neutralises cells a spreadsheet would run as formulas; numbers stay numbers', () => {
    expect(['=SUM(A1)', '+1', '-x', '@cmd', '\tx', '\rx'].map(csvCell)).toEqual(["'=SUM(A1)", "'+1", "'-x", "'@cmd", "'\tx", "\"'\rx\""])
    expect(csvCell(-12.5)).toBe('-12.5')
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"')
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"')
    expect(csvLine(['x', 1, null])).toBe('x,1,\r\n')
  })

  it('writes values as people read them, links as names with their ids beside', () => {
    const table = plainExportTable(deals, { parse: { locale: 'en-US' }, linkName: (entity, id) => (entity === 'companies' && id === 'c1' ? 'Acme' : undefined) })
    expect(table.header).toEqual(['id', 'Title', 'Amount', 'Quantity', 'Close date', 'Company', 'Company (id)', 'Created at'])
    const cells = table.cells(row({ 'd.title': '=HYPERLINK("x")', 'd.amount': { amount: 123450, currency: 'EUR' }, 'd.qty': -3, 'd.close': '2026-11-27', 'd.company': 'c1' }))
    expect(cells).toEqual(['r1', '=HYPERLINK("x")', { kind: 'money', text: '€1,234.50', decimal: '1234.50', currency: 'EUR' }, -3, { kind: 'date', text: '11/27/2026', iso: '2026-11-27' }, 'Acme', 'c1', '2026-12-01T09:00:00.000Z'])
    expect(csvLine(cells)).toBe('r1,"\'=HYPERLINK(""x"")","€1,234.50",-3,11/27/2026,Acme,c1,2026-12-01T09:00:00.000Z\r\n')
    expect(table.cells(row({ 'd.company': 'gone' })).slice(5, 7)).toEqual(['gone', 'gone'])
    // a negative amount is a number, not a formula: no apostrophe
    expect(csvLine(table.cells(row({ 'd.amount': { amount: -500, currency: 'EUR' } })))).toBe('r1,,-€5.00,,,,,2026-12-01T09:00:00.000Z\r\n')
  })
})
