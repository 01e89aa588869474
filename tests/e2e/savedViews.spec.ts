import { expect, test, type Browser, type Page } from '@playwright/test'
import { postRecord } from './postRecord'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Issue 15: saved views. Two browsers (two members) on one real relay: Ann makes a shared view
// (a filter, a sort, a hidden column) and a personal one; Bob gets the shared one in his list with
// the same rows, not the personal one; "Mine" shows each member their own deals.

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

async function open(browser: Browser, token: string, path: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport })
  const page = await context.newPage()
  page.on('pageerror', (err) => console.error(`[page error] ${err.stack ?? err.message}`))
  await page.goto(`${relay.url}${path}#token=${token}`)
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  return page
}

async function memberId(name: string): Promise<string> {
  const res = await fetch(`${relay.url}/api/members`, { headers: { authorization: `Bearer ${relay.adminToken}` } })
  const { members } = (await res.json()) as { members: Array<{ id: string; name: string }> }
  return members.find((m) => m.name === name)!.id
}

/** The deal titles the grid shows, top to bottom. */
async function shownTitles(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.kanso-grid .ag-row[row-index]')]
    .filter((row) => row.querySelector('[col-id="deals.title"] .kanso-cell-value'))
    .sort((a, b) => Number(a.getAttribute('row-index')) - Number(b.getAttribute('row-index')))
    .map((row) => row.querySelector('[col-id="deals.title"] .kanso-cell-value')!.textContent!.trim()))
}

const tab = (page: Page, name: RegExp | string) => page.getByTestId('view-bar').getByRole('tab', { name })

