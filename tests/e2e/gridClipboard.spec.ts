import { expect, test, type Browser, type Page } from '@playwright/test'
import { cell, gridCell } from './gridHelpers'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Issue 12, spreadsheet habits: a range selected with Shift+arrows, Shift+click and a drag;
// copy and paste between lists and from Excel; refusals marked per cell; rows added below;
// one undo step per paste; fill down; Delete over a range; a teammate sees the paste.

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

async function open(browser: Browser, path: string, token = relay.adminToken): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1280, height: 800 } })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: relay.url })
  const page = await context.newPage()
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`))
  await page.goto(`${relay.url}${path}#token=${token}`)
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  await expect(page.locator('.kanso-grid .ag-root')).toBeVisible()
  return page
}

/** Pastes as the browser does for Ctrl/Cmd+V: a `paste` event with the clipboard's data at the focused element. */
async function paste(page: Page, text: string, html?: string) {
  await page.evaluate(([t, h]) => {
    const data = new DataTransfer()
    data.setData('text/plain', t!)
    if (h) data.setData('text/html', h)
    ;(document.activeElement ?? document.body).dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, [text, html])
}

/** Copies as the browser does for Ctrl/Cmd+C; returns what the grid put on the clipboard. */
async function copy(page: Page): Promise<{ text: string; html: string }> {
  return page.evaluate(() => {
    const data = new DataTransfer()
    ;(document.activeElement ?? document.body).dispatchEvent(new ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }))
    return { text: data.getData('text/plain'), html: data.getData('text/html') }
  })
}

async function addRecord(page: Page, singular: string, first: string): Promise<string> {
  await page.getByRole('button', { name: `+ New ${singular}` }).click()
  await expect(page.locator('.kanso-editor')).toBeFocused()
  await page.keyboard.type(first)
  await page.keyboard.press('Enter')
  const row = page.locator('.kanso-grid .ag-row', { has: page.locator('.kanso-cell-value', { hasText: first }) }).first()
  await expect(row).toBeVisible()
  return (await row.getAttribute('row-id'))!
}

/** The ids of the `n` rows shown right below `rowId` (the rows a paste added or filled). */
async function rowsBelow(page: Page, rowId: string, n: number): Promise<string[]> {
  const ids = await rowIds(page)
  const at = ids.indexOf(rowId)
  expect(at).toBeGreaterThanOrEqual(0)
  return ids.slice(at + 1, at + 1 + n)
}

/** Row ids in the order shown (a row has an element in the pinned and in the scrolled part). */
async function rowIds(page: Page): Promise<string[]> {
  const ids = await page.locator('.kanso-grid .ag-row[row-id]').evaluateAll((els) => els.map((e) => [Number(e.getAttribute('row-index')), e.getAttribute('row-id')!] as const))
  return [...new Map(ids.sort((a, b) => a[0] - b[0]).map(([i, id]) => [i, id])).values()]
}

const co = { name: 'companies.name', phone: 'companies.phone', email: 'companies.email', website: 'companies.website', address: 'companies.address', industry: 'companies.industry' }

