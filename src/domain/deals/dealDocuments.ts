import type { Row } from '../schema'

/*
 * A quote or an invoice is a view of the deal, not a copy: issuing one writes a single entry
 * beside the deal's values, `document@<issue id>` → { kind, at, by, terms, valid_until }, once,
 * by whoever issues it (a browser, offline too, or the API), and never edits it. Its number comes
 * later from the relay as `number@<issue id>` → { number, at }: only the relay can count without
 * two offline members taking the same number, so a client never writes `number@` (the layout check
 * refuses it). One sequence per (kind, year); a number is assigned once per issue id and never
 * reused, because the counter only grows and outlives the entries it numbered.
 */

export type DealDocumentKind = 'quote' | 'invoice'

export const DEAL_DOCUMENT_KINDS: readonly DealDocumentKind[] = ['quote', 'invoice']

/** The record-map key of one issued document (not a field id: those have no `@`). */
export const DOCUMENT_ISSUE_KEY = /^document@[A-Za-z0-9_-]{1,40}$/
/** The record-map key of the number the relay assigned to one issued document. */
export const DOCUMENT_NUMBER_KEY = /^number@[A-Za-z0-9_-]{1,40}$/

export const DOCUMENT_TERMS_MAX = 4000
const ID_MAX = 200
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:?\d{2})$/
const ISSUE_ID = /^[A-Za-z0-9_-]{1,40}$/
const PREFIX: Record<DealDocumentKind, string> = { quote: 'Q', invoice: 'INV' }
const NUMBER = /^(?:Q|INV)-\d{4}-\d{4,}$/

export interface DocumentIssue {
  kind: DealDocumentKind
  /** ISO instant of the issue, by the issuer's clock (an offline issue keeps its own time). */
  at: string
  /** The member who issued it. */
  by: string
  terms: string
  /** `YYYY-MM-DD`: a quote's validity date, an invoice's due date; null when none. */
  valid_until: string | null
}

export interface DocumentNumber {
  /** `Q-2026-0001`, `INV-2026-0012`. */
  number: string
  /** ISO instant the relay assigned it. */
  at: string
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isInstant = (v: unknown): v is string => typeof v === 'string' && ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v))

export function isDealDocumentKind(value: unknown): value is DealDocumentKind {
  return value === 'quote' || value === 'invoice'
}

/** A real calendar day written `YYYY-MM-DD` (2026-02-30 is not one). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const t = Date.parse(`${value}T00:00:00Z`)
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value
}

/** Whether a stored value has the shape of an issued document (the relay's layout check). */
export function isDocumentIssue(value: unknown): boolean {
  if (!isPlainObject(value) || Object.keys(value).length !== 5) return false
  return isDealDocumentKind(value.kind) && isInstant(value.at) &&
    typeof value.by === 'string' && value.by.length > 0 && value.by.length <= ID_MAX &&
    typeof value.terms === 'string' && value.terms.length <= DOCUMENT_TERMS_MAX &&
    (value.valid_until === null || isCalendarDate(value.valid_until))
}

/** Whether a stored value has the shape of an assigned number. */
export function isDocumentNumber(value: unknown): boolean {
  if (!isPlainObject(value) || Object.keys(value).length !== 2) return false
  return typeof value.number === 'string' && NUMBER.test(value.number) && isInstant(value.at)
}

export interface IssuedDocument {
  id: string
  kind: DealDocumentKind
  at: string
  by: string
  terms: string
  validUntil: string | null
  /** Null until the relay's number reaches this copy ("pending"). */
  number: string | null
  numberedAt: string | null
}

