import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomId } from '../../src/crdt/randomId'
import { encodeApiRecord } from '../../src/domain/api/apiRecordCodec'
import { convertLead, LeadConversionError, type ConversionChoice, type ConversionPlan, type PlannedRecord } from '../../src/domain/leads/convertLead'
import { findEntity, type EntityDef } from '../../src/domain/schema'
import type { Principal } from '../auth/authenticateToken'
import type { Member } from '../auth/member'
import { decodePathSegment } from '../http/decodePathSegment'
import { readJsonBody } from '../http/readJsonBody'
import { cachedStoredSchema } from '../http/readStoredSchema'
import { derivedId } from './derivedId'
import type { StoredAnswer } from './idempotencyStore'
import { problem } from './problem'
import { copyRow, EMPTY_UPDATE, once, requestHash, sendAnswer, storeChange, type RecordRoutesContext } from './recordRoutes'
import { requireRole } from './requirePrincipal'
import { withStageEdit } from './stageEdit'

const CONVERT_PATH = /^\/leads\/([^/]+)\/convert$/

export function isLeadConversionPath(path: string): boolean {
  return CONVERT_PATH.test(path)
}

/**
 * POST /api/v1/leads/{id}/convert (editor or above), body optional:
 * `{ "contact": id | "new", "company": id | "new" | null, "deal": { "title", "pipeline", "stage" } | null }`.
 * Four documents, no transaction across them: records are written in an order that never leaves
 * a link dangling — the company, the contact (linking it), the deal (linking both), the lead's
 * mark last. With an Idempotency-Key the new records' ids derive from the caller and key, so a
 * retry after a write that failed midway finds what was already written and completes it, and a
 * retry after success gets the first answer again.
 */
export async function handleLeadConversion(req: IncomingMessage, res: ServerResponse, path: string, principal: Principal, context: RecordRoutesContext): Promise<void> {
  if (req.method !== 'POST') throw problem(405, `${req.method} is not allowed here; use POST`, undefined, { Allow: 'POST' })
  requireRole(principal, 'editor')
  const leadId = decodePathSegment(CONVERT_PATH.exec(path)![1]!)
  // the body is optional: no Content-Type means none
  const body = req.headers['content-type'] ? await readJsonBody(req) : {}
  const key = req.headers['idempotency-key']
  const answer = typeof key === 'string'
    ? await once(principal, key, requestHash(req, body), context.idempotency, () => convert(leadId, body, principal, context, `${principal.kind}:${principal.id}\n${key}`))
    : await convert(leadId, body, principal, context, null)
  sendAnswer(res, answer, key)
}

