import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import type { FieldValue, Row, WorkspaceSchema } from '../schema'
import { SearchIndex, type SearchGroup } from './searchIndex'

const AT = '2026-01-01T00:00:00.000Z'
const row = (id: string, values: Record<string, FieldValue>): Row => ({ id, values, createdAt: AT, createdBy: 'm1' })

function workspace(country = 'DE'): WorkspaceSchema {
  return { ...defaultSchema(), workspace: { defaultCountry: country } }
}

/** `entity:id` of every hit, in the order shown. */
const ids = (groups: SearchGroup[]) => groups.flatMap((g) => g.hits.map((h) => `${g.entity.key}:${h.row.id}`))

function indexWith(rows: Record<string, Row[]>, schema = workspace()): SearchIndex {
  const index = new SearchIndex(schema)
  for (const [entityId, list] of Object.entries(rows)) index.put(entityId, list)
  return index
}

describe('SearchIndex: phones in any format', () => {
  const index = indexWith({
    contacts: [
      row('anna', { 'contacts.first_name': 'Anna', 'contacts.last_name': 'Schmidt', 'contacts.phone': '+49301234567' }),
      row('ben', { 'contacts.first_name': 'Ben', 'contacts.last_name': 'Weber', 'contacts.phone': '+41441234567 ext. 12' }),
      row('cleo', { 'contacts.first_name': 'Cleo', 'contacts.last_name': 'Roth', 'contacts.phone': '+49891112223' }),
    ],
  })

  it.each([
    ['030 1234567'], ['0301234567'], ['(030) 123-4567'], ['030/1234567'], ['+49 30 1234567'], ['0049 30 1234567'], ['+49301234567'],
  ])('%s finds the contact stored as +49301234567, as an exact match', (q) => {
    const [first] = index.query(q)[0]!.hits
    expect(first!.row.id).toBe('anna')
    expect(first!.kind).toBe('exact')
    expect(first!.field.key).toBe('phone')
    expect(first!.value).toBe('+49301234567')
  })

  it('finds a number while it is typed (its start) and by its end without the area code', () => {
    expect(ids(index.query('030 12'))).toEqual(['contacts:anna'])
    expect(index.query('030 12')[0]!.hits[0]!.kind).toBe('prefix')
    // national digits meet any country's number at its end: the Swiss one and the German one
    expect(ids(index.query('1234567')).sort()).toEqual(['contacts:anna', 'contacts:ben'])
    expect(index.query('044 1234567')[0]!.hits.map((h) => h.row.id)).toEqual(['ben'])
  })

  it('reads a national number with the workspace country: in the US, 030 is not Berlin', () => {
    const us = indexWith({ contacts: [row('anna', { 'contacts.last_name': 'Schmidt', 'contacts.phone': '+49301234567' })] }, workspace('US'))
    const [hit] = us.query('030 1234567')[0]!.hits
    // still found by its end, but not as the exact number
    expect(hit!.row.id).toBe('anna')
    expect(hit!.kind).toBe('word')
  })

  it('does not take letters or a lone digit for a phone', () => {
    expect(index.query('5')).toEqual([])
    expect(index.query('Anna 030')).toEqual([])
  })
})

describe('SearchIndex: case and accents', () => {
  const index = indexWith({
    contacts: [
      row('zoe', { 'contacts.first_name': 'Zoé', 'contacts.last_name': 'Müller', 'contacts.email': 'Zoe.Mueller@Example.COM' }),
      row('jan', { 'contacts.first_name': 'Jan', 'contacts.last_name': 'Straße' }),
      row('yil', { 'contacts.first_name': 'Umut', 'contacts.last_name': 'Yılmaz' }),
    ],
  })

  it.each([
    ['zoe', 'zoe'], ['ZOÉ', 'zoe'], ['muller', 'zoe'], ['MÜLLER', 'zoe'], ['zoe.mueller@example.com', 'zoe'], ['strasse', 'jan'], ['yilmaz', 'yil'],
  ])('%s finds %s', (q, id) => {
    expect(ids(index.query(q))).toContain(`contacts:${id}`)
  })

  it('folds the stored side too: a plain query meets an accented value and the other way round', () => {
    const plain = indexWith({ companies: [row('c', { 'companies.name': 'Societe Generale' })] })
    expect(ids(plain.query('Société'))).toEqual(['companies:c'])
  })
})

