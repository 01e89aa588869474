import { readFileSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { contactsCsv } from '../../bench/measureImport'
import { LAPTOP, openSignedIn, TABLET } from './openSignedIn'
import { startRelayProcess, type RelayProcess } from './relayProcess'

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

// A German export: semicolons, a quoted cell over two lines, German dates and money, a bad
// email (refused) and the first contact again (a duplicate by email, skipped).
const GERMAN_CSV = [
  'Vorname;Nachname;E-Mail;Telefon;Position;Geburtstag;Budget',
  'Anna;Müller;anna@example.de;+49 30 1234567;"Leiterin',
  'Einkauf";27.11.1980;1 234,50 €',
  'Ben;Schmidt;ben(at)example;;CTO;01.02.1975;99 €',
  'Clara;Weber;clara@example.de;;"Head of ""Sales""";15.03.1990;2 000 €',
  'Anna;Müller;ANNA@example.de;;Duplicate;;',
  '',
].join('\r\n')

const shots = (name: string) => test.info().outputPath(`${name}.png`)

async function chooseFile(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('import-open').click()
  await expect(page.getByTestId('import-dialog')).toBeVisible()
  await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) })
  await expect(page.getByTestId('import-mapping')).toBeVisible()
}

/**
 * Holds the writes to a document's stored updates (database `kanso:<doc>`, y-indexeddb's `updates`
 * store) as a slow disk would: a read-write transaction of the page's own, kept busy until the
 * answered function releases it. Resolves once the transaction holds the store.
 */
async function holdStoredUpdates(page: Page, docName: string): Promise<() => Promise<void>> {
  await page.evaluate((name) => new Promise<void>((holding, failed) => {
    const open = indexedDB.open(`kanso:${name}`)
    open.onerror = () => failed(open.error)
    open.onsuccess = () => {
      const db = open.result
      const tx = db.transaction('updates', 'readwrite')
      const store = tx.objectStore('updates')
      let released = false
      const done = new Promise<void>((resolve) => { tx.oncomplete = () => { db.close(); resolve() } })
      ;(window as unknown as { releaseStoredUpdates: () => Promise<void> }).releaseStoredUpdates = () => { released = true; return done }
      // a transaction with a request pending stays open: one more each time the last one answers
      const keepBusy = (first: boolean) => {
        store.get(0).onsuccess = () => {
          if (first) holding()
          if (!released) keepBusy(false)
        }
      }
      keepBusy(true)
    }
  }), docName)
  return () => page.evaluate(() => (window as unknown as { releaseStoredUpdates: () => Promise<void> }).releaseStoredUpdates())
}

const firstNames = (page: Page, name: string) => page.locator('.kanso-grid .ag-cell[col-id="contacts.first_name"] .kanso-cell-value', { hasText: name })

