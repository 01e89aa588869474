import { expect, test, type Browser, type Page } from '@playwright/test'
import { typeInto } from './gridHelpers'
import { lineRow, openLines } from './dealHelpers'
import { openSignedIn } from './openSignedIn'
import { postRecord } from './postRecord'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Issue 14: quotes and invoices as views of the deal — workspace details in Settings, a quote
// previewed and issued in one browser, its number from the relay seen in another, the next
// number for the next issue, and the page as it prints on A4 and Letter.

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

const open = (browser: Browser, token: string, path: string) => openSignedIn(relay, browser, token, path)

/** A wide logo (bigger than the printed box, so the app scales it down), drawn by the browser as a PNG. */
async function logoPng(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(() => {
    const canvas = document.createElement('canvas')
    canvas.width = 1800
    canvas.height = 600
    const g = canvas.getContext('2d')!
    g.fillStyle = '#1f4e79'
    g.beginPath()
    g.arc(300, 300, 220, 0, Math.PI * 2)
    g.fill()
    g.fillStyle = '#f2a900'
    g.fillRect(220, 220, 160, 160)
    g.fillStyle = '#1f4e79'
    g.font = 'bold 260px sans-serif'
    g.fillText('ACME', 600, 390)
    return canvas.toDataURL('image/png').split(',')[1]!
  })
  return Buffer.from(base64, 'base64')
}

/** Page boxes of a PDF in whole points: A4 is 595 × 842 (Chromium writes 594.96 × 841.92), Letter 612 × 792. */
function pageSizes(pdf: Buffer): string[] {
  return [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => `${Math.round(Number(m[1]))}x${Math.round(Number(m[2]))}`)
}

