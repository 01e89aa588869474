import { expect, test } from 'vitest'
import { cardFields } from './cardFields'
import { defaultSchema } from './defaultSchema'

const keysOf = (entityKey: string) => cardFields(defaultSchema().entities.find((e) => e.key === entityKey)!).map((f) => f.key)

test('a contact card shows how to reach them, their company and owner', () => {
  expect(keysOf('contacts')).toEqual(['email', 'phone', 'company', 'owner'])
})

test('a deal card shows its company, amount, stage (not the one-option pipeline) and owner', () => {
  expect(keysOf('deals')).toEqual(['company', 'stage', 'amount', 'owner'])
})

test('a lead card shows its status rather than its source, and not what a converted lead became', () => {
  expect(keysOf('leads')).toEqual(['email', 'phone', 'status', 'owner'])
})

test('the name field itself is never repeated, removed fields never shown, and the count holds', () => {
  const schema = defaultSchema()
  const companies = schema.entities.find((e) => e.key === 'companies')!
  expect(cardFields(companies).map((f) => f.key)).toEqual(['phone', 'email', 'industry', 'owner'])
  companies.fields.find((f) => f.key === 'email')!.deletedAt = '2026-01-01T00:00:00Z'
  expect(cardFields(companies).map((f) => f.key)).toEqual(['phone', 'website', 'industry', 'owner'])
  expect(cardFields(companies, 2).map((f) => f.key)).toEqual(['phone', 'industry'])
})
