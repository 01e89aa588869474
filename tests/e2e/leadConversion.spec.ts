import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { cell, gridCell, typeInto } from './gridHelpers'
import { startRelayProcess, type RelayProcess } from './relayProcess'

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

/** A record's fields as the API answers them (the ones read here are strings or null). */
type ApiRecord = Record<string, string | null>

async function api<T = ApiRecord>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${relay.url}/api/v1${path}`, {
    method, headers: { authorization: `Bearer ${relay.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
  })
  return { status: res.status, body: (await res.json()) as T }
}

async function open(context: BrowserContext, token: string, list: string): Promise<Page> {
  const page = await context.newPage()
  page.on('pageerror', (err) => console.error(`[page error] ${err.stack ?? err.message}`))
  await page.goto(`${relay.url}/${list}#token=${token}`)
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  return page
}

const goTo = (page: Page, label: string) => page.locator('.kanso-nav-item', { hasText: label }).first().click()
const live = async (entity: string) => (await api<{ data: { id: string }[] }>('GET', `/${entity}`)).body.data

test('a lead converted from its row becomes a contact, a company and a deal in both browsers; Ctrl+Z takes it all back in one step', async ({ browser }, testInfo) => {
  const company = (await api('POST', '/companies', { name: 'Analytical Engines' })).body.id!
  const lead = (await api('POST', '/leads', { title: 'Website relaunch', name: 'Ada Lovelace', company_name: 'analytical engines', email: 'ada@engines.example', status: 'Qualified' })).body.id!
  const alice = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } })
  const bob = await browser.newContext({ locale: 'en-US' })
  const a = await open(alice, await relay.addMember('Alice', 'editor'), 'leads')
  const b = await open(bob, await relay.addMember('Bob', 'editor'), 'contacts')

  // the keyboard shortcut on the focused lead opens the dialog with the plan and the company found by name
  await cell(a, lead, 'leads.title').click()
  await a.keyboard.press('Alt+Shift+C')
  const dialog = a.getByTestId('convert-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByTestId('convert-contact')).toHaveValue('new')
  await expect(dialog.getByTestId('convert-contact').locator('option:checked')).toHaveText('New contact: Ada Lovelace')
  await expect(dialog.getByTestId('convert-company')).toHaveValue(company)
  await expect(dialog.getByTestId('convert-deal-title')).toHaveValue('Website relaunch')
  await dialog.getByTestId('convert-deal-stage').selectOption({ label: 'Qualified' })
  await a.screenshot({ path: testInfo.outputPath('convert-dialog-1280x800.png') })
  await dialog.getByRole('button', { name: 'Convert', exact: true }).click()
  await expect(dialog).toHaveCount(0)
  await expect(cell(a, lead, 'leads.status')).toContainText('Converted')

  // what the lead became, as the relay stored it
  await expect.poll(async () => (await api('GET', `/leads/${lead}`)).body.converted_deal ?? null).not.toBeNull()
  const marked = (await api('GET', `/leads/${lead}`)).body
  const contact = marked.converted_contact!
  const dealId = marked.converted_deal!
  expect(marked).toMatchObject({ status: 'Converted', converted_company: company })
  const deal = (await api<Record<string, unknown>>('GET', `/deals/${dealId}`)).body
  expect(deal).toMatchObject({ title: 'Website relaunch', stage: 'sales.qualified', company, contacts: [contact] })
  expect(await live('companies')).toHaveLength(1)

  // in the second browser's lists, and in this one's after a list switch
  await expect(cell(b, contact, 'contacts.last_name')).toHaveText('Lovelace')
  await expect(cell(b, contact, 'contacts.company')).toContainText('Analytical Engines')
  await goTo(b, 'Deals')
  await expect(cell(b, dealId, 'deals.title')).toHaveText('Website relaunch')
  await goTo(a, 'Contacts')
  await expect(cell(a, contact, 'contacts.first_name')).toHaveText('Ada')
  await goTo(a, 'Leads')
  await expect(cell(a, lead, 'leads.status')).toContainText('Converted')

  // one Ctrl+Z: the lead's mark, the deal and the contact go, everywhere
  await gridCell(a, lead, 'leads.title').click()
  await a.keyboard.press('ControlOrMeta+z')
  await expect(cell(a, lead, 'leads.status')).toContainText('Qualified')
  await expect(gridCell(b, dealId, 'deals.title')).toHaveCount(0)
  await expect.poll(async () => (await live('contacts')).length).toBe(0)
  await expect.poll(async () => (await live('deals')).length).toBe(0)
  expect((await api('GET', `/leads/${lead}`)).body).toMatchObject({ status: 'Qualified', converted_contact: null, converted_deal: null })
  // the company was linked, not made: it stays
  expect(await live('companies')).toHaveLength(1)
  await alice.close()
  await bob.close()
})

