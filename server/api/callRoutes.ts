import type { IncomingMessage, ServerResponse } from 'node:http'
import { decodeApiRecordBody, encodeApiRecord, type ApiReadContext } from '../../src/domain/api/apiRecordCodec'
import { callActivityBody, unknownCallerLeadBody, type CallLinks } from '../../src/domain/calls/callRecords'
import { matchCallMember } from '../../src/domain/calls/matchCallMember'
import { parseCallBody } from '../../src/domain/calls/parseCallBody'
import { CALL_RINGING_EVENT, type RingingCall } from '../../src/domain/calls/ringingCall'
import { findRowByContact } from '../../src/domain/findRowByContact'
import { formatFieldValue } from '../../src/domain/formatFieldValue'
import { formatPhone } from '../../src/domain/normalizePhone'
import { recordTitle } from '../../src/domain/recordTitle'
import { fieldByKey, findEntity, type EntityDef, type Row, type WorkspaceSchema } from '../../src/domain/schema'
import type { Principal } from '../auth/authenticateToken'
import { isActive, type Member } from '../auth/member'
import { sendJson } from '../http/httpError'
import { readJsonBody } from '../http/readJsonBody'
import { readStoredSchema } from '../http/readStoredSchema'
import { createServerRecord } from './createServerRecord'
import type { EntityStores } from './entityStores'
import type { MemberEvents } from './memberEvents'
import { problem } from './problem'
import type { RecordRoutesContext } from './recordRoutes'
import { requireRole } from './requirePrincipal'

export const CALLS_PATH = '/calls'
export const EVENTS_PATH = '/events'

type CallerRecord = NonNullable<RingingCall['record']>

/**
 * POST /api/v1/calls (editor role or above): a phone system reports a call. A ringing call
 * (`"status": "ringing"`) writes nothing and pops up in the named member's open Kanso with the
 * caller's record (202); a completed one (the default) becomes a `call` activity linked to the
 * contact, company or lead holding the other party's number — an unknown number becomes a new
 * lead unless turned off — and is answered 201 with the activity and its links.
 */
export async function handleCalls(req: IncomingMessage, res: ServerResponse, principal: Principal, context: RecordRoutesContext, events: MemberEvents): Promise<void> {
  if (req.method !== 'POST') throw problem(405, `${req.method} is not allowed here; use POST`, undefined, { Allow: 'POST' })
  requireRole(principal, 'editor')
  const body = await readJsonBody(req)
  const schema = readStoredSchema(context.storage)
  const country = schema.workspace?.defaultCountry
  const parsed = parseCallBody(body, country, new Date())
  const members = context.storage.listMembers().filter(isActive)
  const errors = parsed.ok ? [] : [...parsed.errors]
  let member: Member | null = null
  if (parsed.ok && parsed.call.member) {
    const match = matchCallMember(members, parsed.call.member)
    if (match.ok) member = match.member
    else errors.push({ field: 'member', message: match.reason === 'ambiguous' ? `several members have the email or extension "${parsed.call.member}"; name them by id` : `no active member has the id, email or extension "${parsed.call.member}"` })
  }
  const createLeadFlag = new URL(req.url ?? '/', 'http://relay.invalid').searchParams.get('create_lead')
  if (createLeadFlag !== null && createLeadFlag !== 'true' && createLeadFlag !== 'false') errors.push({ field: 'create_lead', message: 'the query parameter must be true or false' })
  if (!parsed.ok || errors.length) throw problem(422, `the call was not taken: ${errors.map((e) => e.field).join(', ')} refused`, errors)
  const call = parsed.call

  const entities = { contacts: findEntity(schema, 'contacts'), companies: findEntity(schema, 'companies'), leads: findEntity(schema, 'leads'), activities: findEntity(schema, 'activities') }
  const found = findCaller(entities, call.phone, context.stores)
  if (call.status === 'ringing') {
    const caller = found && callerRecord(schema, found, context.stores)
    const ringing: RingingCall = { direction: call.direction, phone: call.phone, phone_display: formatPhone(call.phone, country), started_at: call.startedAt, record: caller }
    const delivered = events.send(member!.id, CALL_RINGING_EVENT, ringing)
    sendJson(res, 202, { status: 'ringing', member: member!.id, record: caller, delivered })
    return
  }

  if (!entities.activities) throw problem(409, 'this workspace has no activities entity to log the call in')
  const author: Member = { id: principal.id, name: principal.name, role: principal.role, createdAt: '' }
  const ownerId = member?.id ?? (principal.kind === 'member' ? principal.id : null)
  const readContext: ApiReadContext = { workspaceCountry: country, members: members.map(({ id, name }) => ({ id, name })) }
  const createLead = call.createLead ?? (createLeadFlag === null ? null : createLeadFlag === 'true') ?? schema.workspace?.callsCreateLeadForUnknown ?? true
  let links: CallLinks = found ? linksOf(found) : { title: formatPhone(call.phone, country) }
  let createdLead = false
  if (!found && createLead && entities.leads) {
    const lead = await createDecoded(entities.leads, unknownCallerLeadBody(entities.leads, call, ownerId, country), readContext, author, context)
    links = { lead: lead.id, title: links.title }
    createdLead = true
  }
  const activity = await createDecoded(entities.activities, callActivityBody(entities.activities, call, links, ownerId, country), readContext, author, context)
  const entry = context.stores.get(entities.activities.id)
  sendJson(res, 201, {
    activity: encodeApiRecord(entities.activities, activity, entry.updatedAt(activity)),
    linked: { contact: links.contact ?? null, company: links.company ?? null, lead: links.lead ?? null, created_lead: createdLead },
  }, { Location: `/api/v1/${entities.activities.key}/${encodeURIComponent(activity.id)}` })
}

