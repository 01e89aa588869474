import { describe, expect, it } from 'vitest'
import type { FieldDef, Row } from '../../domain/schema'
import { seededRandom } from '../../domain/seededRandom'
import type { GridContext } from './gridContext'
import { RowSelectionSet } from './rowSelectionSet'
import { addToRowView, keyedRowView, rowView, type ViewQuery } from './rowView'

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

describe('addToRowView', () => {
  const NAMES = ['Zoe Quinn', 'adam Smith', 'Mia Zhang', 'mia', 'Ben', null]
  const QUERIES: ViewQuery[] = [
    { sort: [], search: '' },
    { sort: [], search: 'mi' },
    { sort: [{ colId: 'name', sort: 'asc' }], search: '' },
    { sort: [{ colId: 'score', sort: 'desc' }], search: '' },
    { sort: [{ colId: 'score', sort: 'asc' }, { colId: 'name', sort: 'desc' }], search: '' },
    { sort: [{ colId: 'budget', sort: 'desc' }, { colId: 'company', sort: 'asc' }], search: 'a' },
    { sort: [{ colId: 'gone', sort: 'asc' }], search: '' },
  ]

  it('gives the view a full recompute gives, batch after batch of added rows (seeded)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const random = seededRandom(seed)
      let n = 0
      // few distinct values: many ties, so the store's order decides between equal rows
      const batch = () => Array.from({ length: random.int(0, 40) }, () => row(`r${n++}`, {
        name: random.pick(NAMES),
        score: random.pick([1, 2, 3, -1, null]),
        budget: random.pick([{ amount: 100, currency: 'EUR' }, { amount: 5, currency: 'EUR' }, null]),
        company: random.pick(['c1', 'c2', null]),
      }))
      for (const query of QUERIES) {
        let all = batch()
        let view = keyedRowView(all, query, fields, ctx())
        for (let b = 0; b < 5; b++) {
          const added = batch()
          all = all.concat(added)
          view = addToRowView(view, added, query, fields, ctx())
          expect(view.ids, `seed ${seed}, ${JSON.stringify(query)}, batch ${b}`).toEqual(rowView(all, query, fields, ctx()))
          expect(view).toEqual(keyedRowView(all, query, fields, ctx()))
        }
      }
    }
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
