import { expect, test } from '@playwright/test'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Settings → API: an admin creates a key (shown once), revokes it, and copies examples made
// for this relay and workspace; the key is refused by the API as soon as it is revoked.

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

test('an admin creates and revokes an API key and reads examples for this relay', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' })
  const page = await context.newPage()
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`))
  await page.goto(`${relay.url}/settings/api#token=${relay.adminToken}`)
  await expect(page.getByRole('heading', { name: 'Create an API key' })).toBeVisible()
  await expect(page.getByText('No API keys yet')).toBeVisible()

  await page.getByLabel('Name').fill('Website form')
  await page.getByRole('button', { name: 'Create API key' }).click()
  const shown = page.getByLabel('New API key')
  await expect(shown).toHaveValue(/^kanso_[A-Za-z0-9_-]{43}$/)
  const key = await shown.inputValue()
  const row = page.getByRole('table', { name: 'API keys' }).getByRole('row', { name: /Website form/ })
  await expect(row).toContainText('editor')
  await expect(row).toContainText('active')
  // the examples carry this relay's URL and the new key, for the chosen entity
  await page.getByLabel('Entity of the examples').selectOption('deals')
  // a deal's stage goes as its id (the pipelines' default first stage), as the API answers it
  await expect(page.locator('[data-example="list"] pre')).toContainText(`curl --fail-with-body -sS '${relay.url}/api/v1/deals?stage=sales.new`)
  await expect(page.locator('[data-example="create"] pre')).toContainText(`Bearer ${key}`)
  await page.getByRole('tab', { name: 'JavaScript' }).click()
  await expect(page.locator('[data-example="update"] pre')).toContainText(`await fetch("${relay.url}/api/v1/deals/RECORD_ID"`)
  await page.screenshot({ path: testInfo.outputPath('settings-api.png') })

  const before = await fetch(`${relay.url}/api/v1/deals`, { headers: { authorization: `Bearer ${key}` } })
  expect(before.status).toBe(200)
  page.once('dialog', (dialog) => void dialog.accept())
  await row.getByRole('button', { name: 'Revoke' }).click()
  await expect(row).toContainText('revoked')
  const after = await fetch(`${relay.url}/api/v1/deals`, { headers: { authorization: `Bearer ${key}` } })
  expect(after.status).toBe(401)
  // shown once: after a reload the key is nowhere on the page
  await page.reload()
  await expect(page.getByRole('table', { name: 'API keys' })).toContainText('Website form')
  await expect(page.locator('body')).not.toContainText(key)
  await context.close()
})
