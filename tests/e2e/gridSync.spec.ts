import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { addContact, cell, gridCell, typeInto } from './gridHelpers'
import { startRelayProcess, type RelayProcess } from './relayProcess'

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

const col = { first: 'contacts.first_name', last: 'contacts.last_name', email: 'contacts.email', phone: 'contacts.phone', position: 'contacts.position' }

/** What the relay's Content-Security-Policy blocked in any page of this file (the app must run under it untouched). */
const cspViolations: string[] = []
test.afterEach(() => expect(cspViolations.splice(0)).toEqual([]))

async function openContacts(context: BrowserContext, token: string): Promise<Page> {
  const page = await context.newPage()
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`))
  page.on('console', (m) => { if (m.text().includes('Content Security Policy')) cspViolations.push(m.text()) })
  await page.exposeFunction('kansoCspViolation', (v: string) => cspViolations.push(v))
  await page.addInitScript(() => window.addEventListener('securitypolicyviolation', (e) => {
    void (window as unknown as { kansoCspViolation(v: string): void }).kansoCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`)
  }))
  await page.goto(`${relay.url}/contacts#token=${token}`)
  await expect(page.locator('.kanso-grid .ag-root')).toBeVisible()
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  // the inline boot script ran under the CSP (by its hash) and started its same-origin worker
  expect(await page.evaluate(() => performance.getEntriesByType('resource').some((e) => /\/assets\/bootWorker-\w+\.js$/.test(e.name)))).toBe(true)
  return page
}

async function rowTexts(page: Page, rowId: string): Promise<string[]> {
  return page.locator(`.kanso-grid .ag-row[row-id="${rowId}"] .ag-cell .kanso-cell-value`).allInnerTexts()
}

test('two members edit the same contacts live, offline, and after reconnecting', async ({ browser }, testInfo) => {
  const aliceToken = await relay.addMember('Alice', 'editor')
  const bobToken = await relay.addMember('Bob', 'editor')
  const ctxA = await browser.newContext()
  const ctxB = await browser.newContext()
  const a = await openContacts(ctxA, aliceToken)
  const b = await openContacts(ctxB, bobToken)

  // live edits reach the other member
  const ada = await addContact(a, 'Ada', 'Lovelace')
  const grace = await addContact(a, 'Grace', 'Hopper')
  await expect(cell(b, ada, col.first)).toHaveText('Ada')
  await expect(cell(b, grace, col.last)).toHaveText('Hopper')
  await typeInto(b, grace, col.position, 'Rear Admiral')
  await expect(cell(a, grace, col.position)).toHaveText('Rear Admiral')

  // presence: each sees the other in the top bar and on the cell they are on
  await expect(a.getByTestId('presence')).toContainText('Bob')
  await expect(b.getByTestId('presence')).toContainText('Alice')
  await gridCell(a, ada, col.email).click()
  await expect(gridCell(b, ada, col.email).locator('.kanso-presence-badge')).toHaveText('Alice')

  // Alice goes offline; both edit different fields of one record and the same field of another
  await ctxA.setOffline(true)
  await expect(a.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline')
  await typeInto(a, ada, col.email, 'ada@analytical.example')
  await typeInto(a, grace, col.last, 'Hopper (Alice)')
  await expect(a.getByTestId('sync-status')).toContainText('not on the server yet')
  await typeInto(b, ada, col.phone, '+44 20 7946 0018')
  await typeInto(b, grace, col.last, 'Hopper (Bob)')
  await expect(cell(a, ada, col.phone)).toHaveText('')

  await ctxA.setOffline(false)
  await expect(a.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  await expect(b.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  await expect(cell(b, ada, col.email)).toHaveText('ada@analytical.example')
  await expect(cell(a, ada, col.phone)).toHaveText('+44 20 7946 0018')
  await expect.poll(async () => JSON.stringify(await rowTexts(a, grace))).toBe(JSON.stringify(await rowTexts(b, grace)))
  expect(await rowTexts(a, ada)).toEqual(await rowTexts(b, ada))
  expect(['Hopper (Alice)', 'Hopper (Bob)']).toContain(await cell(a, grace, col.last).innerText())

  // an invalid email is refused with its reason, and the stored value is kept
  await typeInto(b, ada, col.email, 'ada-at-example')
  await expect(b.getByTestId('cell-error')).toContainText('Email')
  await expect(b.getByTestId('cell-error')).toContainText('not an email address')
  await expect(gridCell(b, ada, col.email)).toHaveClass(/kanso-cell-has-error/)
  await expect(cell(a, ada, col.email)).toHaveText('ada@analytical.example')

  // undo and redo my own edit with the keyboard
  await typeInto(a, ada, col.position, 'Countess')
  await expect(cell(b, ada, col.position)).toHaveText('Countess')
  await gridCell(a, ada, col.first).click()
  await a.keyboard.press('ControlOrMeta+z')
  await expect(cell(a, ada, col.position)).toHaveText('')
  await expect(cell(b, ada, col.position)).toHaveText('')
  await a.keyboard.press('ControlOrMeta+y')
  await expect(cell(a, ada, col.position)).toHaveText('Countess')

  await a.screenshot({ path: testInfo.outputPath('contacts-grid.png') })
  await b.screenshot({ path: testInfo.outputPath('contacts-grid-with-error.png') })

  // the app itself and the data load with the network off
  await a.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, { timeout: 20_000 })
  await expect(a.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  await ctxA.setOffline(true)
  await a.reload()
  await expect(cell(a, ada, col.email)).toHaveText('ada@analytical.example')
  await expect(cell(a, grace, col.position)).toHaveText('Rear Admiral')
  await expect(a.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline')
  await a.screenshot({ path: testInfo.outputPath('contacts-offline-reload.png') })

  await ctxA.close()
  await ctxB.close()
})