/** The documents a deal holds, oldest first (ties by id, so every reader orders them alike). */
export function issuedDocumentsOf(row: Row): IssuedDocument[] {
  const values = row.values as Record<string, unknown>
  const docs: IssuedDocument[] = []
  for (const [key, value] of Object.entries(values)) {
    if (!DOCUMENT_ISSUE_KEY.test(key) || !isDocumentIssue(value)) continue
    const issue = value as unknown as DocumentIssue
    const id = key.slice('document@'.length)
    const numbered = values[`number@${id}`]
    const number = isDocumentNumber(numbered) ? numbered as unknown as DocumentNumber : undefined
    docs.push({ id, kind: issue.kind, at: issue.at, by: issue.by, terms: issue.terms, validUntil: issue.valid_until,
      number: number?.number ?? null, numberedAt: number?.at ?? null })
  }
  return docs.sort((a, b) => a.at.localeCompare(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/**
 * The entry that issues one document: `{ [document@<issueId>]: {...} }`, to write to the deal
 * once (not through the undo manager: an issued number is never taken back). `issueId` is a
 * random id from the caller.
 */
export function planDocumentIssue(kind: DealDocumentKind, by: string, now: Date, issueId: string, terms: string,
  validUntil: string | null): Record<string, DocumentIssue> {
  if (!ISSUE_ID.test(issueId)) throw new RangeError(`issue id "${issueId}" is not 1–40 of [A-Za-z0-9_-]`)
  return { [`document@${issueId}`]: { kind, at: now.toISOString(), by, terms, valid_until: validUntil } }
}

/** `YYYY-MM-DD` (UTC) `days` after `now`: the default validity or due date. */
export function dateAfterDays(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10)
}

/** `Q-2026-0001`: the kind's prefix, the year, the sequence padded to 4 (10000 and up just grow). */
export function formatDocumentNumber(kind: DealDocumentKind, year: number, seq: number): string {
  return `${PREFIX[kind]}-${year}-${String(seq).padStart(4, '0')}`
}

/**
 * The year whose sequence numbers an issue: the UTC year of its `at`, but never later than the
 * relay's clock — a client clock set ahead must not open next year's sequence early.
 */
export function documentYear(at: string, now: Date): number {
  const t = Date.parse(at)
  return new Date(Number.isNaN(t) ? now.getTime() : Math.min(t, now.getTime())).getUTCFullYear()
}

/** One sequence's name in a ledger: `quote:2026`. */
export const sequenceKey = (kind: DealDocumentKind, year: number) => `${kind}:${year}`

export interface NumberAssignment { issueId: string; kind: DealDocumentKind; year: number; seq: number; number: string }

/**
 * What the relay has counted: the last sequence number of each (kind, year) and the number of
 * every issue id it has numbered. It never forgets an entry, so a number is never handed out twice.
 */
export interface NumberLedger {
  counters: Readonly<Record<string, number>>
  assigned: Readonly<Record<string, NumberAssignment>>
}

export const emptyNumberLedger: NumberLedger = { counters: {}, assigned: {} }

/**
 * The number of one issue: the one the ledger gave `issueId` before, or the next of its (kind,
 * year) sequence. Returns the grown ledger (the input is left as it was) and whether it was new.
 * The relay's storage keeps the same ledger in SQLite (RelayStorage.assignDocumentNumber).
 */
export function nextDocumentNumber(ledger: NumberLedger, issueId: string, kind: DealDocumentKind, year: number):
  { ledger: NumberLedger; number: NumberAssignment; added: boolean } {
  const known = ledger.assigned[issueId]
  if (known) return { ledger, number: known, added: false }
  const key = sequenceKey(kind, year)
  const seq = (ledger.counters[key] ?? 0) + 1
  const number = { issueId, kind, year, seq, number: formatDocumentNumber(kind, year, seq) }
  return { ledger: { counters: { ...ledger.counters, [key]: seq }, assigned: { ...ledger.assigned, [issueId]: number } }, number, added: true }
}

/**
 * Numbers for `issues` (in the order given — arrival order at the relay), each in the sequence of
 * its documentYear: an issue id the ledger already numbered keeps its number; a new one takes the
 * next number. Returns the grown ledger, every issue's number, and which were new.
 */
export function assignDocumentNumbers(ledger: NumberLedger, issues: readonly { id: string; kind: DealDocumentKind; at: string }[],
  now: Date): { ledger: NumberLedger; numbers: NumberAssignment[]; added: NumberAssignment[] } {
  const numbers: NumberAssignment[] = []
  const added: NumberAssignment[] = []
  for (const issue of issues) {
    const next = nextDocumentNumber(ledger, issue.id, issue.kind, documentYear(issue.at, now))
    ledger = next.ledger
    numbers.push(next.number)
    if (next.added) added.push(next.number)
  }
  return { ledger, numbers, added }
}

/** The documents of a deal that wait for their number. */
export function pendingDocumentsOf(row: Row): IssuedDocument[] {
  return issuedDocumentsOf(row).filter((d) => d.number === null)
}
