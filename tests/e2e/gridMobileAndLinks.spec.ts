import { join } from 'node:path'
import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { makeEntityStore } from '../../src/crdt/entityStore'
import { cell, gridCell, typeInto } from './gridHelpers'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Issue 12, spreadsheet habits: a click on an email, phone or URL cell selects it (the link
// opens with Ctrl/Cmd+click, its button or Ctrl/Cmd+Enter), the record's name stays pinned at
// the left, and on a phone-sized screen the lists are cards with an edit sheet.

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

async function openAsAdmin(browser: Browser, path: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const phone = viewport.width < 600
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport, hasTouch: phone, isMobile: phone })
  const page = await context.newPage()
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}\n${err.stack}`))
  await page.goto(`${relay.url}${path}#token=${relay.adminToken}`)
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  return page
}

/** A screenshot to look at: in the test's output, or in KANSO_SHOTS_DIR when set (test-results is wiped by every run). */
async function shot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: join(process.env.KANSO_SHOTS_DIR ?? testInfo.outputDir, name) })
}

/** Adds a record from the toolbar, typing its first field, and returns its id. */
async function addRecord(page: Page, singular: string, name: string, colId: string): Promise<string> {
  await page.getByRole('button', { name: `+ New ${singular}` }).click()
  await expect(page.locator('.kanso-editor')).toBeFocused()
  await page.keyboard.type(name)
  await page.keyboard.press('Enter')
  const row = page.locator('.kanso-grid .ag-row', { has: page.locator(`.ag-cell[col-id="${colId}"] .kanso-cell-value`, { hasText: name }) })
  await expect(row).toHaveCount(1)
  return (await row.getAttribute('row-id'))!
}

test('a click on an email or URL selects the cell and typing edits it; Ctrl+click, the open button and Ctrl+Enter open the link', async ({ browser }) => {
  const page = await openAsAdmin(browser, '/companies')
  const id = await addRecord(page, 'company', 'Linkers Ltd', 'companies.name')
  await typeInto(page, id, 'companies.email', 'ann@example.com')
  // a page of the relay's own (the app, for any path): what a link opens is seen without the network
  const site = `${relay.url}/opened-by-a-link`
  await typeInto(page, id, 'companies.website', site)
  const popups: string[] = []
  page.context().on('page', (p) => popups.push(p.url()))

  // a plain click on the address: the cell is selected, nothing opens, typing replaces it
  const email = cell(page, id, 'companies.email')
  await email.locator('a').click()
  await expect(gridCell(page, id, 'companies.email')).toHaveClass(/ag-cell-focus/)
  await page.keyboard.type('bob@example.com')
  await expect(page.locator('.kanso-editor')).toHaveValue('bob@example.com')
  await page.keyboard.press('Enter')
  await expect(email).toHaveText('bob@example.com')
  await expect(email.locator('a')).toHaveAttribute('href', 'mailto:bob@example.com')
  const mailButton = gridCell(page, id, 'companies.email').getByRole('link', { name: 'Email bob@example.com' })
  await expect(mailButton).toHaveAttribute('href', 'mailto:bob@example.com')

  await cell(page, id, 'companies.website').locator('a').click()
  await expect(gridCell(page, id, 'companies.website')).toHaveClass(/ag-cell-focus/)
  await page.waitForTimeout(300)
  expect(popups).toEqual([])
  expect(page.url()).toContain('/companies')

  // Ctrl+click on the text opens it in a new tab
  const byCtrlClick = page.context().waitForEvent('page')
  await cell(page, id, 'companies.website').locator('a').click({ modifiers: ['ControlOrMeta'] })
  const first = await byCtrlClick
  await expect(first).toHaveURL(site)
  await first.close()
  await expect(page.locator('.kanso-editor')).toHaveCount(0)

  // the ↗ button at the cell's right
  const byButton = page.context().waitForEvent('page')
  await gridCell(page, id, 'companies.website').getByRole('link', { name: `Open ${site} in a new tab` }).click()
  const second = await byButton
  await expect(second).toHaveURL(site)
  await second.close()

  // the keyboard: Ctrl/Cmd+Enter on the focused cell
  await gridCell(page, id, 'companies.website').click()
  const byKeyboard = page.context().waitForEvent('page')
  await page.keyboard.press('ControlOrMeta+Enter')
  const third = await byKeyboard
  await expect(third).toHaveURL(site)
  await third.close()
  await expect(page.locator('.kanso-editor')).toHaveCount(0)
  await page.context().close()
})

