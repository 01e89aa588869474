import { expect, test, type Page } from '@playwright/test'
import { cell, gridCell, typeInto } from './gridHelpers'
import { openSignedIn, LAPTOP, TABLET } from './openSignedIn'
import { postRecord } from './postRecord'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Issue 15: the history of every cell in the record panel and same-cell conflicts, two browsers
// on one real relay — a teammate's edit shows in the open panel with its entry, a past value is
// restored from the timeline, and a cell both members set while offline shows the conflict mark
// until one of them dismisses it.

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

const panel = (page: Page) => page.getByTestId('record-panel')
const history = (page: Page) => panel(page).getByTestId('record-history')
const panelValue = (page: Page, fieldId: string) => panel(page).locator(`[data-field-id="${fieldId}"] .kanso-panel-value`)

test('a teammate’s edit shows in the open panel and its history; a past value restored; the timeline at 1280×800 and 820×1180', async ({ browser }, testInfo) => {
  const acme = await postRecord(relay, 'companies', { name: 'Acme GmbH', industry: 'Retail', phone: '+49301234567' })
  const alice = await openSignedIn(relay, browser, await relay.addMember('Alice', 'editor'), `/companies/${acme}`)
  const bob = await openSignedIn(relay, browser, await relay.addMember('Bob', 'editor'), '/companies')
  await expect(panel(alice).getByRole('heading', { name: 'Acme GmbH' })).toBeVisible()
  // created through the API: said so
  await expect(history(alice).getByTestId('history-group').last()).toContainText('via API')
  await expect(history(alice).locator('[data-kind="created"]')).toHaveCount(1)

  // Bob edits the industry in the grid while Alice has the panel open
  await typeInto(bob, acme, 'companies.industry', 'Services')
  await expect(panelValue(alice, 'companies.industry')).toHaveText('Services')
  // (the first entry of it: the value it was created with)
  const industry = history(alice).locator('[data-kind="set"][data-field="industry"]')
  await expect(industry).toHaveCount(2)
  await expect(industry.first()).toContainText('Retail → Services')
  await expect(industry.last()).toContainText('(empty) → Retail')
  await expect(history(alice).getByTestId('history-group').first()).toContainText('Bob')

  // Alice edits the phone herself: her entry on top, formatted as the grid shows it
  await panelValue(alice, 'companies.phone').click()
  await alice.keyboard.press('ControlOrMeta+A')
  await alice.keyboard.type('+49 30 7654321')
  await alice.keyboard.press('Enter')
  const phone = history(alice).locator('[data-kind="set"][data-field="phone"]')
  await expect(phone).toHaveCount(2)
  await expect(history(alice).getByTestId('history-group').first()).toContainText('Alice')
  await expect(phone.first()).toContainText(`→ ${await cell(alice, acme, 'companies.phone').innerText()}`)

  // Restore on Bob's change sets Retail again, as a new edit that reaches Bob and joins the history
  await industry.first().getByRole('button', { name: 'Restore' }).click()
  await expect(panelValue(alice, 'companies.industry')).toHaveText('Retail')
  await expect(cell(bob, acme, 'companies.industry')).toHaveText('Retail')
  await expect(industry).toHaveCount(3)
  await expect(industry.first()).toContainText('Services → Retail')
  // …and it is undoable like any edit
  await panel(alice).getByRole('button', { name: 'Undo' }).click()
  await expect(panelValue(alice, 'companies.industry')).toHaveText('Services')
  await expect(cell(bob, acme, 'companies.industry')).toHaveText('Services')

  const tablet = await openSignedIn(relay, browser, await relay.addMember('Tara', 'editor'), `/companies/${acme}`, TABLET)
  await expect(history(alice).locator('[data-kind="set"][data-field="industry"]')).toHaveCount(4)
  await alice.screenshot({ path: testInfo.outputPath('record-history-1280x800.png') })
  // offline: the history last read stays, and says so
  await alice.context().setOffline(true)
  await expect(history(alice).getByRole('status')).toContainText('Offline: the history as read')
  await expect(industry).toHaveCount(4)
  await alice.screenshot({ path: testInfo.outputPath('record-history-offline-1280x800.png') })
  await alice.context().setOffline(false)
  await expect(history(alice).getByRole('status')).toHaveCount(0)
  await expect(history(tablet).locator('[data-kind="set"][data-field="industry"]')).toHaveCount(4)
  await history(tablet).scrollIntoViewIfNeeded()
  await tablet.screenshot({ path: testInfo.outputPath('record-history-820x1180.png') })
})

