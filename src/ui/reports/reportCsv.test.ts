import { describe, expect, it } from 'vitest'
import { csvCell } from '../../domain/csvCell'
import { reportCsv } from './reportCsv'

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
})
