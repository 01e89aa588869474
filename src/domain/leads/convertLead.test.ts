import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import { pipelineFromStageNames } from '../pipelines/pipeline'
import { findEntity, type Row } from '../schema'
import { convertLead, LeadConversionError, splitName, type ConversionChoice } from './convertLead'

const schema = defaultSchema()
const entities = { leads: findEntity(schema, 'leads')!, contacts: findEntity(schema, 'contacts')!, companies: findEntity(schema, 'companies')!, deals: findEntity(schema, 'deals')! }
const pipelines = [pipelineFromStageNames(['New', 'Qualified', 'Won', 'Lost']), { ...pipelineFromStageNames(['Intro', 'Signed'], 'partners', 'Partners'), order: 1 }]
const row = (id: string, values: Row['values'], deletedAt?: string): Row => ({ id, values, createdAt: '2026-01-01T00:00:00Z', createdBy: 'm', ...(deletedAt ? { deletedAt } : {}) })
const ids = { contact: 'newContact', company: 'newCompany', deal: 'newDeal' }

const lead = row('L1', {
  'leads.title': 'Website relaunch',
  'leads.name': 'Ada King Lovelace',
  'leads.company_name': 'Analytical Engines',
  'leads.email': 'ada@engines.example',
  'leads.phone': '+49301234567',
  'leads.status': 'Qualified',
  'leads.source': 'Website',
  'leads.owner': 'alice',
})

function plan(choice: ConversionChoice = {}, contacts: Row[] = [], companies: Row[] = [], theLead = lead) {
  return convertLead({ entities, lead: theLead, contacts, companies, pipelines, choice, ids, fallbackOwner: 'me' })
}

