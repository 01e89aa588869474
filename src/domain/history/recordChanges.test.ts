import { describe, expect, it } from 'vitest'
import { FIELD_TYPES, type EntityDef, type FieldType, type FieldValue, type Row } from '../schema'
import type { ChangeContext, WrittenKey } from './recordChanges'
import { recordChanges } from './recordChanges'

/** One field of every type, its id `f.<type>`. */
const entity: EntityDef = {
  id: 'things', key: 'things', label: 'Things', singular: 'Thing', primaryField: 'f.text', order: 0,
  fields: FIELD_TYPES.map((type, order) => ({ id: `f.${type}`, key: type, label: type, type, order, ...(type === 'link' ? { linkEntity: 'companies' } : {}) })),
}
const SAMPLES: Record<FieldType, [FieldValue, FieldValue]> = {
  text: ['Ada', 'Grace'],
  longText: ['one\ntwo', 'three'],
  number: [1, 2.5],
  money: [{ amount: 120000, currency: 'EUR' }, { amount: 150050, currency: 'EUR' }],
  date: ['2026-03-01', '2026-04-01'],
  dateTime: ['2026-03-01T10:00:00.000Z', '2026-03-02T11:30:00.000Z'],
  select: ['Hot', 'Cold'],
  multiSelect: [['a'], ['a', 'b']],
  checkbox: [false, true],
  email: ['a@x.io', 'b@x.io'],
  phone: ['+49301234567', '+4930765432'],
  url: ['https://a.example', 'https://b.example'],
  link: ['c1', 'c2'],
  member: ['m1', 'm2'],
}
const ARRIVED = Date.parse('2026-06-01T12:00:00.000Z')

function row(values: Record<string, FieldValue>, meta: Partial<Row> = {}): Row {
  return { id: 'r1', values, createdAt: '2026-06-01T09:00:00.000Z', createdBy: 'm1', ...meta }
}

function context(stamps: Record<string, string> = {}, previous?: ChangeContext['previousWrite']): ChangeContext {
  return {
    entityId: 'things', arrivedAt: ARRIVED, memberId: 'm2', memberName: 'Bob', via: 'app',
    stampOf: (key) => stamps[key], previousWrite: previous ?? (() => undefined),
  }
}

const write = (key: string, value: unknown, at: string | undefined, extra: Partial<WrittenKey> = {}): WrittenKey => ({ key, value, at, concurrent: false, won: true, ...extra })

