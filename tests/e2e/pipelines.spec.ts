import { expect, test, type Browser, type Page } from '@playwright/test'
import { cell, gridCell } from './gridHelpers'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Issue 14: Settings → Pipelines edits the schema document; a stage added and renamed there is
// in another browser's deals grid stage picker through the relay.

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

async function open(browser: Browser, path: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  page.on('pageerror', (err) => console.error(`[page error] ${err.stack}`))
  await page.goto(`${relay.url}${path}#token=${relay.adminToken}`)
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  return page
}

test('Settings → Pipelines: a stage added and renamed shows in another browser\'s stage picker', async ({ browser }, testInfo) => {
  const settings = await open(browser, '/settings/pipelines')
  const grid = await open(browser, '/deals')
  const sales = settings.locator('[data-pipeline-id="sales"]')
  await expect(sales.getByRole('textbox', { name: 'Name of stage Proposal' })).toBeVisible()

  await sales.getByRole('textbox', { name: 'New stage of Sales' }).fill('Demo')
  await sales.getByRole('button', { name: 'Add stage' }).click()
  const demo = sales.getByRole('textbox', { name: 'Name of stage Demo' })
  await expect(demo).toBeVisible()
  // added before the won and lost stages
  await expect(sales.locator('tbody tr input[aria-label^="Name of stage"]')).toHaveCount(8)
  await expect(sales.locator('tbody tr').nth(5).getByRole('textbox')).toHaveValue('Demo')
  await demo.fill('Demo booked')
  await demo.press('Enter')
  await expect(sales.getByRole('textbox', { name: 'Name of stage Demo booked' })).toBeVisible()
  // moved up with the keyboard-reachable button
  await sales.getByRole('button', { name: 'Move Demo booked up' }).click()
  await expect(sales.locator('tbody tr').nth(4).getByRole('textbox')).toHaveValue('Demo booked')
  await settings.screenshot({ path: testInfo.outputPath('settings-pipelines-1280x800.png') })

  // the other browser: a new deal, its stage picked from the list the relay brought
  await grid.getByRole('button', { name: '+ New deal' }).click()
  await expect(grid.locator('.kanso-editor')).toBeFocused()
  await grid.keyboard.type('Pipeline deal')
  await grid.keyboard.press('Enter')
  const row = grid.locator('.kanso-grid .ag-row[row-id]', { has: grid.locator('.ag-cell[col-id="deals.title"] .kanso-cell-value', { hasText: 'Pipeline deal' }) })
  await expect(row).toHaveCount(1)
  const id = (await row.getAttribute('row-id'))!
  await gridCell(grid, id, 'deals.stage').click()
  await grid.keyboard.press('Enter')
  const options = grid.getByTestId('option-picker').getByRole('option')
  await expect(options).toHaveText(['New', 'Qualified', 'Proposal', 'Negotiation', 'Demo booked', 'Contract', 'Won', 'Lost'])
  await grid.keyboard.type('demo')
  await expect(options).toHaveText(['Demo booked'])
  await grid.keyboard.press('Enter')
  await expect(cell(grid, id, 'deals.stage')).toHaveText('Demo booked')

  // a rename in Settings renames the shown stage of the deal (it holds the id)
  const booked = sales.getByRole('textbox', { name: 'Name of stage Demo booked' })
  await booked.fill('Demo done')
  await booked.press('Enter')
  await expect(cell(grid, id, 'deals.stage')).toHaveText('Demo done')
})
