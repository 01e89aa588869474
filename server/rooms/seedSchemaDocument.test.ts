import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { addEntity, seedDefaultSchema } from '../../src/crdt/schemaDoc'
import { defaultSchema } from '../../src/domain/defaultSchema'
import { readStoredSchema } from '../http/readStoredSchema'
import { createMemoryStorage } from '../storage/memoryStorage'
import { relayCountry } from '../relayCountry'
import { addDefaultFieldsToStoredSchema, seedSchemaDocument } from './seedSchemaDocument'
import { KnownDocuments } from './knownDocuments'
import { silentLogger } from '../relayLogger'

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

test('a workspace stored by an older relay gets the default fields it lacks, once, after its own fields', () => {
  const storage = createMemoryStorage()
  const old = new Y.Doc()
  for (const entity of defaultSchema().entities) {
    // as before the web forms: leads without UTM fields and referrer, activities without notes; one custom "utm_source"
    const fields = entity.fields.filter((f) => !/^(utm_|referrer$|notes$)/.test(f.key))
    if (entity.id === 'leads') fields.push({ id: 'fCustom01', key: 'utm_source', label: 'Campaign source', type: 'text', order: 50 })
    addEntity(old, { ...entity, fields }, 'seed')
  }
  storage.appendUpdate('schema', Y.encodeStateAsUpdate(old))
  expect(addDefaultFieldsToStoredSchema(storage).sort()).toEqual(['activities.notes', 'leads.referrer', 'leads.utm_campaign', 'leads.utm_content', 'leads.utm_medium', 'leads.utm_term'])
  const leads = readStoredSchema(storage).entities.find((e) => e.id === 'leads')!
  expect(leads.fields.filter((f) => f.key === 'utm_source').map((f) => f.id)).toEqual(['fCustom01'])
  expect(leads.fields.find((f) => f.key === 'referrer')).toMatchObject({ type: 'url', order: expect.any(Number) })
  expect(Math.min(...leads.fields.filter((f) => /^utm_(medium|term)|referrer/.test(f.key)).map((f) => f.order))).toBeGreaterThan(50)
  const rows = storage.lastSeq('schema')
  expect(addDefaultFieldsToStoredSchema(storage)).toEqual([])
  expect(storage.lastSeq('schema')).toBe(rows)
})

test('a workspace from before deal lines gets the whole deal_lines entity, once; its document may then be opened', async () => {
  const storage = createMemoryStorage()
  const old = new Y.Doc()
  for (const entity of defaultSchema().entities.filter((e) => e.id !== 'deal_lines')) addEntity(old, entity, 'seed')
  storage.appendUpdate('schema', Y.encodeStateAsUpdate(old))
  const known = new KnownDocuments({ storage, logger: silentLogger, waitMs: 0 })
  expect(await known.allows('entity-deal_lines')).toBe(false)
  const added = addDefaultFieldsToStoredSchema(storage)
  expect(added).toEqual(['deal_lines'])
  const lines = readStoredSchema(storage).entities.find((e) => e.id === 'deal_lines')!
  expect(lines).toMatchObject({ key: 'deal_lines', primaryField: 'deal_lines.name' })
  expect(lines.fields.map((f) => f.key)).toEqual(['deal', 'product', 'name', 'quantity', 'unit', 'unit_price', 'discount_pct', 'tax_pct', 'tax_included'])
  expect(await known.allows('entity-deal_lines')).toBe(true)
  const seq = storage.lastSeq('schema')
  expect(addDefaultFieldsToStoredSchema(storage)).toEqual([])
  expect(storage.lastSeq('schema')).toBe(seq)
})

test('a workspace from before My work gets the activities\' done_at field and the outcome `connected`, once; edited outcome options stay as the admin left them', () => {
  const oldActivities = (outcomes: string[]) => {
    const old = new Y.Doc()
    for (const entity of defaultSchema().entities) {
      // as issue 15 left them: no done_at, the calls webhook's outcomes
      const fields = entity.fields.filter((f) => f.key !== 'done_at' || entity.id !== 'activities')
        .map((f) => (f.id === 'activities.outcome' ? { ...f, options: outcomes } : f))
      addEntity(old, { ...entity, fields }, 'seed')
    }
    const storage = createMemoryStorage()
    storage.appendUpdate('schema', Y.encodeStateAsUpdate(old))
    return storage
  }
  const outcomeOf = (storage: ReturnType<typeof createMemoryStorage>) => readStoredSchema(storage).entities.find((e) => e.id === 'activities')!.fields.find((f) => f.key === 'outcome')!.options
  const untouched = oldActivities(['answered', 'no_answer', 'busy', 'failed', 'voicemail'])
  expect(addDefaultFieldsToStoredSchema(untouched).sort()).toEqual(['activities.done_at', 'activities.outcome'])
  expect(outcomeOf(untouched)).toEqual(['connected', 'answered', 'no_answer', 'busy', 'failed', 'voicemail'])
  expect(readStoredSchema(untouched).entities.find((e) => e.id === 'activities')!.fields.find((f) => f.key === 'done_at')).toMatchObject({ type: 'dateTime' })
  const seq = untouched.lastSeq('schema')
  expect(addDefaultFieldsToStoredSchema(untouched)).toEqual([])
  expect(untouched.lastSeq('schema')).toBe(seq)

  const edited = oldActivities(['answered', 'no_answer'])
  expect(addDefaultFieldsToStoredSchema(edited)).toEqual(['activities.done_at'])
  expect(outcomeOf(edited)).toEqual(['answered', 'no_answer'])
})
