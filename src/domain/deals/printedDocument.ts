import { parseIsoDate, toIsoDate } from '../calendarDate'
import { formatFieldValue } from '../formatFieldValue'
import { recordTitle } from '../recordTitle'
import { fieldByKey, type EntityDef, type FieldDef, type FieldValue, type Row } from '../schema'
import type { WorkspaceDetails } from '../workspace/workspaceDetails'
import type { DealDocumentKind, IssuedDocument } from './dealDocuments'
import { dealLineFieldIds, dealLineInputs } from './dealLineInputs'
import { dealTotals, type DealTotalsResult } from './dealTotals'
import { formatDealMoney } from './formatDealMoney'

/*
 * A quote or an invoice as it is printed: a view of the deal as it is now — its lines, totals and
 * customer — with what the issue wrote once (kind, date, terms, validity or due date) and the
 * number the relay assigned. A preview (not issued yet) takes today's date and the terms and date
 * the issuer is about to write.
 */

export const DOCUMENT_TITLES: Record<DealDocumentKind, string> = { quote: 'Quote', invoice: 'Invoice' }
/** A quote's validity date and an invoice's due date are the same entry (`valid_until`), printed under these names. */
export const VALID_UNTIL_LABELS: Record<DealDocumentKind, string> = { quote: 'Valid until', invoice: 'Due date' }
export const NUMBER_PENDING = 'Number pending — assigned when this device syncs with the relay'

export interface PrintedLine {
  id: string
  name: string
  quantity: string
  unit: string
  unitPrice: string
  discountPct: string
  taxPct: string
  /** Quantity × unit price less the discount (the tax is in the totals): `net` of dealTotals. */
  amount: string
}

export interface PrintedDocument {
  kind: DealDocumentKind
  title: string
  /** The relay's number; null while pending or for a preview. */
  number: string | null
  /** `YYYY-MM-DD` (the issuer's calendar day). */
  issueDate: string
  validUntil: string | null
  validUntilLabel: string
  seller: { name: string; address: string; taxId: string; logo: string | null; bankDetails: string }
  customer: { company: string; address: string; contacts: string[] }
  dealTitle: string
  lines: PrintedLine[]
  totals: DealTotalsResult
  terms: string
}

export interface PrintedDocumentInput {
  kind: DealDocumentKind
  /** The issued document; absent for a preview. */
  issued?: IssuedDocument
  /** A preview's day of issue, terms and validity/due date (ignored for an issued one). */
  preview?: { issueDate: string; terms: string; validUntil: string | null }
  deals: EntityDef
  deal: Row
  dealLines: EntityDef
  /** The deal's live lines. */
  lines: readonly Row[]
  companies?: EntityDef
  /** The deal's company, when it links one that exists. */
  company?: Row
  contacts?: EntityDef
  /** The deal's contacts that exist, in the deal's order. */
  contactRows: readonly Row[]
  workspace: WorkspaceDetails
  locale: string
  /** IANA zone that turns an issue's instant into its calendar day (the viewer's). */
  timeZone: string
}

export function printedDocument(input: PrintedDocumentInput): PrintedDocument {
  const { kind, issued, deals, deal, dealLines: linesDef, locale } = input
  const currencyField = fieldByKey(deals, 'currency')
  const dealCurrency = currencyField ? deal.values[currencyField.id] : undefined
  const lines = [...input.lines].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const totals = dealTotals(dealLineInputs(linesDef, lines), typeof dealCurrency === 'string' && dealCurrency ? dealCurrency : undefined)
  const ids = dealLineFieldIds(linesDef)
  const cell = (row: Row, id: string | undefined) => {
    const field = id ? linesDef.fields.find((f) => f.id === id) : undefined
    return field ? formatFieldValue(field, row.values[field.id] as FieldValue | undefined, { locale }) : ''
  }
  const amountOf = (row: Row) => {
    if (!totals.ok) return ''
    const line = totals.totals.lines.find((l) => l.id === row.id)
    return line ? formatDealMoney(line.net, totals.totals.currency, locale) : ''
  }
  const details = input.workspace
  const address = (entity: EntityDef | undefined, row: Row | undefined) => {
    const field: FieldDef | undefined = entity && fieldByKey(entity, 'address')
    const value = field && row ? row.values[field.id] : undefined
    return typeof value === 'string' ? value : ''
  }
  return {
    kind,
    title: DOCUMENT_TITLES[kind],
    number: issued?.number ?? null,
    issueDate: issued ? calendarDayOf(issued.at, input.timeZone) : input.preview?.issueDate ?? '',
    validUntil: issued ? issued.validUntil : input.preview?.validUntil ?? null,
    validUntilLabel: VALID_UNTIL_LABELS[kind],
    seller: {
      name: details.companyName ?? '', address: details.companyAddress ?? '', taxId: details.taxId ?? '',
      logo: details.logo ?? null, bankDetails: details.bankDetails ?? '',
    },
    customer: {
      company: input.companies && input.company ? recordTitle(input.companies, input.company) : '',
      address: address(input.companies, input.company),
      contacts: input.contacts ? input.contactRows.map((c) => recordTitle(input.contacts!, c)) : [],
    },
    dealTitle: recordTitle(deals, deal),
    lines: lines.map((row) => ({
      id: row.id,
      name: cell(row, ids.name),
      quantity: cell(row, ids.quantity),
      unit: cell(row, ids.unit),
      unitPrice: cell(row, ids.unit_price),
      discountPct: cell(row, ids.discount_pct),
      taxPct: cell(row, ids.tax_pct),
      amount: amountOf(row),
    })),
    totals,
    terms: issued ? issued.terms : input.preview?.terms ?? '',
  }
}

/** The calendar day (`YYYY-MM-DD`) of an instant in `timeZone`. */
export function calendarDayOf(instant: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', calendar: 'gregory', numberingSystem: 'latn' })
    .formatToParts(new Date(instant))
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  return toIsoDate({ year: part('year'), month: part('month'), day: part('day') })
}

/** `YYYY-MM-DD` plus `days` calendar days (a validity or due date). */
export function addCalendarDays(date: string, days: number): string {
  const day = parseIsoDate(date)
  if (!day) throw new RangeError(`"${date}" is not a YYYY-MM-DD day`)
  const t = new Date(Date.UTC(2000, day.month - 1, day.day))
  t.setUTCFullYear(day.year)
  t.setUTCDate(t.getUTCDate() + days)
  return toIsoDate({ year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() })
}

/** A `YYYY-MM-DD` day as the reader's locale writes it in full (`14 March 2026`, `March 14, 2026`). */
export function formatDocumentDate(date: string, locale: string): string {
  const day = parseIsoDate(date)
  if (!day) return date
  const t = new Date(Date.UTC(2000, day.month - 1, day.day))
  t.setUTCFullYear(day.year)
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(t)
}