test('the record name stays pinned at the left while scrolling sideways, whatever a saved layout says', async ({ browser }, testInfo) => {
  const page = await openAsAdmin(browser, '/deals')
  const id = await addRecord(page, 'deal', 'Pinned deal', 'deals.title')
  const name = gridCell(page, id, 'deals.title')
  await expect(name).toHaveClass(/ag-cell-last-left-pinned/)

  const scrollRight = async () => {
    await page.locator('.kanso-grid .ag-grid-viewport').hover()
    await page.mouse.wheel(3000, 0)
    await expect(gridCell(page, id, 'deals.source')).toBeInViewport()
  }
  await scrollRight()
  await expect(name).toBeInViewport()
  const box = (await name.boundingBox())!
  expect(box.x).toBeLessThan(260)
  await shot(page, testInfo, 'pinned-1280x800.png')

  // a layout saved before pinning, with the name moved, unpinned and hidden: still pinned and shown
  await page.evaluate(() => {
    const member = JSON.parse(localStorage.getItem('kanso.member')!) as { id: string }
    localStorage.setItem(`kanso.columns.${member.id}.deals`, JSON.stringify([
      { colId: 'deals.stage', width: 300 },
      { colId: 'deals.title', width: 210, pinned: null, hide: true },
    ]))
  })
  await page.reload()
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  await expect(name).toBeVisible()
  await expect(name).toHaveClass(/ag-cell-last-left-pinned/)
  expect((await name.boundingBox())!.width).toBeCloseTo(210, -1)
  await scrollRight()
  await expect(name).toBeInViewport()
  // the Columns list cannot hide it either
  await page.getByRole('button', { name: 'Columns ▾' }).click()
  await page.locator('.kanso-columns-list label', { hasText: 'Title' }).locator('input').uncheck({ force: true }).catch(() => undefined)
  await expect(name).toBeVisible()
  await page.context().close()
})

/** A teammate's stock y-websocket client in this process, synced with the relay. */
async function teammate(token: string, docName: string): Promise<{ doc: Y.Doc; provider: WebsocketProvider }> {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(relay.url.replace(/^http/, 'ws') + '/sync', docName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket, disableBc: true, params: { token },
  })
  await new Promise<void>((resolve) => provider.once('sync', () => resolve()))
  return { doc, provider }
}

