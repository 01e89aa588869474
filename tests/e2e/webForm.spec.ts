import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test } from '@playwright/test'
import { startRelayProcess, type RelayProcess } from './relayProcess'

let relay: RelayProcess
let site: Server
let siteUrl = ''
let formId = ''

/** A page of another site (another origin) with the plain HTML form pasted in: no JavaScript. */
function sitePage(action: string): string {
  return [
    '<!doctype html><html><head><meta charset="utf-8"><title>Shop</title></head><body>',
    '<h1>Talk to us</h1>',
    `<form method="post" action="${action}">`,
    '<label>Name <input name="name"></label>',
    '<label>Email <input name="email" type="email"></label>',
    '<label>Homepage <input name="_homepage"></label>',
    '<button type="submit">Send</button>',
    '</form></body></html>',
  ].join('\n')
}

test.beforeAll(async () => {
  relay = await startRelayProcess()
  const res = await fetch(`${relay.url}/api/v1/forms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${relay.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Shop contact', fields: [{ key: 'name', label: 'Your name', required: true }, { key: 'email', label: '', required: true }, 'phone'], consent_text: 'We use your details only to answer you.' }),
  })
  expect(res.status).toBe(201)
  formId = ((await res.json()) as { id: string }).id
  site = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(sitePage(`${relay.url}/f/${formId}`))
  })
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  // another origin: another host name and port than the relay's 127.0.0.1:<port>
  siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/landing?utm_source=e2e&utm_campaign=launch`
})
test.afterAll(async () => {
  await new Promise((r) => site?.close(r))
  await relay?.stop()
})

test('a plain HTML form on another site creates a lead that shows in an open grid within a second; a bot post creates nothing', async ({ browser }, testInfo) => {
  const kanso = await (await browser.newContext()).newPage()
  await kanso.goto(`${relay.url}/leads#token=${relay.adminToken}`)
  await expect(kanso.locator('.kanso-grid .ag-root')).toBeVisible()
  await expect(kanso.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')

  const visitor = await (await browser.newContext()).newPage()
  await visitor.goto(siteUrl)
  expect(new URL(visitor.url()).origin).not.toBe(new URL(relay.url).origin)
  await visitor.getByLabel('Name').fill('Grace Hopper')
  await visitor.getByLabel('Email').fill('grace@example.com')
  await visitor.getByRole('button', { name: 'Send' }).click()
  await expect(visitor.getByText('Thank you! We will be in touch soon.')).toBeVisible()
  await expect(kanso.locator('.kanso-grid .ag-row', { hasText: 'Shop contact: Grace Hopper' })).toBeVisible({ timeout: 1000 })

  const bot = await (await browser.newContext()).newPage()
  await bot.goto(siteUrl)
  await bot.getByLabel('Name').fill('Spam Bot')
  await bot.getByLabel('Email').fill('bot@example.com')
  await bot.getByLabel('Homepage').fill('http://spam.example')
  await bot.getByRole('button', { name: 'Send' }).click()
  await expect(bot.getByText('Thank you! We will be in touch soon.')).toBeVisible()
  await kanso.waitForTimeout(1000)
  await expect(kanso.locator('.kanso-grid .ag-row', { hasText: 'Spam Bot' })).toHaveCount(0)
  const listed = await (await fetch(`${relay.url}/api/v1/leads`, { headers: { authorization: `Bearer ${relay.adminToken}` } })).json() as { data: { name: string; utm_source: string; referrer: string }[] }
  expect(listed.data.map((l) => l.name)).toEqual(['Grace Hopper'])
  expect(listed.data[0]).toMatchObject({ utm_source: null })

  // the hosted page, on a laptop and on a phone; the builder
  const hosted = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
  await hosted.goto(`${relay.url}/f/${formId}?utm_source=shot`)
  await expect(hosted.getByRole('heading', { name: 'Shop contact' })).toBeVisible()
  await hosted.screenshot({ path: testInfo.outputPath('hosted-form-1280.png') })
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })).newPage()
  await phone.goto(`${relay.url}/f/${formId}`)
  await expect(phone.getByLabel('Your name')).toBeVisible()
  const box = await phone.getByLabel('Your name').boundingBox()
  expect(box!.width).toBeGreaterThan(300)
  await phone.screenshot({ path: testInfo.outputPath('hosted-form-390.png') })
  await kanso.setViewportSize({ width: 1280, height: 800 })
  await kanso.goto(`${relay.url}/settings/forms#token=${relay.adminToken}`)
  await expect(kanso.locator('.kanso-forms-editor')).toBeVisible()
  await expect(kanso.locator('[data-snippet="script"] pre')).toContainText(`data-form="${formId}"`)
  await kanso.screenshot({ path: testInfo.outputPath('form-builder.png'), fullPage: true })
})
