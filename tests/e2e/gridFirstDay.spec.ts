import { expect, test, type Browser, type Page } from '@playwright/test'
import { cell, gridCell } from './gridHelpers'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Issue 12's first-day bugs, in an en-US browser: dotted dates, national phone numbers, the
// empty search, "1 companies", cut headers and a probability of 150.

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

async function openAsAdmin(browser: Browser, path: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' })
  const page = await context.newPage()
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`))
  await page.goto(`${relay.url}${path}#token=${relay.adminToken}`)
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  return page
}

/** Adds a record from the toolbar, typing its first field(s) (Tab between them), and returns its id. */
async function addRecord(page: Page, singular: string, values: string[], colId: string): Promise<string> {
  await page.getByRole('button', { name: `+ New ${singular}` }).click()
  for (const [i, text] of values.entries()) {
    await expect(page.locator('.kanso-editor')).toBeFocused()
    await page.keyboard.type(text)
    await page.keyboard.press(i === values.length - 1 ? 'Enter' : 'Tab')
  }
  const row = page.locator('.kanso-grid .ag-row', { has: page.locator(`.ag-cell[col-id="${colId}"] .kanso-cell-value`, { hasText: values.at(-1)! }) })
  await expect(row).toHaveCount(1)
  return (await row.getAttribute('row-id'))!
}

/** Opens a cell's editor and types, without committing. */
async function startTyping(page: Page, rowId: string, colId: string, text: string) {
  await gridCell(page, rowId, colId).click()
  await page.keyboard.press('Enter')
  await expect(page.locator('.kanso-editor')).toBeFocused()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.type(text)
}

test('dates with dots are day.month.year in en-US, and the editor shows its reading while typing', async ({ browser }, testInfo) => {
  const page = await openAsAdmin(browser, '/activities')
  const due = 'activities.due'
  // the pinned subject is the first column: a new activity starts there, Tab goes on to its type
  const id = await addRecord(page, 'activity', ['Call Ada back', 'call'], 'activities.type')

  await startTyping(page, id, due, '03.12.2026 15:00')
  await expect(page.getByTestId('editor-reading')).toHaveText('Reads as Thu, Dec 3, 2026, 3:00 PM')
  await page.screenshot({ path: testInfo.outputPath('date-reading.png') })
  await page.keyboard.press('Enter')
  await expect(cell(page, id, due)).toHaveText('12/3/2026, 3:00 PM')

  await startTyping(page, id, due, '27.12.2026')
  await expect(page.getByTestId('editor-reading')).toHaveText('Reads as Sun, Dec 27, 2026, 12:00 AM')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('cell-error')).toHaveCount(0)
  await expect(cell(page, id, due)).toHaveText('12/27/2026, 12:00 AM')

  // slashes follow the locale (month/day/year in en-US); a day that does not exist says why
  await startTyping(page, id, due, '03/12/2026 9:30 AM')
  await expect(page.getByTestId('editor-reading')).toHaveText('Reads as Thu, Mar 12, 2026, 9:30 AM')
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.type('31.02.2026 10:00')
  await expect(page.getByTestId('editor-reading')).toContainText('February 2026 has 28 days')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('cell-error')).toContainText('Due: "31.02.2026 10:00" is not a valid date and time: February 2026 has 28 days')
  // Escape drops the refused text; the stored day is still 27 December
  await page.keyboard.press('Escape')
  await expect(cell(page, id, due)).toHaveText('12/27/2026, 12:00 AM')
  await page.close()
})

