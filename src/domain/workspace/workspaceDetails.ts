import { isKnownCurrency } from '../currencyDigits'

/*
 * The workspace's own details, printed on its quotes and invoices (issue 14): who sends them,
 * their logo, the terms and dates they carry by default and the paper they are printed on; and
 * what reports read (issue 17): the time zone their dates fall in and the rates money in other
 * currencies is converted at. Each is its own entry of the schema document's `workspace` map, so two admins editing
 * different details both win. The rules here are the one check of a detail: the setters refuse
 * with them, the reader reads a value that fails them as unset, and the relay's layout check
 * refuses an update that stores one.
 */

export type PaperSize = 'A4' | 'Letter'

export interface WorkspaceDetails {
  companyName?: string
  /** Multi-line, as printed under the name. */
  companyAddress?: string
  taxId?: string
  /** Multi-line: IBAN, BIC, bank name, as printed at the foot of an invoice. */
  bankDetails?: string
  /** A base64 `data:` URL of a PNG, JPEG, WebP or SVG image, at most LOGO_MAX_LENGTH characters. */
  logo?: string
  /** Printed on a new quote (and used by the API when a quote is issued without terms). */
  quoteTerms?: string
  invoiceTerms?: string
  /** A new quote is valid this many days after its issue (1–365; default 30). */
  quoteValidDays?: number
  /** A new invoice is due this many days after its issue (0–365; default 14). */
  invoiceDueDays?: number
  /** Default: Letter where the workspace's country is the US or Canada, else A4. */
  paperSize?: PaperSize
  /** IANA time zone reports bucket dates and read "this month" in (unset: UTC). */
  timeZone?: string
  /** The currency reports convert money into (unset: the deals' amount field's currency). */
  reportCurrency?: string
  /**
   * What one unit of a currency is worth in `reportCurrency` (`{ USD: 0.92 }`), as an admin keeps
   * them in Settings. One entry for the whole table: rates are updated together, from one source.
   */
  currencyRates?: Record<string, number>
}

export type WorkspaceDetailKey = keyof WorkspaceDetails

/** The most characters of a logo's data: URL (96 KB: the schema document syncs to every member). */
export const LOGO_MAX_LENGTH = 96 * 1024
export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/svg+xml'] as const
/** The terms of a document, as written once on it (dealDocuments' `terms` has the same bound). */
export const TERMS_MAX_LENGTH = 4000
export const DEFAULT_QUOTE_VALID_DAYS = 30
export const DEFAULT_INVOICE_DUE_DAYS = 14

const LOGO_DATA_URL = /^data:image\/(?:png|jpeg|webp|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/
const LETTER_COUNTRIES = new Set(['US', 'CA'])

/** What a detail holds: its label for messages and the check of a value. */
const RULES: Record<WorkspaceDetailKey, { label: string; problem: (v: unknown) => string | null }> = {
  companyName: { label: 'Company name', problem: (v) => textProblem(v, 200) },
  companyAddress: { label: 'Address', problem: (v) => textProblem(v, 1000) },
  taxId: { label: 'Tax id', problem: (v) => textProblem(v, 100) },
  bankDetails: { label: 'Bank details', problem: (v) => textProblem(v, 1000) },
  logo: { label: 'Logo', problem: logoProblem },
  quoteTerms: { label: 'Quote terms', problem: (v) => textProblem(v, TERMS_MAX_LENGTH) },
  invoiceTerms: { label: 'Invoice terms', problem: (v) => textProblem(v, TERMS_MAX_LENGTH) },
  quoteValidDays: { label: 'Quote validity (days)', problem: (v) => daysProblem(v, 1) },
  invoiceDueDays: { label: 'Invoice due (days)', problem: (v) => daysProblem(v, 0) },
  paperSize: { label: 'Paper size', problem: (v) => (v === 'A4' || v === 'Letter' ? null : 'is neither A4 nor Letter') },
  timeZone: { label: 'Time zone', problem: timeZoneProblem },
  reportCurrency: { label: 'Report currency', problem: (v) => (typeof v === 'string' && isKnownCurrency(v) ? null : 'is not an ISO 4217 currency code (EUR, USD, …)') },
  currencyRates: { label: 'Currency rates', problem: currencyRatesProblem },
}

export const WORKSPACE_DETAIL_KEYS = Object.keys(RULES) as WorkspaceDetailKey[]

export function isWorkspaceDetailKey(key: string): key is WorkspaceDetailKey {
  return Object.hasOwn(RULES, key)
}

/** Why `value` cannot be stored as the detail `key` ("Logo is …"), or null when it can. */
export function workspaceDetailProblem(key: WorkspaceDetailKey, value: unknown): string | null {
  const rule = RULES[key]
  const problem = rule.problem(value)
  return problem === null ? null : `${rule.label} ${problem}`
}

function textProblem(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return 'is not text'
  return value.length > max ? `has ${value.length} characters, at most ${max} fit` : null
}

function daysProblem(value: unknown, min: number): string | null {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= 365 ? null : `is not a whole number of days from ${min} to 365`
}

function timeZoneProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 64) return 'is not a time zone name'
  try {
    new Intl.DateTimeFormat('en', { timeZone: value })
    return null
  } catch (error) {
    if (error instanceof RangeError) return `"${value}" is not a time zone Intl knows (e.g. Europe/Berlin)`
    throw error
  }
}

/** At most this many currencies in the rates table (Intl knows ~300). */
export const CURRENCY_RATES_MAX = 400

function currencyRatesProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'are not a table of currency → rate'
  const entries = Object.entries(value)
  if (entries.length > CURRENCY_RATES_MAX) return `hold ${entries.length} currencies, at most ${CURRENCY_RATES_MAX} fit`
  for (const [code, rate] of entries) {
    if (!isKnownCurrency(code)) return `name "${code.slice(0, 20)}", which is not an ISO 4217 currency code`
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) return `give ${code} a rate that is not a positive number`
  }
  return null
}

function logoProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'is not an image'
  if (value.length > LOGO_MAX_LENGTH) return `is ${Math.ceil(value.length / 1024)} KB, at most ${LOGO_MAX_LENGTH / 1024} KB fit`
  return LOGO_DATA_URL.test(value) ? null : 'is not a PNG, JPEG, WebP or SVG image as a base64 data: URL'
}

/** The details of a stored `workspace` map; a value that breaks its rule (any client can write) reads as unset. */
export function readWorkspaceDetails(get: (key: string) => unknown): WorkspaceDetails {
  const details: Record<string, unknown> = {}
  for (const key of WORKSPACE_DETAIL_KEYS) {
    const value = get(key)
    if (value !== undefined && RULES[key].problem(value) === null) details[key] = value
  }
  return details as WorkspaceDetails
}

/** What a new document uses when a detail is unset. */
export interface DocumentDefaults {
  quoteTerms: string
  invoiceTerms: string
  quoteValidDays: number
  invoiceDueDays: number
  paperSize: PaperSize
}

/** The details a new quote or invoice takes, the defaults filled in (`country`: the workspace's default country). */
export function documentDefaults(details: WorkspaceDetails, country: string | undefined): DocumentDefaults {
  return {
    quoteTerms: details.quoteTerms ?? '',
    invoiceTerms: details.invoiceTerms ?? '',
    quoteValidDays: details.quoteValidDays ?? DEFAULT_QUOTE_VALID_DAYS,
    invoiceDueDays: details.invoiceDueDays ?? DEFAULT_INVOICE_DUE_DAYS,
    paperSize: details.paperSize ?? (country && LETTER_COUNTRIES.has(country) ? 'Letter' : 'A4'),
  }
}
