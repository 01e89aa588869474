import { expect, test, type Browser } from '@playwright/test'
import { openSignedIn } from './openSignedIn'
import { postRecord } from './postRecord'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Issue 17: what reports read — the time zone and the currency rates an admin keeps in
// Settings — reach the relay's funnel; a rate refused names its line and saves nothing.

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

const open = (browser: Browser, token: string, path: string) => openSignedIn(relay, browser, token, path)

async function funnel(): Promise<{ stages: { amount: number }[]; without_rate: string[] }> {
  const res = await fetch(`${relay.url}/api/v1/reports/funnel`, { headers: { authorization: `Bearer ${relay.adminToken}` } })
  return res.json() as Promise<{ stages: { amount: number }[]; without_rate: string[] }>
}

test('an admin sets the reports\' time zone and currency rates in Settings; the funnel converts at them', async ({ browser }) => {
  await postRecord(relay, 'deals', { title: 'Euro deal', stage: 'New', amount: { amount: 100, currency: 'EUR' } })
  await postRecord(relay, 'deals', { title: 'Dollar deal', stage: 'New', amount: { amount: 200, currency: 'USD' } })
  expect((await funnel()).without_rate).toEqual(['USD'])

  const a = await open(browser, await relay.addMember('Ada Admin', 'admin'), '/settings')
  const form = a.getByRole('form', { name: 'Reports' })
  await form.getByLabel('Currency rates').fill('USD 0.5\nXYZ 2')
  await form.getByLabel('Currency rates').press('Tab')
  await expect(a.getByTestId('report-settings-problem')).toHaveText('Not saved: Line 2: XYZ is not an ISO 4217 currency code')
  await form.getByLabel('Currency rates').fill('USD 0.5')
  await form.getByLabel('Currency rates').press('Tab')
  await form.getByLabel('Time zone').fill('Europe/Berlin')
  await form.getByLabel('Time zone').press('Tab')
  await expect(a.getByTestId('report-settings-problem')).toHaveCount(0)
  await expect(a.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')

  await expect.poll(async () => (await funnel()).stages[0]?.amount, { timeout: 10_000 }).toBe(200)
  expect((await funnel()).without_rate).toEqual([])
  const schema = await (await fetch(`${relay.url}/api/v1/schema`, { headers: { authorization: `Bearer ${relay.adminToken}` } })).json() as { workspace: Record<string, unknown> }
  expect(schema.workspace).toMatchObject({ timeZone: 'Europe/Berlin', currencyRates: { USD: 0.5 } })
})
