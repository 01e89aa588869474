import { describe, expect, it } from 'vitest'
import { readXlsxRows } from '../import/readXlsxRows'
import { exportColumns } from './exportColumns'
import { companyNames, everyType, exportRows, parseContext } from './exportTestEntity.testkit'
import { exportFileName, writeExport, type ExportFormat } from './writeExport'

const columns = exportColumns(everyType, { parse: parseContext(), linkName: (entity, id) => (entity === 'companies' ? companyNames.get(id) : undefined) }, { fields: [everyType.fields[0]!, everyType.fields[2]!] })

async function written(format: ExportFormat, rows = exportRows, sliceMs?: number) {
  const chunks: Uint8Array[] = []
  const progress: number[] = []
  let turns = 0
  await writeExport({ format, columns, rows, sheetName: 'Deals', sliceMs, write: (c) => void chunks.push(c), turn: async () => { turns++ }, onProgress: (done) => progress.push(done) })
  return { bytes: Buffer.concat(chunks), chunks: chunks.length, progress, turns }
}

describe('writeExport', () => {
  it('writes a CSV with a byte-order mark, the header and every row, CRLF', async () => {
    const { bytes, progress } = await written('csv')
    expect(bytes.toString('utf8')).toBe('\uFEFFTitle,Quantity\r\nAcme renewal,1234.5\r\n"\'=HYPERLINK(""http://evil"",""x"")",-3\r\n\'+1 (555) call me,0\r\n\'@handle,\r\n')
    expect(progress.at(-1)).toBe(exportRows.length)
  })

  it('writes the same rows as XLSX', async () => {
    const { bytes } = await written('xlsx')
    expect(readXlsxRows(new Uint8Array(bytes)).map((r) => r.cells)).toEqual([['Title', 'Quantity'], ['Acme renewal', '1234.5'], ['=HYPERLINK("http://evil","x")', '-3'], ['+1 (555) call me', '0'], ['@handle']])
  })

  it('hands the file on and lets other work run while a long export is written, with its progress', async () => {
    const many = Array.from({ length: 30_000 }, (_, i) => ({ ...exportRows[i % 4]!, id: `r${i}` }))
    for (const format of ['csv', 'xlsx'] as const) {
      const { chunks, progress, turns } = await written(format, many, 0)
      expect(turns, format).toBeGreaterThan(100)
      expect(chunks, format).toBeGreaterThan(format === 'csv' ? 100 : 3)
      expect(progress.at(-1), format).toBe(30_000)
      expect(progress, format).toEqual([...progress].sort((a, b) => a - b))
    }
  })

  it('names the file after the entity, the view and the day', () => {
    expect(exportFileName('deals', 'Big deals: Q4/2026', '2026-12-06', 'xlsx')).toBe('deals-big-deals-q4-2026-2026-12-06.xlsx')
    expect(exportFileName('contacts', 'Всё моё', '2026-12-06', 'csv')).toBe('contacts-все-мое-2026-12-06.csv')
    expect(exportFileName('contacts', '***', '2026-12-06', 'csv')).toBe('contacts-2026-12-06.csv')
  })
})