test('a block as Excel writes it (quoted cells with line breaks) pastes into Companies, adds rows, copies back, undoes in one step', async ({ browser }, testInfo) => {
  const page = await open(browser, '/companies')
  const acme = await addRecord(page, 'company', 'Acme')
  await gridCell(page, acme, co.website).click()
  // what Excel puts on the clipboard for 3 rows × 3 columns: CRLF rows, a trailing CRLF, quoted multi-line cells
  await paste(page, 'acme.example\t"Main St 1\r\n10115 Berlin"\tRetail\r\nglobex.example\t"Elm St 2\r\nSpringfield ""West"""\tTechnology\r\ninitech.example\t\tFinance\r\n')
  await expect(page.locator('.kanso-count')).toHaveText('3 companies')
  const [globex, initech] = await rowsBelow(page, acme, 2)
  await expect(cell(page, acme, co.website)).toHaveText('https://acme.example')
  await expect(cell(page, acme, co.industry)).toHaveText('Retail')
  await expect(cell(page, globex!, co.website)).toHaveText('https://globex.example')
  await expect(cell(page, initech!, co.industry)).toHaveText('Finance')
  await expect(page.getByTestId('cell-error')).toHaveCount(0)

  // the range website..industry of the three rows, by Shift+arrows, copies back as it came in
  await gridCell(page, acme, co.website).click()
  await page.keyboard.press('Shift+ArrowDown')
  await page.keyboard.press('Shift+ArrowDown')
  await page.keyboard.press('Shift+ArrowRight')
  await page.keyboard.press('Shift+ArrowRight')
  await expect(page.locator('.kanso-grid .ag-cell.kanso-cell-in-range')).toHaveCount(9)
  await page.screenshot({ path: testInfo.outputPath('range-selected.png') })
  const copied = await copy(page)
  expect(copied.text).toBe('https://acme.example\t"Main St 1\n10115 Berlin"\tRetail\r\nhttps://globex.example\t"Elm St 2\nSpringfield ""West"""\tTechnology\r\nhttps://initech.example\t\tFinance')
  expect(copied.html).toContain('<td>Main St 1<br style="mso-data-placement:same-cell;">10115 Berlin</td>')

  // the whole paste — three cells of Acme and two new rows — is one undo step
  await page.keyboard.press('Escape')
  await gridCell(page, acme, co.name).click()
  await page.keyboard.press('ControlOrMeta+Z')
  await expect(page.locator('.kanso-count')).toHaveText('1 company')
  await expect(cell(page, acme, co.website)).toHaveText('')
  await expect(cell(page, acme, co.industry)).toHaveText('')
  await expect(cell(page, acme, co.name)).toHaveText('Acme')
  await page.keyboard.press('ControlOrMeta+Y')
  await expect(page.locator('.kanso-count')).toHaveText('3 companies')
  await expect(cell(page, acme, co.industry)).toHaveText('Retail')
})

test('copy a range in Contacts with the keyboard and paste it into Leads; a teammate sees the pasted values', async ({ browser }) => {
  const page = await open(browser, '/contacts')
  const ada = await addRecord(page, 'contact', 'Ada')
  const grace = await addRecord(page, 'contact', 'Grace')
  await paste(page, '')
  for (const [id, email, phone] of [[ada, 'ada@example.com', '+44 20 7946 0958'], [grace, 'grace@navy.example', '+1 202 555 0143']] as const) {
    await gridCell(page, id, 'contacts.email').click()
    await paste(page, `${email}\t${phone}`)
    await expect(cell(page, id, 'contacts.email')).toHaveText(email)
  }
  // a drag from Ada's email to Grace's phone, then Ctrl+C through the real clipboard (phones as
  // their editor shows them, which any spreadsheet keeps as text)
  await gridCell(page, ada, 'contacts.email').hover()
  await page.mouse.down()
  await gridCell(page, grace, 'contacts.phone').hover()
  await page.mouse.up()
  await expect(page.locator('.kanso-grid .ag-cell.kanso-cell-in-range')).toHaveCount(4)
  await page.keyboard.press('ControlOrMeta+C')
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('ada@example.com\t+44 20 7946 0958\r\ngrace@navy.example\t+1 202 555 0143')

  const leads = await open(browser, '/leads')
  const teammate = await open(browser, '/leads', await relay.addMember('Bob', 'editor'))
  const lead = await addRecord(leads, 'lead', 'Conference list')
  await gridCell(leads, lead, 'leads.email').click()
  await leads.evaluate((text) => navigator.clipboard.writeText(text), await page.evaluate(() => navigator.clipboard.readText()))
  await leads.keyboard.press('ControlOrMeta+V')
  await expect(leads.locator('.kanso-count')).toHaveText('2 leads')
  const [second] = await rowsBelow(leads, lead, 1)
  await expect(cell(leads, lead, 'leads.email')).toHaveText('ada@example.com')
  await expect(cell(leads, lead, 'leads.phone')).toHaveText('+44 20 7946 0958')
  await expect(cell(leads, second!, 'leads.email')).toHaveText('grace@navy.example')
  await expect(cell(teammate, second!, 'leads.phone')).toHaveText(/^\+1 202.555.0143$/)
  await expect(cell(teammate, lead, 'leads.email')).toHaveText('ada@example.com')
})

