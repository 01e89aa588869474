import { readFileSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { readXlsxRows } from '../../src/domain/import/readXlsxRows'
import { CsvByteReader } from '../../src/domain/import/csvByteReader'
import { openSignedIn } from './openSignedIn'
import { postRecord } from './postRecord'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Issue 18: the grid exported as it is shown. A filter, a sort and a hidden column in the deals
// grid; then Export → CSV and Export → XLSX, each file read back: the same rows in the same order,
// the visible columns in the order shown (a link with its ids beside), numbers as numbers and
// formula-like text neutralised in the CSV.

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

/** The deal titles the grid shows, top to bottom. */
async function shownTitles(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.kanso-grid .ag-row[row-index]')]
    .filter((row) => row.querySelector('[col-id="deals.title"] .kanso-cell-value'))
    .sort((a, b) => Number(a.getAttribute('row-index')) - Number(b.getAttribute('row-index')))
    .map((row) => row.querySelector('[col-id="deals.title"] .kanso-cell-value')!.textContent!.trim()))
}

/** The headers the grid shows, left to right (the window is wide enough for every column to be drawn). */
async function shownHeaders(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.kanso-grid .ag-header-cell[col-id]')]
    .filter((cell) => cell.querySelector('.kanso-header-label'))
    .sort((a, b) => a.getBoundingClientRect().left - b.getBoundingClientRect().left)
    .map((cell) => cell.querySelector('.kanso-header-label')!.textContent!.trim()))
}

async function exportAs(page: Page, choice: RegExp): Promise<{ name: string; bytes: Buffer }> {
  await page.getByRole('button', { name: 'Export ▾' }).click()
  const downloading = page.waitForEvent('download')
  await page.getByRole('menuitem', { name: choice }).click()
  const download = await downloading
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) }
}

test('a filtered, sorted grid with a hidden column exports as CSV and XLSX with its rows, columns and order', async ({ browser }, testInfo) => {
  const acme = await postRecord(relay, 'companies', { name: 'Acme GmbH' })
  const deals: Array<[string, number, string | null]> = [['Small', 50, acme], ['=HYPERLINK("http://x","y")', 1500, acme], ['Huge', 90000, null], ['Mid', 700.25, acme], ['Refund', -250.5, acme]]
  for (const [title, amount, company] of deals) await postRecord(relay, 'deals', { title, amount: { amount, currency: 'EUR' }, company })

  const page = await openSignedIn(relay, browser, relay.adminToken, '/deals', { width: 3200, height: 900 })
  await expect.poll(() => shownTitles(page).then((t) => t.length)).toBe(5)
  // amount ≥ 100, largest first, without the Contacts column
  await page.getByRole('button', { name: /^Filter/ }).click()
  await page.getByRole('combobox', { name: 'Field' }).selectOption({ label: 'Amount' })
  await page.getByRole('combobox', { name: 'Condition' }).selectOption({ label: 'is between' })
  await page.getByRole('textbox', { name: 'From' }).fill('100')
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  await page.getByRole('button', { name: /^Filter/ }).click()
  await page.locator('.ag-header-cell[col-id="deals.amount"] .kanso-header-label').click()
  await page.locator('.ag-header-cell[col-id="deals.amount"] .kanso-header-label').click()
  await page.getByRole('button', { name: 'Columns ▾' }).click()
  await page.locator('.kanso-columns-list label', { hasText: 'Contacts' }).locator('input').uncheck()
  await page.getByRole('button', { name: 'Columns ▾' }).click()
  await expect(page.locator('.ag-header-cell[col-id="deals.contacts"]')).toHaveCount(0)
  await expect.poll(() => shownTitles(page)).toEqual(['Huge', '=HYPERLINK("http://x","y")', 'Mid'])

  const headers = await shownHeaders(page)
  expect(headers).toContain('Company')
  expect(headers).not.toContain('Contacts')
  // a link is followed by its ids
  const expectedHeader = headers.flatMap((h) => (h === 'Company' ? ['Company', 'Company (id)'] : [h]))
  const at = (name: string) => expectedHeader.indexOf(name)

  const csv = await exportAs(page, /CSV/)
  expect(csv.name).toMatch(/^deals-all-\d{4}-\d{2}-\d{2}\.csv$/)
  const text = csv.bytes.toString('utf8')
  expect(text.startsWith('\uFEFF')).toBe(true)
  const reader = new CsvByteReader()
  const csvRows = [...reader.push(csv.bytes), ...reader.end()].map((r) => r.cells)
  expect(csvRows[0]).toEqual(expectedHeader)
  expect(csvRows.slice(1).map((cells) => cells[at('Title')])).toEqual(['Huge', '\'=HYPERLINK("http://x","y")', 'Mid'])
  expect(csvRows.slice(1).map((cells) => cells[at('Amount')])).toEqual(['€90,000.00', '€1,500.00', '€700.25'])
  expect(csvRows.slice(1).map((cells) => cells[at('Company')])).toEqual(['', 'Acme GmbH', 'Acme GmbH'])
  expect(csvRows.slice(1).map((cells) => cells[at('Company (id)')])).toEqual(['', acme, acme])
  await page.screenshot({ path: testInfo.outputPath('export-grid-3200x900.png') })

  const xlsx = await exportAs(page, /Excel/)
  expect(xlsx.name).toMatch(/^deals-all-\d{4}-\d{2}-\d{2}\.xlsx$/)
  const sheet = readXlsxRows(new Uint8Array(xlsx.bytes)).map((r) => r.cells)
  expect(sheet[0]).toEqual(expectedHeader)
  expect(sheet.slice(1).map((cells) => cells[at('Title')])).toEqual(['Huge', '=HYPERLINK("http://x","y")', 'Mid'])
  // numbers stay numbers: amounts are numeric cells with their currency's format
  expect(sheet.slice(1).map((cells) => cells[at('Amount')])).toEqual(['90000.00 EUR', '1500.00 EUR', '700.25 EUR'])

  // the sort and filter changed: a refund first when sorted the other way, the filter dropped
  await page.getByTestId('view-bar').getByRole('tab', { name: 'All' }).click()
  await expect.poll(() => shownTitles(page).then((t) => t.length)).toBe(5)
  const all = await exportAs(page, /CSV/)
  const allReader = new CsvByteReader()
  const allRows = [...allReader.push(all.bytes), ...allReader.end()].map((r) => r.cells)
  expect(allRows).toHaveLength(6)
  // a negative amount is a number, not a formula: no apostrophe
  expect(allRows.find((cells) => cells.includes('Refund'))).toContain('-€250.50')
})
