import { expect, test } from 'vitest'
import { seedDefaultSchema } from '../../src/crdt/schemaDoc'
import { readStoredSchema } from '../http/readStoredSchema'
import { createMemoryStorage } from '../storage/memoryStorage'
import { relayCountry } from '../relayCountry'
import { seedSchemaDocument } from './seedSchemaDocument'

test("the seed marks the relay's locale's country as its guess, once", () => {
  const storage = createMemoryStorage()
  expect(seedSchemaDocument(storage, seedDefaultSchema, 'AT')).toBe(true)
  expect(readStoredSchema(storage).workspace).toEqual({ defaultCountry: 'AT', defaultCountrySource: 'relay' })
  expect(seedSchemaDocument(storage, seedDefaultSchema, 'CH')).toBe(false)
  expect(readStoredSchema(storage).workspace).toEqual({ defaultCountry: 'AT', defaultCountrySource: 'relay' })
})

test('a relay whose locale names no country seeds none', () => {
  const storage = createMemoryStorage()
  seedSchemaDocument(storage, seedDefaultSchema, undefined)
  expect(readStoredSchema(storage).workspace).toEqual({})
  expect(readStoredSchema(storage).entities.length).toBeGreaterThan(0)
})

test("the relay's country comes from LC_ALL, LC_TELEPHONE or LANG as POSIX picks them, never from a C locale", () => {
  expect(relayCountry({ LANG: 'de_DE.UTF-8' })).toBe('DE')
  expect(relayCountry({ LC_TELEPHONE: 'fr_CH.UTF-8', LANG: 'en_US.UTF-8' })).toBe('CH')
  expect(relayCountry({ LC_ALL: 'C.UTF-8', LANG: 'en_GB.UTF-8' })).toBeUndefined()
  expect(relayCountry({ LC_ALL: '', LANG: 'en_GB.UTF-8' })).toBe('GB')
  expect(relayCountry({ LANG: 'C' })).toBeUndefined()
  expect(relayCountry({})).toBeUndefined()
})
