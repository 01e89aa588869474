import { strFromU8, unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { readXlsxRows } from '../import/readXlsxRows'
import { exportColumns, type ExportCell } from './exportColumns'
import { companyNames, everyType, exportRows, importedValues, liveValues, parseContext } from './exportTestEntity.testkit'
import { XlsxSheetWriter } from './xlsxSheetWriter'

async function xlsxOf(rows: readonly (readonly ExportCell[])[], chunks: Uint8Array[] = []): Promise<Uint8Array> {
  const writer = new XlsxSheetWriter((chunk) => void chunks.push(chunk), { sheetName: 'Deals: all/open' })
  for (const row of rows) await writer.row(row)
  await writer.finish()
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let at = 0
  for (const c of chunks) { bytes.set(c, at); at += c.length }
  return bytes
}

const columns = () => exportColumns(everyType, { parse: parseContext(), linkName: (entity, id) => (entity === 'companies' ? companyNames.get(id) : undefined) })
const sheetOf = (bytes: Uint8Array) => strFromU8(unzipSync(bytes)['xl/worksheets/sheet1.xml']!)

describe('XlsxSheetWriter', () => {
  it('writes a workbook readXlsxRows reads back: text as written, numbers as digits, dates as dates, amounts with their currency', async () => {
    const bytes = await xlsxOf([['Title', 'Quantity', 'Amount', 'Close', 'Call', 'Won'], [
      'a <b> & "c"\r\nd', -3, { kind: 'money', text: '-$5.00', decimal: '-5.00', currency: 'USD' },
      { kind: 'date', text: '1/2/1999', iso: '1999-01-02' }, { kind: 'instant', text: '', ms: 0, wallMs: Date.parse('2026-03-29T01:30:05Z') }, false,
    ], [null, 1234.5, null, null, null, true]])
    expect(readXlsxRows(bytes)).toEqual([
      { row: 1, cells: ['Title', 'Quantity', 'Amount', 'Close', 'Call', 'Won'] },
      { row: 2, cells: ['a <b> & "c"\r\nd', '-3', '-5.00 USD', '1999-01-02', '2026-03-29 01:30:05', 'FALSE'] },
      { row: 3, cells: ['', '1234.5', '', '', '', 'TRUE'] },
    ])
    const files = unzipSync(bytes)
    expect(Object.keys(files).sort()).toEqual(['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml'])
    // Excel's forbidden sheet-name characters are replaced
    expect(strFromU8(files['xl/workbook.xml']!)).toContain('<sheet name="Deals  all open"')
    expect(strFromU8(files['xl/styles.xml']!)).toContain('formatCode="#,##0.00\\ &quot;USD&quot;"')
  })

  it('keeps numbers numbers: numeric cells, negative ones too, and formula-like text as strings', async () => {
    const cols = columns()
    const sheet = sheetOf(await xlsxOf([cols.map((c) => c.header), ...exportRows.map((row) => cols.map((c) => c.cell(row)))]))
    // row 3 is r2: -3, -5.00 USD, a formula-like title as an inline string
    expect(sheet).toContain('<c r="C3"><v>-3</v></c>')
    expect(sheet).toMatch(/<c r="D3" s="\d+"><v>-5\.00<\/v><\/c>/)
    expect(sheet).toContain('<c r="A3" t="inlineStr"><is><t xml:space="preserve">=HYPERLINK("http://evil","x")</t></is></c>')
    expect(sheet).toContain('<c r="B3" t="inlineStr"><is><t xml:space="preserve">@SUM(A1)</t></is></c>')
    expect(sheet).toContain('<c r="C2"><v>1234.5</v></c>')
    expect(sheet).toContain('<c r="I3" t="b"><v>0</v></c>')
    // no cell is a formula
    expect(sheet).not.toContain('<f>')
  })

  it('reads back through the import to the same records (every field type)', async () => {
    const cols = columns()
    const bytes = await xlsxOf([cols.map((c) => c.header), ...exportRows.map((row) => cols.map((c) => c.cell(row)))])
    for (const locale of ['en-US', 'de-DE']) expect(importedValues(readXlsxRows(bytes), locale)).toEqual(exportRows.map(liveValues))
  })

  it('hands the file on in pieces as rows come, not at the end', async () => {
    const chunks: Uint8Array[] = []
    const writer = new XlsxSheetWriter((chunk) => void chunks.push(chunk), { sheetName: 'Big' })
    for (let i = 0; i < 20_000; i++) await writer.row([`row ${i} ${'x'.repeat(i % 50)}`, i, i * 1.5])
    const before = chunks.length
    await writer.finish()
    expect(before).toBeGreaterThan(3)
    const rows = readXlsxRows(new Uint8Array(Buffer.concat(chunks)))
    expect(rows).toHaveLength(20_000)
    expect(rows[19_999]).toEqual({ row: 20_000, cells: [`row 19999 ${'x'.repeat(19_999 % 50)}`, '19999', '29998.5'] })
  })
})