const deal = { title: 'deals.title', amount: 'deals.amount', currency: 'deals.currency', close: 'deals.close_date', probability: 'deals.probability' }

test('a paste with refusals marks those cells with the reason and stores the rest', async ({ browser }, testInfo) => {
  const page = await open(browser, '/deals')
  const first = await addRecord(page, 'deal', 'Big one')
  await gridCell(page, first, deal.amount).click()
  await paste(page, '1200\tEUR\t2026-12-03\t50\n900\tUSD\tsoon\t150\n')
  await expect(page.locator('.kanso-count')).toHaveText('2 deals')
  const [second] = await rowsBelow(page, first, 1)
  await expect(cell(page, first, deal.close)).toHaveText('12/3/2026')
  await expect(cell(page, first, deal.probability)).toHaveText('50')
  await expect(cell(page, second!, deal.currency)).toHaveText('USD')
  await expect(gridCell(page, second!, deal.close)).toHaveClass(/kanso-cell-has-error/)
  await expect(cell(page, second!, deal.close)).toHaveText('⚠ soon')
  await expect(gridCell(page, second!, deal.close).locator('.kanso-cell')).toHaveAttribute('title', /Close date/)
  await expect(cell(page, second!, deal.probability)).toHaveText('⚠ 150')
  await expect(page.getByTestId('cell-error')).toContainText('2 pasted cells were refused')
  await page.screenshot({ path: testInfo.outputPath('paste-refusals.png') })

  // a paste that fixes a refused cell clears its mark
  await gridCell(page, second!, deal.close).click()
  await paste(page, '2026-12-24')
  await expect(cell(page, second!, deal.close)).toHaveText('12/24/2026')
  await expect(gridCell(page, second!, deal.close)).not.toHaveClass(/kanso-cell-has-error/)
})

test('fill down copies the first row into the range; Delete clears a range; each is one undo step', async ({ browser }) => {
  const page = await open(browser, '/deals')
  const a = await addRecord(page, 'deal', 'Alpha')
  await gridCell(page, a, deal.amount).click()
  await paste(page, '100\tEUR\n200\tUSD\n300\tGBP\n')
  await expect(page.locator('.kanso-count')).toHaveText('5 deals')
  const [b, c] = await rowsBelow(page, a, 2)
  // Shift+click selects amount..currency of all three rows; Ctrl+D fills down from the first
  await gridCell(page, a, deal.amount).click()
  await gridCell(page, c!, deal.currency).click({ modifiers: ['Shift'] })
  await expect(page.locator('.kanso-grid .ag-cell.kanso-cell-in-range')).toHaveCount(6)
  await page.keyboard.press('ControlOrMeta+D')
  await expect(cell(page, c!, deal.currency)).toHaveText('EUR')
  await expect(cell(page, b!, deal.amount)).toHaveText(await cell(page, a, deal.amount).innerText())
  await page.keyboard.press('ControlOrMeta+Z')
  await expect(cell(page, c!, deal.currency)).toHaveText('GBP')
  await expect(cell(page, b!, deal.currency)).toHaveText('USD')

  // Delete clears every cell of the range, and one undo brings them all back
  await gridCell(page, b!, deal.amount).click()
  await page.keyboard.press('Shift+ArrowDown')
  await page.keyboard.press('Shift+ArrowRight')
  await page.keyboard.press('Delete')
  await expect(cell(page, b!, deal.currency)).toHaveText('')
  await expect(cell(page, c!, deal.amount)).toHaveText('')
  await expect(cell(page, a, deal.currency)).toHaveText('EUR')
  await page.keyboard.press('ControlOrMeta+Z')
  await expect(cell(page, b!, deal.currency)).toHaveText('USD')
  await expect(cell(page, c!, deal.currency)).toHaveText('GBP')
})

/** A new deal and the rows a block pasted at its amount added below it: the deal's id, then theirs. */
async function dealsPastedBelow(page: Page, title: string, block: string, rows: number): Promise<[string, ...string[]]> {
  const a = await addRecord(page, 'deal', title)
  await gridCell(page, a, deal.amount).click()
  await paste(page, block)
  return [a, ...(await rowsBelow(page, a, rows))]
}

