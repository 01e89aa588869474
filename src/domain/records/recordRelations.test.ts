import { describe, expect, test } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import type { Row, WorkspaceSchema } from '../schema'
import { newRelatedValues, newestFirst, recordRelations, type InboundRelation } from './recordRelations'

const schema = defaultSchema()
const inbound = (entity: string) => recordRelations(schema, entity).filter((r): r is InboundRelation => r.kind === 'inbound')
const summary = (entity: string) => recordRelations(schema, entity).map((r) => (r.kind === 'outbound' ? `→ ${r.field.key}` : `← ${r.source.key}${r.via ? ` (${r.via})` : ''}`))

describe('recordRelations', () => {
  test('a company: its contacts, deals and activities, and the leads that became it', () => {
    expect(summary('companies')).toEqual(['← leads (Converted to company)', '← contacts', '← deals', '← activities'])
  })

  test('a contact: its company, then its deals and activities', () => {
    expect(summary('contacts')).toEqual(['→ company', '← leads (Converted to contact)', '← deals', '← activities (Related to)'])
  })

  test('a deal: company and contacts, then its activities and lines', () => {
    expect(summary('deals')).toEqual(['→ company', '→ contacts', '← leads (Converted to deal)', '← activities', '← deal_lines'])
  })

  test('a lead: its conversion links', () => {
    expect(summary('leads').filter((s) => s.startsWith('→'))).toEqual(['→ converted_contact', '→ converted_company', '→ converted_deal'])
  })

  test('read from the schema: a custom link field shows, a removed one does not', () => {
    const custom: WorkspaceSchema = structuredClone(schema)
    const products = custom.entities.find((e) => e.key === 'products')!
    products.fields.push({ id: 'p.maker', key: 'maker', label: 'Maker', type: 'link', linkEntity: 'companies', order: 99 })
    custom.entities.find((e) => e.key === 'contacts')!.fields.find((f) => f.key === 'company')!.deletedAt = '2026-01-01T00:00:00Z'
    expect(recordRelations(custom, 'companies').map((r) => (r.kind === 'inbound' ? r.source.key : ''))).toEqual(['leads', 'deals', 'products', 'activities'])
  })
})

describe('newRelatedValues', () => {
  test('a contact of a company: the link and first and last name', () => {
    const contacts = inbound('companies').find((r) => r.source.key === 'contacts')!
    expect(newRelatedValues(contacts, 'acme', '  Ann  van Lee ')).toEqual({ 'contacts.company': 'acme', 'contacts.first_name': 'Ann van', 'contacts.last_name': 'Lee' })
    expect(newRelatedValues(contacts, 'acme', 'Cher')).toEqual({ 'contacts.company': 'acme', 'contacts.last_name': 'Cher' })
  })

  test('an activity on a deal; a deal of a contact is a multiple link', () => {
    const activities = inbound('deals').find((r) => r.source.key === 'activities')!
    expect(newRelatedValues(activities, 'd1', 'Call back')).toEqual({ 'activities.related_deal': 'd1', 'activities.subject': 'Call back' })
    const deals = inbound('contacts').find((r) => r.source.key === 'deals')!
    expect(newRelatedValues(deals, 'c1', '')).toEqual({ 'deals.contacts': ['c1'] })
  })
})

test('newestFirst', () => {
  const row = (id: string, createdAt: string): Row => ({ id, values: {}, createdAt, createdBy: 'm' })
  expect(newestFirst([row('a', '2026-01-01'), row('c', '2026-03-01'), row('b', '2026-03-01')]).map((r) => r.id)).toEqual(['b', 'c', 'a'])
})
