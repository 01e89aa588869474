import { expect, test, type Browser, type Page } from '@playwright/test'
import { cell, gridCell } from './gridHelpers'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Issue 12, spreadsheet habits: pickers for every type, used with the keyboard only (select,
// multi-select, checkbox, a date through the calendar), and a select's options edited from the
// column's menu, seen in a second browser through the relay.

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

async function openAsAdmin(browser: Browser, path: string, token = relay.adminToken): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  page.on('pageerror', (err) => console.error(`[page error] ${err.stack}`))
  await page.goto(`${relay.url}${path}#token=${token}`)
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  return page
}

/** A new record with its first field typed; returns its row id. */
async function addRecord(page: Page, singular: string, name: string, colId: string): Promise<string> {
  const before = await page.locator('.kanso-grid .ag-row[row-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('row-id')))
  await page.getByRole('button', { name: `+ New ${singular}` }).click()
  await expect(page.locator('.kanso-editor')).toBeFocused()
  await page.keyboard.type(name)
  await page.keyboard.press('Enter')
  const row = page.locator('.kanso-grid .ag-row[row-id]', { has: page.locator(`.ag-cell[col-id="${colId}"] .kanso-cell-value`, { hasText: name }) })
  await expect.poll(async () => (await row.evaluateAll((rows) => rows.map((r) => r.getAttribute('row-id')))).filter((id) => !before.includes(id)).length).toBe(1)
  const ids = await row.evaluateAll((rows) => rows.map((r) => r.getAttribute('row-id')!))
  return ids.find((id) => !before.includes(id))!
}

/** Moves the keyboard focus to a column's cell: the row's first cell, then ArrowRight until the column (by id or header label). */
async function focusByKeyboard(page: Page, rowId: string, column: string, firstColId = 'deals.title'): Promise<string> {
  await gridCell(page, rowId, firstColId).click()
  for (let i = 0; i < 30; i++) {
    const focused = await page.evaluate(() => {
      const col = document.activeElement?.closest('.ag-cell')?.getAttribute('col-id') ?? null
      const label = col ? document.querySelector(`.ag-header-cell[col-id="${col}"] .kanso-header-label`)?.textContent ?? null : null
      return { col, label }
    })
    if (focused.col === column || focused.label === column) return focused.col!
    await page.keyboard.press('ArrowRight')
  }
  throw new Error(`no cell ${column} reached with ArrowRight`)
}

const pickerOptions = (page: Page) => page.getByTestId('option-picker').getByRole('option')

test('select, multi-select, checkbox and a date with the keyboard only', async ({ browser }, testInfo) => {
  const page = await openAsAdmin(browser, '/deals')
  const id = await addRecord(page, 'deal', 'Picker deal', 'deals.title')

  // select: Enter opens every option, typing filters and ranks, Enter picks
  await focusByKeyboard(page, id, 'deals.stage')
  await page.keyboard.press('Enter')
  await expect(pickerOptions(page)).toHaveText(['New', 'Qualified', 'Proposal', 'Negotiation', 'Contract', 'Won', 'Lost'])
  await page.keyboard.type('neg')
  await expect(pickerOptions(page)).toHaveText(['Negotiation'])
  await page.screenshot({ path: testInfo.outputPath('select-picker-1280x800.png') })
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('option-picker')).toHaveCount(0)
  await expect(cell(page, id, 'deals.stage')).toHaveText('Negotiation')
  // arrows from the current option
  await page.keyboard.press('Enter')
  await expect(pickerOptions(page).nth(3)).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await expect(cell(page, id, 'deals.stage')).toHaveText('Won')
  // typed text still goes through the parser: an unknown option is refused with the reason
  await page.keyboard.press('Enter')
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.type('Zzz')
  await expect(page.getByTestId('option-picker')).toContainText('No option matches “Zzz”')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('cell-error')).toContainText('"Zzz" is not one of the options')
  await page.keyboard.press('Escape')
  await expect(cell(page, id, 'deals.stage')).toHaveText('Won')

  // a multi-select field: Enter/Space toggle, the chosen ones show, Escape closes and keeps them
  await page.getByRole('button', { name: '+ Field' }).click()
  const dialog = page.getByRole('form', { name: 'Add a field' })
  await dialog.getByLabel('Name').fill('Tags')
  await dialog.getByLabel('Type').selectOption('multiSelect')
  await dialog.getByLabel(/Choices/).fill('Hot, Cold, VIP')
  await dialog.getByRole('button', { name: 'Add field' }).click()
  const tags = await focusByKeyboard(page, id, 'Tags')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('option-chosen')).toHaveText('None chosen')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Space')
  await page.keyboard.type('vi')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('option-chosen').locator('.kanso-chip')).toHaveText(['Hot', 'VIP'])
  await expect(pickerOptions(page).filter({ hasText: 'Hot' })).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('option-picker')).toHaveCount(0)
  await expect(cell(page, id, tags).locator('.kanso-chip')).toHaveText(['Hot', 'VIP'])
  // again: Backspace drops the last chosen one, Space on an option toggles it off
  await page.keyboard.press('Enter')
  await page.keyboard.press('Backspace')
  await page.keyboard.press('Escape')
  await expect(cell(page, id, tags).locator('.kanso-chip')).toHaveText(['Hot'])

  // a date through the calendar: typed text shows its month, arrows and PageUp/PageDown move, Enter picks
  await focusByKeyboard(page, id, 'deals.close_date')
  await page.keyboard.press('Enter')
  const calendar = page.getByTestId('calendar')
  await expect(calendar).toBeVisible()
  await page.keyboard.type('12/3/2026')
  await expect(calendar.locator('.kanso-calendar-title')).toHaveText('December 2026')
  await expect(calendar.locator('[aria-selected="true"]')).toHaveAttribute('data-date', '2026-12-03')
  await page.keyboard.press('ArrowDown') // into the calendar, on the 3rd
  await page.keyboard.press('ArrowDown') // a week later
  await page.keyboard.press('ArrowLeft')
  await expect(calendar.locator('.kanso-calendar-focus')).toHaveAttribute('data-date', '2026-12-09')
  await page.keyboard.press('PageDown')
  await expect(calendar.locator('.kanso-calendar-title')).toHaveText('January 2027')
  await page.keyboard.press('PageUp')
  await expect(calendar.locator('.kanso-calendar-focus')).toHaveAttribute('data-date', '2026-12-09')
  await page.screenshot({ path: testInfo.outputPath('calendar-1280x800.png') })
  await page.keyboard.press('Enter')
  await expect(calendar).toHaveCount(0)
  await expect(cell(page, id, 'deals.close_date')).toHaveText('12/9/2026')

  // a date-time through the calendar keeps its typed time
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Activities', exact: true }).click()
  await expect(page.locator('.kanso-title')).toHaveText('Activities')
  // a new activity starts in its pinned subject, the first column shown
  const activity = await addRecord(page, 'activity', 'Dates call', 'activities.subject')
  await focusByKeyboard(page, activity, 'activities.due', 'activities.subject')
  await page.keyboard.press('Enter')
  await page.keyboard.type('12/3/2026 15:00')
  await page.keyboard.press('PageDown')
  await page.keyboard.press('ArrowRight')
  await expect(calendar.locator('.kanso-calendar-focus')).toHaveAttribute('data-date', '2027-01-04')
  await page.keyboard.press('Enter')
  await expect(cell(page, activity, 'activities.due')).toContainText('1/4/2027')
  await expect(cell(page, activity, 'activities.due')).toContainText('3:00')

  // checkbox: Space on the focused cell flips it (no editor), and so does a click on its box
  await page.keyboard.press('ArrowRight')
  const box = gridCell(page, activity, 'activities.done').getByRole('checkbox')
  await expect(box).toHaveAttribute('aria-checked', 'false')
  await page.keyboard.press('Space')
  await expect(box).toHaveAttribute('aria-checked', 'true')
  await expect(page.locator('.kanso-editor')).toHaveCount(0)
  await page.keyboard.press('Space')
  await expect(box).toHaveAttribute('aria-checked', 'false')
  await box.click()
  await expect(box).toHaveAttribute('aria-checked', 'true')
  // and Ctrl+Z takes the click back
  await page.keyboard.press('ControlOrMeta+Z')
  await expect(box).toHaveAttribute('aria-checked', 'false')
  await page.context().close()
})

