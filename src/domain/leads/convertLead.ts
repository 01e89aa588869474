import { findRowByContact } from '../findRowByContact'
import { findStage, livePipelines, liveStages, type Pipeline } from '../pipelines/pipeline'
import { fieldByKey, type EntityDef, type FieldValue, type Row } from '../schema'

/*
 * One-step lead conversion (issue 14): a lead becomes a contact (new or an existing match), a
 * company (new, an existing match, or none) and a deal (or none), and the lead is marked
 * Converted with links to what it became (`converted_contact`, `converted_company`,
 * `converted_deal`; the API answers them together as `converted_to`). Pure: the caller hands in
 * the rows to match against and fresh ids, and writes the plan in the order it lists.
 */

export const CONVERTED_STATUS = 'Converted'

/** What the caller asks for (the API body); absent parts take the defaults. */
export interface ConversionChoice {
  /** An existing contact's id, or "new". Default: the contact matching the lead's email or phone, else new. */
  contact?: string
  /** An existing company's id, "new", or null (none). Default: the company matching the lead's company name, else new when the lead names one, else the linked contact's company, else none. */
  company?: string | null
  /** The deal to create, or null (none). Default: the lead's title, the first pipeline and its first stage. */
  deal?: { title?: string; pipeline?: string; stage?: string } | null
}

export interface ConversionEntities { leads: EntityDef; contacts: EntityDef; companies: EntityDef; deals?: EntityDef }

export interface ConversionInput {
  entities: ConversionEntities
  lead: Row
  contacts: Iterable<Row>
  companies: Iterable<Row>
  pipelines: readonly Pipeline[]
  choice: ConversionChoice
  /** Ids for records the plan creates (random, or derived from an idempotency key so a retry names the same ones). */
  ids: { contact: string; company: string; deal: string }
  /** Owner when the lead has none (the member converting). */
  fallbackOwner?: string
}

/** Existing records offered instead of new ones, with why each matched. */
export interface ConversionMatch { id: string; by: 'email' | 'phone' | 'name' }

/** A part of the conversion: an existing record to link, or one to create with these values (by field id). */
export type PlannedRecord = { id: string; create: false } | { id: string; create: true; values: Record<string, FieldValue> }

export interface ConversionPlan {
  contact: PlannedRecord
  company: PlannedRecord | null
  deal: (PlannedRecord & { create: true }) | null
  /** Values that mark the lead converted: status and the links; written last, so no link dangles. */
  leadValues: Record<string, FieldValue>
  matches: { contacts: ConversionMatch[]; companies: ConversionMatch[] }
}

/** Why a lead cannot be converted as asked: `status` is the HTTP status the API answers. */
export class LeadConversionError extends Error {
  constructor(readonly status: 404 | 409 | 422, message: string, readonly field?: string) {
    super(message)
    this.name = 'LeadConversionError'
  }
}

/** The lead's link fields to what it became (added to older workspaces by the default-field migration). */
export const CONVERTED_LINK_KEYS = { contact: 'converted_contact', company: 'converted_company', deal: 'converted_deal' } as const

export function isConverted(leads: EntityDef, lead: Row): boolean {
  const status = fieldByKey(leads, 'status')
  const contact = fieldByKey(leads, CONVERTED_LINK_KEYS.contact)
  return (status !== undefined && lead.values[status.id] === CONVERTED_STATUS) || (contact !== undefined && !!lead.values[contact.id])
}

