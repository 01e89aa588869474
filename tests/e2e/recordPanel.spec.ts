import { expect, test, type Browser, type Page } from '@playwright/test'
import { cell, gridCell } from './gridHelpers'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Issue 15: a record in a panel beside its list — opened from a row, a link cell, a card and its
// address; its fields edited with the grid's editors; its related records, a new one made from
// here; a teammate's edit showing live. Two browsers on one real relay.

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

async function open(browser: Browser, token: string, path: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport })
  const page = await context.newPage()
  page.on('pageerror', (err) => console.error(`[page error] ${err.stack ?? err.message}`))
  await page.goto(`${relay.url}${path}#token=${token}`)
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  return page
}

const panel = (page: Page) => page.getByTestId('record-panel')
const panelValue = (page: Page, fieldId: string) => panel(page).locator(`[data-field-id="${fieldId}"] .kanso-panel-value`)

test('a company panel: open, add a contact from it, a teammate’s edit live, by address, Escape closes', async ({ browser }, testInfo) => {
  const acme = await post('companies', { name: 'Acme GmbH', website: 'https://acme.example', industry: 'Retail' })
  const anna = await post('contacts', { first_name: 'Anna', last_name: 'Schmidt', email: 'anna@acme.example', company: acme })
  const deal = await post('deals', { title: 'Acme rollout', company: acme, contacts: [anna] })
  await post('activities', { subject: 'Kick-off call', type: 'call', related_company: acme, related_deal: deal })
  const alice = await open(browser, await relay.addMember('Alice', 'editor'), '/companies')
  const bob = await open(browser, await relay.addMember('Bob', 'editor'), '/companies')

  // Space on a row opens its panel beside the grid; the address can be shared
  await expect(cell(alice, acme, 'companies.name')).toHaveText('Acme GmbH')
  await gridCell(alice, acme, 'companies.industry').click()
  await alice.keyboard.press('Space')
  await expect(panel(alice)).toBeVisible()
  await expect(panel(alice).getByRole('heading', { name: 'Acme GmbH' })).toBeVisible()
  expect(new URL(alice.url()).pathname).toBe(`/companies/${acme}`)
  // the grid beside it stays usable
  await expect(alice.locator('.kanso-grid .ag-root')).toBeVisible()
  const gridBox = (await alice.locator('.kanso-grid').boundingBox())!
  expect(gridBox.width).toBeGreaterThan(500)

  // related records from the schema's links: contacts, deals with counts; activities in the timeline (issue 16)
  await expect(panel(alice).getByTestId('related-contacts').getByTestId('related-count')).toHaveText('1')
  await expect(panel(alice).getByTestId('related-deals')).toContainText('Acme rollout')
  await expect(panel(alice).getByTestId('timeline-activity')).toContainText('Kick-off call')

  // a contact made from the company's panel has its company filled in, and shows in the contacts grid
  await panel(alice).getByTestId('related-contacts').getByRole('button', { name: '+ Contact' }).click()
  await alice.keyboard.type('Ben Becker')
  await alice.keyboard.press('Enter')
  await expect(panel(alice).getByTestId('related-contacts').getByTestId('related-count')).toHaveText('2')
  await expect(panel(alice).getByTestId('related-contacts')).toContainText('Ben Becker')

  // an edit in the panel goes through the grid's parser: a bad email is refused with its reason
  await panelValue(alice, 'companies.email').click()
  await alice.keyboard.type('not an email')
  await alice.keyboard.press('Enter')
  await expect(panel(alice).locator('.kanso-panel-error')).toContainText('Not saved')
  await panel(alice).getByRole('button', { name: 'Keep the old value' }).click()
  await panelValue(alice, 'companies.phone').click()
  await alice.keyboard.type('+49 30 1234567')
  await alice.keyboard.press('Enter')
  await expect(panelValue(alice, 'companies.phone')).toContainText('+49')
  await expect(cell(alice, acme, 'companies.phone')).toContainText('+49')
  await expect(cell(bob, acme, 'companies.phone')).toContainText('+49')

  // Bob's edit reaches Alice's open panel
  await bob.goto(`${relay.url}/companies/${acme}`)
  await expect(panel(bob).getByRole('heading', { name: 'Acme GmbH' })).toBeVisible()
  await expect(panel(bob).getByTestId('related-contacts')).toContainText('Ben Becker')
  await panelValue(bob, 'companies.name').click()
  await bob.keyboard.press('ControlOrMeta+A')
  await bob.keyboard.type('Acme Group')
  await bob.keyboard.press('Enter')
  await expect(panel(alice).getByRole('heading', { name: 'Acme Group' })).toBeVisible()
  await expect(panelValue(alice, 'companies.name')).toHaveText('Acme Group')
  // ...and Ctrl+Z in Bob's panel takes it back (the grid's undo manager), live for Alice too
  await panel(bob).locator('.kanso-panel-value').first().focus()
  await bob.keyboard.press('ControlOrMeta+Z')
  await expect(panel(alice).getByRole('heading', { name: 'Acme GmbH' })).toBeVisible()

  await alice.screenshot({ path: testInfo.outputPath('record-panel-1280x800.png') })

  // a related record opens its own panel; Back returns to the company
  await panel(alice).getByTestId('related-contacts').getByRole('link', { name: /Ben Becker/ }).click()
  await expect(panel(alice).getByRole('heading', { name: 'Ben Becker' })).toBeVisible()
  await expect(panel(alice).getByTestId('linked-company')).toContainText('Acme GmbH')
  await alice.goBack()
  await expect(panel(alice).getByRole('heading', { name: 'Acme GmbH' })).toBeVisible()

  // Escape closes: back to the list's address, the grid alone
  await panel(alice).getByRole('button', { name: 'Close the panel' }).focus()
  await alice.keyboard.press('Escape')
  await expect(panel(alice)).toHaveCount(0)
  expect(new URL(alice.url()).pathname).toBe('/companies')

  // the new contact is in the contacts grid with its company
  await alice.getByRole('link', { name: 'Contacts' }).click()
  const ben = alice.locator('.kanso-grid .ag-row', { has: alice.locator('.ag-cell[col-id="contacts.last_name"]', { hasText: 'Becker' }) })
  await expect(ben.locator('.ag-cell[col-id="contacts.company"]')).toContainText('Acme GmbH')

  // the contact's company link cell opens the company's panel over the contacts grid
  await ben.locator('.ag-cell[col-id="contacts.company"] .kanso-cell-open').click()
  await expect(panel(alice).getByRole('heading', { name: 'Acme GmbH' })).toBeVisible()
  await expect(alice.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible()
  await alice.goBack()
  await expect(panel(alice)).toHaveCount(0)

  // a deal: its company, contacts, activities and lines; an activity made on it links to it
  await alice.goto(`${relay.url}/deals/${deal}`)
  await expect(panel(alice).getByRole('heading', { name: 'Acme rollout' })).toBeVisible()
  await expect(panel(alice).getByTestId('linked-company')).toContainText('Acme GmbH')
  await expect(panel(alice).getByTestId('linked-contacts')).toContainText('Anna Schmidt')
  await expect(panel(alice).getByTestId('related-deal_lines')).toBeVisible()
  await panel(alice).getByTestId('quick-add-subject').click()
  await alice.keyboard.type('Send the offer')
  await alice.keyboard.press('Enter')
  await expect(panel(alice).getByTestId('timeline-activity')).toHaveCount(2)
  await alice.screenshot({ path: testInfo.outputPath('deal-panel-1280x800.png') })
  await expect(panel(bob).getByTestId('timeline-activity')).toHaveCount(1) // Bob still on the company
  await bob.goto(`${relay.url}/deals/${deal}`)
  await expect(panel(bob).getByTestId('timeline-activity').filter({ hasText: 'Send the offer' })).toHaveCount(1)
})

test('the panel opens from a board card, and over the grid on a tablet', async ({ browser }, testInfo) => {
  const globex = await post('companies', { name: 'Globex' })
  await post('contacts', { first_name: 'Hank', last_name: 'Scorpio', company: globex })
  const deal = await post('deals', { title: 'Globex hammock order', company: globex, pipeline: 'sales', stage: 'sales.new' })
  const token = await relay.addMember('Carol', 'editor')
  const board = await open(browser, token, '/deals/board?pipeline=sales')
  await board.locator(`[data-card-id="${deal}"]`).click()
  await expect(panel(board).getByRole('heading', { name: 'Globex hammock order' })).toBeVisible()
  await expect(board.getByTestId('board')).toBeVisible()
  await board.keyboard.press('Escape')
  await expect(panel(board)).toHaveCount(0)
  expect(new URL(board.url()).pathname).toBe('/deals/board')
  // the keyboard is back on the card: Space opens the deal again
  await expect(board.locator(`[data-card-id="${deal}"]`)).toBeFocused()
  await board.keyboard.press('Space')
  await expect(panel(board).getByRole('heading', { name: 'Globex hammock order' })).toBeVisible()
  await board.keyboard.press('Escape')
  await expect(panel(board)).toHaveCount(0)

  const tablet = await open(browser, token, `/companies/${globex}`, { width: 820, height: 1180 })
  await expect(panel(tablet).getByRole('heading', { name: 'Globex' })).toBeVisible()
  await expect(panel(tablet).getByTestId('related-contacts')).toContainText('Hank Scorpio')
  await expect(panel(tablet).getByTestId('related-deals')).toContainText('Globex hammock order')
  await tablet.screenshot({ path: testInfo.outputPath('record-panel-820x1180.png') })
  await tablet.keyboard.press('Escape')
  await expect(panel(tablet)).toHaveCount(0)
  await expect(tablet.locator('.kanso-grid .ag-root')).toBeVisible()

  // a phone: the whole screen, closed by its button back to the cards
  const phone = await open(browser, token, `/companies/${globex}`, { width: 390, height: 844 })
  await expect(panel(phone).getByRole('heading', { name: 'Globex' })).toBeVisible()
  expect(await panel(phone).boundingBox()).toMatchObject({ x: 0, y: 0, width: 390, height: 844 })
  await phone.screenshot({ path: testInfo.outputPath('record-panel-390x844.png') })
  await panel(phone).getByRole('button', { name: 'Close the panel' }).click()
  await expect(panel(phone)).toHaveCount(0)
  await expect(phone.locator('.kanso-cards')).toBeVisible()
})