test('a member imports a German CSV: mapping, preview with reasons, one undo in both browsers, the mapping remembered', async ({ browser }) => {
  const annaToken = await relay.addMember('Anna Editor', 'editor')
  const bobToken = await relay.addMember('Bob Viewer', 'viewer')
  const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin', viewport: LAPTOP, acceptDownloads: true })
  const a = await openSignedIn(relay, context, annaToken, '/contacts')
  const b = await openSignedIn(relay, browser, bobToken, '/contacts')
  await expect(a.locator('.kanso-grid .ag-root')).toBeVisible()
  // viewers do not import
  await expect(b.locator('.kanso-grid .ag-root')).toBeVisible()
  await expect(b.getByTestId('import-open')).toHaveCount(0)

  await chooseFile(a, 'kontakte.csv', GERMAN_CSV)
  await expect(a.getByTestId('import-dialog')).toContainText('semicolon-separated')
  // matched by label and API key; the German names are chosen by hand, two columns become new fields
  await expect(a.locator('select[data-column="E-Mail"]')).toHaveValue('contacts.email')
  await expect(a.locator('select[data-column="Position"]')).toHaveValue('contacts.position')
  await expect(a.locator('select[data-column="Vorname"]')).toHaveValue('')
  await a.locator('select[data-column="Vorname"]').selectOption('contacts.first_name')
  await a.locator('select[data-column="Nachname"]').selectOption('contacts.last_name')
  await a.locator('select[data-column="Telefon"]').selectOption('contacts.phone')
  await a.locator('select[data-column="Geburtstag"]').selectOption('new')
  await a.locator('select[data-column="Budget"]').selectOption('new')
  await expect(a.locator('select[data-new-type="Geburtstag"]')).toHaveValue('date')
  await expect(a.locator('select[data-new-type="Budget"]')).toHaveValue('money')
  await expect(a.getByTestId('import-dedupe')).toHaveValue('email')
  await a.screenshot({ path: shots('import-mapping') })

  await a.getByRole('button', { name: 'Preview →' }).click()
  const counts = a.getByTestId('import-counts')
  await expect(counts).toContainText('2 ready (2 new, 0 updates)')
  await expect(counts).toContainText('1 duplicate, 1 skipped')
  await expect(counts).toContainText('1 refused')
  await expect(counts).toContainText('of 4 rows')
  const preview = a.getByTestId('import-preview')
  await expect(preview.locator('tbody tr')).toHaveCount(2)
  await expect(preview.locator('tbody tr').first()).toContainText('Leiterin\nEinkauf')
  await expect(preview.locator('tbody tr').first()).toContainText('27.11.1980')
  await expect(preview.locator('tbody tr').first()).toContainText(/1\.234,50\s€/)
  await expect(a.getByTestId('import-refused')).toContainText('Row 3: Email: "ben(at)example" is not an email address')
  await a.screenshot({ path: shots('import-preview') })

  // the refused row downloads with its reason
  const [download] = await Promise.all([a.waitForEvent('download'), a.getByTestId('import-refused-download').click()])
  const refused = readFileSync((await download.path())!, 'utf8')
  expect(download.suggestedFilename()).toBe('contacts-refused-rows.csv')
  expect(refused.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('Vorname,Nachname,E-Mail,Telefon,Position,Geburtstag,Budget,Errors')
  expect(refused).toMatch(/^Ben,Schmidt,ben\(at\)example,,CTO,01\.02\.1975,99 €,"Email: ""ben\(at\)example"" is not an email address.*"$/m)

  await a.getByTestId('import-run').click()
  const summary = a.getByTestId('import-summary')
  await expect(summary).toContainText('Import finished.')
  await expect(a.getByTestId('import-created')).toHaveText('2 created')
  await expect(a.getByTestId('import-updated')).toHaveText('0 updated')
  await expect(a.getByTestId('import-skipped')).toHaveText('1 duplicate skipped')
  await expect(a.getByTestId('import-refused-count')).toHaveText('1 refused')
  await a.screenshot({ path: shots('import-summary') })
  await a.getByRole('button', { name: 'Done' }).click()

  // both browsers have the records; the other one through the relay
  for (const page of [a, b]) {
    await expect(firstNames(page, 'Anna')).toHaveCount(1)
    await expect(firstNames(page, 'Clara')).toHaveCount(1)
    await expect(firstNames(page, 'Ben')).toHaveCount(0)
  }
  await expect(a.locator('.kanso-count')).toHaveText('2 contacts')
  await expect(b.locator('.kanso-count')).toHaveText('2 contacts')

  // one Ctrl+Z takes the whole import back, in both
  await firstNames(a, 'Clara').click()
  await a.keyboard.press('Escape')
  await a.keyboard.press('Control+z')
  for (const page of [a, b]) {
    await expect(firstNames(page, 'Anna')).toHaveCount(0)
    await expect(firstNames(page, 'Clara')).toHaveCount(0)
  }

  // the same header again: the remembered mapping is filled in, new fields included
  await chooseFile(a, 'kontakte-2.csv', GERMAN_CSV)
  await expect(a.getByTestId('import-remembered')).toBeVisible()
  await expect(a.locator('select[data-column="Vorname"]')).toHaveValue('contacts.first_name')
  await expect(a.locator('select[data-column="Telefon"]')).toHaveValue('contacts.phone')
  for (const column of ['Geburtstag', 'Budget']) {
    const value = await a.locator(`select[data-column="${column}"]`).inputValue()
    expect(value).not.toMatch(/^(|new)$/)
  }
  await a.getByRole('button', { name: 'Preview →' }).click()
  await expect(a.getByTestId('import-counts')).toContainText('2 ready (2 new, 0 updates)')
  await a.getByTestId('import-run').click()
  await expect(a.getByTestId('import-created')).toHaveText('2 created')
  // Undo import in the summary takes it back too
  await a.getByTestId('import-undo').click()
  await expect(firstNames(a, 'Anna')).toHaveCount(0)
  await expect(firstNames(b, 'Anna')).toHaveCount(0)
  await context.close()
})

test('a big file: the progress bar moves, the list stays usable, Cancel keeps what was written as one undo step; tablet layout', async ({ browser }) => {
  const token = await relay.addMember('Cleo Admin', 'admin')
  const page = await openSignedIn(relay, browser, token, '/contacts', TABLET)
  await expect(page.locator('.kanso-grid .ag-root, .kanso-card-list').first()).toBeVisible()
  const open = page.getByTestId('import-open')
  // the tablet shows the grid as well; the phone's cards have no import
  await expect(open).toBeVisible()
  await chooseFile(page, 'contacts.csv', contactsCsv(60_000))
  await page.screenshot({ path: shots('import-mapping-tablet') })
  await page.getByRole('button', { name: 'Preview →' }).click()
  await expect(page.getByTestId('import-counts')).toContainText('60,000 ready', { timeout: 60_000 })
  // Cancel must find the import mid-way on any machine: its batches wait for the disk, which is
  // held (the first batch is written, the second waits), so a slow click cannot come too late
  const release = await holdStoredUpdates(page, 'entity-contacts')
  await page.getByTestId('import-run').click()
  await expect(page.getByTestId('import-writing')).toContainText(/Importing [1-9][\d,]* of 60,000/)
  await expect(page.getByTestId('import-progress')).toHaveAttribute('value', /^[1-9]\d?$/)
  await page.screenshot({ path: shots('import-progress') })
  await page.getByTestId('import-cancel').click()
  await release()
  await expect(page.getByTestId('import-summary')).toContainText('Import stopped.', { timeout: 60_000 })
  const created = Number((await page.getByTestId('import-created').innerText()).replace(/\D/g, ''))
  expect(created).toBeGreaterThan(0)
  expect(created).toBeLessThan(60_000)
  await page.getByRole('button', { name: 'Done' }).click()
  await expect(page.locator('.kanso-count')).toHaveText(`${created.toLocaleString('en-US')} contacts`, { timeout: 30_000 })
  // the batches came in while the top of the list was shown (the grid grew its count, not its loaded
  // rows): scrolled to the end, the last imported row is there, with its cells
  await page.locator('.kanso-grid .ag-row[row-index="0"] .ag-cell').first().click()
  await page.keyboard.press('Control+End')
  await expect(page.locator(`.kanso-grid .ag-row[row-index="${created - 1}"]`).first()).toContainText(/\w/, { timeout: 30_000 })
  await page.getByRole('button', { name: 'Undo', exact: true }).click()
  await expect(page.locator('.kanso-count')).toHaveText('0 contacts', { timeout: 30_000 })
})
