import { expect, test, type Browser, type Page } from '@playwright/test'
import { cell, gridCell, typeInto } from './gridHelpers'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Issue 12, bugs 2, 4 and 5: owner names from the first paint, refused entries that wait (and
// say so), and links between records: the delete question and the picker that tells two
// "Acme GmbH" apart.

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

async function openAsAdmin(browser: Browser, path: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`))
  await page.goto(`${relay.url}${path}#token=${relay.adminToken}`)
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  return page
}

async function addRecord(page: Page, singular: string, values: string[], colId: string): Promise<string> {
  const before = await page.locator('.kanso-grid .ag-row[row-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('row-id')))
  await page.getByRole('button', { name: `+ New ${singular}` }).click()
  for (const [i, text] of values.entries()) {
    await expect(page.locator('.kanso-editor')).toBeFocused()
    await page.keyboard.type(text)
    await page.keyboard.press(i === values.length - 1 ? 'Enter' : 'Tab')
  }
  const row = page.locator('.kanso-grid .ag-row[row-id]', { has: page.locator(`.ag-cell[col-id="${colId}"] .kanso-cell-value`, { hasText: values.at(-1)! }) })
  await expect.poll(async () => (await row.evaluateAll((rows) => rows.map((r) => r.getAttribute('row-id')))).filter((id) => !before.includes(id)).length).toBe(1)
  const ids = await row.evaluateAll((rows) => rows.map((r) => r.getAttribute('row-id')!))
  return ids.find((id) => !before.includes(id))!
}

/**
 * Waits until the row snapshot this device stored for `entityId` no longer holds `id` (the worker
 * writes it 2 s after a change), so a reload paints without that record and only the document
 * can tell what it was.
 */
async function storedSnapshotLacks(page: Page, entityId: string, id: string) {
  const lacks = () => page.evaluate(([entity, record]) => new Promise<boolean>((resolve) => {
    const open = indexedDB.open('kanso:meta')
    open.onerror = () => resolve(false)
    open.onsuccess = () => {
      const get = open.result.transaction('snapshots').objectStore('snapshots').get(entity!)
      get.onsuccess = () => {
        open.result.close()
        const stored = get.result as { bytes?: Uint8Array } | undefined
        resolve(!!stored?.bytes && !new TextDecoder().decode(stored.bytes).includes(record!))
      }
      get.onerror = () => { open.result.close(); resolve(false) }
    }
  }), [entityId, id])
  await expect.poll(lacks, { timeout: 15_000 }).toBe(true)
}

/** Waits until the relay's row snapshot of `entityId` (a first visit paints it) no longer holds `id`. */
async function relaySnapshotLacks(entityId: string, id: string) {
  await expect.poll(async () => {
    const res = await fetch(`${relay.url}/api/snapshots/${entityId}`, { headers: { Authorization: `Bearer ${relay.adminToken}` } })
    return res.ok && !(await res.text()).includes(id)
  }, { timeout: 15_000 }).toBe(true)
}

async function goTo(page: Page, label: string) {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: label, exact: true }).click()
  await expect(page.locator('.kanso-title')).toHaveText(label)
}

test('the Owner column shows names on the first list right after a load, and typing "Admin" works', async ({ browser }) => {
  const page = await openAsAdmin(browser, '/companies')
  const id = await addRecord(page, 'company', ['Owned GmbH'], 'companies.name')
  await typeInto(page, id, 'companies.owner', 'Admin')
  await expect(cell(page, id, 'companies.owner')).toHaveText('Admin')

  // a first visit on this device: no member list kept yet, and the relay answers late
  await page.evaluate(() => localStorage.removeItem('kanso.members'))
  await page.route('**/api/members', async (route) => { await new Promise((r) => setTimeout(r, 1500)); await route.continue() })
  await page.reload()
  await expect(cell(page, id, 'companies.owner')).toHaveText('Admin')
  await typeInto(page, id, 'companies.owner', 'admin')
  await expect(page.getByTestId('cell-error')).toHaveCount(0)

  // offline on the next load: the list this device last saw. The late answer is given first: a
  // plain unroute while it waits lets the request go on, and the waiting handler's continue then
  // threw "Route is already handled!" (when this test got here within the 1.5 s, under load)
  await page.unrouteAll({ behavior: 'wait' })
  await page.route('**/api/members', (route) => route.abort())
  await page.reload()
  await expect(cell(page, id, 'companies.owner')).toHaveText('Admin')
  await page.context().close()
})

