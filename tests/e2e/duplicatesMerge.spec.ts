import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { cell, gridCell } from './gridHelpers'
import { openSignedIn } from './openSignedIn'
import { startRelayProcess, type RelayProcess } from './relayProcess'

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

type ApiRecord = Record<string, unknown>

async function api<T = ApiRecord>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${relay.url}/api/v1${path}`, {
    method, headers: { authorization: `Bearer ${relay.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T }
}

const create = async (entity: string, values: ApiRecord) => (await api<{ id: string }>('POST', `/${entity}`, values)).body.id

const open = (context: BrowserContext, token: string, list: string): Promise<Page> => openSignedIn(relay, context, token, `/${list}`)

const goTo = (page: Page, label: string) => page.locator('.kanso-nav-item', { hasText: label }).first().click()

test('two contacts with one email merge in browser A choosing values from both; B sees the survivor with the moved activity and deal; Ctrl+Z in A brings everything back in both', async ({ browser }, testInfo) => {
  const keep = await create('contacts', { first_name: 'Ann', last_name: 'Lee', email: 'ann@lee.example', position: 'Buyer' })
  const dup = await create('contacts', { first_name: 'Annie', last_name: 'Lee', email: 'ANN@lee.example', phone: '+49 30 1234567', position: 'Head of purchasing' })
  const call = await create('activities', { subject: 'Call Annie about the offer', type: 'call', related: dup })
  const deal = await create('deals', { title: 'Shelving for Lee', contacts: [dup] })

  const alice = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } })
  const bob = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } })
  const a = await open(alice, await relay.addMember('Alice', 'editor'), 'contacts')
  const b = await open(bob, await relay.addMember('Bob', 'editor'), 'activities')
  await expect(cell(b, call, 'activities.related')).toHaveText('Annie Lee')

  // A: Duplicates… lists the pair with its reason; Review shows them side by side
  await a.getByTestId('duplicates-link').click()
  const dialog = a.getByTestId('duplicates-dialog')
  const group = dialog.getByTestId('duplicate-group')
  await expect(group).toHaveCount(1)
  await expect(group).toContainText('Ann Lee · Annie Lee')
  await expect(group).toContainText('same email')
  await a.screenshot({ path: testInfo.outputPath('duplicates-list-1280x800.png') })
  await group.getByRole('button', { name: 'Review 2' }).click()
  const review = dialog.getByTestId('duplicates-review')
  await expect(review).toBeVisible()
  // the survivor is the older record; its empty phone is filled from the duplicate at first; differing fields are marked
  const choice = (fieldId: string, recordId: string) => review.locator(`tr[data-field="${fieldId}"] button[data-record="${recordId}"]`)
  await expect(choice('contacts.phone', dup)).toHaveAttribute('aria-pressed', 'true')
  await expect(choice('contacts.first_name', keep)).toHaveAttribute('aria-pressed', 'true')
  await expect(review.locator('tr[data-field="contacts.first_name"]')).toHaveClass(/kanso-dup-differs/)
  await expect(review.locator('tr[data-field="contacts.last_name"]')).not.toHaveClass(/kanso-dup-differs/)
  // choose the duplicate's first name and position
  await choice('contacts.first_name', dup).click()
  await choice('contacts.position', dup).click()
  await expect(choice('contacts.position', dup)).toHaveAttribute('aria-pressed', 'true')
  await expect(choice('contacts.position', keep)).toHaveAttribute('aria-pressed', 'false')
  await expect(dialog.getByTestId('duplicates-moves')).toContainText('1 deal')
  await expect(dialog.getByTestId('duplicates-moves')).toContainText('1 activity')
  await a.screenshot({ path: testInfo.outputPath('duplicates-review-1280x800.png') })
  await dialog.getByRole('button', { name: 'Merge into “Ann Lee”' }).click()
  await expect(dialog.getByTestId('duplicates-status')).toContainText('Merged 2 contacts into “Annie Lee”; 2 related records moved.')
  await expect(dialog.getByTestId('duplicates-empty')).toBeVisible()

  // the relay has it: values chosen from both, links moved, the duplicate in the trash
  await expect.poll(async () => (await api('GET', `/activities/${call}`)).body.related).toBe(keep)
  await expect.poll(async () => (await api('GET', `/deals/${deal}`)).body.contacts).toEqual([keep])
  await expect.poll(async () => (await api('GET', `/contacts/${dup}`)).status).toBe(404)
  expect((await api('GET', `/contacts/${keep}`)).body).toMatchObject({ first_name: 'Annie', last_name: 'Lee', email: 'ann@lee.example', phone: '+49301234567', position: 'Head of purchasing' })

  // B: the activity names the survivor; the deal too; the survivor's panel lists both
  await expect(cell(b, call, 'activities.related')).toHaveText('Annie Lee')
  await goTo(b, 'Deals')
  await expect(cell(b, deal, 'deals.contacts')).toHaveText('Annie Lee')
  await goTo(b, 'Contacts')
  await expect(gridCell(b, dup, 'contacts.last_name')).toHaveCount(0)
  await expect(cell(b, keep, 'contacts.position')).toHaveText('Head of purchasing')
  await gridCell(b, keep, 'contacts.last_name').click()
  await b.keyboard.press('Space')
  const panel = b.getByTestId('record-panel')
  await expect(panel).toContainText('Shelving for Lee')
  await expect(panel).toContainText('Call Annie about the offer')
  await expect(panel.locator('[data-kind="merged"]')).toContainText('Merged a duplicate contact into this one')
  await b.screenshot({ path: testInfo.outputPath('duplicates-survivor-panel-b-1024x768.png') })
  await b.keyboard.press('Escape')
  // the duplicate sits in the trash, saying where it went
  await b.getByTestId('trash-link').click()
  await expect(b.getByTestId('trash-dialog').getByTestId('trash-row')).toHaveCount(1)
  await expect(b.getByTestId('trash-merged-into')).toHaveText('— merged into “Annie Lee”')
  await b.getByTestId('trash-dialog').getByRole('button', { name: 'Close' }).click()

  // A: Ctrl+Z in the dialog takes the whole merge back, in both browsers and on the relay
  await dialog.getByRole('button', { name: 'Close' }).focus()
  await a.keyboard.press('ControlOrMeta+z')
  await expect(dialog.getByTestId('duplicate-group')).toHaveCount(1)
  await expect.poll(async () => (await api('GET', `/contacts/${dup}`)).status).toBe(200)
  await expect.poll(async () => (await api('GET', `/activities/${call}`)).body.related).toBe(dup)
  await expect.poll(async () => (await api('GET', `/deals/${deal}`)).body.contacts).toEqual([dup])
  expect((await api('GET', `/contacts/${keep}`)).body).toMatchObject({ first_name: 'Ann', phone: null, position: 'Buyer' })
  await expect(cell(b, dup, 'contacts.first_name')).toHaveText('Annie')
  await expect(cell(b, keep, 'contacts.position')).toHaveText('Buyer')
  await goTo(b, 'Activities')
  await expect(cell(b, call, 'activities.related')).toHaveText('Annie Lee')
  await goTo(b, 'Deals')
  await expect(cell(b, deal, 'deals.contacts')).toHaveText('Annie Lee')
  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect(cell(a, dup, 'contacts.first_name')).toHaveText('Annie')
  await alice.close()
  await bob.close()
})