describe('recordChanges', () => {
  it('one set entry per changed field of every type, from → to as stored, dated by its own stamp', () => {
    const before = row(Object.fromEntries(FIELD_TYPES.map((t) => [`f.${t}`, SAMPLES[t][0]])))
    const after = row(Object.fromEntries(FIELD_TYPES.map((t) => [`f.${t}`, SAMPLES[t][1]])))
    const writes = FIELD_TYPES.map((t, k) => write(`f.${t}`, SAMPLES[t][1], `2026-06-01T10:${String(k).padStart(2, '0')}:00.000Z`))
    const entries = recordChanges(entity, 'r1', before, after, writes, context())
    expect(entries.map((e) => [e.kind, e.fieldId, e.from, e.to, e.at])).toEqual(FIELD_TYPES.map((t, k) => ['set', `f.${t}`, SAMPLES[t][0], SAMPLES[t][1], `2026-06-01T10:${String(k).padStart(2, '0')}:00.000Z`]))
    expect(entries[0]).toMatchObject({ memberId: 'm2', memberName: 'Bob', via: 'app', entityId: 'things', recordId: 'r1' })
  })

  it('a set and a clear: from and to are null where there was or is no value; unchanged fields give nothing', () => {
    const entries = recordChanges(entity, 'r1', row({ 'f.text': 'Ada', 'f.number': 3 }), row({ 'f.text': 'Ada', 'f.email': 'a@x.io' }), [], context({ 'f.email': '2026-06-01T11:00:00.000Z' }))
    expect(entries.map((e) => [e.fieldId, e.from, e.to])).toEqual([['f.number', 3, null], ['f.email', null, 'a@x.io']])
    // the clear wrote no stamp of its own: the update's latest stamp of the record, else the arrival
    expect(entries[0]!.at).toBe(new Date(ARRIVED).toISOString())
    expect(entries[1]!.at).toBe('2026-06-01T11:00:00.000Z')
  })

  it('an edit made offline keeps its time; a stamp a day ahead of the relay is its arrival', () => {
    const offline = '2026-05-31T08:15:00.000Z'
    const [kept] = recordChanges(entity, 'r1', row({}), row({ 'f.text': 'Ada' }), [write('f.text', 'Ada', offline)], context())
    expect(kept!.at).toBe(offline)
    const [bounded] = recordChanges(entity, 'r1', row({}), row({ 'f.text': 'Ada' }), [write('f.text', 'Ada', '2026-06-02T12:00:00.000Z')], context())
    expect(bounded!.at).toBe(new Date(ARRIVED).toISOString())
  })

  it('created (with the values it was created with), deleted and restored are their own kinds', () => {
    const created = recordChanges(entity, 'r1', undefined, row({ 'f.text': 'Ada' }), [write('f.text', 'Ada', undefined)], context())
    expect(created.map((e) => [e.kind, e.fieldId, e.at])).toEqual([['created', null, '2026-06-01T09:00:00.000Z'], ['set', 'f.text', new Date(ARRIVED).toISOString()]])
    const deletedAt = '2026-06-01T11:00:00.000Z'
    const deleted = recordChanges(entity, 'r1', row({ 'f.text': 'Ada' }), row({ 'f.text': 'Ada' }, { deletedAt }), [write('$deletedAt', deletedAt, deletedAt)], context())
    expect(deleted.map((e) => [e.kind, e.at])).toEqual([['deleted', deletedAt]])
    const restored = recordChanges(entity, 'r1', row({ 'f.text': 'Ada' }, { deletedAt }), row({ 'f.text': 'Ada' }), [], context({ '$deletedAt': '2026-06-01T11:30:00.000Z' }))
    expect(restored.map((e) => [e.kind, e.at])).toEqual([['restored', '2026-06-01T11:30:00.000Z']])
    // a record's shell alone (created elsewhere, not yet its $createdAt) has no history
    expect(recordChanges(entity, 'r1', undefined, row({}, { createdAt: '' }), [], context())).toEqual([])
  })

  it('a merge note is a merged entry, from the merged record into the survivor, once', () => {
    const note = { survivor: 'r1', at: '2026-06-01T11:00:00.000Z', by: 'm2' } as unknown as FieldValue
    const merged = recordChanges(entity, 'r1', row({ 'f.text': 'Ada' }), row({ 'f.text': 'Ada', 'merged@r9': note }), [write('merged@r9', note, undefined)], context({ 'merged@r9': '2026-06-01T11:00:00.000Z' }))
    expect(merged.map((e) => [e.kind, e.fieldId, e.from, e.to, e.at])).toEqual([['merged', null, 'r9', 'r1', '2026-06-01T11:00:00.000Z']])
    expect(recordChanges(entity, 'r1', row({ 'merged@r9': note }), row({ 'merged@r9': note, 'f.text': 'Ada' }), [], context()).map((e) => e.kind)).toEqual(['set'])
  })

  it('a restore of a past value is a set like any other, from the value it replaces', () => {
    const entries = recordChanges(entity, 'r1', row({ 'f.money': SAMPLES.money[1] }), row({ 'f.money': SAMPLES.money[0] }), [write('f.money', SAMPLES.money[0], '2026-06-01T11:45:00.000Z')], context())
    expect(entries).toEqual([expect.objectContaining({ kind: 'set', fieldId: 'f.money', from: SAMPLES.money[1], to: SAMPLES.money[0], at: '2026-06-01T11:45:00.000Z' })])
  })

  it('a write made apart that lost is a conflict entry (kept value, lost value, its writer\'s time); the same value twice is none', () => {
    const lost = recordChanges(entity, 'r1', row({ 'f.email': 'ann@x.io' }), row({ 'f.email': 'ann@x.io' }), [write('f.email', 'bob@x.io', '2026-06-01T10:30:00.000Z', { concurrent: true, won: false })], context())
    expect(lost).toEqual([expect.objectContaining({ kind: 'conflict', fieldId: 'f.email', from: 'ann@x.io', to: 'bob@x.io', at: '2026-06-01T10:30:00.000Z', memberId: 'm2' })])
    const same = recordChanges(entity, 'r1', row({ 'f.email': 'ann@x.io' }), row({ 'f.email': 'ann@x.io' }), [write('f.email', 'ann@x.io', undefined, { concurrent: true, won: false })], context())
    expect(same).toEqual([])
  })

  it('a write made apart that won: the value it replaced lost, dated and signed by its own writer', () => {
    const previous = () => ({ memberId: 'm1', memberName: 'Ann', at: '2026-06-01T10:00:00.000Z' })
    const entries = recordChanges(entity, 'r1', row({ 'f.email': 'ann@x.io' }), row({ 'f.email': 'bob@x.io' }), [write('f.email', 'bob@x.io', '2026-06-01T10:30:00.000Z', { concurrent: true, won: true })], context({}, previous))
    expect(entries.map((e) => [e.kind, e.from, e.to, e.memberName, e.at])).toEqual([
      ['set', 'ann@x.io', 'bob@x.io', 'Bob', '2026-06-01T10:30:00.000Z'],
      ['conflict', 'bob@x.io', 'ann@x.io', 'Ann', '2026-06-01T10:00:00.000Z'],
    ])
  })
})