test('an edit after the conversion is the next Ctrl+Z, not the conversion; the toolbar button converts the focused lead', async ({ browser }) => {
  const lead = (await api('POST', '/leads', { title: 'Second lead', name: 'Grace Hopper', email: 'grace@navy.example', status: 'New' })).body.id!
  const alice = await browser.newContext({ locale: 'en-US' })
  const a = await open(alice, await relay.addMember('Alice', 'editor'), 'leads')
  await cell(a, lead, 'leads.title').click()
  await a.getByRole('button', { name: 'Convert…' }).click()
  const dialog = a.getByTestId('convert-dialog')
  // no company name and no company found: none is offered but "No company"
  await expect(dialog.getByTestId('convert-company')).toHaveValue('none')
  await dialog.getByTestId('convert-deal').uncheck()
  await dialog.getByRole('button', { name: 'Convert', exact: true }).click()
  await expect(cell(a, lead, 'leads.status')).toContainText('Converted')
  await expect.poll(async () => (await api('GET', `/leads/${lead}`)).body.converted_contact ?? null).not.toBeNull()
  const { converted_contact: contact, converted_deal: deal } = (await api('GET', `/leads/${lead}`)).body
  expect(deal).toBeNull()

  await typeInto(a, lead, 'leads.title', 'Second lead, renamed')
  await a.keyboard.press('ControlOrMeta+z')
  await expect(cell(a, lead, 'leads.title')).toHaveText('Second lead')
  await expect(cell(a, lead, 'leads.status')).toContainText('Converted')
  await expect.poll(async () => (await api('GET', `/leads/${lead}`)).body.title).toBe('Second lead')
  expect((await api('GET', `/contacts/${contact}`)).status).toBe(200)
  await alice.close()
})

test('Ctrl+Z on the board after a conversion takes the whole conversion back, as in the grid', async ({ browser }) => {
  const lead = (await api('POST', '/leads', { title: 'Board lead', name: 'Katherine Johnson', email: 'kj@nasa.example', status: 'Qualified' })).body.id!
  const contactsBefore = (await live('contacts')).length
  const alice = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } })
  const a = await open(alice, await relay.addMember('Alice', 'editor'), 'leads')
  await cell(a, lead, 'leads.title').click()
  await a.keyboard.press('Alt+Shift+C')
  const dialog = a.getByTestId('convert-dialog')
  await expect(dialog.getByTestId('convert-deal-title')).toHaveValue('Board lead')
  await dialog.getByRole('button', { name: 'Convert', exact: true }).click()
  await expect(cell(a, lead, 'leads.status')).toContainText('Converted')
  await expect.poll(async () => (await api('GET', `/leads/${lead}`)).body.converted_deal ?? null).not.toBeNull()
  const { converted_deal: dealId, converted_contact: contact } = (await api('GET', `/leads/${lead}`)).body

  // to the deals' board in this tab (the conversion's undo group lives in the tab), Ctrl+Z on the new deal's card
  await goTo(a, 'Deals')
  await a.getByRole('button', { name: 'Board', exact: true }).click()
  const card = a.locator(`[data-card-id="${dealId}"]`)
  await card.focus()
  await a.keyboard.press('ControlOrMeta+z')
  await expect(card).toHaveCount(0)
  await expect.poll(async () => (await api('GET', `/leads/${lead}`)).body).toMatchObject({ status: 'Qualified', converted_contact: null, converted_deal: null })
  expect((await api('GET', `/contacts/${contact}`)).status).toBe(404)
  expect((await live('contacts')).length).toBe(contactsBefore)
  await alice.close()
})

test('Alt+Shift+C pressed right after a click converts the lead clicked, not the one focused before', async ({ browser }) => {
  const first = (await api('POST', '/leads', { title: 'Focused before', name: 'Mary Jackson', status: 'New' })).body.id!
  const clicked = (await api('POST', '/leads', { title: 'Clicked last', name: 'Dorothy Vaughan', status: 'New' })).body.id!
  const alice = await browser.newContext({ locale: 'en-US' })
  const a = await open(alice, await relay.addMember('Alice', 'editor'), 'leads')
  await cell(a, first, 'leads.title').click()
  // the click and the shortcut in one task, as a busy page handles a fast member's input before
  // the grid's focus listener (a timer task) has run
  await gridCell(a, clicked, 'leads.title').evaluate((target: HTMLElement) => {
    target.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, cancelable: true, button: 0, isPrimary: true, pointerType: 'mouse' }))
    for (const type of ['mousedown', 'pointerup', 'mouseup', 'click']) target.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, button: 0 }))
    target.focus()
    target.dispatchEvent(new KeyboardEvent('keydown', { key: 'C', code: 'KeyC', altKey: true, shiftKey: true, bubbles: true, cancelable: true }))
  })
  const dialog = a.getByTestId('convert-dialog')
  await expect(dialog.getByTestId('convert-deal-title')).toHaveValue('Clicked last')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toHaveCount(0)
  await alice.close()
})

