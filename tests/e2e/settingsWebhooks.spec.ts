import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test } from '@playwright/test'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Settings → Webhooks: an admin adds a webhook (the secret shown once), a record created over the
// API is delivered to a real receiver, and the delivery shows as delivered with its answer.

let relay: RelayProcess
const received: string[] = []
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    received.push(Buffer.concat(chunks).toString('utf8'))
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end('ok, got it')
  })
})

test.beforeAll(async () => {
  relay = await startRelayProcess()
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
})
test.afterAll(async () => {
  await relay?.stop()
  receiver.close()
})

test('an admin adds a webhook and sees its delivery with the receiver’s answer', async ({ browser }, testInfo) => {
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/kanso`
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`))
  await page.goto(`${relay.url}/settings/webhooks#token=${relay.adminToken}`)
  await expect(page.getByRole('heading', { name: 'Add a webhook' })).toBeVisible()
  await expect(page.getByText('No webhooks yet')).toBeVisible()

  await page.getByLabel('URL').fill(hookUrl)
  await page.getByLabel('Deal stage changed').check()
  await page.getByRole('button', { name: 'Add webhook' }).click()
  await expect(page.getByLabel('Webhook signing secret')).toHaveValue(/^whsec_/)
  await expect(page.getByRole('table', { name: 'Webhooks' })).toContainText(hookUrl)

  const created = await fetch(`${relay.url}/api/v1/deals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${relay.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Big deal', stage: 'New' }),
  })
  expect(created.status).toBe(201)
  await expect.poll(() => received.length).toBe(1)
  await page.getByRole('button', { name: 'Refresh' }).click()
  const deliveries = page.getByRole('table', { name: 'Recent deliveries' })
  await expect(deliveries).toContainText('Record created')
  await expect(deliveries).toContainText('Delivered · HTTP 200')
  await expect(deliveries).toContainText('ok, got it')
  await page.screenshot({ path: testInfo.outputPath('settings-webhooks.png') })
  await context.close()
})