test('a Shift+click made with the keyboard outside the grid brings the keyboard to the range (it stayed outside: Delete and Enter went to the page)', async ({ browser }) => {
  const page = await open(browser, '/deals')
  const [a, b] = await dealsPastedBelow(page, 'Shift first', '10\tEUR\n20\tUSD\n', 1)
  await expect(cell(page, b!, deal.currency)).toHaveText('USD')
  // the grid keeps its focused cell while the member types in the list's search box, then Shift+clicks
  await gridCell(page, a, deal.amount).click()
  await page.getByRole('searchbox', { name: 'Search Deals' }).focus()
  await gridCell(page, b!, deal.currency).click({ modifiers: ['Shift'] })
  await expect(page.locator('.kanso-grid .ag-cell.kanso-cell-in-range')).toHaveCount(4)
  await page.keyboard.press('Delete')
  await expect(cell(page, b!, deal.currency)).toHaveText('')
  await expect(cell(page, a, deal.currency)).toHaveText('')
  await page.keyboard.press('ControlOrMeta+Z')
  await expect(cell(page, b!, deal.currency)).toHaveText('USD')
  // and Enter edits the cell clicked
  await page.keyboard.press('Enter')
  await expect(page.locator('.kanso-editor')).toBeFocused()
  await page.context().close()
})

test('Delete pressed right after an arrow key clears the cell arrived at, not the one left (the grid tells its focus a task late)', async ({ browser }) => {
  const page = await open(browser, '/deals')
  const [a, b] = await dealsPastedBelow(page, 'Arrow first', '10\n20\n', 1)
  await expect(cell(page, b!, deal.amount)).not.toHaveText('')
  const amountOfA = await cell(page, a, deal.amount).innerText()
  await gridCell(page, a, deal.amount).click()
  // both keys in one task, as a busy page handles a fast member's keys before the grid's focus listener
  await page.evaluate(() => {
    for (const key of ['ArrowDown', 'Delete']) document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key, code: key, bubbles: true, cancelable: true }))
  })
  await expect(cell(page, b!, deal.amount)).toHaveText('')
  await expect(cell(page, a, deal.amount)).toHaveText(amountOfA)
  await page.context().close()
})

test('pasting 10,000 rows shows progress, keeps the page responsive and adds every row', async ({ browser }) => {
  const page = await open(browser, '/products')
  const first = await addRecord(page, 'product', 'Widget 0')
  await gridCell(page, first, 'products.name').click()
  const rows = Array.from({ length: 10_000 }, (_, i) => `Widget ${i}\tSKU-${i}\t${(i % 500) + 0.5}\tEUR\tpcs\t19\tyes\t${i}`).join('\r\n')
  const longest = await page.evaluate(async (text) => {
    let longestTask = 0
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) longestTask = Math.max(longestTask, e.duration) })
    observer.observe({ type: 'longtask', buffered: false })
    const data = new DataTransfer()
    data.setData('text/plain', text)
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    // the page stays responsive while the block is read: progress shows, timers run
    let progressShown = false
    for (let i = 0; i < 200 && !progressShown; i++) {
      await new Promise((r) => setTimeout(r, 10))
      progressShown = !!document.querySelector('[data-testid="paste-progress"]')
    }
    await new Promise<void>((resolve) => {
      const wait = () => (document.querySelector('[data-testid="paste-progress"]') ? setTimeout(wait, 20) : resolve())
      wait()
    })
    observer.disconnect()
    return { progressShown, longestTask }
  }, rows)
  console.log(`10,000-row paste: longest main-thread task while reading ${longest.longestTask.toFixed(0)} ms`)
  expect(longest.progressShown).toBe(true)
  await expect(page.locator('.kanso-count')).toHaveText('10,000 products', { timeout: 60_000 })
  await expect(page.getByTestId('paste-progress')).toHaveCount(0)
  await expect(page.getByTestId('cell-error')).toHaveCount(0)
})
