import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import { findEntity, type Row } from '../schema'
import { issuedDocumentsOf, planDocumentIssue } from './dealDocuments'
import { formatDealMoney } from './formatDealMoney'
import { addCalendarDays, calendarDayOf, formatDocumentDate, NUMBER_PENDING, printedDocument, type PrintedDocumentInput } from './printedDocument'

const schema = defaultSchema()
const deals = findEntity(schema, 'deals')!
const dealLines = findEntity(schema, 'deal_lines')!
const companies = findEntity(schema, 'companies')!
const contacts = findEntity(schema, 'contacts')!
const row = (id: string, values: Row['values'], createdAt = '2026-03-01T09:00:00.000Z'): Row => ({ id, values, createdAt, createdBy: 'm1' })
const eur = (amount: number) => ({ amount, currency: 'EUR' })

const deal = row('d1', { 'deals.title': 'Fit-out', 'deals.company': 'c1', 'deals.contacts': ['p1', 'p2'], 'deals.currency': 'EUR' })
const lines = [
  // added second, printed second
  row('l2', { 'deal_lines.deal': 'd1', 'deal_lines.name': 'Installation', 'deal_lines.quantity': 1.5, 'deal_lines.unit': 'hour', 'deal_lines.unit_price': eur(8000), 'deal_lines.tax_pct': 19 }, '2026-03-01T10:00:00.000Z'),
  row('l1', { 'deal_lines.deal': 'd1', 'deal_lines.name': 'Desk', 'deal_lines.quantity': 2, 'deal_lines.unit': 'pcs', 'deal_lines.unit_price': eur(49900), 'deal_lines.discount_pct': 10, 'deal_lines.tax_pct': 19 }),
]
const base: PrintedDocumentInput = {
  kind: 'quote', deals, deal, dealLines, lines,
  companies, company: row('c1', { 'companies.name': 'Globex AG', 'companies.address': 'Ring 5\n8000 Zürich' }),
  contacts, contactRows: [row('p1', { 'contacts.first_name': 'Ada', 'contacts.last_name': 'Lovelace' }), row('p2', { 'contacts.last_name': 'Hopper' })],
  workspace: { companyName: 'Acme GmbH', companyAddress: 'Hauptstr. 1', taxId: 'DE123', bankDetails: 'IBAN DE02', logo: 'data:image/png;base64,AAAA' },
  locale: 'en-US', timeZone: 'Europe/Berlin',
}

describe('printedDocument', () => {
  it('prints a preview with the deal\'s lines in the order added, the totals of dealTotals and the customer', () => {
    const doc = printedDocument({ ...base, preview: { issueDate: '2026-03-02', terms: 'Prices net.', validUntil: '2026-04-01' } })
    expect(doc).toMatchObject({
      title: 'Quote', number: null, issueDate: '2026-03-02', validUntil: '2026-04-01', validUntilLabel: 'Valid until', terms: 'Prices net.',
      seller: { name: 'Acme GmbH', address: 'Hauptstr. 1', taxId: 'DE123', logo: 'data:image/png;base64,AAAA', bankDetails: 'IBAN DE02' },
      customer: { company: 'Globex AG', address: 'Ring 5\n8000 Zürich', contacts: ['Ada Lovelace', 'Hopper'] },
      dealTitle: 'Fit-out',
    })
    expect(doc.lines.map((l) => [l.name, l.quantity, l.unit, l.unitPrice, l.discountPct, l.taxPct, l.amount])).toEqual([
      ['Desk', '2', 'pcs', '€499.00', '10', '19', '€898.20'],
      ['Installation', '1.5', 'hour', '€80.00', '', '19', '€120.00'],
    ])
    // 2 × 499 = 998 − 99.80 = 898.20, + 120 = 1018.20 net; tax 170.66 + 22.80
    expect(doc.totals).toMatchObject({ ok: true, totals: { subtotal: 111800, discount: 9980, tax: 19346, total: 121166 } })
    expect(formatDealMoney(121166, 'EUR', 'de-DE')).toBe('1.211,66\u00a0€')
  })

  it('prints an issued document with what its issue wrote and its number, pending until the relay\'s arrives', () => {
    const issue = planDocumentIssue('invoice', 'm1', new Date('2026-03-31T23:30:00.000Z'), 'i1', 'Net 14.', '2026-04-15')
    const issuedDeal = { ...deal, values: { ...deal.values, ...issue } } as Row
    const [pending] = issuedDocumentsOf(issuedDeal)
    const doc = printedDocument({ ...base, kind: 'invoice', deal: issuedDeal, issued: pending, preview: { issueDate: '1999-01-01', terms: 'ignored', validUntil: null } })
    // 23:30 UTC is already April 1st in Berlin
    expect(doc).toMatchObject({ title: 'Invoice', number: null, issueDate: '2026-04-01', validUntil: '2026-04-15', validUntilLabel: 'Due date', terms: 'Net 14.' })
    const numbered = { ...issuedDeal, values: { ...issuedDeal.values, 'number@i1': { number: 'INV-2026-0007', at: '2026-04-01T08:00:00.000Z' } } } as unknown as Row
    expect(printedDocument({ ...base, kind: 'invoice', deal: numbered, issued: issuedDocumentsOf(numbered)[0] }).number).toBe('INV-2026-0007')
    expect(NUMBER_PENDING).toMatch(/^Number pending/)
  })

  it('says why the totals are not added up, and prints a deal without company or contacts', () => {
    const mixed = [...lines, row('l3', { 'deal_lines.deal': 'd1', 'deal_lines.name': 'Fee', 'deal_lines.unit_price': { amount: 100, currency: 'USD' } })]
    const doc = printedDocument({ ...base, lines: mixed, company: undefined, contactRows: [], preview: { issueDate: '2026-03-02', terms: '', validUntil: null } })
    expect(doc.totals).toMatchObject({ ok: false, reason: expect.stringMatching(/priced in USD/) })
    expect(doc.lines[0]!.amount).toBe('')
    expect(doc.customer).toEqual({ company: '', address: '', contacts: [] })
  })
})

describe('document dates', () => {
  it('adds calendar days across months and leap days, and writes days in the reader\'s locale', () => {
    expect(addCalendarDays('2026-01-31', 30)).toBe('2026-03-02')
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addCalendarDays('2026-12-31', 0)).toBe('2026-12-31')
    expect(() => addCalendarDays('2026-02-30', 1)).toThrow(/not a YYYY-MM-DD/)
    expect(calendarDayOf('2026-03-31T23:30:00.000Z', 'UTC')).toBe('2026-03-31')
    expect(calendarDayOf('2026-03-31T23:30:00.000Z', 'Asia/Tokyo')).toBe('2026-04-01')
    expect(formatDocumentDate('2026-03-14', 'en-US')).toBe('March 14, 2026')
    expect(formatDocumentDate('2026-03-14', 'en-GB')).toBe('14 March 2026')
  })
})