export function convertLead(input: ConversionInput): ConversionPlan {
  const { entities, lead, choice } = input
  if (lead.deletedAt !== undefined) throw new LeadConversionError(404, `lead "${lead.id}" was deleted`)
  if (isConverted(entities.leads, lead)) throw new LeadConversionError(409, `lead "${lead.id}" is already converted`)
  const text = (key: string) => textOf(entities.leads, lead, key)
  const owner = valueOf(entities.leads, lead, 'owner') ?? input.fallbackOwner ?? null
  const contactRows = [...input.contacts].filter((r) => r.deletedAt === undefined)
  const companyRows = [...input.companies].filter((r) => r.deletedAt === undefined)
  const person = splitName(text('name'))
  const contactMatches = matchContacts(entities.contacts, contactRows, text('email'), text('phone'), person)
  const companyName = text('company_name')
  const companyMatches = companyName ? matchByName(entities.companies, companyRows, 'name', companyName) : []

  const contactId = choice.contact ?? (contactMatches.find((m) => m.by !== 'name')?.id ?? 'new')
  let contact: PlannedRecord
  if (contactId === 'new') contact = { id: input.ids.contact, create: true, values: {} }
  else {
    if (!contactRows.some((r) => r.id === contactId)) throw new LeadConversionError(422, `no contact with id "${contactId}"`, 'contact')
    contact = { id: contactId, create: false }
  }

  const linkedContactCompany = contact.create ? undefined : linkId(entities.contacts, contactRows.find((r) => r.id === contact.id)!, 'company')
  const companyId = choice.company !== undefined ? choice.company
    : companyMatches[0]?.id ?? (companyName ? 'new' : linkedContactCompany ?? null)
  let company: PlannedRecord | null = null
  if (companyId === 'new') {
    if (!companyName) throw new LeadConversionError(422, 'the lead has no company name to make a new company from', 'company')
    company = { id: input.ids.company, create: true, values: valuesByKey(entities.companies, { name: companyName, owner }) }
  } else if (companyId !== null) {
    if (!companyRows.some((r) => r.id === companyId)) throw new LeadConversionError(422, `no company with id "${companyId}"`, 'company')
    company = { id: companyId, create: false }
  }

  if (contact.create) {
    const fallbackLast = person.last || person.first ? person.last : text('email') ?? text('title') ?? ''
    contact.values = valuesByKey(entities.contacts, {
      first_name: person.first || null,
      last_name: fallbackLast || null,
      email: text('email'),
      phone: text('phone'),
      company: company?.id ?? null,
      owner,
    })
  }

  let deal: ConversionPlan['deal'] = null
  if (choice.deal !== null) {
    if (!entities.deals) throw new LeadConversionError(422, 'this workspace has no deals entity', 'deal')
    const asked = choice.deal ?? {}
    const title = asked.title?.trim() || text('title') || companyName || [person.first, person.last].filter(Boolean).join(' ') || 'Deal'
    const { pipeline, stage } = pickStage(input.pipelines, asked.pipeline, asked.stage)
    const amountField = fieldByKey(entities.leads, 'amount')
    deal = {
      id: input.ids.deal,
      create: true,
      values: valuesByKey(entities.deals, {
        title,
        pipeline,
        stage,
        amount: amountField ? lead.values[amountField.id] ?? null : null,
        owner,
        contacts: [contact.id],
        company: company?.id ?? null,
        source: valueOf(entities.leads, lead, 'source'),
      }),
    }
  }

  const leadValues = valuesByKey(entities.leads, {
    status: CONVERTED_STATUS,
    [CONVERTED_LINK_KEYS.contact]: contact.id,
    [CONVERTED_LINK_KEYS.company]: company?.id ?? null,
    [CONVERTED_LINK_KEYS.deal]: deal?.id ?? null,
  })
  return { contact, company, deal, leadValues, matches: { contacts: contactMatches, companies: companyMatches } }
}

/** "Ada King Lovelace" → first "Ada", last "King Lovelace"; one word is a last name (a contact's title field). */
export function splitName(name: string | null | undefined): { first: string; last: string } {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean)
  if (words.length === 0) return { first: '', last: '' }
  if (words.length === 1) return { first: '', last: words[0]! }
  return { first: words[0]!, last: words.slice(1).join(' ') }
}