describe('convertLead', () => {
  it('without matches: a new contact (name split, email, phone, company link, owner), a new company and a deal in the first stage', () => {
    const p = plan()
    expect(p.company).toEqual({ id: 'newCompany', create: true, values: { 'companies.name': 'Analytical Engines', 'companies.owner': 'alice' } })
    expect(p.contact).toEqual({ id: 'newContact', create: true, values: {
      'contacts.first_name': 'Ada', 'contacts.last_name': 'King Lovelace', 'contacts.email': 'ada@engines.example',
      'contacts.phone': '+49301234567', 'contacts.company': 'newCompany', 'contacts.owner': 'alice',
    } })
    expect(p.deal).toEqual({ id: 'newDeal', create: true, values: {
      'deals.title': 'Website relaunch', 'deals.pipeline': 'sales', 'deals.stage': 'sales.new', 'deals.owner': 'alice',
      'deals.contacts': ['newContact'], 'deals.company': 'newCompany', 'deals.source': 'Website',
    } })
    expect(p.leadValues).toEqual({ 'leads.status': 'Converted', 'leads.converted_contact': 'newContact', 'leads.converted_company': 'newCompany', 'leads.converted_deal': 'newDeal' })
    expect(p.matches).toEqual({ contacts: [], companies: [] })
  })

  it('links the contact matching the email (without case) or phone, and offers name matches without taking them', () => {
    const contacts = [
      row('byName', { 'contacts.first_name': 'ada king', 'contacts.last_name': 'LOVELACE' }),
      row('byEmail', { 'contacts.email': 'ADA@engines.example', 'contacts.company': 'acme' }),
      row('byPhone', { 'contacts.phone': '+49301234567 ext. 9' }),
      row('deleted', { 'contacts.email': 'ada@engines.example' }, '2026-02-01T00:00:00Z'),
    ]
    const p = plan({}, contacts, [row('ae', { 'companies.name': ' analytical engines ' })])
    expect(p.matches.contacts).toEqual([{ id: 'byEmail', by: 'email' }, { id: 'byPhone', by: 'phone' }, { id: 'byName', by: 'name' }])
    expect(p.contact).toEqual({ id: 'byEmail', create: false })
    expect(p.matches.companies).toEqual([{ id: 'ae', by: 'name' }])
    expect(p.company).toEqual({ id: 'ae', create: false })
    expect(p.deal?.values).toMatchObject({ 'deals.contacts': ['byEmail'], 'deals.company': 'ae' })
    // only a name in common: offered, a new contact is made
    expect(plan({}, [contacts[0]!]).contact.create).toBe(true)
  })

  it('follows the choice: "new" despite a match, no company, no deal, a stage by name in another pipeline', () => {
    const contacts = [row('byEmail', { 'contacts.email': 'ada@engines.example' })]
    const p = plan({ contact: 'new', company: null, deal: { title: 'Pilot', stage: 'signed' } }, contacts)
    expect(p.contact.create).toBe(true)
    expect(p.company).toBeNull()
    expect(p.contact.create && p.contact.values['contacts.company']).toBeUndefined()
    expect(p.deal?.values).toMatchObject({ 'deals.title': 'Pilot', 'deals.pipeline': 'partners', 'deals.stage': 'partners.signed' })
    expect(p.deal?.values['deals.company']).toBeUndefined()
    const none = plan({ deal: null, company: null })
    expect(none.deal).toBeNull()
    expect(none.leadValues).toEqual({ 'leads.status': 'Converted', 'leads.converted_contact': 'newContact' })
  })

  it('a linked contact without a company match brings its own company; the lead owner falls back to the member converting', () => {
    const noCompanyName = row('L2', { 'leads.email': 'bo@x.example', 'leads.name': 'Bo' })
    const p = plan({}, [row('bo', { 'contacts.email': 'bo@x.example', 'contacts.company': 'acme' })], [row('acme', { 'companies.name': 'Acme' })], noCompanyName)
    expect(p.company).toEqual({ id: 'acme', create: false })
    expect(p.deal?.values).toMatchObject({ 'deals.title': 'Bo', 'deals.owner': 'me', 'deals.company': 'acme' })
    const fresh = plan({}, [], [], noCompanyName)
    expect(fresh.company).toBeNull()
    expect(fresh.contact).toMatchObject({ values: { 'contacts.last_name': 'Bo', 'contacts.owner': 'me' } })
  })

  it('refuses an already converted lead (409), a deleted one (404), unknown ids and stages (422)', () => {
    const refusal = (fn: () => unknown) => {
      try { fn() } catch (error) { if (error instanceof LeadConversionError) return [error.status, error.field]; throw error }
      return null
    }
    expect(refusal(() => plan({}, [], [], row('L3', { 'leads.status': 'Converted' })))).toEqual([409, undefined])
    expect(refusal(() => plan({}, [], [], row('L4', { 'leads.converted_contact': 'c' })))).toEqual([409, undefined])
    expect(refusal(() => plan({}, [], [], row('L5', {}, '2026-02-01T00:00:00Z')))).toEqual([404, undefined])
    expect(refusal(() => plan({ contact: 'nobody' }))).toEqual([422, 'contact'])
    expect(refusal(() => plan({ company: 'nothing' }))).toEqual([422, 'company'])
    expect(refusal(() => plan({ deal: { stage: 'Nowhere' } }))).toEqual([422, 'deal.stage'])
    expect(refusal(() => plan({ deal: { pipeline: 'Partners', stage: 'Won' } }))).toEqual([422, 'deal.stage'])
    expect(refusal(() => plan({ company: 'new' }, [], [], row('L6', { 'leads.name': 'No Company' })))).toEqual([422, 'company'])
  })
})

describe('splitName', () => {
  it('splits the first word from the rest; one word is a last name', () => {
    expect(splitName('  Ada   King Lovelace ')).toEqual({ first: 'Ada', last: 'King Lovelace' })
    expect(splitName('Cher')).toEqual({ first: '', last: 'Cher' })
    expect(splitName('')).toEqual({ first: '', last: '' })
    expect(splitName(null)).toEqual({ first: '', last: '' })
  })
})