test('a refused entry survives a list switch and a reload, the status says so and leads to it, Escape drops it', async ({ browser }) => {
  const page = await openAsAdmin(browser, '/companies')
  const id = await addRecord(page, 'company', ['Refusing Ltd'], 'companies.name')
  await typeInto(page, id, 'companies.email', 'not an email')
  await expect(page.getByTestId('cell-error')).toBeVisible()
  const status = page.getByTestId('sync-status')
  await expect(status).toHaveText('1 refused entry not saved — fix or press Esc')

  await goTo(page, 'Contacts')
  await expect(status).toHaveText('1 refused entry not saved — fix or press Esc')
  await goTo(page, 'Companies')
  await expect(gridCell(page, id, 'companies.email')).toHaveClass(/kanso-cell-has-error/)
  await page.reload()
  await expect(status).toHaveText('1 refused entry not saved — fix or press Esc')

  await goTo(page, 'Contacts')
  await status.click()
  await expect(page.locator('.kanso-title')).toHaveText('Companies')
  await expect(gridCell(page, id, 'companies.email')).toHaveClass(/ag-cell-focus/)
  await page.keyboard.press('Enter')
  await expect(page.locator('.kanso-editor')).toHaveValue('not an email')
  await page.keyboard.press('Escape')
  // the first Escape closes the editor; the second, on the cell, drops the refused entry (sent
  // before the editor had closed, on a loaded machine it reached the editor too: seen in CI)
  await expect(page.locator('.kanso-editor')).toHaveCount(0)
  await page.keyboard.press('Escape')
  await expect(gridCell(page, id, 'companies.email')).not.toHaveClass(/kanso-cell-has-error/)
  await expect(status).toHaveText('Everything is on the server')
  await page.context().close()
})

