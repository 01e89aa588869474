import { expect, test, type Page } from '@playwright/test'
import { cell, gridCell } from './gridHelpers'
import { openSignedIn } from './openSignedIn'
import { postRecord } from './postRecord'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// A stored open holds the linked lists and the schema document back until the member's clicks
// and keys pause (250 ms, 2 s at most). Edits made before then need them: a company typed into a
// contact, a field renamed. Each test keeps the member "acting" (a Pause key press every 50 ms from
// the reload on) so its edit is made while they are still held back. Not Shift: held down at a
// click, it made the click a Shift+click (a range, the keyboard left where it was).

let relay: RelayProcess
test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

/** Presses Pause every 50 ms (no effect on the grid, an editor or a click) until the returned stop is called. */
function keepActing(page: Page): () => Promise<void> {
  let on = true
  const loop = (async () => {
    while (on) {
      await page.keyboard.press('Pause').catch(() => {})
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  })()
  return async () => { on = false; await loop }
}

function header(page: Page, label: string) {
  return page.locator('.kanso-grid .ag-header-cell', { has: page.locator('.kanso-header-label', { hasText: new RegExp(`^${label}$`) }) })
}

test('a company typed right after a stored open is linked, not refused; an unknown one is refused as ever', async ({ browser }) => {
  const acme = await postRecord(relay, 'companies', { name: 'Acme GmbH' })
  const ada = await postRecord(relay, 'contacts', { first_name: 'Ada', last_name: 'Lovelace' })
  const grace = await postRecord(relay, 'contacts', { first_name: 'Grace', last_name: 'Hopper' })
  const page = await openSignedIn(relay, browser, relay.adminToken, '/contacts')
  await expect(cell(page, ada, 'contacts.last_name')).toHaveText('Lovelace')

  await page.reload()
  const stop = keepActing(page)
  await gridCell(page, ada, 'contacts.company').click()
  await page.keyboard.press('Enter')
  await page.keyboard.type('Acme GmbH')
  await page.keyboard.press('Enter')
  await gridCell(page, grace, 'contacts.company').click()
  await page.keyboard.press('Enter')
  await page.keyboard.type('Initech')
  await page.keyboard.press('Enter')
  await stop()

  await expect(cell(page, ada, 'contacts.company')).toHaveText('Acme GmbH')
  await expect(page.getByTestId('cell-error')).toContainText('no Companies record named "Initech"')
  await expect(cell(page, grace, 'contacts.company')).toHaveText('⚠ Initech') // kept, marked, to fix
  const companyOf = async (id: string) => {
    const res = await fetch(`${relay.url}/api/v1/contacts/${id}`, { headers: { authorization: `Bearer ${relay.adminToken}` } })
    return ((await res.json()) as { company?: unknown }).company ?? null
  }
  await expect.poll(() => companyOf(ada)).toBe(acme)
  expect(await companyOf(grace)).toBeNull()
})

test('a field renamed right after a stored open is renamed, for everyone', async ({ browser }) => {
  const page = await openSignedIn(relay, browser, relay.adminToken, '/contacts')
  await expect(header(page, 'Position')).toBeVisible()

  await page.reload()
  const stop = keepActing(page)
  await header(page, 'Position').hover()
  await header(page, 'Position').locator('.kanso-header-menu').click()
  await page.getByRole('menuitem', { name: 'Rename field…' }).click()
  const rename = page.getByRole('form', { name: 'Rename field' })
  await rename.getByLabel('Name').fill('Job title')
  await rename.getByRole('button', { name: 'Rename' }).click()
  await stop()

  await expect(rename).toHaveCount(0)
  await expect(header(page, 'Job title')).toBeVisible()
  const teammate = await openSignedIn(relay, browser, await relay.addMember('Tess', 'editor'), '/contacts')
  await expect(header(teammate, 'Job title')).toBeVisible()
})