async function convert(leadId: string, body: Record<string, unknown>, principal: Principal, context: RecordRoutesContext, idSeed: string | null): Promise<Omit<StoredAnswer, 'requestHash'>> {
  const choice = parseChoice(body)
  const schema = cachedStoredSchema(context.storage)
  const leads = findEntity(schema, 'leads')
  const contacts = findEntity(schema, 'contacts')
  const companies = findEntity(schema, 'companies')
  if (!leads || !contacts || !companies) throw problem(409, 'this workspace lacks the leads, contacts or companies entity a conversion needs')
  const deals = findEntity(schema, 'deals')
  const [leadStore, contactStore, companyStore] = await Promise.all([leads, contacts, companies, deals].map((e) => e && context.stores.load(e.id)))
  const lead = leadStore!.store.row(leadId)
  if (!lead || !lead.createdAt) throw problem(404, `no lead with id "${leadId}"`)
  const derived = (part: string) => idSeed === null ? randomId() : derivedId(`${idSeed}\n${leadId}\n${part}`)
  let plan: ConversionPlan
  try {
    plan = convertLead({
      entities: { leads, contacts, companies, deals },
      lead,
      contacts: contactStore!.store.rows(),
      companies: companyStore!.store.rows(),
      pipelines: schema.pipelines ?? [],
      choice,
      ids: { contact: derived('contact'), company: derived('company'), deal: derived('deal') },
      fallbackOwner: principal.kind === 'member' ? principal.id : undefined,
    })
  } catch (error) {
    if (!(error instanceof LeadConversionError)) throw error
    throw problem(error.status, error.message, error.field ? [{ field: error.field, message: error.message }] : undefined)
  }
  const author: Member = { id: principal.id, name: principal.name, role: principal.role, createdAt: '' }
  // the deal's first stage change, and its refusal (a lost stage needs a lost_reason) before anything is written
  const dealValues = deals && plan.deal ? withStageEdit(context.storage, deals, undefined, plan.deal.values, principal.id) : undefined
  // each write is the relay's change, stored with what the rules it triggers do (server/automation/relayRules)
  const seedOf = (part: string) => (idSeed === null ? null : `${idSeed}\n${leadId}\n${part}`)
  const write = async (entity: EntityDef, planned: PlannedRecord | null, values = planned?.create ? planned.values : undefined) => {
    if (!planned?.create || !values) return
    const entry = context.stores.get(entity.id)
    // a retry with the same Idempotency-Key finds the record its first attempt wrote, and completes what its rules left unwritten
    const existing = entry.store.row(planned.id)
    const change = existing ? null : entry.store.createRecord(values, { createdBy: principal.id, id: planned.id })
    entry.touched([planned.id])
    const after = copyRow(existing ?? change!.patch.added[0]!)
    await storeChange(context, { entityId: entity.id, update: change?.update ?? EMPTY_UPDATE, changes: [{ entity: entity.id, recordId: planned.id, before: null, after }], author, origin: 'api', seed: seedOf(entity.id), retried: existing !== undefined })
  }
  await write(companies, plan.company)
  await write(contacts, plan.contact)
  if (deals) await write(deals, plan.deal, dealValues)
  const leadEntry = context.stores.get(leads.id)
  const unmarked = copyRow(leadEntry.store.row(leadId)!)
  const mark = leadEntry.store.updateCells(Object.entries(plan.leadValues).map(([fieldId, value]) => ({ recordId: leadId, fieldId, value })))
  leadEntry.touched([leadId])
  await storeChange(context, { entityId: leads.id, update: mark.update, changes: [{ entity: leads.id, recordId: leadId, before: unmarked, after: copyRow(leadEntry.store.row(leadId)!) }], author, origin: 'api', seed: seedOf('lead') })
  const marked = leadEntry.store.row(leadId)!
  const answer = {
    converted_to: { contact: plan.contact.id, company: plan.company?.id ?? null, deal: plan.deal?.id ?? null },
    created: { contact: plan.contact.create, company: plan.company?.create ?? false, deal: plan.deal !== null },
    matches: plan.matches,
    lead: encodeApiRecord(leads, marked, leadEntry.updatedAt(marked)),
  }
  return { status: 200, body: JSON.stringify(answer), location: null }
}

function parseChoice(body: Record<string, unknown>): ConversionChoice {
  const errors: { field: string; message: string }[] = []
  const choice: ConversionChoice = {}
  for (const key of Object.keys(body)) if (!['contact', 'company', 'deal'].includes(key)) errors.push({ field: key, message: 'not a conversion option (contact, company, deal)' })
  if (body.contact !== undefined) {
    if (typeof body.contact === 'string' && body.contact) choice.contact = body.contact
    else errors.push({ field: 'contact', message: 'must be a contact id or "new"' })
  }
  if (body.company !== undefined) {
    if (body.company === null || (typeof body.company === 'string' && body.company)) choice.company = body.company
    else errors.push({ field: 'company', message: 'must be a company id, "new" or null' })
  }
  if (body.deal === null) choice.deal = null
  else if (body.deal !== undefined) {
    if (typeof body.deal !== 'object' || Array.isArray(body.deal)) errors.push({ field: 'deal', message: 'must be an object { title, pipeline, stage } or null' })
    else {
      const deal: NonNullable<ConversionChoice['deal']> = {}
      for (const [key, value] of Object.entries(body.deal as Record<string, unknown>)) {
        if (key !== 'title' && key !== 'pipeline' && key !== 'stage') errors.push({ field: `deal.${key}`, message: 'not a deal option (title, pipeline, stage)' })
        else if (typeof value !== 'string' || !value.trim()) errors.push({ field: `deal.${key}`, message: 'must be a non-empty string' })
        else deal[key] = value
      }
      choice.deal = deal
    }
  }
  if (errors.length) throw problem(422, `the lead was not converted: ${errors.map((e) => e.field).join(', ')} refused`, errors)
  return choice
}
