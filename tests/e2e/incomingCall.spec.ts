import { expect, test } from '@playwright/test'
import { startRelayProcess, type RelayProcess } from './relayProcess'

let relay: RelayProcess
let annToken = ''
let bobToken = ''
let contactId = ''

async function api(path: string, body: unknown, token = relay.adminToken): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${relay.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

test.beforeAll(async () => {
  relay = await startRelayProcess()
  const ann = await api('/api/members', { name: 'Ann Rep', role: 'editor', extension: '201' })
  expect(ann.status).toBe(201)
  annToken = ann.body.token as string
  bobToken = await relay.addMember('Bob Rep', 'editor')
  const company = await api('/api/v1/companies', { name: 'Acme GmbH' })
  const contact = await api('/api/v1/contacts', { first_name: 'Anna', last_name: 'Schmidt', phone: '+49 30 1234567', company: company.body.id })
  expect(contact.status).toBe(201)
  contactId = contact.body.id as string
})
test.afterAll(async () => {
  await relay?.stop()
})

test('a ringing call posted by a phone system pops up in the named member\'s open Kanso with the caller, and Open shows their record', async ({ browser }, testInfo) => {
  const ann = await (await browser.newContext()).newPage()
  await ann.goto(`${relay.url}/leads#token=${annToken}`)
  await expect(ann.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  const bob = await (await browser.newContext()).newPage()
  await bob.goto(`${relay.url}/leads#token=${bobToken}`)
  await expect(bob.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  // both browsers' event streams are open once the relay counts Ann's stream as delivered to
  let delivered = 0
  for (let i = 0; i < 50 && delivered === 0; i++) {
    // a probe from an unknown number, shown and then dismissed: the stream is up
    const probe = await api('/api/v1/calls', { direction: 'inbound', from: '+1 212 555 0100', member: '201', status: 'ringing' })
    delivered = probe.body.delivered as number
    if (!delivered) await ann.waitForTimeout(100)
  }
  const probeCard = ann.getByRole('alertdialog', { name: /Incoming call from \+1 212/ })
  await expect(probeCard).toContainText('Not in Kanso yet')
  await probeCard.getByRole('button', { name: 'Dismiss' }).first().click()
  await expect(ann.getByTestId('incoming-call')).toHaveCount(0)

  // the phone system, as the README's generic example does it
  const ringing = await api('/api/v1/calls', { direction: 'inbound', from: '+49 30 1234567', to: '201', member: '201', status: 'ringing' })
  expect(ringing.status).toBe(202)
  const card = ann.getByRole('alertdialog', { name: 'Incoming call from Anna Schmidt (Acme GmbH)' })
  await expect(card).toBeVisible({ timeout: 1000 })
  await expect(card).toContainText('Anna Schmidt')
  await expect(card).toContainText('Acme GmbH · +49 30 1234567')
  await ann.screenshot({ path: testInfo.outputPath('incoming-call-1280x800.png') })
  await card.screenshot({ path: testInfo.outputPath('incoming-call-card.png') })
  // Bob was not called
  await expect(bob.getByTestId('incoming-call')).toHaveCount(0)

  await card.getByRole('button', { name: 'Open' }).click()
  await expect(card).toHaveCount(0)
  await expect(ann).toHaveURL(/\/contacts$/)
  await expect(ann.locator(`.kanso-grid .ag-row[row-id="${contactId}"] .ag-cell-focus`)).toContainText('Schmidt')
})

test('phone numbers dial with the member\'s own scheme, chosen in My preferences and kept on the relay', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage()
  await page.goto(`${relay.url}/contacts#token=${annToken}`)
  await expect(page.getByRole('link', { name: /^Call \+49/ })).toHaveAttribute('href', 'tel:+49301234567')
  await page.getByRole('link', { name: 'My preferences' }).click()
  await page.getByRole('radio', { name: /callto:/ }).check()
  await expect.poll(async () => ((await (await fetch(`${relay.url}/api/me`, { headers: { authorization: `Bearer ${annToken}` } })).json()) as { phone_scheme: string }).phone_scheme).toBe('callto')
  await page.getByRole('link', { name: 'Contacts' }).click()
  await expect(page.getByRole('link', { name: /^Call \+49/ })).toHaveAttribute('href', 'callto:+49301234567')
  // another browser of the same member dials the same way
  const other = await (await browser.newContext()).newPage()
  await other.goto(`${relay.url}/contacts#token=${annToken}`)
  await expect(other.getByRole('link', { name: /^Call \+49/ })).toHaveAttribute('href', 'callto:+49301234567')
})
