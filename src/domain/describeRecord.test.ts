import { describe, expect, test } from 'vitest'
import { defaultSchema } from './defaultSchema'
import { describeRecord } from './describeRecord'
import type { Row } from './schema'

const schema = defaultSchema()
const entity = (id: string) => schema.entities.find((e) => e.id === id)!
const row = (id: string, values: Row['values']): Row => ({ id, values, createdAt: '2026-01-01T00:00:00Z', createdBy: 'm' })

describe('describeRecord', () => {
  test('two companies of one name differ by address, email and owner', () => {
    const members = [{ id: 'm1', name: 'Admin' }]
    const berlin = describeRecord(entity('companies'), row('c1', {
      'companies.name': 'Acme GmbH', 'companies.address': 'Hauptstr. 1\n10115 Berlin', 'companies.email': 'info@acme.de', 'companies.owner': 'm1',
    }), { members })
    expect(berlin).toEqual({ id: 'c1', title: 'Acme GmbH', detail: 'Hauptstr. 1 · info@acme.de · Admin' })
    const munich = describeRecord(entity('companies'), row('c2', { 'companies.name': 'Acme GmbH', 'companies.address': 'Munich' }))
    expect(munich.detail).toBe('Munich')
  })
  test('a contact shows email and its company by name', () => {
    const d = describeRecord(entity('contacts'), row('p1', { 'contacts.first_name': 'Ada', 'contacts.last_name': 'Lovelace', 'contacts.email': 'ada@x.co', 'contacts.company': 'c1' }),
      { linkName: (_f, id) => (id === 'c1' ? 'Acme GmbH' : undefined) })
    expect(d).toEqual({ id: 'p1', title: 'Ada Lovelace', detail: 'ada@x.co · Acme GmbH' })
  })
  test('a custom city field comes first; long text is cut', () => {
    const companies = { ...entity('companies'), fields: [...entity('companies').fields, { id: 'x1', key: 'city', label: 'City', type: 'text' as const, order: 99 }] }
    const d = describeRecord(companies, row('c3', { 'companies.name': 'Acme', x1: 'Hamburg', 'companies.address': 'A'.repeat(60) }))
    expect(d.detail).toBe(`Hamburg · ${'A'.repeat(39)}…`)
  })
  test('nothing telling: empty detail', () => {
    expect(describeRecord(entity('companies'), row('c4', { 'companies.name': 'Solo' })).detail).toBe('')
  })
})
