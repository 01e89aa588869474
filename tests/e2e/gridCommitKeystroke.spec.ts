import { expect, test, type Browser, type Page } from '@playwright/test'
import { addContact, cell, gridCell, rowIdOf, typeInto } from './gridHelpers'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// The Enter that ends an edit (bench B5): the cell shows what was entered — the stored value or
// the refused text — within that keystroke's own task, not a task (and a frame of the old value)
// later; and it is still stored, synced and undoable as before. The Escape that drops an edit
// acts in its own task too (AG Grid's waits for a timer).

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

const col = { first: 'contacts.first_name', last: 'contacts.last_name', position: 'contacts.position', email: 'contacts.email' }

async function openContacts(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' })
  const page = await context.newPage()
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`))
  await page.goto(`${relay.url}/contacts#token=${relay.adminToken}`)
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  return page
}

/**
 * Notes, for the next Enter that closes an editor, what the edited cell shows once that
 * keystroke's task is over: a listener on window (bubbling, after the grid's own) reads it, and
 * so does the first task after it — the old readOnlyEdit path put the entry into the grid only
 * in a timer task of AG Grid's, after this one.
 */
async function watchNextCommit(page: Page, rowId: string, colId: string): Promise<void> {
  await page.evaluate(([rowId, colId]) => {
    const w = window as unknown as { kansoCommit?: { inTask: string | null; nextTask: string | null }; kansoCommitChannel?: MessageChannel }
    const read = () => document.querySelector(`.kanso-grid .ag-row[row-id="${rowId}"] .ag-cell[col-id="${colId}"]`)?.textContent?.trim() ?? null
    const seen: { inTask: string | null; nextTask: string | null } = { inTask: null, nextTask: null }
    w.kansoCommit = seen
    window.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || !(document.activeElement as HTMLElement | null)?.classList.contains('kanso-editor')) return
      // posted before the grid's handlers run: the first task after this keystroke's
      // (kept referenced until its message comes)
      const channel = w.kansoCommitChannel = new MessageChannel()
      channel.port1.onmessage = () => { seen.nextTask = read() }
      channel.port2.postMessage(null)
      window.addEventListener('keydown', () => { seen.inTask = read() }, { once: true })
    }, { capture: true, once: true })
  }, [rowId, colId])
}

const commitSeen = (page: Page) => page.evaluate(() => (window as unknown as { kansoCommit: { inTask: string | null; nextTask: string | null } }).kansoCommit)

test('Enter shows the entry in the cell within its own task: the stored value, or the refused text; still undoable and stored', async ({ browser }) => {
  const page = await openContacts(browser)
  const id = await addContact(page, 'Ada', 'Quickcommit')

  // an accepted entry
  await gridCell(page, id, col.position).click()
  await page.keyboard.press('Enter')
  await expect(page.locator('.kanso-editor')).toBeFocused()
  await page.keyboard.type('Head of Sales')
  await watchNextCommit(page, id, col.position)
  await page.keyboard.press('Enter')
  await expect(cell(page, id, col.position)).toHaveText('Head of Sales')
  await expect.poll(() => commitSeen(page)).toEqual({ inTask: 'Head of Sales', nextTask: 'Head of Sales' })

  // a refused entry: the refused text and its mark, in the same task
  await gridCell(page, id, col.email).click()
  await page.keyboard.press('Enter')
  await expect(page.locator('.kanso-editor')).toBeFocused()
  await page.keyboard.type('not an email')
  await watchNextCommit(page, id, col.email)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('cell-error')).toContainText('Email')
  await expect.poll(() => commitSeen(page)).toEqual({ inTask: expect.stringContaining('not an email'), nextTask: expect.stringContaining('not an email') })
  await expect(gridCell(page, id, col.email)).toHaveClass(/kanso-cell-has-error/)
  await page.keyboard.press('Escape')
  await expect(cell(page, id, col.email)).toHaveText('')

  // one undo step takes the accepted entry back; the stored value survives a reload
  await gridCell(page, id, col.first).click()
  await page.keyboard.press('ControlOrMeta+z')
  await expect(cell(page, id, col.position)).toHaveText('')
  await page.keyboard.press('ControlOrMeta+y')
  await expect(cell(page, id, col.position)).toHaveText('Head of Sales')
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  await page.reload()
  await expect(cell(page, id, col.position)).toHaveText('Head of Sales')
  await page.close()
})

test('no caret is left in the grid once an edit ends (it made every later focus change in the grid slower)', async ({ browser }) => {
  const page = await openContacts(browser)
  const id = await addContact(page, 'Grace', 'Nocaret')
  const selectionType = () => page.evaluate(() => document.getSelection()?.type ?? 'None')
  for (const end of ['Enter', 'Tab', 'Escape']) {
    await gridCell(page, id, col.position).click()
    await page.keyboard.press('Enter')
    await expect(page.locator('.kanso-editor')).toBeFocused()
    await page.keyboard.type(`VP ${end}`)
    await page.keyboard.press(end)
    if (end === 'Tab') await page.keyboard.press('Escape')
    await expect(page.locator('.kanso-editor')).toHaveCount(0)
    expect(await selectionType(), `after ${end}`).toBe('None')
  }
  await expect(cell(page, id, col.position)).toHaveText('VP Tab')
  await page.close()
})

test('letters and Enter typed right after "+ New", before its row is drawn, fill the new row\'s first cell (they went to the button and were lost)', async ({ browser }) => {
  const page = await openContacts(browser)
  // a fast typist: the click and the keys in one task, so the grid cannot have drawn the new row
  // (nor opened its editor) in between, however quick the machine
  await page.getByRole('button', { name: '+ New contact' }).evaluate((button: HTMLElement) => {
    button.focus()
    button.click()
    for (const key of ['Z', 'o', 'ë', 'Enter']) document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }))
  })
  const id = await rowIdOf(page, col.first, 'Zoë')
  await expect(page.locator('.kanso-editor')).toHaveCount(0)
  await expect(cell(page, id, col.first)).toHaveText('Zoë')
  await page.close()
})

test('Escape then Enter in one task drop the text typed and open the editor again on the same cell (the Enter saved it and moved down)', async ({ browser }) => {
  const page = await openContacts(browser)
  const a = await addContact(page, 'Ida', 'Escapefirst')
  const b = await addContact(page, 'Jon', 'Escapesecond')
  await typeInto(page, a, col.position, 'CTO')
  await gridCell(page, a, col.position).click()
  await page.keyboard.press('Enter')
  await expect(page.locator('.kanso-editor')).toBeFocused()
  await page.keyboard.type('Typed then dropped')
  // a fast member on a busy page: both keys handled before any timer of the grid's runs
  await page.evaluate(() => {
    for (const key of ['Escape', 'Enter']) document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key, code: key, bubbles: true, cancelable: true }))
  })
  const editor = gridCell(page, a, col.position).locator('.kanso-editor')
  await expect(editor).toBeFocused()
  await expect(editor).toHaveValue('CTO')
  await page.keyboard.type('CFO')
  await page.keyboard.press('Enter')
  await expect(cell(page, a, col.position)).toHaveText('CFO')
  await expect(cell(page, b, col.position)).toHaveText('')
  await page.close()
})