describe('SearchIndex: ranking and grouping', () => {
  it('ranks exact, then the value\'s start, then a word\'s start, then anywhere; name fields first within a kind', () => {
    const index = indexWith({
      companies: [
        row('contains', { 'companies.name': 'Novaris' }),
        row('word', { 'companies.name': 'Alpen Aris' }),
        row('prefix', { 'companies.name': 'Arista Labs' }),
        row('exact', { 'companies.name': 'Aris' }),
        row('prefixOther', { 'companies.name': 'Zeta', 'companies.email': 'aris.team@zeta.example' }),
      ],
    })
    const [group] = index.query('aris')
    expect(group!.hits.map((h) => [h.row.id, h.kind])).toEqual([
      ['exact', 'exact'], ['prefix', 'prefix'], ['prefixOther', 'prefix'], ['word', 'word'], ['contains', 'contains'],
    ])
    expect(group!.hits.map((h) => h.score)).toEqual([9, 7, 6, 5, 3])
    expect(group!.hits[2]!.field.key).toBe('email')
  })

  it('one or two letters match starts only, not the middle of a word', () => {
    const index = indexWith({ companies: [row('a', { 'companies.name': 'Delta Nord' }), row('b', { 'companies.name': 'Nordic' }), row('c', { 'companies.name': 'Canada' })] })
    expect(ids(index.query('no'))).toEqual(['companies:b', 'companies:a'])
    expect(ids(index.query('d'))).toEqual(['companies:a'])
    expect(ids(index.query('nad'))).toEqual(['companies:c'])
  })

  it('puts the group with the best hit first; equal groups in the schema\'s order; at most `limit` per group', () => {
    const index = indexWith({
      contacts: [row('c1', { 'contacts.last_name': 'Falkner' }), row('c2', { 'contacts.last_name': 'Falk' })],
      companies: [row('k1', { 'companies.name': 'Falk' })],
      deals: [row('d1', { 'deals.title': 'Falkenberg pilot' }), row('d2', { 'deals.title': 'Falk renewal' }), row('d3', { 'deals.title': 'Falk' })],
    })
    const groups = index.query('falk', { limit: 2 })
    expect(groups.map((g) => g.entity.key)).toEqual(['contacts', 'companies', 'deals'])
    expect(ids(groups)).toEqual(['contacts:c2', 'contacts:c1', 'companies:k1', 'deals:d3', 'deals:d2'])
    const onlyDeals = indexWith({ deals: [row('d1', { 'deals.title': 'Falkenberg' })], companies: [row('k1', { 'companies.name': 'Falk' })] })
    expect(onlyDeals.query('falk').map((g) => g.entity.key)).toEqual(['companies', 'deals'])
  })

  it('searches text, long text, email, url and select fields, and shows a stage by its name', () => {
    const schema = workspace()
    schema.pipelines = [{ id: 'sales', name: 'Sales', order: 0, stages: [{ id: 'sales.won', name: 'Won', order: 0, probability: 100, kind: 'won' }] }] as WorkspaceSchema['pipelines']
    const deals = schema.entities.find((e) => e.id === 'deals')!
    const stage = deals.fields.find((f) => f.key === 'stage')!
    stage.choices = [{ id: 'sales.won', label: 'Won' }]
    const index = indexWith({
      companies: [row('k', { 'companies.name': 'Kessel', 'companies.address': '12 Main Street\n80331 Munich', 'companies.website': 'https://kessel.example', 'companies.industry': 'Retail' })],
      deals: [row('d', { 'deals.title': 'Renewal', 'deals.stage': 'sales.won' })],
    }, schema)
    expect(index.query('munich')[0]!.hits[0]).toMatchObject({ value: '12 Main Street\n80331 Munich', kind: 'word' })
    expect(index.query('street 80331')[0]!.hits[0]!.kind).toBe('word')
    expect(index.query('kessel.example')[0]!.hits[0]!.field.key).toBe('website')
    expect(index.query('retail')[0]!.hits[0]!.field.key).toBe('industry')
    expect(index.query('won')[0]!.hits[0]).toMatchObject({ value: 'Won', kind: 'exact' })
  })
})