test('workspace details in Settings, a quote issued in one browser gets Q-<year>-0001 seen in another, the next Q-<year>-0002; it prints clean on A4 and Letter', async ({ browser }, testInfo) => {
  const year = new Date().getUTCFullYear()
  const globex = await postRecord(relay, 'companies', { name: 'Globex AG', address: 'Seestrasse 12\n8002 Zürich\nSwitzerland' })
  const anna = await postRecord(relay, 'contacts', { first_name: 'Anna', last_name: 'Schmidt', company: globex })
  const deal = await postRecord(relay, 'deals', { title: 'Office fit-out', company: globex, contacts: [anna], currency: 'EUR' })

  // A, an admin, fills the workspace details with a logo
  const a = await open(browser, await relay.addMember('Ada Admin', 'admin'), '/settings')
  const details = a.getByRole('form', { name: 'Quotes and invoices' })
  await details.getByLabel('Logo image file').setInputFiles({ name: 'anim.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') })
  await expect(a.getByTestId('logo-problem')).toHaveText('“anim.gif” is of type image/gif: the logo must be a PNG, JPEG, WebP or SVG image')
  await details.getByLabel('Logo image file').setInputFiles({ name: 'acme-logo.png', mimeType: 'image/png', buffer: await logoPng(a) })
  await expect(a.getByTestId('logo-problem')).toHaveCount(0)
  const preview = a.getByTestId('logo-preview').locator('img')
  await expect(preview).toHaveAttribute('src', /^data:image\/(png|webp|jpeg);base64,/)
  expect((await preview.getAttribute('src'))!.length).toBeLessThanOrEqual(96 * 1024)
  // scaled down into the printed box, not kept at 1800 px
  expect(await preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeLessThanOrEqual(960)
  const fill = async (label: string, text: string) => {
    await details.getByLabel(label).fill(text)
    await details.getByLabel(label).press('Tab')
  }
  await fill('Company name', 'Acme Interiors GmbH')
  await fill('Address', 'Hauptstraße 1\n10115 Berlin\nGermany')
  await fill('Tax id (VAT number)', 'DE 123 456 789')
  await fill('Bank details', 'Acme Interiors GmbH · IBAN DE02 1203 0000 0000 2020 51 · BIC BYLADEM1001')
  await fill('Quote terms', 'Prices in EUR. Delivery within 4 weeks of the order. 50 % on order, the rest on delivery.')
  await fill('Quotes valid for (days)', '21')
  await details.getByLabel('Paper size').selectOption('A4')
  await expect(a.getByTestId('details-problem')).toHaveCount(0)
  await expect(a.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')

  // A adds two lines to the deal and opens its quote
  await a.getByRole('link', { name: 'Deals', exact: true }).click()
  await openLines(a, deal)
  await a.getByLabel('Product or free text for a new line').fill('Standing desk')
  await a.getByLabel('Product or free text for a new line').press('Enter')
  await expect(lineRow(a, 'Standing desk')).toHaveCount(1)
  const desk = (await lineRow(a, 'Standing desk').getAttribute('row-id'))!
  await typeInto(a, desk, 'deal_lines.quantity', '4')
  await typeInto(a, desk, 'deal_lines.unit_price', '649')
  await typeInto(a, desk, 'deal_lines.discount_pct', '5')
  await typeInto(a, desk, 'deal_lines.tax_pct', '19')
  await a.getByLabel('Product or free text for a new line').fill('Assembly and delivery')
  await a.getByLabel('Product or free text for a new line').press('Enter')
  await expect(lineRow(a, 'Assembly and delivery')).toHaveCount(1)
  const assembly = (await lineRow(a, 'Assembly and delivery').getAttribute('row-id'))!
  await typeInto(a, assembly, 'deal_lines.quantity', '6.5')
  await typeInto(a, assembly, 'deal_lines.unit', 'hour')
  await typeInto(a, assembly, 'deal_lines.unit_price', '85')
  await typeInto(a, assembly, 'deal_lines.tax_pct', '19')
  // 4 × 649 = 2596 − 129.80 = 2466.20; 6.5 × 85 = 552.50; tax 468.58 + 104.98
  const panelTotals = { subtotal: '€3,148.50', discount: '−€129.80', tax: '€573.56', total: '€3,592.26' }
  await expect(a.getByTestId('deal-total')).toHaveText(panelTotals.total)
  await expect(a.getByTestId('deal-documents')).toContainText('No quote or invoice issued yet.')
  await a.getByTestId('deal-documents').getByRole('link', { name: 'Quote', exact: true }).click()
  await expect(a).toHaveURL(new RegExp(`/deals/${deal}/quote$`))

  // the preview: the workspace's details, the customer, the lines and the panel's totals
  const sheet = a.locator('.kanso-doc-sheet')
  await expect(sheet.locator('h1')).toHaveText('Quote')
  await expect(sheet).toContainText('Acme Interiors GmbH')
  await expect(sheet).toContainText('DE 123 456 789')
  await expect(sheet.locator('.kanso-doc-logo')).toHaveAttribute('src', /^data:image\//)
  await expect(sheet.getByLabel('Customer')).toContainText('Globex AG')
  await expect(sheet.getByLabel('Customer')).toContainText('8002 Zürich')
  await expect(sheet.getByLabel('Customer')).toContainText('Attn. Anna Schmidt')
  await expect(sheet.getByTestId('document-line')).toHaveCount(2)
  await expect(sheet.getByTestId('document-line').first()).toHaveText(/Standing desk\s*4\s*€649\.00\s*5\s*19\s*€2,466\.20/)
  await expect(sheet.getByTestId('document-line').nth(1)).toHaveText(/Assembly and delivery\s*6\.5\s*hour\s*€85\.00\s*19\s*€552\.50/)
  await expect(sheet.getByTestId('deal-subtotal')).toHaveText(panelTotals.subtotal)
  await expect(sheet.getByTestId('deal-discount')).toHaveText(panelTotals.discount)
  await expect(sheet.getByTestId('deal-tax')).toHaveText(panelTotals.tax)
  await expect(sheet.getByTestId('deal-total')).toHaveText(panelTotals.total)
  await expect(sheet).toContainText('Delivery within 4 weeks')
  await expect(sheet.getByTestId('document-number')).toHaveText('Assigned when issued')
  await a.screenshot({ path: testInfo.outputPath('quote-preview-1280x800.png') })

  // Issue → its own page, numbered by the relay
  await a.getByRole('button', { name: 'Issue quote' }).click()
  await expect(a).toHaveURL(new RegExp(`/deals/${deal}/documents/[A-Za-z0-9]{12}$`))
  const firstIssue = a.url().split('/').pop()!
  await expect(sheet.getByTestId('document-number')).toHaveText(`Q-${year}-0001`)
  // valid 21 days from today
  await expect(sheet.getByTestId('document-valid-until')).toBeVisible()

  // B, an editor in another browser, sees the workspace details read-only, then the quote in the deal's documents
  const b = await open(browser, await relay.addMember('Bea Editor', 'editor'), '/settings')
  const bDetails = b.getByRole('form', { name: 'Quotes and invoices' })
  await expect(bDetails.getByLabel('Company name')).toHaveValue('Acme Interiors GmbH')
  await expect(bDetails.getByLabel('Company name')).toBeDisabled()
  await expect(bDetails.getByLabel('Logo image file')).toHaveCount(0)
  await expect(b.getByRole('link', { name: 'Pipelines' })).toHaveCount(0)
  await b.getByRole('link', { name: 'Deals', exact: true }).click()
  await openLines(b, deal)
  const item = b.getByTestId('deal-document-item')
  await expect(item).toHaveCount(1)
  await expect(item).toContainText(`Q-${year}-0001`)
  await expect(item).toContainText('Quote')
  await expect(item).toContainText('Ada Admin')
  await item.getByRole('link').click()
  await expect(b).toHaveURL(new RegExp(`/deals/${deal}/documents/${firstIssue}$`))
  await expect(b.locator('.kanso-doc-sheet').getByTestId('document-number')).toHaveText(`Q-${year}-0001`)
  await expect(b.locator('.kanso-doc-sheet').getByTestId('deal-total')).toHaveText(panelTotals.total)

  // B issues the next quote of the same deal offline: pending until B is back, then the sequence goes on
  await b.getByRole('button', { name: '← Deals' }).click()
  await openLines(b, deal)
  await b.getByTestId('deal-documents').getByRole('link', { name: 'Quote', exact: true }).click()
  await b.context().setOffline(true)
  await b.getByRole('button', { name: 'Issue quote' }).click()
  const bNumber = b.locator('.kanso-doc-sheet').getByTestId('document-number')
  await expect(bNumber).toHaveText('Number pending — assigned when this device syncs with the relay')
  await b.screenshot({ path: testInfo.outputPath('quote-pending-1280x800.png') })
  await b.context().setOffline(false)
  await expect(bNumber).toHaveText(`Q-${year}-0002`)
  await a.getByRole('button', { name: '← Deals' }).click()
  await openLines(a, deal)
  await expect(a.getByTestId('deal-document-item')).toHaveCount(2)
  await expect(a.getByTestId('deal-document-item').nth(1)).toContainText(`Q-${year}-0002`)
  await b.getByRole('button', { name: '← Deals' }).click()
  await openLines(b, deal)
  await expect(b.getByTestId('deal-document-item').nth(1)).toContainText(`Q-${year}-0002`)
  await expect(b.getByTestId('deal-document-item').nth(1)).toContainText('Bea Editor')

  // the first quote on screen at 1280 × 800 and 820 × 1180, then as it prints
  await a.getByTestId('deal-document-item').first().getByRole('link').click()
  await expect(sheet.getByTestId('document-number')).toHaveText(`Q-${year}-0001`)
  await a.screenshot({ path: testInfo.outputPath('quote-1280x800.png') })
  await a.setViewportSize({ width: 820, height: 1180 })
  await a.screenshot({ path: testInfo.outputPath('quote-820x1180.png') })
  await a.emulateMedia({ media: 'print' })
  await expect(a.locator('.kanso-nav')).toBeHidden()
  await expect(a.locator('.kanso-topbar')).toBeHidden()
  await expect(a.getByRole('toolbar', { name: 'Document' })).toBeHidden()
  await expect(sheet).toBeVisible()
  await a.screenshot({ path: testInfo.outputPath('quote-print-820x1180.png'), fullPage: true })
  await a.setViewportSize({ width: 1280, height: 800 })
  await expect(a.locator('.kanso-nav')).toBeHidden()
  // the sheet takes the page's width, not the column the navigation leaves on screen
  expect((await sheet.boundingBox())!.width).toBeGreaterThan(1200)
  await a.screenshot({ path: testInfo.outputPath('quote-print-1280x800.png'), fullPage: true })

  // the paper: the workspace's A4, switched to Letter in the view; the format asked of page.pdf
  // is the other one each time, so only the page's own @page size can make it
  const a4 = await a.pdf({ path: testInfo.outputPath('quote-a4.pdf'), preferCSSPageSize: true, printBackground: true, format: 'Letter' })
  expect(pageSizes(a4)).toEqual(['595x842'])
  await a.emulateMedia({ media: 'screen' })
  await a.getByLabel('Paper size').selectOption('Letter')
  await expect(a.getByTestId('deal-document')).toHaveClass(/kanso-paper-letter/)
  await a.emulateMedia({ media: 'print' })
  const letter = await a.pdf({ path: testInfo.outputPath('quote-letter.pdf'), preferCSSPageSize: true, printBackground: true, format: 'A4' })
  expect(pageSizes(letter)).toEqual(['612x792'])
  await a.context().close()
  await b.context().close()
})