/** GET /api/v1/events: the member's event stream (member tokens only: events go to people's browsers). */
export function handleEvents(req: IncomingMessage, res: ServerResponse, principal: Principal, events: MemberEvents): void {
  if (req.method !== 'GET') throw problem(405, `${req.method} is not allowed here; use GET`, undefined, { Allow: 'GET' })
  if (principal.kind !== 'member') throw problem(403, 'the event stream is for members\' browsers; use a member token, not an API key')
  events.open(req, res, principal.id)
}

type Found = { entity: EntityDef; row: Row }

/** Who has the number: a contact first (a person), then a company, then a lead. */
function findCaller(entities: Record<'contacts' | 'companies' | 'leads', EntityDef | undefined>, phone: string, stores: EntityStores): Found | null {
  for (const entity of [entities.contacts, entities.companies, entities.leads]) {
    if (!entity) continue
    const row = findRowByContact(entity, stores.get(entity.id).store.rows(), { phone })
    if (row) return { entity, row }
  }
  return null
}

/** The activity's links: the record found, and a contact's company too. */
function linksOf(found: Found): CallLinks {
  const title = recordTitle(found.entity, found.row)
  if (found.entity.key === 'companies') return { company: found.row.id, title }
  if (found.entity.key === 'leads') return { lead: found.row.id, title }
  const company = companyIdOf(found)
  return { contact: found.row.id, ...(company ? { company } : {}), title }
}

function companyIdOf(found: Found): string | null {
  const field = fieldByKey(found.entity, 'company')
  const value = field?.type === 'link' ? found.row.values[field.id] : undefined
  const id = Array.isArray(value) ? value[0] : value
  return typeof id === 'string' && id ? id : null
}

function callerRecord(schema: WorkspaceSchema, found: Found, stores: EntityStores): CallerRecord {
  let company: string | null = null
  if (found.entity.key === 'companies') company = recordTitle(found.entity, found.row)
  else if (found.entity.key === 'leads') {
    const field = fieldByKey(found.entity, 'company_name')
    const value = field ? found.row.values[field.id] : undefined
    company = field && value != null ? formatFieldValue(field, value, { locale: 'en-US' }) || null : null
  } else {
    const companies = findEntity(schema, 'companies')
    const id = companyIdOf(found)
    const row = companies && id ? stores.get(companies.id).store.row(id) : undefined
    company = companies && row && row.deletedAt === undefined ? recordTitle(companies, row) : null
  }
  return { entity: found.entity.key, id: found.row.id, title: recordTitle(found.entity, found.row), company }
}

async function createDecoded(entity: EntityDef, body: Record<string, unknown>, readContext: ApiReadContext, author: Member, context: RecordRoutesContext): Promise<Row> {
  const decoded = decodeApiRecordBody(entity, body, readContext, false)
  // the bodies are built here from a checked call: a refusal is the workspace's schema (a required custom field, a removed option)
  if (!decoded.ok) throw problem(409, `the call's ${entity.singular.toLowerCase()} does not fit this workspace's ${entity.key}: ${decoded.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, decoded.errors)
  return createServerRecord(entity, decoded.values, author, context, 'call')
}
