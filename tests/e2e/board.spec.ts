import { expect, test, type Browser, type Page } from '@playwright/test'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Issue 14: the deals of a pipeline as cards in stage columns, live between two browsers
// through the relay; drag, keyboard moves, undo, and the lost reason asked for.

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

async function post(entity: string, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${relay.url}/api/v1/${entity}`, {
    method: 'POST', headers: { authorization: `Bearer ${relay.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  })
  if (res.status !== 201) throw new Error(`POST ${entity}: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { id: string }).id
}

async function open(browser: Browser, token: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport })
  const page = await context.newPage()
  page.on('pageerror', (err) => console.error(`[page error] ${err.stack ?? err.message}`))
  await page.goto(`${relay.url}/deals/board?pipeline=sales#token=${token}`)
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  await expect(page.getByTestId('board')).toBeVisible()
  return page
}

const column = (page: Page, stageId: string) => page.locator(`.kanso-board-column[data-stage-id="${stageId}"]`)
const card = (page: Page, dealId: string) => page.locator(`[data-card-id="${dealId}"]`)
const inColumn = (page: Page, stageId: string, dealId: string) => column(page, stageId).locator(`[data-card-id="${dealId}"]`)

test('a deal moves between stage columns in both browsers: drag, keyboard, undo, and a lost reason', async ({ browser }, testInfo) => {
  const acme = await post('companies', { name: 'Acme GmbH' })
  const anna = await post('contacts', { first_name: 'Anna', last_name: 'Schmidt', company: acme })
  const deal = await post('deals', { title: 'Office fit-out', company: acme, contacts: [anna], amount: { amount: 1200, currency: 'EUR' }, stage: 'New' })
  await post('deals', { title: 'Second deal', amount: { amount: 300.5, currency: 'EUR' }, stage: 'New' })
  const dollarDeal = await post('deals', { title: 'Dollar deal', amount: { amount: 50, currency: 'USD' }, stage: 'New' })
  await post('deals', { title: 'Lost before', amount: { amount: 10, currency: 'EUR' }, stage: 'Lost', lost_reason: 'Price too high' })
  await post('activities', { subject: 'Call Anna', due: '2026-12-20T10:00:00Z', related: anna })
  await post('activities', { subject: 'Old call', due: '2026-12-01T10:00:00Z', related: anna, done: true })

  const a = await open(browser, await relay.addMember('Alice', 'editor'))
  const b = await open(browser, await relay.addMember('Bob', 'editor'))

  // in its stage column in both, with its company, amount and next activity; the column counts and sums
  for (const page of [a, b]) {
    await expect(inColumn(page, 'sales.new', deal)).toBeVisible()
    await expect(card(page, deal)).toContainText('Office fit-out')
    await expect(card(page, deal)).toContainText('Acme GmbH')
    await expect(card(page, deal)).toContainText('€1,200.00')
    await expect(card(page, deal)).toContainText('Dec 20 · Call Anna')
    await expect(column(page, 'sales.new').getByTestId('column-count')).toHaveText('3')
    await expect(column(page, 'sales.new').getByTestId('column-sum')).toHaveText('€1,500.50 · $50.00')
  }
  await a.screenshot({ path: testInfo.outputPath('board-1280x800.png') })

  // drag it to the next stage in one → it moves in the other
  await card(a, deal).dragTo(column(a, 'sales.qualified').locator('.kanso-board-column-body'))
  await expect(inColumn(a, 'sales.qualified', deal)).toBeVisible()
  await expect(inColumn(b, 'sales.qualified', deal)).toBeVisible()
  await expect(inColumn(b, 'sales.new', deal)).toHaveCount(0)
  await expect(column(b, 'sales.new').getByTestId('column-sum')).toHaveText('€300.50 · $50.00')

  // keyboard: focus the card, Shift+→ moves it to Proposal, in the other browser too
  await card(b, deal).focus()
  await b.keyboard.press('Shift+ArrowRight')
  await expect(inColumn(b, 'sales.proposal', deal)).toBeVisible()
  await expect(card(b, deal)).toBeFocused()
  await expect(inColumn(a, 'sales.proposal', deal)).toBeVisible()
  // arrows move the focus, not the card
  await b.keyboard.press('ArrowLeft')
  await expect(column(b, 'sales.new').locator('.kanso-board-card').first()).toBeFocused()
  await expect(inColumn(b, 'sales.proposal', deal)).toBeVisible()

  // Ctrl+Z takes the keyboard move back, as one step, for both
  await b.keyboard.press('Control+z')
  await expect(inColumn(b, 'sales.qualified', deal)).toBeVisible()
  await expect(inColumn(a, 'sales.qualified', deal)).toBeVisible()

  // "Move to…" Lost asks why in the page; Escape moves nothing and gives the card its focus back
  await card(a, deal).focus()
  await a.keyboard.press('Enter')
  await a.getByRole('menuitem', { name: 'Lost' }).click()
  const why = a.getByRole('dialog', { name: 'Why was “Office fit-out” lost?' })
  await expect(why).toBeVisible()
  await expect(why.getByLabel('Lost reason')).toBeFocused()
  await a.keyboard.press('Escape')
  await expect(why).toHaveCount(0)
  await expect(inColumn(a, 'sales.qualified', deal)).toBeVisible()
  await expect(card(a, deal)).toBeFocused()
  // asked again: Enter without a reason says what is missing and moves nothing; Tab stays in the dialog;
  // the reason another lost deal gives is offered
  await a.getByRole('button', { name: 'Move Office fit-out to…' }).click()
  await a.getByRole('menuitem', { name: 'Lost' }).click()
  await expect(why.getByLabel('Lost reason')).toBeFocused()
  await a.keyboard.press('Enter')
  await expect(why.getByRole('alert')).toHaveText('Give a reason to move the deal, or Cancel to leave it where it was.')
  await expect(inColumn(a, 'sales.qualified', deal)).toBeVisible()
  await expect(why.getByRole('button', { name: 'Price too high' })).toBeVisible()
  for (let i = 0; i < 5; i++) {
    await a.keyboard.press('Tab')
    expect(await why.evaluate((el) => el.contains(document.activeElement))).toBe(true)
  }
  await a.keyboard.press('Shift+Tab')
  expect(await why.evaluate((el) => el.contains(document.activeElement))).toBe(true)
  await a.screenshot({ path: testInfo.outputPath('lost-reason-1280x800.png') })
  await why.getByLabel('Lost reason').fill('Budget cut')
  await why.getByLabel('Lost reason').press('Enter')
  await expect(why).toHaveCount(0)
  await expect(inColumn(a, 'sales.lost', deal)).toBeVisible()
  await expect(inColumn(b, 'sales.lost', deal)).toBeVisible()
  const res = await fetch(`${relay.url}/api/v1/deals/${deal}`, { headers: { authorization: `Bearer ${relay.adminToken}` } })
  const body = (await res.json()) as Record<string, unknown>
  expect(body.stage).toBe('sales.lost')
  expect(body.lost_reason).toBe('Budget cut')

  // filters: text, and Mine (Alice owns none)
  await a.getByRole('searchbox', { name: 'Search the board' }).fill('acme')
  await expect(a.locator('.kanso-board-card')).toHaveCount(1)
  await a.getByRole('searchbox', { name: 'Search the board' }).fill('')
  await a.getByRole('button', { name: 'Mine' }).click()
  await expect(a.locator('.kanso-board-card')).toHaveCount(0)
  await a.getByRole('button', { name: 'Mine' }).click()
  await expect(a.locator('.kanso-board-card')).toHaveCount(4)

  // a tablet: the columns scroll sideways
  await b.setViewportSize({ width: 820, height: 1180 })
  await expect(inColumn(b, 'sales.lost', deal)).toBeAttached()
  const board = b.getByTestId('board')
  expect(await board.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true)
  await b.screenshot({ path: testInfo.outputPath('board-820x1180.png') })
  // the lost reason on the tablet, with both reasons given so far offered; Cancel leaves the deal
  await b.getByRole('button', { name: 'Move Dollar deal to…' }).click()
  await b.getByRole('menuitem', { name: 'Lost' }).click()
  const whyB = b.getByRole('dialog', { name: 'Why was “Dollar deal” lost?' })
  await expect(whyB.getByRole('button', { name: 'Budget cut' })).toBeVisible()
  await expect(whyB.getByRole('button', { name: 'Price too high' })).toBeVisible()
  await b.screenshot({ path: testInfo.outputPath('lost-reason-820x1180.png') })
  await whyB.getByRole('button', { name: 'Cancel' }).click()
  await expect(whyB).toHaveCount(0)
  await expect(inColumn(b, 'sales.new', dollarDeal)).toBeVisible()
})

test('the Board toggle on the deals list opens the board, Grid goes back', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  await page.goto(`${relay.url}/deals#token=${relay.adminToken}`)
  await page.getByRole('button', { name: 'Board', exact: true }).click()
  await expect(page).toHaveURL(/\/deals\/board/)
  await expect(page.getByTestId('board')).toBeVisible()
  await page.getByRole('button', { name: 'Grid', exact: true }).click()
  await expect(page.getByTestId('grid')).toBeVisible()
})
