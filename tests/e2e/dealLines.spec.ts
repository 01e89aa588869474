import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { cell, typeInto } from './gridHelpers'
import { lineRow, openLines } from './dealHelpers'
import { openSignedIn } from './openSignedIn'
import { postRecord } from './postRecord'
import { startRelayProcess, type RelayProcess } from './relayProcess'

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

const post = (entity: string, body: Record<string, unknown>) => postRecord(relay, entity, body)

async function openDealLines(context: BrowserContext, token: string, dealId: string): Promise<Page> {
  const page = await openSignedIn(relay, context, token, '/deals')
  // deal lines are opened from a deal, not listed in the navigation
  await expect(page.locator('.kanso-nav-item', { hasText: 'Deals' })).toBeVisible()
  await expect(page.locator('.kanso-nav-item', { hasText: 'Deal lines' })).toHaveCount(0)
  await openLines(page, dealId)
  return page
}

test('lines added to a deal in one browser show their totals and stock there and in a second browser; the amount follows', async ({ browser }, testInfo) => {
  await post('products', { name: 'Chair', price: { amount: 100, currency: 'EUR' }, unit: 'pcs', tax_rate: 19, stock: 5 })
  const deal = await post('deals', { title: 'Office fit-out', currency: 'EUR' })
  await post('deals', { title: 'Another deal' })
  const alice = await browser.newContext({ locale: 'en-US' })
  const bob = await browser.newContext({ locale: 'en-US' })
  const a = await openDealLines(alice, await relay.addMember('Alice', 'editor'), deal)
  const b = await openDealLines(bob, await relay.addMember('Bob', 'editor'), deal)
  await expect(a.getByText('No lines yet')).toBeVisible()

  // a product from the catalog fills the line; then 6 of them, one more than in stock
  await a.getByLabel('Product or free text for a new line').fill('Chair')
  await a.getByRole('button', { name: '+ Add line' }).click()
  await expect(lineRow(a, 'Chair')).toHaveCount(1)
  const chairLine = (await lineRow(a, 'Chair').getAttribute('row-id'))!
  await expect(cell(a, chairLine, 'deal_lines.product')).toHaveText('Chair')
  await expect(cell(a, chairLine, 'deal_lines.unit_price')).toContainText('100.00')
  // every line here is this deal's: no Deal column repeating it
  await expect(a.getByTestId('deal-lines').locator('.ag-header-cell[col-id="deal_lines.product"]')).toBeVisible()
  await expect(a.getByTestId('deal-lines').locator('.ag-header-cell[col-id="deal_lines.deal"]')).toHaveCount(0)
  await expect(a.getByTestId('deal-total')).toHaveText('€119.00')
  await typeInto(a, chairLine, 'deal_lines.quantity', '6')
  await expect(a.getByTestId('stock-warning')).toHaveText('6 of Chair asked, 5 in stock')

  // free text, priced by hand, with a 10 % discount: 2 × 80.00 − 16.00 = 144.00
  await a.getByLabel('Product or free text for a new line').fill('Installation')
  await a.getByLabel('Product or free text for a new line').press('Enter')
  await expect(lineRow(a, 'Installation')).toHaveCount(1)
  const freeLine = (await lineRow(a, 'Installation').getAttribute('row-id'))!
  await typeInto(a, freeLine, 'deal_lines.quantity', '2')
  await typeInto(a, freeLine, 'deal_lines.unit_price', '80')
  await typeInto(a, freeLine, 'deal_lines.discount_pct', '10')
  // 600.00 + 114.00 tax + 144.00
  await expect(a.getByTestId('deal-subtotal')).toHaveText('€760.00')
  await expect(a.getByTestId('deal-discount')).toHaveText('−€16.00')
  await expect(a.getByTestId('deal-tax')).toHaveText('€114.00')
  await expect(a.getByTestId('deal-total')).toHaveText('€858.00')

  // the second browser sees the same lines, totals and warning, and the deal's amount the relay wrote
  await expect(lineRow(b, 'Chair')).toHaveCount(1)
  await expect(lineRow(b, 'Installation')).toHaveCount(1)
  await expect(b.getByTestId('deal-total')).toHaveText('€858.00')
  await expect(b.getByTestId('stock-warning')).toHaveText('6 of Chair asked, 5 in stock')
  await expect(cell(b, deal, 'deals.amount')).toContainText('858.00')
  await expect(cell(a, deal, 'deals.amount')).toContainText('858.00')
  await expect(cell(b, chairLine, 'deal_lines.product')).toHaveText('Chair')

  // the lines' first columns in view for the screenshots
  await cell(a, chairLine, 'deal_lines.name').click()
  await a.keyboard.press('Home')
  await a.screenshot({ path: testInfo.outputPath('deal-lines-1280x800.png') })
  await a.setViewportSize({ width: 820, height: 1180 })
  await expect(a.getByTestId('deal-total')).toBeVisible()
  await a.screenshot({ path: testInfo.outputPath('deal-lines-820x1180.png') })
  // the full list of every deal's lines keeps its Deal column
  await a.goto(`${relay.url}/deal_lines`)
  await expect(cell(a, chairLine, 'deal_lines.deal')).toContainText('Office fit-out')
  await alice.close()
  await bob.close()
})