test('Not duplicates dismisses a group for good, also after a reload; a tablet reads the review', async ({ browser }, testInfo) => {
  const first = await create('companies', { name: 'Globex GmbH', website: 'https://globex.example' })
  const second = await create('companies', { name: 'GLOBEX Inc.', industry: 'Retail' })
  const tablet = await browser.newContext({ locale: 'en-US', viewport: { width: 820, height: 1180 }, hasTouch: true })
  const t = await open(tablet, await relay.addMember('Tess', 'editor'), 'companies')
  await t.getByTestId('duplicates-link').click()
  const dialog = t.getByTestId('duplicates-dialog')
  const group = dialog.getByTestId('duplicate-group').filter({ hasText: 'Globex GmbH' })
  await expect(group).toContainText('same name')
  await group.getByRole('button', { name: /^Review/ }).click()
  await expect(dialog.getByTestId('duplicates-review')).toBeVisible()
  await t.screenshot({ path: testInfo.outputPath('duplicates-review-tablet-820x1180.png') })
  await dialog.getByRole('button', { name: 'Not duplicates' }).click()
  await expect(dialog.getByTestId('duplicates-status')).toContainText('Marked 2 companies as not duplicates.')
  await expect(dialog.getByTestId('duplicate-group').filter({ hasText: 'Globex GmbH' })).toHaveCount(0)
  await expect.poll(async () => (await api<{ data: { ids: string[] }[] }>('GET', '/companies/duplicates')).body.data.filter((g) => g.ids.includes(first))).toEqual([])
  await t.reload()
  await expect(t.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  await t.getByTestId('duplicates-link').click()
  await expect(t.getByTestId('duplicates-dialog').getByTestId('duplicates-empty')).toBeVisible()
  await expect(t.getByTestId('duplicates-dialog').getByTestId('duplicate-group').filter({ hasText: 'Globex' })).toHaveCount(0)
  expect((await api('GET', `/companies/${second}`)).status).toBe(200)
  await tablet.close()
})
