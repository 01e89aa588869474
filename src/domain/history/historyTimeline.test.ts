import { describe, expect, it } from 'vitest'
import type { EntityDef } from '../schema'
import { historyTimeline, sameTimelineGroup, storedValueOf, type ApiHistoryEntry } from './historyTimeline'

const deals: EntityDef = {
  id: 'deals', key: 'deals', label: 'Deals', singular: 'Deal', primaryField: 'deals.title', order: 0,
  fields: [
    { id: 'deals.title', key: 'title', label: 'Title', type: 'text', order: 0 },
    { id: 'deals.amount', key: 'amount', label: 'Amount', type: 'money', currency: 'EUR', order: 1 },
    { id: 'deals.stage', key: 'stage', label: 'Stage', type: 'select', choicesFrom: 'stages', order: 2 },
    { id: 'deals.contacts', key: 'contacts', label: 'Contacts', type: 'link', linkEntity: 'contacts', multiple: true, order: 3 },
  ],
}
const ann = { id: 'm1', name: 'Ann' }
const bob = { id: 'm2', name: 'Bob' }
const entry = (at: string, member: { id: string; name: string }, field: string | null, from: unknown, to: unknown, kind: ApiHistoryEntry['kind'] = 'set', via: ApiHistoryEntry['via'] = 'app'): ApiHistoryEntry =>
  ({ at, member, field, from, to, kind, via })

describe('historyTimeline', () => {
  it('groups consecutive entries of one member, way in and minute, newest first; values back as stored', () => {
    const groups = historyTimeline(deals, [
      entry('2026-03-01T10:05:40.000Z', ann, 'title', 'Big', 'Bigger'),
      entry('2026-03-01T10:05:10.000Z', ann, 'amount', { amount: 1200, currency: 'EUR' }, { amount: 1500.5, currency: 'EUR' }),
      entry('2026-03-01T10:04:59.000Z', ann, 'title', null, 'Big'),
      entry('2026-03-01T10:04:30.000Z', bob, 'contacts', [], ['c1']),
      entry('2026-03-01T10:04:20.000Z', bob, 'title', 'x', 'y', 'set', 'api'),
      entry('2026-03-01T10:04:00.000Z', bob, null, null, null, 'created', 'api'),
    ])
    expect(groups.map((g) => [g.memberName, g.via, g.items.map((i) => i.kind + ':' + (i.fieldKey ?? ''))])).toEqual([
      ['Ann', 'app', ['set:title', 'set:amount']],
      ['Ann', 'app', ['set:title']],
      ['Bob', 'app', ['set:contacts']],
      ['Bob', 'api', ['set:title', 'created:']],
    ])
    expect(groups[0]!.items[1]).toMatchObject({ from: { amount: 120000, currency: 'EUR' }, to: { amount: 150050, currency: 'EUR' } })
    expect(groups[0]!.items[1]!.field?.id).toBe('deals.amount')
    expect(groups[2]!.items[0]).toMatchObject({ from: null, to: ['c1'] })
  })

  it('a deal\'s stage changes are kept as their own items, in place of the relay\'s entries that say the same; sorted by time', () => {
    const groups = historyTimeline(deals, [
      entry('2026-03-01T10:06:00.000Z', ann, 'stage', 'sales.new', 'sales.won'),
      entry('2026-03-01T09:00:00.000Z', ann, null, null, null, 'created'),
    ], [{ from: 'sales.new', to: 'sales.won', at: '2026-03-01T10:06:00.000Z', by: 'm1' }, { from: null, to: 'sales.new', at: '2026-03-01T08:00:00.000Z', by: 'm2' }], 'stage')
    expect(groups.map((g) => [g.memberId, g.memberName, g.items.map((i) => [i.kind, i.from, i.to])])).toEqual([
      ['m1', 'Ann', [['stage', 'sales.new', 'sales.won']]],
      ['m1', 'Ann', [['created', null, null]]],
      ['m2', '', [['stage', null, 'sales.new']]],
    ])
  })

  it('conflicts, deletes and restores keep their kinds; a removed field keeps its key', () => {
    const groups = historyTimeline(deals, [
      entry('2026-03-01T11:00:00.000Z', ann, null, null, null, 'restored'),
      entry('2026-03-01T10:00:00.000Z', bob, null, null, null, 'deleted'),
      entry('2026-03-01T09:00:00.000Z', bob, 'title', 'Kept', 'Lost', 'conflict'),
      entry('2026-03-01T08:00:00.000Z', bob, 'gone', 1, 2),
    ])
    expect(groups.flatMap((g) => g.items.map((i) => [i.kind, i.fieldKey, i.field?.id ?? null]))).toEqual([
      ['restored', null, null], ['deleted', null, null], ['conflict', 'title', 'deals.title'], ['set', 'gone', null],
    ])
  })

  it('sameTimelineGroup: two reads of the same history read the same; a new item, another value or a renamed field do not', () => {
    const read = () => [
      entry('2026-03-01T10:05:40.000Z', ann, 'amount', { amount: 12, currency: 'EUR' }, { amount: 15, currency: 'EUR' }),
      entry('2026-03-01T10:05:10.000Z', ann, 'title', 'Big', 'Bigger'),
      entry('2026-03-01T10:04:00.000Z', bob, null, null, null, 'created', 'api'),
    ]
    const first = historyTimeline(deals, read())
    const again = historyTimeline(deals, read())
    expect(again.map((g, k) => sameTimelineGroup(first[k]!, g))).toEqual([true, true])
    // the same minute, one more edit: that group changed, the older one did not
    const edited = historyTimeline(deals, [entry('2026-03-01T10:05:50.000Z', ann, 'title', 'Bigger', 'Biggest'), ...read()])
    expect(edited.map((g, k) => sameTimelineGroup(first[k]!, g))).toEqual([false, true])
    const otherValue = historyTimeline(deals, [{ ...read()[0]!, to: { amount: 16, currency: 'EUR' } }, ...read().slice(1)])
    expect(sameTimelineGroup(first[0]!, otherValue[0]!)).toBe(false)
    const renamed: EntityDef = { ...deals, fields: deals.fields.map((f) => (f.key === 'title' ? { ...f, label: 'Name' } : f)) }
    expect(sameTimelineGroup(first[0]!, historyTimeline(renamed, read())[0]!)).toBe(false)
  })

  it('storedValueOf: money in minor units, an empty link list as no value, others as they are', () => {
    expect(storedValueOf(deals.fields[1]!, { amount: 19.99, currency: 'USD' })).toEqual({ amount: 1999, currency: 'USD' })
    expect(storedValueOf(deals.fields[3]!, [])).toBeNull()
    expect(storedValueOf(deals.fields[0]!, 'x')).toBe('x')
    expect(storedValueOf(null, 5)).toBe(5)
  })
})
