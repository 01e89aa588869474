import { describe, expect, it } from 'vitest'
import type { FieldDef, Row } from '../../domain/schema'
import type { GridContext } from './gridContext'
import { RowSelectionSet } from './rowSelectionSet'
import { rowView } from './rowView'

const fieldList: FieldDef[] = [
  { id: 'name', key: 'name', label: 'Name', type: 'text', order: 1 },
  { id: 'score', key: 'score', label: 'Score', type: 'number', order: 2 },
  { id: 'budget', key: 'budget', label: 'Budget', type: 'money', order: 3 },
  { id: 'company', key: 'company', label: 'Company', type: 'link', linkEntity: 'companies', order: 4 },
]
const fields = new Map(fieldList.map((f) => [f.id, f]))
const ctx = (): GridContext => ({
  parseContext: { locale: 'en-US', timeZone: 'UTC', members: [] } as unknown as GridContext['parseContext'],
  refused: new Map(), presence: new Map(), linkNames: new Map([['companies', new Map([['c1', 'Acme'], ['c2', 'Globex']])]]),
})
const row = (id: string, values: Row['values']): Row => ({ id, values, createdAt: '', createdBy: '' })
const rows: Row[] = [
  row('a', { name: 'Zoe Quinn', score: 3, budget: { amount: 50000, currency: 'EUR' }, company: 'c2' }),
  row('b', { name: 'adam Smith', score: 10 }),
  row('c', { name: 'Mia Zhang', score: 3, company: 'c1' }),
  row('d', { score: -1, budget: { amount: 100, currency: 'EUR' } }),
]

describe('rowView', () => {
  it('keeps the store order without a sort or search', () => {
    expect(rowView(rows, { sort: [], search: '' }, fields, ctx())).toEqual(['a', 'b', 'c', 'd'])
  })

  it('sorts text case-insensitively, empty cells last in both directions', () => {
    expect(rowView(rows, { sort: [{ colId: 'name', sort: 'asc' }], search: '' }, fields, ctx())).toEqual(['b', 'c', 'a', 'd'])
    expect(rowView(rows, { sort: [{ colId: 'name', sort: 'desc' }], search: '' }, fields, ctx())).toEqual(['a', 'c', 'b', 'd'])
  })

  it('sorts numbers and money by value, ties by the next sort column, then stably', () => {
    expect(rowView(rows, { sort: [{ colId: 'score', sort: 'asc' }], search: '' }, fields, ctx())).toEqual(['d', 'a', 'c', 'b'])
    expect(rowView(rows, { sort: [{ colId: 'score', sort: 'asc' }, { colId: 'name', sort: 'asc' }], search: '' }, fields, ctx())).toEqual(['d', 'c', 'a', 'b'])
    expect(rowView(rows, { sort: [{ colId: 'budget', sort: 'desc' }], search: '' }, fields, ctx())).toEqual(['a', 'd', 'b', 'c'])
  })

  it('sorts links by the linked record name', () => {
    expect(rowView(rows, { sort: [{ colId: 'company', sort: 'asc' }], search: '' }, fields, ctx())).toEqual(['c', 'a', 'b', 'd'])
  })

  it('searches the shown text of every cell: every word must match, any case', () => {
    expect(rowView(rows, { sort: [], search: 'acme' }, fields, ctx())).toEqual(['c'])
    expect(rowView(rows, { sort: [], search: '  ZHANG   mia ' }, fields, ctx())).toEqual(['c'])
    expect(rowView(rows, { sort: [], search: 'zhang globex' }, fields, ctx())).toEqual([])
    expect(rowView(rows, { sort: [{ colId: 'name', sort: 'desc' }], search: 'm' }, fields, ctx())).toEqual(['c', 'b'])
  })

  it('ignores a sort on a column that is no longer a field', () => {
    expect(rowView(rows, { sort: [{ colId: 'gone', sort: 'asc' }], search: '' }, fields, ctx())).toEqual(['a', 'b', 'c', 'd'])
  })
})

describe('RowSelectionSet', () => {
  it('selects all of a view, forgets removed rows and lists the selection in view order', () => {
    const s = new RowSelectionSet()
    let changes = 0
    s.onChange(() => changes++)
    s.replace(['c', 'a'])
    s.set('d', true)
    s.set('d', true)
    expect(changes).toBe(2)
    expect(s.ordered(['a', 'b', 'c'])).toEqual(['a', 'c', 'd'])
    s.forget(['a', 'x'])
    expect(s.size).toBe(2)
    expect(s.has('a')).toBe(false)
    s.set('c', false)
    expect(s.ordered(['c', 'd'])).toEqual(['d'])
  })
})
