import { describe, expect, it } from 'vitest'
import type { EntityDef, FieldDef, FieldType, FieldValue, Row } from '../schema'
import type { ViewCondition } from './savedView'
import { compileViewFilter } from './viewFilter'

const types: Array<[string, FieldType, Partial<FieldDef>?]> = [
  ['text', 'text'], ['long', 'longText'], ['num', 'number'], ['price', 'money'], ['day', 'date'], ['at', 'dateTime'],
  ['status', 'select', { options: ['Open', 'Done'] }], ['tags', 'multiSelect', { options: ['a', 'b', 'c'] }], ['vip', 'checkbox'],
  ['mail', 'email'], ['tel', 'phone'], ['web', 'url'], ['company', 'link', { linkEntity: 'companies', multiple: true }], ['owner', 'member'],
]
const entity: EntityDef = {
  id: 'things', key: 'things', label: 'Things', singular: 'Thing', primaryField: 'text', order: 0,
  fields: types.map(([id, type, extra], order) => ({ id, key: id, label: id, type, order, ...extra })),
}

function row(id: string, values: Record<string, FieldValue>): Row {
  return { id, values, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'ann' }
}

const full = row('full', {
  text: 'Acme GmbH', long: 'A long\nnote about pricing', num: 42, price: { amount: 123450, currency: 'EUR' }, day: '2026-11-27',
  at: '2026-11-27T15:30:00.000Z', status: 'Open', tags: ['a', 'b'], vip: true, mail: 'Ann@Acme.example', tel: '+49301234567',
  web: 'https://acme.example', company: ['c1', 'c2'], owner: 'ann',
})
const other = row('other', {
  text: 'Bolt Ltd', long: 'short', num: 7, price: { amount: 500, currency: 'JPY' }, day: '2025-01-02', at: '2025-01-02T00:00:00.000Z',
  status: 'Done', tags: ['c'], vip: false, mail: 'bob@bolt.example', tel: '+44 20 7946 0018', web: 'https://bolt.example', company: ['c3'], owner: 'bob',
})
const blank = row('blank', { text: '', tags: [], company: [], owner: null })
const rows = [full, other, blank]

const shown = (conditions: ViewCondition[], memberId = 'ann') => rows.filter(compileViewFilter(entity, conditions, { memberId })).map((r) => r.id)