test('on a 390×844 phone a list is a virtualised card list; a tap opens an edit sheet that saves, refuses bad input with the reason, and the Members page fits', async ({ browser }, testInfo) => {
  const ROWS = 3000
  const seeder = await teammate(await relay.addMember('Seeder', 'editor'), 'entity-contacts')
  const contacts = makeEntityStore(seeder.doc, 'contacts', 'seeder')
  seeder.doc.transact(() => {
    for (let i = 0; i < ROWS; i++) contacts.createRecord({ 'contacts.first_name': 'Person', 'contacts.last_name': `No ${String(i).padStart(4, '0')}`, 'contacts.email': `p${i}@example.com` })
  })
  const zedId = contacts.createRecord({ 'contacts.first_name': 'Zed', 'contacts.last_name': 'Zimmer' })

  const page = await openAsAdmin(browser, '/contacts', { width: 390, height: 844 })
  const cards = page.getByTestId('card-list')
  await expect(cards).toBeVisible()
  await expect(page.getByTestId('grid')).toHaveCount(0)
  await expect(page.locator('.kanso-count')).toHaveText(`${(ROWS + 1).toLocaleString('en-US')} contacts`)
  await expect(cards.locator('.kanso-card').first()).toContainText('Person No 0000')
  // only the cards near the viewport exist
  expect(await cards.locator('.kanso-card').count()).toBeLessThan(30)
  await cards.evaluate((el) => { el.scrollTop = 1500 * 96 })
  await expect(cards.locator('.kanso-card', { hasText: 'Person No 1500' })).toBeInViewport()
  expect(await cards.locator('.kanso-card').count()).toBeLessThan(30)
  // the navigation is a menu; the page never scrolls sideways
  await expect(page.getByRole('link', { name: 'Deals' })).toBeHidden()
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390)
  await shot(page, testInfo, 'cards-390x844.png')

  // search, then a tap opens the record
  await page.getByRole('searchbox', { name: 'Search Contacts' }).fill('zimmer')
  await expect(page.locator('.kanso-count')).toHaveText(`1 of ${(ROWS + 1).toLocaleString('en-US')} contacts`)
  await cards.locator('.kanso-card', { hasText: 'Zed Zimmer' }).getByRole('button').tap()
  const sheet = page.getByRole('dialog', { name: 'Zed Zimmer' })
  await expect(sheet).toBeVisible()
  await sheet.getByLabel('Phone').fill('call me maybe')
  await sheet.getByLabel('Email').fill('zed@example.com')
  await sheet.getByRole('button', { name: 'Save' }).tap()
  // the good field is saved, the bad one stays with the reason (the grid's own rule and words)
  await expect(sheet.getByRole('alert')).toContainText('Not saved: Phone: "call me maybe"')
  await expect(sheet.getByLabel('Phone')).toHaveAttribute('aria-invalid', 'true')
  await expect.poll(() => contacts.row(zedId)?.values['contacts.email']).toBe('zed@example.com')
  await expect(page.getByTestId('sync-status')).toContainText('refused')
  await shot(page, testInfo, 'edit-sheet-refusal-390x844.png')
  await sheet.getByLabel('Phone').fill('+49 30 1234567')
  await sheet.getByRole('button', { name: 'Save' }).tap()
  await expect(sheet).toHaveCount(0)
  await expect.poll(() => contacts.row(zedId)?.values['contacts.phone']).toBe('+49301234567')
  const zed = cards.locator('.kanso-card', { hasText: 'Zed Zimmer' })
  await expect(zed).toContainText('zed@example.com')
  await expect(zed.getByRole('link', { name: /^Call \+49/ })).toHaveAttribute('href', 'tel:+49301234567')
  await expect(page.getByTestId('sync-status')).not.toContainText('refused')

  // a new record from the toolbar opens the sheet for it
  await page.getByRole('button', { name: '+ New contact' }).tap()
  const fresh = page.getByRole('dialog', { name: 'Untitled contact' })
  await fresh.getByLabel('Last name').fill('Newcomer')
  await fresh.getByRole('button', { name: 'Save' }).tap()
  await expect(fresh).toHaveCount(0)
  await page.getByRole('searchbox', { name: 'Search Contacts' }).fill('newcomer')
  await expect(cards.locator('.kanso-card')).toHaveText(/Newcomer/)

  // the Members page fits 390 px
  await page.getByRole('button', { name: '☰ Menu' }).tap()
  await page.getByRole('link', { name: 'Members' }).tap()
  await expect(page.getByRole('heading', { name: 'Invite a teammate' })).toBeVisible()
  await expect(page.getByRole('cell', { name: 'Seeder' })).toBeVisible()
  await page.getByLabel('Name').fill('Maria Lopez')
  await page.getByRole('button', { name: 'Create invite link' }).tap()
  await expect(page.getByLabel('Invite link')).toBeVisible()
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390)
  await shot(page, testInfo, 'members-390x844.png')

  seeder.provider.destroy()
  await page.context().close()
})

test('a tablet (820×1180) keeps the grid, with room for the toolbar and the pinned name', async ({ browser }, testInfo) => {
  const page = await openAsAdmin(browser, '/contacts', { width: 820, height: 1180 })
  await expect(page.getByTestId('grid')).toBeVisible()
  await expect(page.getByTestId('card-list')).toHaveCount(0)
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(820)
  await shot(page, testInfo, 'contacts-820x1180.png')
  await page.getByRole('link', { name: 'Members' }).click()
  await expect(page.getByRole('heading', { name: 'Invite a teammate' })).toBeVisible()
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(820)
  await shot(page, testInfo, 'members-820x1180.png')
  await page.context().close()
})