test('national phone numbers are stored as E.164 against the workspace country set in Settings, refused when no country fits', async ({ browser }) => {
  const page = await openAsAdmin(browser, '/settings')
  // set at first start from the admin's locale (en-US)
  const country = page.getByLabel('Country for phone numbers')
  await expect(country).toHaveValue('US')

  await page.getByRole('link', { name: 'Contacts' }).click()
  const phone = 'contacts.phone'
  const id = await addRecord(page, 'contact', ['Ada', 'Lovelace'], 'contacts.last_name')
  await startTyping(page, id, phone, '030 1234567')
  await expect(page.getByTestId('editor-reading')).toContainText('is not a phone number in United States: add the country code')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('cell-error')).toContainText('Phone: "030 1234567" is not a phone number in United States: add the country code, e.g. +1 201 555 0123')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('cell-error')).toHaveCount(0)
  await expect(cell(page, id, phone)).toHaveText('')

  await page.getByRole('link', { name: 'Settings' }).click()
  await country.selectOption({ label: 'Germany' })
  await expect(page.getByTestId('country-source')).toHaveText('Chosen by an admin.')
  await page.getByRole('link', { name: 'Contacts' }).click()
  await startTyping(page, id, phone, '030 1234567')
  await expect(page.getByTestId('editor-reading')).toHaveText('Reads as +49 30 1234567 · Germany')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('cell-error')).toHaveCount(0)
  await expect(cell(page, id, phone)).toHaveText('+49 30 1234567')
  // a US number still reads as the member's (en-US) own country first
  await startTyping(page, id, phone, '(201) 555-0123')
  await page.keyboard.press('Enter')
  await expect(cell(page, id, phone)).toHaveText('+1 201 555 0123')
  await page.close()
})

test('counts say "1 company"; a search without matches says so and clears', async ({ browser }) => {
  const page = await openAsAdmin(browser, '/companies')
  await addRecord(page, 'company', ['Acme GmbH'], 'companies.name')
  await expect(page.locator('.kanso-count')).toHaveText('1 company')

  await page.getByLabel('Search Companies').fill('zebra')
  await expect(page.getByTestId('empty-search')).toContainText('No rows match “zebra”.')
  await expect(page.getByText('No records yet')).toHaveCount(0)
  await expect(page.locator('.kanso-count')).toHaveText('0 of 1 company')
  await page.getByRole('button', { name: 'Clear the search' }).click()
  await expect(page.getByLabel('Search Companies')).toHaveValue('')
  await expect(page.getByTestId('empty-search')).toHaveCount(0)
  await expect(page.locator('.kanso-grid .ag-row .kanso-cell-value', { hasText: 'Acme GmbH' })).toBeVisible()
  await expect(page.locator('.kanso-count')).toHaveText('1 company')
  await page.close()
})

test('Probability % refuses 150, naming the field and the range', async ({ browser }) => {
  const page = await openAsAdmin(browser, '/deals')
  const id = await addRecord(page, 'deal', ['Big deal'], 'deals.title')
  await startTyping(page, id, 'deals.probability', '150')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('cell-error')).toContainText('Probability %: 150 is out of range (must be between 0 and 100)')
  await page.keyboard.press('Escape')
  await startTyping(page, id, 'deals.probability', '60')
  await page.keyboard.press('Enter')
  await expect(cell(page, id, 'deals.probability')).toHaveText('60')
  await page.close()
})

test('headers are not cut at 1280×800', async ({ browser }, testInfo) => {
  const page = await openAsAdmin(browser, '/deals')
  for (const list of ['Deals', 'Products', 'Activities']) {
    await page.getByRole('link', { name: list, exact: true }).click()
    await expect(page.locator('.kanso-grid .kanso-header-label').first()).toBeVisible()
    await page.screenshot({ path: testInfo.outputPath(`${list.toLowerCase()}-1280x800.png`) })
    const cut = await page.locator('.kanso-grid .kanso-header-label').evaluateAll((labels) =>
      labels.filter((l) => l.scrollWidth > l.clientWidth).map((l) => l.textContent))
    expect(cut, `${list}: headers cut short`).toEqual([])
  }
  // the columns right of the screen too (Deals has 11): scrolled into view, then checked
  await page.getByRole('link', { name: 'Deals', exact: true }).click()
  await page.locator('.kanso-grid .ag-body-horizontal-scroll-viewport').evaluate((el) => { el.scrollLeft = el.scrollWidth })
  await expect(page.locator('.kanso-grid .kanso-header-label', { hasText: 'Probability %' })).toBeVisible()
  await page.screenshot({ path: testInfo.outputPath('deals-scrolled-1280x800.png') })
  const cut = await page.locator('.kanso-grid .kanso-header-label').evaluateAll((labels) =>
    labels.filter((l) => l.scrollWidth > l.clientWidth).map((l) => l.textContent))
  expect(cut, 'Deals, scrolled right: headers cut short').toEqual([])
  await page.close()
})
