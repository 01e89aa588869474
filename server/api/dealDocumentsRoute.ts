import type { IncomingMessage, ServerResponse } from 'node:http'
import { entityDocName } from '../../src/crdt/docNames'
import { randomId } from '../../src/crdt/randomId'
import {
  dateAfterDays, DOCUMENT_TERMS_MAX, documentYear, isCalendarDate, isDealDocumentKind, isDocumentNumber, issuedDocumentsOf, planDocumentIssue,
  type DealDocumentKind,
} from '../../src/domain/deals/dealDocuments'
import { findEntity, type FieldValue } from '../../src/domain/schema'
import { documentDefaults } from '../../src/domain/workspace/workspaceDetails'
import type { Principal } from '../auth/authenticateToken'
import type { Member } from '../auth/member'
import { numberEntry } from '../deals/documentNumberFollower'
import { decodePathSegment } from '../http/decodePathSegment'
import { readJsonBody } from '../http/readJsonBody'
import { cachedStoredSchema } from '../http/readStoredSchema'
import { apiDealDocument } from './apiDealDocument'
import { derivedId } from './derivedId'
import type { StoredAnswer } from './idempotencyStore'
import { problem, type FieldProblem } from './problem'
import { once, requestHash, sendAnswer, type RecordRoutesContext } from './recordRoutes'
import { requireRole } from './requirePrincipal'

const DOCUMENTS_PATH = /^\/deals\/([^/]+)\/documents$/
const BODY_KEYS = new Set(['kind', 'terms', 'valid_until'])

export function isDealDocumentsPath(path: string): boolean {
  return DOCUMENTS_PATH.test(path)
}

/**
 * POST /api/v1/deals/{id}/documents (editor or above): `{ "kind": "quote" | "invoice", "terms"?,
 * "valid_until"? }` issues a quote or an invoice of the deal and answers 201 with its number.
 * Terms and the validity (quote) or due date (invoice) default to the workspace details. The
 * relay numbers it at once (the counter is committed before the deal is written) and writes the
 * `document@` and `number@` entries in one update. With an Idempotency-Key the issue id derives
 * from the caller and key, so a retry after a write that failed finds the same number (assigned
 * once per issue id) and a retry after success gets the first answer again.
 */
export async function handleDealDocuments(req: IncomingMessage, res: ServerResponse, path: string, principal: Principal, context: RecordRoutesContext): Promise<void> {
  if (req.method !== 'POST') throw problem(405, `${req.method} is not allowed here; use POST`, undefined, { Allow: 'POST' })
  requireRole(principal, 'editor')
  const dealId = decodePathSegment(DOCUMENTS_PATH.exec(path)![1]!)
  const body = await readJsonBody(req)
  const key = req.headers['idempotency-key']
  const answer = typeof key === 'string'
    ? await once(principal, key, requestHash(req, body), context.idempotency, () => issue(dealId, body, principal, context, `${principal.kind}:${principal.id}\n${key}`))
    : await issue(dealId, body, principal, context, null)
  sendAnswer(res, answer, key)
}

interface IssueRequest { kind: DealDocumentKind; terms?: string; validUntil?: string | null }

function parseIssue(body: Record<string, unknown>): IssueRequest {
  const errors: FieldProblem[] = []
  for (const key of Object.keys(body)) if (!BODY_KEYS.has(key)) errors.push({ field: key, message: 'is not a property of a document; send kind, terms, valid_until' })
  if (!isDealDocumentKind(body.kind)) errors.push({ field: 'kind', message: `must be "quote" or "invoice"${body.kind === undefined ? '' : `, not ${JSON.stringify(body.kind)}`}` })
  if (body.terms !== undefined && (typeof body.terms !== 'string' || body.terms.length > DOCUMENT_TERMS_MAX)) {
    errors.push({ field: 'terms', message: typeof body.terms === 'string' ? `has ${body.terms.length} characters, at most ${DOCUMENT_TERMS_MAX} fit` : 'must be a string' })
  }
  if (body.valid_until !== undefined && body.valid_until !== null && !isCalendarDate(body.valid_until)) {
    errors.push({ field: 'valid_until', message: `must be a date YYYY-MM-DD or null, not ${JSON.stringify(body.valid_until)}` })
  }
  if (errors.length) throw problem(422, `the document was not issued: ${errors.map((e) => e.field).join(', ')} refused`, errors)
  return { kind: body.kind as DealDocumentKind, terms: body.terms as string | undefined, validUntil: body.valid_until as string | null | undefined }
}

async function issue(dealId: string, body: Record<string, unknown>, principal: Principal, context: RecordRoutesContext, idSeed: string | null): Promise<Omit<StoredAnswer, 'requestHash'>> {
  const request = parseIssue(body)
  const schema = cachedStoredSchema(context.storage)
  const deals = findEntity(schema, 'deals')
  if (!deals) throw problem(404, 'this workspace has no deals')
  const entry = await context.stores.load(deals.id)
  const deal = entry.store.row(dealId)
  if (!deal || !deal.createdAt || deal.deletedAt !== undefined) throw problem(404, `no deal with id "${dealId}"`)
  const issueId = idSeed === null ? randomId() : derivedId(`${idSeed}\n${dealId}\ndocument`)
  const now = new Date()
  // a retry whose first attempt wrote the issue keeps what it wrote
  const before = issuedDocumentsOf(deal).find((d) => d.id === issueId)
  const kind = before?.kind ?? request.kind
  const issueAt = before?.at ?? now.toISOString()
  // counted before the deal is written: a write that fails leaves a gap, never a number used twice
  const { number } = context.storage.assignDocumentNumber(issueId, kind, documentYear(issueAt, now))
  const changes: { recordId: string; fieldId: string; value: FieldValue }[] = []
  if (!before) {
    const defaults = documentDefaults(schema.workspace ?? {}, schema.workspace?.defaultCountry)
    const days = kind === 'quote' ? defaults.quoteValidDays : defaults.invoiceDueDays
    const terms = request.terms ?? (kind === 'quote' ? defaults.quoteTerms : defaults.invoiceTerms)
    const validUntil = request.validUntil === undefined ? dateAfterDays(now, days) : request.validUntil
    for (const [fieldId, value] of Object.entries(planDocumentIssue(kind, principal.id, now, issueId, terms, validUntil))) {
      changes.push({ recordId: dealId, fieldId, value: value as unknown as FieldValue })
    }
  }
  if (!isDocumentNumber(deal.values[`number@${issueId}`])) changes.push({ recordId: dealId, ...numberEntry(issueId, number, now) })
  if (changes.length) {
    const author: Member = { id: principal.id, name: principal.name, role: principal.role, createdAt: '' }
    const change = entry.store.updateCells(changes)
    entry.touched([dealId])
    try {
      await context.sync.writeServerUpdate(entityDocName(deals.id), change.update, author, 'api')
    } catch (error) {
      context.stores.drop(deals.id)
      throw error
    }
  }
  const issued = issuedDocumentsOf(entry.store.row(dealId)!).find((d) => d.id === issueId)!
  return { status: 201, body: JSON.stringify(apiDealDocument(issued)), location: `/api/v1/deals/${encodeURIComponent(dealId)}` }
}
