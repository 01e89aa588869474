import { describe, expect, it } from 'vitest'
import type { FieldDef } from '../schema'
import { decodeApiRecordBody, encodeApiRecord, encodeApiValue, readApiValue, type ApiReadContext } from './apiRecordCodec'
import { everyTypeEntity, fid, MEMBERS, row } from './apiRecordCodec.testkit'

const entity = everyTypeEntity()
const ctx: ApiReadContext = { members: MEMBERS }
const field = (key: string): FieldDef => entity.fields.find((f) => f.key === key)!
const read = (key: string, raw: unknown, c: ApiReadContext = ctx) => readApiValue(field(key), raw, c)
const stored = (key: string, raw: unknown, c: ApiReadContext = ctx) => {
  const r = read(key, raw, c)
  if (!r.ok) throw new Error(`${key}: ${r.error}`)
  return r.value
}
const refusal = (key: string, raw: unknown) => {
  const r = read(key, raw)
  if (r.ok) throw new Error(`${key}: ${JSON.stringify(raw)} was accepted as ${JSON.stringify(r.value)}`)
  return r.error
}

describe('API values, both ways', () => {
  // JSON value as the API shows it ↔ value as the CRDT stores it, for every field type
  const cases: [key: string, api: unknown, stored: unknown][] = [
    ['title', 'Big deal', 'Big deal'],
    ['notes', 'line one\nline two', 'line one\nline two'],
    ['email', 'ann@example.com', 'ann@example.com'],
    ['phone', '+4915112345678', '+4915112345678'],
    ['website', 'https://example.com/', 'https://example.com/'],
    ['score', 1234.5, 1234.5],
    ['score', -3, -3],
    ['probability', 40, 40],
    ['amount', { amount: 1234.5, currency: 'EUR' }, { amount: 123450, currency: 'EUR' }],
    ['amount', { amount: 0.01, currency: 'USD' }, { amount: 1, currency: 'USD' }],
    ['amount', { amount: -20, currency: 'CHF' }, { amount: -2000, currency: 'CHF' }],
    ['amount', { amount: 1500, currency: 'JPY' }, { amount: 1500, currency: 'JPY' }],
    ['amount', { amount: 1234.567, currency: 'KWD' }, { amount: 1234567, currency: 'KWD' }],
    ['amount', { amount: 0.005, currency: 'BHD' }, { amount: 5, currency: 'BHD' }],
    ['close_date', '2026-11-27', '2026-11-27'],
    ['due', '2026-11-27T14:05:00.000Z', '2026-11-27T14:05:00.000Z'],
    ['stage', 'Won', 'Won'],
    ['tags', ['Hot', 'VIP'], ['Hot', 'VIP']],
    ['active', true, true],
    ['active', false, false],
    ['company', 'rec_1', 'rec_1'],
    ['contacts', ['rec_1', 'rec_2'], ['rec_1', 'rec_2']],
    ['owner', 'm_ann', 'm_ann'],
  ]
  it.each(cases)('%s: %j ↔ %j', (key, api, value) => {
    expect(stored(key, api)).toEqual(value)
    expect(encodeApiValue(field(key), value as never)).toEqual(api)
  })

  it('knows the minor digits of each currency: JPY none, KWD and BHD three', () => {
    expect(encodeApiValue(field('amount'), { amount: 1, currency: 'JPY' })).toEqual({ amount: 1, currency: 'JPY' })
    expect(encodeApiValue(field('amount'), { amount: 1, currency: 'KWD' })).toEqual({ amount: 0.001, currency: 'KWD' })
    expect(encodeApiValue(field('amount'), { amount: 1, currency: 'EUR' })).toEqual({ amount: 0.01, currency: 'EUR' })
    expect(refusal('amount', { amount: 1500.5, currency: 'JPY' })).toMatch(/JPY allows \(no decimals\)/)
    expect(refusal('amount', { amount: 1.2345, currency: 'KWD' })).toMatch(/at most 3 decimals/)
    expect(refusal('amount', { amount: 12.345, currency: 'EUR' })).toMatch(/at most 2 decimals/)
  })

  it('reads money: float noise is fine, a bare number takes the field currency, nonsense is named', () => {
    expect(stored('amount', { amount: 0.1 + 0.2, currency: 'EUR' })).toEqual({ amount: 30, currency: 'EUR' })
    expect(stored('amount', { amount: 1.15, currency: 'EUR' })).toEqual({ amount: 115, currency: 'EUR' })
    expect(stored('amount', 99.9)).toEqual({ amount: 9990, currency: 'EUR' })
    expect(stored('amount', { amount: 5 })).toEqual({ amount: 500, currency: 'EUR' })
    expect(stored('amount', { amount: null, currency: 'EUR' })).toBeNull()
    expect(refusal('amount', { amount: 5, currency: 'EURO' })).toMatch(/three-letter ISO 4217/)
    expect(refusal('amount', { amount: 5, currency: 'XYZ' })).toMatch(/three-letter ISO 4217/)
    expect(refusal('amount', { amount: '5', currency: 'EUR' })).toMatch(/amount must be a number in major units/)
    expect(refusal('amount', { amount: Number.POSITIVE_INFINITY, currency: 'EUR' })).toMatch(/amount must be a number/)
    expect(refusal('amount', { amount: 5, currency: 'EUR', cents: 500 })).toMatch(/unknown key "cents"/)
    expect(refusal('amount', { amount: 1e17, currency: 'EUR' })).toMatch(/too large/)
    expect(refusal('amount', [5, 'EUR'])).toMatch(/amount/i)
  })

  it('shows empty values as null, an empty multiple link as [], a lone id in a multiple link as a list', () => {
    for (const f of entity.fields.filter((x) => !(x.type === 'link' && x.multiple))) expect(encodeApiValue(f, undefined)).toBeNull()
    expect(encodeApiValue(field('contacts'), undefined)).toEqual([])
    expect(encodeApiValue(field('contacts'), null)).toEqual([])
    expect(encodeApiValue(field('contacts'), 'rec_9')).toEqual(['rec_9'])
  })

  it('refuses a wrong JSON type per field with the field in the message', () => {
    expect(refusal('score', true)).toMatch(/score/)
    expect(refusal('close_date', 20261127)).toMatch(/date/)
    expect(refusal('close_date', '2026-02-30')).toMatch(/February 2026 has 28 days/)
    expect(refusal('stage', 'Maybe')).toMatch(/stage/)
    expect(refusal('tags', ['Hot', 'Lukewarm'])).toMatch(/Lukewarm/)
    expect(refusal('active', 'perhaps')).toMatch(/active/)
    expect(refusal('company', 'not an id!')).toMatch(/not a record id/)
    expect(refusal('contacts', ['rec_1', 42])).toMatch(/not a record id/)
    expect(refusal('probability', 140)).toMatch(/out of range/)
    expect(refusal('owner', 'Nobody Known')).toMatch(/owner/)
  })
})