/** Contacts holding the lead's email or phone (findRowByContact's rules), then those with its name, without case; each once. */
function matchContacts(contacts: EntityDef, rows: Row[], email: string | null, phone: string | null, person: { first: string; last: string }): ConversionMatch[] {
  const found: ConversionMatch[] = []
  const add = (id: string, by: ConversionMatch['by']) => { if (!found.some((m) => m.id === id)) found.push({ id, by }) }
  // every row holding the key, not only the first: the dialog offers them all
  let rest = rows
  for (const [by, keys] of [['email', { email: email ?? undefined }], ['phone', { phone: phone ?? undefined }]] as const) {
    for (;;) {
      const row = findRowByContact(contacts, rest, keys)
      if (!row) break
      add(row.id, by)
      rest = rest.filter((r) => r.id !== row.id)
    }
    rest = rows
  }
  if (person.last) {
    const full = `${person.first} ${person.last}`.trim().toLowerCase()
    for (const row of rows) {
      const name = `${textOf(contacts, row, 'first_name') ?? ''} ${textOf(contacts, row, 'last_name') ?? ''}`.trim().toLowerCase()
      if (name === full) add(row.id, 'name')
    }
  }
  return found
}

function matchByName(entity: EntityDef, rows: Row[], key: string, name: string): ConversionMatch[] {
  const wanted = name.trim().toLowerCase()
  return rows.filter((row) => textOf(entity, row, key)?.trim().toLowerCase() === wanted).map((row) => ({ id: row.id, by: 'name' as const }))
}

/** The pipeline and stage ids for the deal: each by id or name (without case); default the first pipeline and its first live stage. */
function pickStage(pipelines: readonly Pipeline[], pipelineAsked: string | undefined, stageAsked: string | undefined): { pipeline: string | null; stage: string | null } {
  const live = livePipelines(pipelines)
  const named = <T extends { id: string; name: string }>(items: T[], asked: string): T | undefined => items.find((i) => i.id === asked) ?? items.find((i) => i.name.toLowerCase() === asked.trim().toLowerCase())
  let pipeline = pipelineAsked !== undefined ? named(live, pipelineAsked) : undefined
  if (pipelineAsked !== undefined && !pipeline) throw new LeadConversionError(422, `no pipeline "${pipelineAsked}"`, 'deal.pipeline')
  if (stageAsked !== undefined) {
    const stages = pipeline ? liveStages(pipeline) : live.flatMap(liveStages)
    const stage = named(stages, stageAsked)
    if (!stage) throw new LeadConversionError(422, `no stage "${stageAsked}"${pipeline ? ` in pipeline "${pipeline.name}"` : ''}`, 'deal.stage')
    pipeline ??= findStage(live, stage.id)?.pipeline
    return { pipeline: pipeline?.id ?? null, stage: stage.id }
  }
  pipeline ??= live[0]
  return { pipeline: pipeline?.id ?? null, stage: pipeline ? liveStages(pipeline)[0]?.id ?? null : null }
}

/** Values by field id for the keys the entity has (a workspace may have removed a field); nulls are left out. */
function valuesByKey(entity: EntityDef, byKey: Record<string, FieldValue | null | undefined>): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {}
  for (const [key, value] of Object.entries(byKey)) {
    const field = fieldByKey(entity, key)
    if (field && value !== null && value !== undefined && value !== '') values[field.id] = value
  }
  return values
}

function valueOf(entity: EntityDef, row: Row, key: string): FieldValue | null {
  const field = fieldByKey(entity, key)
  return field ? row.values[field.id] ?? null : null
}

function textOf(entity: EntityDef, row: Row, key: string): string | null {
  const value = valueOf(entity, row, key)
  return typeof value === 'string' && value.trim() ? value.trim() : null
}

function linkId(entity: EntityDef, row: Row, key: string): string | undefined {
  const value = valueOf(entity, row, key)
  const id = Array.isArray(value) ? value[0] : value
  return typeof id === 'string' && id ? id : undefined
}
