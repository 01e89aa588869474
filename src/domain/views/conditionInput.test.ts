import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import { readCondition } from './conditionInput'

const deals = defaultSchema().entities.find((e) => e.id === 'deals')!
const field = (key: string) => deals.fields.find((f) => f.key === key)!
const ctx = { locale: 'de-DE', members: [{ id: 'ann', name: 'Ann Lee' }] }

describe('readCondition', () => {
  it('reads values and bounds like typed cells: money in major units, dates in the locale, members by name', () => {
    expect(readCondition(field('amount'), 'range', { from: '1.000,50 €', to: '' }, ctx)).toEqual({ ok: true, condition: { field: 'deals.amount', op: 'range', from: 1000.5 } })
    expect(readCondition(field('close_date'), 'range', { from: '1.11.2026', to: '30.11.2026' }, ctx))
      .toEqual({ ok: true, condition: { field: 'deals.close_date', op: 'range', from: '2026-11-01', to: '2026-11-30' } })
    expect(readCondition(field('owner'), 'equals', { value: 'ann lee' }, ctx)).toEqual({ ok: true, condition: { field: 'deals.owner', op: 'equals', value: 'ann' } })
    expect(readCondition(field('title'), 'contains', { value: ' acme ' }, ctx)).toEqual({ ok: true, condition: { field: 'deals.title', op: 'contains', value: 'acme' } })
    expect(readCondition(field('owner'), 'isMe', {}, ctx)).toEqual({ ok: true, condition: { field: 'deals.owner', op: 'isMe' } })
  })

  it('refuses what it cannot read, naming the field', () => {
    expect(readCondition(field('amount'), 'range', {}, ctx)).toEqual({ ok: false, error: 'Amount: give a from or a to' })
    expect(readCondition(field('close_date'), 'equals', { value: 'soon' }, ctx)).toMatchObject({ ok: false, error: expect.stringMatching(/^Close date: /) })
    expect(readCondition(field('title'), 'contains', { value: '' }, ctx)).toMatchObject({ ok: false })
  })

  it('a date in a period named relative to today: a named one, or last/next N days', () => {
    expect(readCondition(field('close_date'), 'relative', { value: 'nextQuarter' }, ctx)).toEqual({ ok: true, condition: { field: 'deals.close_date', op: 'relative', value: 'nextQuarter' } })
    expect(readCondition(field('close_date'), 'relative', { value: 'next14Days' }, ctx)).toEqual({ ok: true, condition: { field: 'deals.close_date', op: 'relative', value: 'next14Days' } })
    expect(readCondition(field('close_date'), 'relative', { value: 'last0Days' }, ctx)).toEqual({ ok: false, error: 'Close date: give 1 to 3660 days' })
    expect(readCondition(field('close_date'), 'relative', { value: 'someday' }, ctx)).toEqual({ ok: false, error: 'Close date: pick a period' })
    expect(readCondition(field('title'), 'relative', { value: 'today' }, ctx)).toMatchObject({ ok: false })
  })
})
