import { strToU8, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { readXlsxRows, XlsxReadError } from './readXlsxRows'
import { xlsxFixture } from './xlsxFixture.testkit'

describe('readXlsxRows', () => {
  it('reads the first sheet through the workbook relations: strings, numbers, booleans, dates, gaps and empty rows', () => {
    const bytes = xlsxFixture({
      1: [{ s: 'Name' }, { s: 'Amount' }, { s: 'Since' }, { s: 'Active' }, { s: 'Met' }],
      2: [{ s: 'Anna & "Co" <1>' }, { n: 1234.5 }, { n: 46353, style: 1 }, { b: true }, { n: 46353.5, style: 2 }],
      3: [null, null, null, null, null],
      4: [{ inline: 'Bob\nSmith' }, null, { n: 46353 }],
      6: [{ s: 'Привет テスト' }],
    })
    expect(readXlsxRows(bytes)).toEqual([
      { row: 1, cells: ['Name', 'Amount', 'Since', 'Active', 'Met'] },
      { row: 2, cells: ['Anna & "Co" <1>', '1234.5', '2026-11-27', 'TRUE', '2026-11-27 12:00'] },
      { row: 4, cells: ['Bob\nSmith', '', '46353'] },
      { row: 6, cells: ['Привет テスト'] },
    ])
  })

  it('joins rich-text runs and leaves out phonetic guides', () => {
    const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    const bytes = zipSync({
      'xl/workbook.xml': strToU8(`<workbook ${ns}><sheets><sheet name="S" sheetId="1"/></sheets></workbook>`),
      'xl/sharedStrings.xml': strToU8(`<sst ${ns}><si><r><t>東</t></r><r><rPr><b/></rPr><t>京</t></r><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si></sst>`),
      'xl/worksheets/sheet1.xml': strToU8(`<worksheet ${ns}><sheetData><row r="1"><c r="B1" t="s"><v>0</v></c></row></sheetData></worksheet>`),
    })
    expect(readXlsxRows(bytes)).toEqual([{ row: 1, cells: ['', '東京'] }])
  })

  it('refuses a file that is not a workbook, saying why', () => {
    expect(() => readXlsxRows(new TextEncoder().encode('name,email\n'))).toThrow(XlsxReadError)
    expect(() => readXlsxRows(zipSync({ 'a.txt': strToU8('x') }))).toThrow(/no xl\/workbook.xml/)
  })
})
