import { expect, test, type Page } from '@playwright/test'
import { cell, focusCellByKeyboard, gridCell } from './gridHelpers'
import { addLine, boardCard, boardColumn, cardInColumn, dragCard } from './dealHelpers'
import { apiGetAsAdmin, openSignedIn, TABLET } from './openSignedIn'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Issue 14's end-to-end test, as two sales reps on one relay would do it: a lead typed into the
// grid, converted, the deal on both boards, dragged to the next stage, lines and totals, the
// quote issued and looked at — then the same views on a tablet.

// a click that cannot happen fails within the step, not at the end of the whole flow's time
test.use({ actionTimeout: 20_000, screenshot: 'only-on-failure' })

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

const panel = (page: Page) => page.getByTestId('record-panel')
const sheet = (page: Page) => page.locator('.kanso-doc-sheet')
/** The top bar's Grid/Board switch. */
const viewToggle = (page: Page) => page.getByRole('group', { name: 'Show deals as' })

test('a lead typed in → converted → on both boards → dragged on → two lines and totals → a quote issued; the same on a tablet', async ({ browser }, testInfo) => {
  test.setTimeout(300_000)
  const year = new Date().getUTCFullYear()
  const alice = await openSignedIn(relay, browser, await relay.addMember('Alice Seller', 'editor'), '/leads')
  const bob = await openSignedIn(relay, browser, await relay.addMember('Bob Closer', 'editor'), '/deals/board?pipeline=sales')
  await expect(bob.getByTestId('board')).toBeVisible()

  // Alice types a new lead into the grid: title, name, company, email
  await alice.getByRole('button', { name: '+ New lead' }).click()
  for (const [i, text] of ['Office fit-out', 'Anna Schmidt', 'Globex AG', 'anna@globex.example'].entries()) {
    await expect(alice.locator('.kanso-editor')).toBeFocused()
    await alice.keyboard.type(text)
    await alice.keyboard.press(i === 3 ? 'Enter' : 'Tab')
  }
  const leadRow = alice.locator('.kanso-grid .ag-row[row-id]', { has: alice.locator('.ag-cell[col-id="leads.email"] .kanso-cell-value', { hasText: 'anna@globex.example' }) })
  await expect(leadRow).toHaveCount(1)
  const lead = (await leadRow.getAttribute('row-id'))!
  await expect(cell(alice, lead, 'leads.company_name')).toHaveText('Globex AG')

  // Convert…: a new contact, a new company by the lead's company name, and a deal in New
  await gridCell(alice, lead, 'leads.title').click()
  await alice.getByRole('button', { name: 'Convert…' }).click()
  const dialog = alice.getByTestId('convert-dialog')
  await expect(dialog.getByTestId('convert-contact').locator('option:checked')).toHaveText('New contact: Anna Schmidt')
  await expect(dialog.getByTestId('convert-company').locator('option:checked')).toHaveText('New company: Globex AG')
  await expect(dialog.getByTestId('convert-deal-title')).toHaveValue('Office fit-out')
  await expect(dialog.getByTestId('convert-deal-stage').locator('option:checked')).toHaveText('New')
  await dialog.getByRole('button', { name: 'Convert', exact: true }).click()
  await expect(dialog).toHaveCount(0)
  await expect(cell(alice, lead, 'leads.status')).toContainText('Converted')
  await expect.poll(async () => (await apiGetAsAdmin(relay, `/leads/${lead}`)).converted_deal ?? null).not.toBeNull()
  const deal = (await apiGetAsAdmin(relay, `/leads/${lead}`)).converted_deal as string

  // the deal is on Bob's board already, and on Alice's once she switches to it
  await expect(cardInColumn(bob, 'sales.new', deal)).toBeVisible()
  await expect(boardCard(bob, deal)).toContainText('Office fit-out')
  await expect(boardCard(bob, deal)).toContainText('Globex AG')
  await alice.getByRole('link', { name: 'Deals', exact: true }).click()
  await viewToggle(alice).getByRole('button', { name: 'Board' }).click()
  await expect(alice).toHaveURL(/\/deals\/board/)
  await expect(cardInColumn(alice, 'sales.new', deal)).toBeVisible()
  await expect(boardCard(alice, deal)).toContainText('Globex AG')

  // Alice drags it to the next stage with the mouse → it moves on Bob's board
  await dragCard(alice, deal, 'sales.qualified')
  await expect(cardInColumn(alice, 'sales.qualified', deal)).toBeVisible()
  await expect(cardInColumn(bob, 'sales.qualified', deal)).toBeVisible()
  await expect(cardInColumn(bob, 'sales.new', deal)).toHaveCount(0)
  await expect(boardColumn(bob, 'sales.qualified').getByTestId('column-count')).toHaveText('1')
  expect((await apiGetAsAdmin(relay, `/deals/${deal}`)).stage).toBe('sales.qualified')
  await alice.screenshot({ path: testInfo.outputPath('sale-board-1280x800.png') })

  // the card opens the deal's panel beside the board; Alice adds two lines there
  await boardCard(alice, deal).click()
  await expect(panel(alice).getByRole('heading', { name: 'Office fit-out' })).toBeVisible()
  const lines = panel(alice).getByTestId('deal-lines')
  await expect(lines.getByText('No lines yet')).toBeVisible()
  const desk = await addLine(alice, 'Standing desk', { quantity: '4', unit_price: '649', discount_pct: '5', tax_pct: '19' })
  await addLine(alice, 'Assembly and delivery', { quantity: '6.5', unit: 'hour', unit_price: '85', tax_pct: '19' })
  // 4 × 649 = 2,596.00 − 5 % = 2,466.20; 6.5 × 85 = 552.50; tax 19 % of both = 573.56
  const totals = { subtotal: '€3,148.50', discount: '−€129.80', tax: '€573.56', total: '€3,592.26' }
  await expect(lines.getByTestId('deal-subtotal')).toHaveText(totals.subtotal)
  await expect(lines.getByTestId('deal-discount')).toHaveText(totals.discount)
  await expect(lines.getByTestId('deal-tax')).toHaveText(totals.tax)
  await expect(lines.getByTestId('deal-total')).toHaveText(totals.total)
  // the deal's amount follows its lines: the relay writes it, Bob's card shows it
  await expect(boardCard(bob, deal)).toContainText(totals.total)
  await expect(boardColumn(bob, 'sales.qualified').getByTestId('column-sum')).toHaveText(totals.total)
  // one way to add a line in the panel: the form, not also the grid's blank row
  await expect(lines.getByRole('button', { name: '+ New deal line' })).toBeHidden()
  // the lines' first columns in view for the screenshot
  await focusCellByKeyboard(alice, desk, 'deal_lines.name', 'deal_lines.product')
  await alice.screenshot({ path: testInfo.outputPath('sale-lines-1280x800.png') })

  // the quote: previewed with the lines and totals, issued, numbered by the relay
  await lines.getByTestId('deal-documents').getByRole('link', { name: 'Quote', exact: true }).click()
  await expect(alice).toHaveURL(new RegExp(`/deals/${deal}/quote$`))
  await expect(sheet(alice).locator('h1')).toHaveText('Quote')
  await expect(sheet(alice).getByLabel('Customer')).toContainText('Globex AG')
  await expect(sheet(alice).getByLabel('Customer')).toContainText('Attn. Anna Schmidt')
  await expect(sheet(alice).getByTestId('document-line')).toHaveCount(2)
  await expect(sheet(alice).getByTestId('deal-total')).toHaveText(totals.total)
  // no workspace details yet: the sheet says where they come from (an editor cannot add them), and never prints it
  await expect(sheet(alice).getByTestId('seller-missing')).toHaveText('Your company’s name, address and logo go here. An admin adds them in Settings.')
  await alice.emulateMedia({ media: 'print' })
  await expect(sheet(alice).getByTestId('seller-missing')).toBeHidden()
  await alice.emulateMedia({ media: 'screen' })
  // a print view has no Grid/Board switch: there is no list to switch
  await expect(viewToggle(alice)).toHaveCount(0)
  await alice.getByRole('button', { name: 'Issue quote' }).click()
  await expect(alice).toHaveURL(new RegExp(`/deals/${deal}/documents/[A-Za-z0-9]{12}$`))
  await expect(sheet(alice).getByTestId('document-number')).toHaveText(`Q-${year}-0001`)
  await expect(alice.getByRole('toolbar', { name: 'Document' })).toContainText('Issued by Alice Seller')
  await expect(viewToggle(alice)).toHaveCount(0)
  await alice.screenshot({ path: testInfo.outputPath('sale-quote-1280x800.png') })

  // a member who joined after both pages loaded issues the invoice: both name her, not her id
  const cleo = await openSignedIn(relay, browser, await relay.addMember('Cleo Billing', 'editor'), `/deals/${deal}/invoice`)
  await cleo.getByRole('button', { name: 'Issue invoice' }).click()
  await expect(sheet(cleo).getByTestId('document-number')).toHaveText(`INV-${year}-0001`)
  await cleo.context().close()

  // Bob on a tablet: the board, the deal's lines, the quote and the invoice
  await bob.setViewportSize(TABLET)
  await expect(cardInColumn(bob, 'sales.qualified', deal)).toBeVisible()
  await bob.screenshot({ path: testInfo.outputPath('sale-board-820x1180.png') })
  await boardCard(bob, deal).click()
  const bobLines = panel(bob).getByTestId('deal-lines')
  await expect(bobLines.getByTestId('deal-total')).toHaveText(totals.total)
  const documents = bobLines.getByTestId('deal-document-item')
  await expect(documents).toHaveCount(2)
  await expect(documents.first()).toContainText(`Q-${year}-0001`)
  await expect(documents.first()).toContainText('Alice Seller')
  await expect(documents.nth(1)).toContainText(`INV-${year}-0001`)
  await expect(documents.nth(1)).toContainText('Cleo Billing')
  await bob.screenshot({ path: testInfo.outputPath('sale-lines-820x1180.png') })
  await documents.first().getByRole('link').click()
  await expect(sheet(bob).getByTestId('document-number')).toHaveText(`Q-${year}-0001`)
  await expect(sheet(bob).getByTestId('deal-total')).toHaveText(totals.total)
  await expect(viewToggle(bob)).toHaveCount(0)
  await bob.screenshot({ path: testInfo.outputPath('sale-quote-820x1180.png') })
  await bob.goBack()
  await documents.nth(1).getByRole('link').click()
  await expect(bob.getByRole('toolbar', { name: 'Document' })).toContainText('Issued by Cleo Billing')
  await alice.context().close()
  await bob.context().close()
})