describe('typed strings go through the grid parser', () => {
  it('reads money, dates and date-times as a person types them', () => {
    expect(stored('amount', '1 234,50 €')).toEqual({ amount: 123450, currency: 'EUR' })
    expect(stored('amount', '$10')).toEqual({ amount: 1000, currency: 'USD' })
    expect(stored('amount', '1500 JPY')).toEqual({ amount: 1500, currency: 'JPY' })
    expect(stored('close_date', '27.11.2026')).toBe('2026-11-27')
    expect(stored('close_date', '2026-11-27')).toBe('2026-11-27')
    expect(stored('due', '2026-11-27T15:05:00+01:00')).toBe('2026-11-27T14:05:00.000Z')
    expect(stored('due', '27.11.2026 14:05')).toBe('2026-11-27T14:05:00.000Z')
  })

  it('reads numbers in the request locale', () => {
    expect(stored('score', '1,234.5')).toBe(1234.5)
    expect(stored('score', '1.234,5', { ...ctx, locale: 'de-DE' })).toBe(1234.5)
  })

  it('reads members by id or by name, links as ids (a list may be comma-separated), options and checkboxes as typed', () => {
    expect(stored('owner', 'm_bob')).toBe('m_bob')
    expect(stored('owner', 'ann lee')).toBe('m_ann')
    expect(stored('owner', '')).toBeNull()
    expect(stored('company', 'rec_7')).toBe('rec_7')
    expect(stored('contacts', 'rec_1, rec_2,rec_1')).toEqual(['rec_1', 'rec_2'])
    expect(stored('stage', 'won')).toBe('Won')
    expect(stored('tags', ['hot', 'Hot'])).toEqual(['Hot'])
    expect(stored('active', 'true')).toBe(true)
    expect(stored('active', 'false')).toBe(false)
    expect(stored('score', '')).toBeNull()
  })
})