describe('compileViewFilter', () => {
  it('empty and not empty, on every field type (an empty list and an unticked box are empty)', () => {
    for (const [id, type] of types) {
      expect(shown([{ field: id, op: 'empty' }]), `${type} empty`).toEqual(type === 'checkbox' ? ['other', 'blank'] : ['blank'])
      expect(shown([{ field: id, op: 'notEmpty' }]), `${type} not empty`).toEqual(type === 'checkbox' ? ['full'] : ['full', 'other'])
    }
  })

  it('equals on every field type, by the stored value', () => {
    const cases: Array<[string, unknown, string[]]> = [
      ['text', ' acme gmbh ', ['full']], ['long', 'short', ['other']], ['num', 42, ['full']],
      ['price', { amount: 123450, currency: 'EUR' }, ['full']], ['price', 500, ['other']], ['price', { amount: 123450, currency: 'USD' }, []],
      ['day', '2026-11-27', ['full']], ['at', '2026-11-27', ['full']], ['at', '2025-01-02T00:00:00Z', ['other']],
      ['status', 'Done', ['other']], ['tags', 'b', ['full']], ['vip', true, ['full']], ['vip', false, ['other', 'blank']],
      ['mail', 'ann@acme.example', ['full']], ['tel', '+49301234567', ['full']], ['web', 'https://bolt.example', ['other']],
      ['company', 'c3', ['other']], ['owner', 'bob', ['other']],
    ]
    for (const [field, value, expected] of cases) expect(shown([{ field, op: 'equals', value }]), `${field} = ${JSON.stringify(value)}`).toEqual(expected)
  })

  it('contains: text case-insensitively, a phone by its digits, lists by their items', () => {
    expect(shown([{ field: 'text', op: 'contains', value: 'GMB' }])).toEqual(['full'])
    expect(shown([{ field: 'long', op: 'contains', value: 'PRICING' }])).toEqual(['full'])
    expect(shown([{ field: 'mail', op: 'contains', value: '@bolt' }])).toEqual(['other'])
    expect(shown([{ field: 'web', op: 'contains', value: 'example' }])).toEqual(['full', 'other'])
    expect(shown([{ field: 'tel', op: 'contains', value: '30 1234' }])).toEqual(['full'])
    expect(shown([{ field: 'tel', op: 'contains', value: '7946-0018' }])).toEqual(['other'])
    expect(shown([{ field: 'tags', op: 'contains', value: ['a', 'b'] }])).toEqual(['full'])
    expect(shown([{ field: 'tags', op: 'contains', value: 'c' }])).toEqual(['other'])
    expect(shown([{ field: 'company', op: 'contains', value: 'c2' }])).toEqual(['full'])
  })

  it('ranges: numbers and money in major units whatever the currency, dates, date-times by day or instant; bounds inclusive', () => {
    expect(shown([{ field: 'num', op: 'range', from: 7, to: 41 }])).toEqual(['other'])
    expect(shown([{ field: 'num', op: 'range', from: 7 }])).toEqual(['full', 'other'])
    expect(shown([{ field: 'num', op: 'range', to: 42 }])).toEqual(['full', 'other'])
    // 1234.50 EUR and 500 JPY (no minor units)
    expect(shown([{ field: 'price', op: 'range', from: 1000 }])).toEqual(['full'])
    expect(shown([{ field: 'price', op: 'range', from: 500, to: 500 }])).toEqual(['other'])
    expect(shown([{ field: 'price', op: 'range', to: 1234.5 }])).toEqual(['full', 'other'])
    expect(shown([{ field: 'day', op: 'range', from: '2026-01-01', to: '2026-12-31' }])).toEqual(['full'])
    expect(shown([{ field: 'day', op: 'range', to: '2026-11-27' }])).toEqual(['full', 'other'])
    expect(shown([{ field: 'at', op: 'range', from: '2026-11-27', to: '2026-11-27' }])).toEqual(['full'])
    expect(shown([{ field: 'at', op: 'range', to: '2025-01-02' }])).toEqual(['other'])
    expect(shown([{ field: 'at', op: 'range', from: '2026-11-27T15:30:00.001Z' }])).toEqual([])
    expect(shown([{ field: 'at', op: 'range', from: 'not a date' }])).toEqual([])
  })

  it('a date or date-time in a period relative to now, in the workspace\'s time zone', () => {
    // 27 Nov 2026, 23:30 UTC: already 28 Nov in Berlin
    const ctx = { memberId: 'ann', now: new Date('2026-11-27T23:30:00Z'), timeZone: 'Europe/Berlin' }
    const inPeriod = (c: ViewCondition, context = ctx) => rows.filter(compileViewFilter(entity, [c], context)).map((r) => r.id)
    expect(inPeriod({ field: 'day', op: 'relative', value: 'thisMonth' })).toEqual(['full'])
    expect(inPeriod({ field: 'day', op: 'relative', value: 'yesterday' })).toEqual(['full'])
    expect(inPeriod({ field: 'day', op: 'relative', value: 'yesterday' }, { ...ctx, timeZone: 'UTC' })).toEqual([])
    expect(inPeriod({ field: 'at', op: 'relative', value: 'last2Days' })).toEqual(['full'])
    expect(inPeriod({ field: 'at', op: 'relative', value: 'next30Days' })).toEqual([])
    expect(inPeriod({ field: 'day', op: 'relative', value: 'lastYear' })).toEqual(['other'])
    expect(inPeriod({ field: 'day', op: 'relative', value: 'last700Days' })).toEqual(['full', 'other'])
    // an unknown period, or a field that holds no date, matches nothing
    expect(inPeriod({ field: 'day', op: 'relative', value: 'someday' })).toEqual([])
    expect(inPeriod({ field: 'text', op: 'relative', value: 'today' })).toEqual([])
  })

  it('"is me" compares a member field with the member looking', () => {
    expect(shown([{ field: 'owner', op: 'isMe' }], 'ann')).toEqual(['full'])
    expect(shown([{ field: 'owner', op: 'isMe' }], 'bob')).toEqual(['other'])
    expect(shown([{ field: 'owner', op: 'isMe' }], 'cem')).toEqual([])
  })

  it('ANDs several conditions and skips those on removed or unknown fields', () => {
    expect(shown([{ field: 'tags', op: 'notEmpty' }, { field: 'num', op: 'range', from: 10 }])).toEqual(['full'])
    expect(shown([{ field: 'gone', op: 'equals', value: 'x' }])).toEqual(['full', 'other', 'blank'])
    const removed: EntityDef = { ...entity, fields: entity.fields.map((f) => (f.id === 'num' ? { ...f, deletedAt: '2026-01-01T00:00:00Z' } : f)) }
    expect(rows.filter(compileViewFilter(removed, [{ field: 'num', op: 'equals', value: 42 }], { memberId: 'ann' })).map((r) => r.id)).toHaveLength(3)
    expect(shown([])).toEqual(['full', 'other', 'blank'])
  })
})
