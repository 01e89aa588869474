import { expect, test } from 'vitest'
import { defaultSchema } from './defaultSchema'
import { nameFieldIds } from './nameFieldIds'

const entityOf = (key: string) => defaultSchema().entities.find((e) => e.key === key)!

test('a contact is named by first and last name, in field order, though its primary field is the last name', () => {
  const contacts = entityOf('contacts')
  expect(contacts.primaryField).toBe('contacts.last_name')
  expect(nameFieldIds(contacts)).toEqual(['contacts.first_name', 'contacts.last_name'])
})

test('other records are named by their primary field alone, wherever it stands', () => {
  expect(nameFieldIds(entityOf('companies'))).toEqual(['companies.name'])
  expect(nameFieldIds(entityOf('activities'))).toEqual(['activities.subject'])
  expect(nameFieldIds(entityOf('leads'))).toEqual(['leads.title'])
})

test('a removed first name is no longer part of the name', () => {
  const contacts = entityOf('contacts')
  contacts.fields.find((f) => f.key === 'first_name')!.deletedAt = '2026-01-01T00:00:00Z'
  expect(nameFieldIds(contacts)).toEqual(['contacts.last_name'])
})