describe('record bodies', () => {
  it('decodes a body keyed by API keys into values keyed by field id', () => {
    const r = decodeApiRecordBody(entity, { title: 'Deal', amount: { amount: 10, currency: 'USD' }, tags: ['VIP'], contacts: ['rec_1'] }, ctx, false)
    expect(r).toEqual({ ok: true, values: { [fid('title')]: 'Deal', [fid('amount')]: { amount: 1000, currency: 'USD' }, [fid('tags')]: ['VIP'], [fid('contacts')]: ['rec_1'] } })
  })

  it('refuses unknown keys, removed fields and the meta keys by name, with every bad field listed', () => {
    const r = decodeApiRecordBody(entity, { id: 'x', created_at: '2026-01-01', updated_at: '2026-01-01', title: 'T', colour: 'red', old_field: 'gone', score: 'lots' }, ctx, false)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors.map((e) => e.field)).toEqual(['id', 'created_at', 'updated_at', 'colour', 'old_field', 'score'])
    expect(r.errors[0]!.message).toMatch(/set by the relay/)
    expect(r.errors[3]!.message).toMatch(/Things has no field "colour" \(fields: title, notes/)
    expect(r.errors[3]!.message).not.toMatch(/old_field/)
  })

  it('requires required fields on create, not on a patch; a patch may not clear them but the route checks that', () => {
    const created = decodeApiRecordBody(entity, { score: 1 }, ctx, false)
    expect(created).toEqual({ ok: false, errors: [{ field: 'title', message: 'title is required' }] })
    const nulled = decodeApiRecordBody(entity, { title: null }, ctx, false)
    expect(nulled.ok).toBe(false)
    expect(decodeApiRecordBody(entity, { score: 1 }, ctx, true)).toEqual({ ok: true, values: { [fid('score')]: 1 } })
    // one problem per field: a refused required field is not also "required"
    const bad = decodeApiRecordBody(entity, { title: 42 }, ctx, false)
    expect(bad.ok ? [] : bad.errors.map((e) => e.field)).toEqual(['title'])
  })

  it('encodes a record with id, every live field in order, created_at and updated_at', () => {
    const r = row('rec_1', { title: 'T', amount: { amount: 150, currency: 'KWD' }, contacts: ['rec_2'], old_field: 'hidden' }, '2026-02-03T04:05:06.000Z')
    const record = encodeApiRecord(entity, r, '2026-03-01T00:00:00.000Z')
    expect(Object.keys(record)).toEqual(['id', ...entity.fields.filter((f) => !f.deletedAt).map((f) => f.key), 'created_at', 'updated_at'])
    expect(record).toMatchObject({ id: 'rec_1', title: 'T', amount: { amount: 0.15, currency: 'KWD' }, contacts: ['rec_2'], company: null, created_at: '2026-02-03T04:05:06.000Z', updated_at: '2026-03-01T00:00:00.000Z' })
  })
})