test('a shared view made in one browser lists the same deals in the other; a personal one stays with its owner; "Mine" shows the member\'s own', async ({ browser }, testInfo) => {
  const annToken = await relay.addMember('Ann', 'editor')
  const bobToken = await relay.addMember('Bob', 'editor')
  const [ann, bob] = [await memberId('Ann'), await memberId('Bob')]
  const deals: Array<[string, number, string]> = [['Small Ann', 500, ann], ['Big Ann', 5000, ann], ['Huge Bob', 90000, bob], ['Mid Bob', 1500, bob]]
  for (const [title, amount, owner] of deals) await postRecord(relay, 'deals', { title, amount: { amount, currency: 'EUR' }, owner })

  const a = await open(browser, annToken, '/deals')
  const b = await open(browser, bobToken, '/deals')
  await expect.poll(() => shownTitles(a).then((t) => t.length)).toBe(4)
  await expect(tab(a, 'All')).toHaveAttribute('aria-selected', 'true')

  // Ann: amount ≥ 1000, largest first, without the Contacts column
  await a.getByRole('button', { name: /^Filter/ }).click()
  await a.getByRole('combobox', { name: 'Field' }).selectOption({ label: 'Amount' })
  await a.getByRole('combobox', { name: 'Condition' }).selectOption({ label: 'is between' })
  await a.getByRole('textbox', { name: 'From' }).fill('1000')
  await a.getByRole('button', { name: 'Add', exact: true }).click()
  await expect(a.getByText('Amount ≥ 1000')).toBeVisible()
  await expect.poll(() => shownTitles(a)).toEqual(['Big Ann', 'Huge Bob', 'Mid Bob'])
  await a.screenshot({ path: testInfo.outputPath('views-filter-1280x800.png') })
  await a.getByRole('button', { name: /^Filter/ }).click()
  await a.locator('.ag-header-cell[col-id="deals.amount"] .kanso-header-label').click()
  await a.locator('.ag-header-cell[col-id="deals.amount"] .kanso-header-label').click()
  await expect.poll(() => shownTitles(a)).toEqual(['Huge Bob', 'Big Ann', 'Mid Bob'])
  await a.getByRole('button', { name: 'Columns ▾' }).click()
  await a.locator('.kanso-columns-list label', { hasText: 'Contacts' }).locator('input').uncheck()
  await a.getByRole('button', { name: 'Columns ▾' }).click()
  await expect(a.locator('.ag-header-cell[col-id="deals.contacts"]')).toHaveCount(0)
  await expect(a.getByTestId('view-status')).toContainText('unsaved changes')

  await a.getByRole('button', { name: 'Save view…' }).click()
  const dialog = a.getByTestId('save-view-dialog')
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Big deals')
  await dialog.getByRole('radio', { name: /Everyone in the team/ }).check()
  await expect(dialog).toContainText('Amount ≥ 1000')
  await expect(dialog).toContainText('Sorted by Amount ↓')
  await expect(dialog).toContainText('Hidden: Contacts')
  await a.screenshot({ path: testInfo.outputPath('views-save-dialog-1280x800.png') })
  await dialog.getByRole('button', { name: 'Save view' }).click()
  await expect(tab(a, /Big deals/)).toHaveAttribute('aria-selected', 'true')
  await expect(a.getByTestId('view-status')).not.toContainText('unsaved changes')
  const sharedId = new URL(a.url()).searchParams.get('view') ?? ''
  expect(sharedId).toMatch(/^s\./)

  // and a personal one of Ann's
  await a.getByRole('button', { name: 'Save view…' }).click()
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Ann private')
  await dialog.getByRole('button', { name: 'Save view' }).click()
  await expect(tab(a, /Ann private/)).toBeVisible()
  await a.screenshot({ path: testInfo.outputPath('views-list-1280x800.png') })

  // Bob: the shared view arrives in his list, the personal one does not; it gives him the same deals
  await expect(tab(b, /Big deals/)).toBeVisible()
  await expect(tab(b, /Ann private/)).toHaveCount(0)
  await tab(b, /Big deals/).click()
  await expect.poll(() => shownTitles(b)).toEqual(['Huge Bob', 'Big Ann', 'Mid Bob'])
  await expect(b.locator('.ag-header-cell[col-id="deals.contacts"]')).toHaveCount(0)
  expect(new URL(b.url()).searchParams.get('view')).toBe(sharedId)
  // a teammate's edit shows in the open view: Ann's small deal grows into it
  const small = await postRecord(relay, 'deals', { title: 'Late Ann', amount: { amount: 20000, currency: 'EUR' }, owner: ann })
  expect(small).toEqual(expect.any(String))
  await expect.poll(() => shownTitles(b)).toContain('Late Ann')

  // "Mine": each member's own deals
  await tab(b, 'Mine').click()
  await expect.poll(() => shownTitles(b).then((t) => [...t].sort())).toEqual(['Huge Bob', 'Mid Bob'])
  // the column the shared view hid is back: "Mine" keeps the member's own layout
  await expect(b.locator('.ag-header-cell[col-id="deals.contacts"]')).toHaveCount(1)
  expect(new URL(b.url()).searchParams.get('view')).toBe('mine')
  await tab(a, 'Mine').click()
  await expect.poll(() => shownTitles(a).then((t) => [...t].sort())).toEqual(['Big Ann', 'Late Ann', 'Small Ann'])

  // a shared address opens the view
  const tablet = await open(browser, bobToken, `/deals?view=${sharedId}`, { width: 820, height: 1180 })
  await expect(tab(tablet, /Big deals/)).toHaveAttribute('aria-selected', 'true')
  await expect.poll(() => shownTitles(tablet)).toEqual(['Huge Bob', 'Late Ann', 'Big Ann', 'Mid Bob'])
  await tablet.screenshot({ path: testInfo.outputPath('views-list-820x1180.png') })
  await tablet.getByRole('button', { name: 'Save view…' }).click()
  await tablet.getByTestId('save-view-dialog').getByRole('textbox', { name: 'Name' }).fill('Bob tablet')
  await tablet.screenshot({ path: testInfo.outputPath('views-save-dialog-820x1180.png') })
  await tablet.getByTestId('save-view-dialog').getByRole('button', { name: 'Cancel' }).click()

  // Ann narrows the shared view and updates it: Bob, on it without changes of his own, follows
  await tab(a, /Big deals/).click()
  await a.getByRole('button', { name: /^Filter/ }).click()
  await a.getByRole('combobox', { name: 'Field' }).selectOption({ label: 'Amount' })
  await a.getByRole('combobox', { name: 'Condition' }).selectOption({ label: 'is between' })
  await a.getByRole('textbox', { name: 'To' }).fill('50000')
  await a.getByRole('button', { name: 'Add', exact: true }).click()
  await a.getByRole('button', { name: /^Filter/ }).click()
  await expect(a.getByTestId('view-status')).toContainText('unsaved changes')
  await a.getByRole('button', { name: 'Update view' }).click()
  await expect(a.getByTestId('view-status')).not.toContainText('unsaved changes')
  await expect.poll(() => shownTitles(tablet)).toEqual(['Late Ann', 'Big Ann', 'Mid Bob'])
  await expect(tablet.getByTestId('view-status')).not.toContainText('unsaved changes')

  // rename and delete (soft, with undo) of Ann's own view
  await tab(a, /Ann private/).click()
  await a.getByRole('button', { name: 'Rename' }).click()
  await a.getByTestId('save-view-dialog').getByRole('textbox', { name: 'Name' }).fill('Ann only')
  await a.getByTestId('save-view-dialog').getByRole('button', { name: 'Rename' }).click()
  await expect(tab(a, /Ann only/)).toHaveAttribute('aria-selected', 'true')
  await a.getByRole('button', { name: 'Delete view' }).click()
  await expect(tab(a, /Ann only/)).toHaveCount(0)
  await expect(tab(a, 'All')).toHaveAttribute('aria-selected', 'true')
  await a.getByRole('status').getByRole('button', { name: 'Undo' }).click()
  await expect(tab(a, /Ann only/)).toHaveAttribute('aria-selected', 'true')
})