test('options added, renamed, coloured and reordered from the column menu; renamed values show in both browsers', async ({ browser }, testInfo) => {
  // an activity's type: a plain select whose options live on the field (a deal's stage takes its
  // options from Settings → Pipelines, so its menu has no 'Edit options…')
  const a = await openAsAdmin(browser, '/activities')
  // the second browser is an editor's: editors edit options too
  const b = await openAsAdmin(browser, '/activities', await relay.addMember('Edda Editor', 'editor'))
  const id = await addRecord(a, 'activity', 'Menu call', 'activities.subject')
  await focusByKeyboard(a, id, 'activities.type', 'activities.subject')
  await a.keyboard.press('Enter')
  await a.keyboard.type('meeting')
  await a.keyboard.press('Enter')
  await expect(cell(a, id, 'activities.type')).toHaveText('meeting')
  await expect(cell(b, id, 'activities.type')).toHaveText('meeting')

  await a.locator('.ag-header-cell[col-id="activities.type"]').hover()
  await a.getByRole('button', { name: 'Field menu for Type' }).click()
  await a.getByRole('menuitem', { name: 'Edit options…' }).click()
  const dialog = a.getByRole('dialog', { name: 'Options of Type' })
  await expect(dialog.getByLabel('New option')).toBeFocused()
  await a.keyboard.type('On hold')
  await a.keyboard.press('Enter')
  await expect(dialog.getByLabel('Name of option On hold')).toBeVisible()
  await dialog.getByLabel('Colour of meeting').selectOption('green')
  await dialog.getByRole('button', { name: 'Move On hold up' }).click()
  // a twin of an option is refused with the reason
  await dialog.getByLabel('New option').fill('EMAIL')
  await dialog.getByLabel('New option').press('Enter')
  await expect(dialog.getByRole('alert')).toHaveText('There is already an option “email”')
  const name = dialog.getByLabel('Name of option meeting')
  await name.fill('Visit')
  await name.press('Enter')
  await expect(dialog.getByLabel('Name of option Visit')).toBeVisible()
  await a.screenshot({ path: testInfo.outputPath('options-dialog-1280x800.png') })
  await expect(dialog.locator('.kanso-options-row input')).toHaveCount(6)
  await dialog.getByRole('button', { name: 'Done' }).click()

  const toast = a.getByRole('status').filter({ hasText: 'Renamed' })
  await expect(toast).toContainText('Renamed “meeting” to “Visit” in 1 activity')
  for (const page of [a, b]) {
    await expect(cell(page, id, 'activities.type')).toHaveText('Visit')
    await expect(cell(page, id, 'activities.type').locator('.kanso-chip')).toHaveClass(/kanso-chip-green/)
  }
  // the toast's Undo renames back (within its 8 s): the list, the colour and the records, in both browsers
  await toast.getByRole('button', { name: 'Undo' }).click()
  for (const page of [a, b]) {
    await expect(cell(page, id, 'activities.type')).toHaveText('meeting')
    await expect(cell(page, id, 'activities.type').locator('.kanso-chip')).toHaveClass(/kanso-chip-green/)
  }
  // the second browser picks from the new order; the name renamed away is refused when typed
  await focusByKeyboard(b, id, 'activities.type', 'activities.subject')
  await b.keyboard.press('Enter')
  await expect(pickerOptions(b)).toHaveText(['call', 'meeting', 'task', 'note', 'On hold', 'email'])
  await b.keyboard.press('Escape')
  await b.keyboard.press('Enter')
  await b.keyboard.press('ControlOrMeta+A')
  await b.keyboard.type('Visit')
  await b.keyboard.press('Enter')
  await expect(b.getByTestId('cell-error')).toContainText('"Visit" is not one of the options')
  await b.keyboard.press('Escape')

  // the editor colours an option; the admin sees it
  await b.locator('.ag-header-cell[col-id="activities.type"]').hover()
  await b.getByRole('button', { name: 'Field menu for Type' }).click()
  await b.getByRole('menuitem', { name: 'Edit options…' }).click()
  await b.getByRole('dialog', { name: 'Options of Type' }).getByLabel('Colour of meeting').selectOption('purple')
  await b.getByRole('dialog', { name: 'Options of Type' }).getByRole('button', { name: 'Done' }).click()
  await expect(cell(a, id, 'activities.type').locator('.kanso-chip')).toHaveClass(/kanso-chip-purple/)

  // a viewer's menu has no option editing
  const viewer = await openAsAdmin(browser, '/activities', await relay.addMember('Vic Viewer', 'viewer'))
  await expect(cell(viewer, id, 'activities.type').locator('.kanso-chip')).toHaveClass(/kanso-chip-purple/)
  await viewer.locator('.ag-header-cell[col-id="activities.type"]').hover()
  await viewer.getByRole('button', { name: 'Field menu for Type' }).click()
  await expect(viewer.getByRole('menuitem', { name: 'Hide column' })).toBeVisible()
  await expect(viewer.getByRole('menuitem', { name: 'Edit options…' })).toHaveCount(0)
  await a.context().close()
  await b.context().close()
  await viewer.context().close()
})
