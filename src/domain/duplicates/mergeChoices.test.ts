import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import { findEntity, type FieldValue, type Row } from '../schema'
import { chosenValues, initialChoices, valuesDiffer } from './mergeChoices'

const contacts = findEntity(defaultSchema(), 'contacts')!
const field = (key: string) => contacts.fields.find((f) => f.key === key)!
const row = (id: string, byKey: Record<string, FieldValue>): Row => ({
  id, createdAt: '2026-01-01T00:00:00Z', createdBy: 'm1',
  values: Object.fromEntries(Object.entries(byKey).map(([k, v]) => [`contacts.${k}`, v])),
})

describe('merge choices', () => {
  const rows = [
    row('a', { first_name: 'Ann', last_name: 'Lee', email: 'ann@x.io' }),
    row('b', { first_name: 'Annie', last_name: 'Lee', email: 'ann@x.io', phone: '+4930123456' }),
  ]

  it('starts from the survivor\'s values and fills its empty fields from the others', () => {
    const choices = initialChoices(contacts, rows, 'a')
    expect(choices['contacts.first_name']).toBe('a')
    expect(choices['contacts.phone']).toBe('b')
    expect(choices['contacts.position']).toBe('a')
    expect(chosenValues(contacts, rows, 'a', choices)).toEqual({ 'contacts.phone': '+4930123456' })
  })

  it('takes a chosen value of another record, and nothing that equals the survivor\'s', () => {
    const choices = { ...initialChoices(contacts, rows, 'a'), 'contacts.first_name': 'b', 'contacts.last_name': 'b' }
    expect(chosenValues(contacts, rows, 'a', choices)).toEqual({ 'contacts.first_name': 'Annie', 'contacts.phone': '+4930123456' })
  })

  it('tells the fields whose values differ', () => {
    expect(valuesDiffer(field('first_name'), rows)).toBe(true)
    expect(valuesDiffer(field('email'), rows)).toBe(false)
    expect(valuesDiffer(field('position'), rows)).toBe(false)
  })
})