test('a record with 60 changes: the newest drawn at once, more as the timeline scrolls, Show older past 40; the grid beside it narrows without restyling its cells', async ({ browser }) => {
  const falk = await postRecord(relay, 'companies', { name: 'Falk AG' })
  const bob = await relay.addMember('Bobby', 'editor')
  // two members in turn: one group per change
  for (let i = 1; i <= 60; i++) {
    const res = await fetch(`${relay.url}/api/v1/companies/${falk}`, {
      method: 'PATCH', headers: { authorization: `Bearer ${i % 2 ? bob : relay.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ phone: `+4930${1000000 + i}` }),
    })
    expect(res.status).toBe(200)
  }
  const page = await openSignedIn(relay, browser, await relay.addMember('Greta', 'editor'), `/companies/${falk}`)
  const groups = history(page).getByTestId('history-group')
  await expect(history(page).locator('.kanso-related-count')).toHaveText('62')
  await expect(groups.first()).toContainText('+49 30 1000059 → +49 30 1000060')
  const drawnAtOnce = await groups.count()
  expect(drawnAtOnce).toBeGreaterThan(0)
  expect(drawnAtOnce).toBeLessThan(40)
  const older = history(page).getByRole('button', { name: 'Show older entries' })
  await expect(older).toHaveCount(0)
  // scrolled toward the end, the rest of the first 40 are drawn; then Show older
  const body = panel(page).locator('.kanso-panel-body')
  await expect(async () => {
    await body.evaluate((el) => { el.scrollTop = el.scrollHeight })
    await expect(older).toBeVisible({ timeout: 500 })
  }).toPass()
  await expect(groups).toHaveCount(40)
  await older.click()
  await expect(groups).toHaveCount(61)
  await expect(groups.last()).toContainText('via API')
  await expect(history(page).locator('[data-kind="created"]')).toHaveCount(1)
  // AG Grid writes its width into a property of the element holding every row when the panel
  // narrows it: registered as not inherited, the cells are not restyled for it
  const widths = await page.evaluate(() => {
    const viewport = document.querySelector('.kanso-grid .ag-grid-viewport')!
    const cell = viewport.querySelector('.ag-cell')!
    return [getComputedStyle(viewport).getPropertyValue('--ag-internal-grid-viewport-width'), getComputedStyle(cell).getPropertyValue('--ag-internal-grid-viewport-width')]
  })
  expect(widths[0]).toMatch(/^\d+(\.\d+)?px$/)
  expect(widths[1]).toBe('')
})

test('a cell both members set while offline shows the conflict mark on both; Dismiss clears it everywhere', async ({ browser }, testInfo) => {
  const ada = await postRecord(relay, 'contacts', { first_name: 'Ada', last_name: 'Lovelace', position: 'Analyst' })
  const ctxA = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: LAPTOP })
  const ctxB = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: LAPTOP })
  const a = await openSignedIn(relay, ctxA, await relay.addMember('Anna', 'editor'), '/contacts')
  const b = await openSignedIn(relay, ctxB, await relay.addMember('Ben', 'editor'), '/contacts')
  await expect(cell(a, ada, 'contacts.position')).toHaveText('Analyst')
  await expect(cell(b, ada, 'contacts.position')).toHaveText('Analyst')

  await ctxA.setOffline(true)
  await ctxB.setOffline(true)
  await expect(a.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline')
  await expect(b.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline')
  await typeInto(a, ada, 'contacts.position', 'Engineer (Anna)')
  await typeInto(b, ada, 'contacts.position', 'Mathematician (Ben)')
  await ctxA.setOffline(false)
  await expect(a.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  await ctxB.setOffline(false)
  await expect(b.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')

  // both show the value that won, with the mark naming the one that lost
  await expect.poll(async () => (await cell(a, ada, 'contacts.position').innerText()) === (await cell(b, ada, 'contacts.position').innerText())).toBe(true)
  const kept = await cell(a, ada, 'contacts.position').innerText()
  const lost = kept === 'Engineer (Anna)' ? { value: 'Mathematician (Ben)', by: 'Ben' } : { value: 'Engineer (Anna)', by: 'Anna' }
  for (const page of [a, b]) {
    const mark = gridCell(page, ada, 'contacts.position').getByTestId('conflict-mark')
    await expect(mark).toBeVisible()
    await expect(mark).toHaveAttribute('title', new RegExp(`^Also set to ${lost.value.replace(/[()]/g, '\\$&')} by ${lost.by} at `))
  }
  // the panel says it too, and the history keeps the value that lost
  await gridCell(a, ada, 'contacts.first_name').click()
  await a.keyboard.press('Space')
  await expect(panel(a).getByTestId('panel-conflict')).toContainText(`Also set to ${lost.value} by ${lost.by}`)
  await expect(history(a).locator('[data-kind="conflict"][data-field="position"]')).toContainText(lost.value)
  await a.screenshot({ path: testInfo.outputPath('record-conflict-1280x800.png') })
  await a.keyboard.press('Escape')

  // Ben dismisses it from the grid: gone on both, the value kept
  await gridCell(b, ada, 'contacts.position').getByTestId('conflict-mark').click()
  await b.getByTestId('conflict-menu').getByRole('menuitem', { name: 'Dismiss' }).click()
  await expect(gridCell(b, ada, 'contacts.position').getByTestId('conflict-mark')).toHaveCount(0)
  await expect(gridCell(a, ada, 'contacts.position').getByTestId('conflict-mark')).toHaveCount(0)
  await expect(cell(a, ada, 'contacts.position')).toHaveText(kept)
  await expect(cell(b, ada, 'contacts.position')).toHaveText(kept)
})