test('a lead converted from its record panel: Convert… there, what it became listed after, one Ctrl+Z takes it back', async ({ browser }, testInfo) => {
  const lead = (await api('POST', '/leads', { title: 'Warehouse shelving', name: 'Katherine Johnson', company_name: 'Langley Labs', email: 'kj@langley.example', status: 'Qualified' })).body.id!
  const alice = await browser.newContext({ locale: 'en-US' })
  const a = await open(alice, await relay.addMember('Alice', 'editor'), 'leads')
  const panel = a.getByTestId('record-panel')

  // Space on the lead's row opens its panel; Alt+Shift+C there opens the grid's dialog, Escape closes only the dialog
  await gridCell(a, lead, 'leads.name').click()
  await a.keyboard.press('Space')
  await expect(panel.getByRole('heading', { name: 'Warehouse shelving' })).toBeVisible()
  await expect(panel.getByTestId('linked-converted_deal')).toHaveCount(0)
  await panel.getByRole('button', { name: 'Close the panel' }).focus()
  await a.keyboard.press('Alt+Shift+C')
  const dialog = a.getByTestId('convert-dialog')
  await expect(dialog).toBeVisible()
  await a.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
  await expect(panel).toBeVisible()

  // Convert… in the panel's header: the same plan — a new contact, a new company by name, a deal
  await panel.getByRole('button', { name: 'Convert…' }).click()
  await expect(dialog.getByTestId('convert-contact').locator('option:checked')).toHaveText('New contact: Katherine Johnson')
  await expect(dialog.getByTestId('convert-company').locator('option:checked')).toHaveText('New company: Langley Labs')
  await dialog.getByRole('button', { name: 'Convert', exact: true }).click()
  await expect(dialog).toHaveCount(0)
  await expect(panel.getByRole('status')).toContainText('Converted “Warehouse shelving” into a contact, a company, and a deal.')
  // what it became, listed in the panel and each a link to its own panel; no second Convert…
  await expect(panel.getByTestId('linked-converted_contact')).toContainText('Katherine Johnson')
  await expect(panel.getByTestId('linked-converted_company')).toContainText('Langley Labs')
  await expect(panel.getByTestId('linked-converted_deal')).toContainText('Warehouse shelving')
  await expect(panel.getByRole('button', { name: 'Convert…' })).toHaveCount(0)
  await expect(panel.locator('[data-field-id="leads.status"] .kanso-panel-value')).toHaveText('Converted')
  await expect.poll(async () => (await api('GET', `/leads/${lead}`)).body.converted_deal ?? null).not.toBeNull()
  const { converted_contact: contact, converted_company: company, converted_deal: deal } = (await api('GET', `/leads/${lead}`)).body
  await a.screenshot({ path: testInfo.outputPath('lead-panel-converted-1280x800.png') })

  // one Ctrl+Z in the panel: the mark, the deal, the contact and the company all go
  await panel.getByRole('button', { name: 'Close the panel' }).focus()
  await a.keyboard.press('ControlOrMeta+z')
  await expect(panel.getByTestId('linked-converted_deal')).toHaveCount(0)
  await expect(panel.getByRole('status')).toHaveCount(0)
  await expect(panel.getByRole('button', { name: 'Convert…' })).toBeVisible()
  await expect.poll(async () => (await api('GET', `/leads/${lead}`)).body.status).toBe('Qualified')
  await expect.poll(async () => (await api('GET', `/deals/${deal}`)).status).toBe(404)
  await expect.poll(async () => (await api('GET', `/contacts/${contact}`)).status).toBe(404)
  await expect.poll(async () => (await api('GET', `/companies/${company}`)).status).toBe(404)

  // the panel's link opens the deal it became (converted again, by its Undo-free path)
  await panel.getByRole('button', { name: 'Convert…' }).click()
  await dialog.getByRole('button', { name: 'Convert', exact: true }).click()
  await panel.getByTestId('linked-converted_deal').getByRole('link').click()
  await expect(a.getByTestId('record-panel').getByRole('heading', { name: 'Warehouse shelving' })).toBeVisible()
  await expect(a.getByTestId('record-panel')).toHaveAttribute('data-entity', 'deals')
  await alice.close()
})
