import { describe, expect, it } from 'vitest'
import { csvCell } from '../../domain/csvCell'
import { reportCsv, reportTableCsv } from './reportCsv'
import { engineReportView } from './reportView'
import type { ConditionField } from '../../domain/views/viewFilter'

describe('reportCsv', () => {
  it('neutralises text that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"')
    expect(csvCell('+31 20 123')).toBe("'+31 20 123")
    expect(csvCell('-1+2')).toBe("'-1+2")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('\tcmd')).toBe("'\tcmd")
    expect(csvCell('\rcmd')).toBe('"\'\rcmd"')
    expect(csvCell('Acme = best')).toBe('Acme = best')
  })

  it('keeps numbers numbers, negative ones too', () => {
    expect(csvCell(-1200.5)).toBe('-1200.5')
    expect(csvCell(0.25)).toBe('0.25')
    expect(csvCell(Number.NaN)).toBe('')
    expect(csvCell(null)).toBe('')
  })

  it('quotes commas, quotes and line breaks; rows end in CRLF after a BOM', () => {
    expect(reportCsv(['Owner', 'Won'], [['Smith, Ann', 3], ['Bo "B"', -2], ['Line\nbreak', null]]))
      .toBe('\uFEFFOwner,Won\r\n"Smith, Ann",3\r\n"Bo ""B""",-2\r\n"Line\nbreak",\r\n')
  })

  it('a share (and a rate) is written as percents, as the table shows it, its header saying so', () => {
    const fields = new Map<string, ConditionField>([['a.source', { field: { id: 'a.source', key: 'source', label: 'Source', type: 'select', order: 0 } }]])
    const view = engineReportView(
      { id: 'r', name: 'r', entity: 'deals', filters: [], groups: [{ field: 'a.source' }], measures: [{ key: 'n', label: 'Deals', op: 'count' }, { key: 'share', label: 'Share of records', op: 'share' }] },
      { withoutRate: [], rows: [{ keys: ['w'], labels: ['Website'], values: [3, 0.75] }, { keys: ['r'], labels: ['Referral'], values: [1, 0.25] }] },
      'table', fields)
    expect(view.columns.map((c) => c.format)).toEqual(['text', 'count', 'percent'])
    expect(reportTableCsv(view.columns, view.rows)).toBe('\uFEFFSource,Deals,Share of records (%)\r\nWebsite,3,75\r\nReferral,1,25\r\n')
  })
})
