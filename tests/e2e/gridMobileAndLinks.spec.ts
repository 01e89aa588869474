import { join } from 'node:path'
import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test'
import { cell, gridCell, typeInto } from './gridHelpers'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Issue 12, spreadsheet habits: a click on an email, phone or URL cell selects it (the link
// opens with Ctrl/Cmd+click, its button or Ctrl/Cmd+Enter), the record's name stays pinned at
// the left, and on a phone-sized screen the lists are cards with an edit sheet.

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

async function openAsAdmin(browser: Browser, path: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport })
  const page = await context.newPage()
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`))
  await page.goto(`${relay.url}${path}#token=${relay.adminToken}`)
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  return page
}

/** A screenshot to look at: in the test's output, or in KANSO_SHOTS_DIR when set (test-results is wiped by every run). */
async function shot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: join(process.env.KANSO_SHOTS_DIR ?? testInfo.outputDir, name) })
}

/** Adds a record from the toolbar, typing its first field, and returns its id. */
async function addRecord(page: Page, singular: string, name: string, colId: string): Promise<string> {
  await page.getByRole('button', { name: `+ New ${singular}` }).click()
  await expect(page.locator('.kanso-editor')).toBeFocused()
  await page.keyboard.type(name)
  await page.keyboard.press('Enter')
  const row = page.locator('.kanso-grid .ag-row', { has: page.locator(`.ag-cell[col-id="${colId}"] .kanso-cell-value`, { hasText: name }) })
  await expect(row).toHaveCount(1)
  return (await row.getAttribute('row-id'))!
}

test('a click on an email or URL selects the cell and typing edits it; Ctrl+click, the open button and Ctrl+Enter open the link', async ({ browser }) => {
  const page = await openAsAdmin(browser, '/companies')
  const id = await addRecord(page, 'company', 'Linkers Ltd', 'companies.name')
  await typeInto(page, id, 'companies.email', 'ann@example.com')
  // a page of the relay's own (the app, for any path): what a link opens is seen without the network
  const site = `${relay.url}/opened-by-a-link`
  await typeInto(page, id, 'companies.website', site)
  const popups: string[] = []
  page.context().on('page', (p) => popups.push(p.url()))

  // a plain click on the address: the cell is selected, nothing opens, typing replaces it
  const email = cell(page, id, 'companies.email')
  await email.locator('a').click()
  await expect(gridCell(page, id, 'companies.email')).toHaveClass(/ag-cell-focus/)
  await page.keyboard.type('bob@example.com')
  await expect(page.locator('.kanso-editor')).toHaveValue('bob@example.com')
  await page.keyboard.press('Enter')
  await expect(email).toHaveText('bob@example.com')
  await expect(email.locator('a')).toHaveAttribute('href', 'mailto:bob@example.com')
  const mailButton = gridCell(page, id, 'companies.email').getByRole('link', { name: 'Email bob@example.com' })
  await expect(mailButton).toHaveAttribute('href', 'mailto:bob@example.com')

  await cell(page, id, 'companies.website').locator('a').click()
  await expect(gridCell(page, id, 'companies.website')).toHaveClass(/ag-cell-focus/)
  await page.waitForTimeout(300)
  expect(popups).toEqual([])
  expect(page.url()).toContain('/companies')

  // Ctrl+click on the text opens it in a new tab
  const byCtrlClick = page.context().waitForEvent('page')
  await cell(page, id, 'companies.website').locator('a').click({ modifiers: ['ControlOrMeta'] })
  const first = await byCtrlClick
  await expect(first).toHaveURL(site)
  await first.close()
  await expect(page.locator('.kanso-editor')).toHaveCount(0)

  // the ↗ button at the cell's right
  const byButton = page.context().waitForEvent('page')
  await gridCell(page, id, 'companies.website').getByRole('link', { name: `Open ${site} in a new tab` }).click()
  const second = await byButton
  await expect(second).toHaveURL(site)
  await second.close()

  // the keyboard: Ctrl/Cmd+Enter on the focused cell
  await gridCell(page, id, 'companies.website').click()
  const byKeyboard = page.context().waitForEvent('page')
  await page.keyboard.press('ControlOrMeta+Enter')
  const third = await byKeyboard
  await expect(third).toHaveURL(site)
  await third.close()
  await expect(page.locator('.kanso-editor')).toHaveCount(0)
  await page.context().close()
})

test('the record name stays pinned at the left while scrolling sideways, whatever a saved layout says', async ({ browser }, testInfo) => {
  const page = await openAsAdmin(browser, '/deals')
  const id = await addRecord(page, 'deal', 'Pinned deal', 'deals.title')
  const name = gridCell(page, id, 'deals.title')
  await expect(name).toHaveClass(/ag-cell-last-left-pinned/)

  const scrollRight = async () => {
    await page.locator('.kanso-grid .ag-grid-viewport').hover()
    await page.mouse.wheel(3000, 0)
    await expect(gridCell(page, id, 'deals.source')).toBeInViewport()
  }
  await scrollRight()
  await expect(name).toBeInViewport()
  const box = (await name.boundingBox())!
  expect(box.x).toBeLessThan(260)
  await shot(page, testInfo, 'pinned-1280x800.png')

  // a layout saved before pinning, with the name moved, unpinned and hidden: still pinned and shown
  await page.evaluate(() => {
    const member = JSON.parse(localStorage.getItem('kanso.member')!) as { id: string }
    localStorage.setItem(`kanso.columns.${member.id}.deals`, JSON.stringify([
      { colId: 'deals.stage', width: 300 },
      { colId: 'deals.title', width: 210, pinned: null, hide: true },
    ]))
  })
  await page.reload()
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  await expect(name).toBeVisible()
  await expect(name).toHaveClass(/ag-cell-last-left-pinned/)
  expect((await name.boundingBox())!.width).toBeCloseTo(210, -1)
  await scrollRight()
  await expect(name).toBeInViewport()
  // the Columns list cannot hide it either
  await page.getByRole('button', { name: 'Columns ▾' }).click()
  await page.locator('.kanso-columns-list label', { hasText: 'Title' }).locator('input').uncheck({ force: true }).catch(() => undefined)
  await expect(name).toBeVisible()
  await page.context().close()
})