describe('SearchIndex: links and changes', () => {
  it('finds a contact by its company\'s name, and follows a rename and a move', () => {
    const index = indexWith({
      companies: [row('acme', { 'companies.name': 'Acme GmbH' }), row('other', { 'companies.name': 'Other AG' })],
      contacts: [row('anna', { 'contacts.first_name': 'Anna', 'contacts.last_name': 'Schmidt', 'contacts.company': 'acme' })],
      deals: [row('deal', { 'deals.title': 'Renewal', 'deals.contacts': ['anna'] })],
    })
    const contacts = index.query('acme').find((g) => g.entity.key === 'contacts')!
    expect(contacts.hits[0]).toMatchObject({ name: 'Anna Schmidt', value: 'Acme GmbH', kind: 'prefix', score: 6 })
    expect(contacts.hits[0]!.field.key).toBe('company')
    // a deal by its contact's name
    expect(index.query('schmidt').find((g) => g.entity.key === 'deals')!.hits[0]!.value).toBe('Anna Schmidt')
    index.put('companies', [row('acme', { 'companies.name': 'Zenith GmbH' })])
    expect(index.query('acme')).toEqual([])
    expect(ids(index.query('zenith'))).toContain('contacts:anna')
    index.applyPatch('contacts', { added: [], updated: [row('anna', { 'contacts.first_name': 'Anna', 'contacts.last_name': 'Schmidt', 'contacts.company': 'other' })], removed: [] })
    expect(ids(index.query('zenith'))).not.toContain('contacts:anna')
    expect(ids(index.query('other'))).toContain('contacts:anna')
  })

  it('takes patches: added, updated, removed and soft-deleted records', () => {
    const index = indexWith({ contacts: [row('a', { 'contacts.last_name': 'Alpha' }), row('b', { 'contacts.last_name': 'Beta' })] })
    index.applyPatch('contacts', { added: [row('c', { 'contacts.last_name': 'Alphabet' })], updated: [row('b', { 'contacts.last_name': 'Alpine' })], removed: ['a'] })
    expect(ids(index.query('alp'))).toEqual(['contacts:b', 'contacts:c'])
    index.put('contacts', [{ ...row('c', { 'contacts.last_name': 'Alphabet' }), deletedAt: AT }])
    expect(ids(index.query('alp'))).toEqual(['contacts:b'])
    // a freed slot is used again by the next record
    index.put('contacts', [row('d', { 'contacts.last_name': 'Alpaca' })])
    // equal scores and lengths: by id
    expect(ids(index.query('alp'))).toEqual(['contacts:b', 'contacts:d'])
    expect(index.size()).toBe(2)
  })

  it('searches a field added to the schema, and no longer one removed from it', () => {
    const schema = workspace()
    const index = indexWith({ contacts: [row('a', { 'contacts.last_name': 'Lee', city: 'Lisbon' })] }, schema)
    expect(index.query('lisbon')).toEqual([])
    const contacts = schema.entities.find((e) => e.id === 'contacts')!
    const withCity = { ...schema, entities: schema.entities.map((e) => e === contacts ? { ...e, fields: [...e.fields, { id: 'city', key: 'city', label: 'City', type: 'text' as const, order: 99 }] } : e) }
    index.setSchema(withCity)
    expect(ids(index.query('lisbon'))).toEqual(['contacts:a'])
    index.setSchema({ ...withCity, entities: withCity.entities.map((e) => e.id === 'contacts' ? { ...e, fields: e.fields.map((f) => f.id === 'city' ? { ...f, deletedAt: AT } : f) } : e) })
    expect(index.query('lisbon')).toEqual([])
  })

  it('builds a few chunks at a time when asked, and a query builds what is left', () => {
    const index = new SearchIndex(workspace())
    index.put('contacts', Array.from({ length: 1000 }, (_, i) => row(`c${i}`, { 'contacts.last_name': `Name ${i}` })))
    expect(index.pendingChunks()).toBe(4)
    expect(index.prepare(1)).toBe(false)
    expect(index.pendingChunks()).toBe(3)
    expect(ids(index.query('name 999'))).toEqual(['contacts:c999'])
    expect(index.pendingChunks()).toBe(0)
  })

  it('answers nothing for an empty or blank query', () => {
    const index = indexWith({ contacts: [row('a', { 'contacts.last_name': 'Lee' })] })
    expect(index.query('')).toEqual([])
    expect(index.query('   ')).toEqual([])
  })
})