test('two "Acme GmbH": the typed name is refused, the picker tells them apart by keyboard, and deleting a linked one asks with the count; its links read "(deleted) Acme GmbH" on every device and after a reload, until it is restored', async ({ browser }, testInfo) => {
  const page = await openAsAdmin(browser, '/companies')
  const berlin = await addRecord(page, 'company', ['Acme GmbH'], 'companies.name')
  await typeInto(page, berlin, 'companies.address', 'Berlin')
  const munich = await addRecord(page, 'company', ['Acme GmbH'], 'companies.name')
  await typeInto(page, munich, 'companies.address', 'Munich')

  await goTo(page, 'Contacts')
  const ada = await addRecord(page, 'contact', ['Ada', 'Lovelace'], 'contacts.last_name')
  await typeInto(page, ada, 'contacts.company', 'Acme GmbH')
  await expect(page.getByTestId('cell-error')).toContainText('2 companies are named “Acme GmbH” — pick one')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('sync-status')).toHaveText('Everything is on the server')

  await gridCell(page, ada, 'contacts.company').click()
  await page.keyboard.press('Enter')
  await page.keyboard.type('acme')
  const picker = page.getByTestId('link-picker')
  await expect(picker.getByRole('option')).toHaveCount(2)
  await expect(picker.getByRole('option', { name: /Berlin/ })).toContainText('Acme GmbH')
  await expect(picker.getByRole('option', { name: /Munich/ })).toContainText('Acme GmbH')
  const munichIndex = (await picker.getByRole('option').allTextContents()).findIndex((t) => t.includes('Munich'))
  for (let i = 0; i <= munichIndex; i++) await page.keyboard.press('ArrowDown')
  await expect(picker.getByRole('option', { name: /Munich/ })).toHaveAttribute('aria-selected', 'true')
  await page.screenshot({ path: testInfo.outputPath('link-picker.png') })
  await page.keyboard.press('Enter')
  await expect(page.locator('.kanso-editor')).toHaveCount(0)
  await expect(cell(page, ada, 'contacts.company')).toHaveText('Acme GmbH')

  // a teammate's device, open on the contacts while the company is deleted
  const teammate = await openAsAdmin(browser, '/contacts')
  await expect(cell(teammate, ada, 'contacts.company')).toHaveText('Acme GmbH')

  await goTo(page, 'Companies')
  // the Berlin one has no links: no question
  await page.locator(`.ag-row[row-id="${berlin}"] .ag-selection-checkbox input`).first().check()
  await page.getByRole('button', { name: 'Delete (1)' }).click()
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0)
  await expect(page.locator(`.ag-row[row-id="${berlin}"]`)).toHaveCount(0)

  await page.locator(`.ag-row[row-id="${munich}"] .ag-selection-checkbox input`).first().check()
  await page.getByRole('button', { name: 'Delete (1)' }).click()
  const dialog = page.getByTestId('confirm-dialog')
  await expect(dialog).toContainText('1 contact links to Acme GmbH. Delete anyway?')
  await page.screenshot({ path: testInfo.outputPath('delete-prompt.png') })
  await dialog.getByRole('button', { name: 'Delete anyway' }).click()
  await expect(page.locator(`.ag-row[row-id="${munich}"]`)).toHaveCount(0)

  await goTo(page, 'Contacts')
  await expect(cell(page, ada, 'contacts.company')).toHaveText('(deleted) Acme GmbH')

  // the teammate sees it live, after a reload (their device's documents), and so does a device
  // opening Kanso for the first time; both paint from snapshots that no longer hold the company
  await expect(cell(teammate, ada, 'contacts.company')).toHaveText('(deleted) Acme GmbH')
  await storedSnapshotLacks(teammate, 'companies', munich)
  await teammate.reload()
  await expect(cell(teammate, ada, 'contacts.company')).toHaveText('(deleted) Acme GmbH')
  await relaySnapshotLacks('companies', munich)
  const newcomer = await openAsAdmin(browser, '/contacts')
  await expect(cell(newcomer, ada, 'contacts.company')).toHaveText('(deleted) Acme GmbH')

  // undo of the delete brings the plain name back everywhere, live
  await goTo(page, 'Companies')
  await page.getByTitle('Undo your last change (Ctrl+Z)').click()
  await expect(page.locator(`.ag-row[row-id="${munich}"]`)).toHaveCount(1)
  await expect(cell(teammate, ada, 'contacts.company')).toHaveText('Acme GmbH')
  await expect(cell(newcomer, ada, 'contacts.company')).toHaveText('Acme GmbH')

  // deleted again, and this tab reloaded: its own device's documents still name it
  await page.locator(`.ag-row[row-id="${munich}"] .ag-selection-checkbox input`).first().check()
  await page.getByRole('button', { name: 'Delete (1)' }).click()
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Delete anyway' }).click()
  await expect(page.locator(`.ag-row[row-id="${munich}"]`)).toHaveCount(0)
  await expect(cell(teammate, ada, 'contacts.company')).toHaveText('(deleted) Acme GmbH')
  await goTo(page, 'Contacts')
  await storedSnapshotLacks(page, 'companies', munich)
  await page.reload()
  await expect(cell(page, ada, 'contacts.company')).toHaveText('(deleted) Acme GmbH')
  await expect(page.getByTestId('sync-status')).toHaveText('Everything is on the server')
  await page.screenshot({ path: testInfo.outputPath('deleted-link-after-reload.png') })
  await Promise.all([page, teammate, newcomer].map((p) => p.context().close()))
})
