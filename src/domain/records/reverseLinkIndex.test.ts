import { describe, expect, test } from 'vitest'
import { seededRandom } from '../seededRandom'
import type { FieldDef, Row } from '../schema'
import { linkedIds, makeReverseLinkIndex } from './reverseLinkIndex'

const company: FieldDef = { id: 'contacts.company', key: 'company', label: 'Company', type: 'link', linkEntity: 'companies', order: 0 }
const deals: FieldDef = { id: 'contacts.deals', key: 'deals', label: 'Deals', type: 'link', linkEntity: 'deals', multiple: true, order: 1 }
const row = (id: string, values: Row['values']): Row => ({ id, values, createdAt: '2026-01-01T00:00:00Z', createdBy: 'm' })
const ids = (s: ReadonlySet<string>) => [...s].sort()

describe('makeReverseLinkIndex', () => {
  test('finds the rows naming a record, single and multiple links', () => {
    const index = makeReverseLinkIndex([company, deals], [
      row('c1', { 'contacts.company': 'acme', 'contacts.deals': ['d1', 'd2'] }),
      row('c2', { 'contacts.company': 'acme' }),
      row('c3', { 'contacts.company': 'globex', 'contacts.deals': ['d2'] }),
      row('gone', { 'contacts.company': 'acme' }),
    ].map((r) => (r.id === 'gone' ? { ...r, deletedAt: '2026-02-01T00:00:00Z' } : r)))
    expect(ids(index.sources('contacts.company', 'acme'))).toEqual(['c1', 'c2'])
    expect(ids(index.sources('contacts.deals', 'd2'))).toEqual(['c1', 'c3'])
    expect(index.sources('contacts.company', 'nobody').size).toBe(0)
    expect(index.sources('other.field', 'acme').size).toBe(0)
  })

  test('a patch moves only the changed rows: relinked, cleared, added, removed', () => {
    const index = makeReverseLinkIndex([company], [row('c1', { 'contacts.company': 'acme' }), row('c2', { 'contacts.company': 'acme' })])
    index.apply({ added: [row('c3', { 'contacts.company': 'acme' })], updated: [row('c1', { 'contacts.company': 'globex' }), row('c2', { 'contacts.company': null })], removed: [] })
    expect(ids(index.sources('contacts.company', 'acme'))).toEqual(['c3'])
    expect(ids(index.sources('contacts.company', 'globex'))).toEqual(['c1'])
    index.apply({ added: [], updated: [], removed: ['c3', 'c1'] })
    expect(index.sources('contacts.company', 'acme').size).toBe(0)
    expect(index.sources('contacts.company', 'globex').size).toBe(0)
  })

  test('after 2000 random patches it answers as an index built afresh from the rows', () => {
    const r = seededRandom(15)
    const targets = ['a', 'b', 'c', 'd']
    const live = new Map<string, Row>()
    const index = makeReverseLinkIndex([company, deals], [])
    const pick = () => r.pick(targets)
    const values = (): Row['values'] => ({
      'contacts.company': r.next() < 0.2 ? null : pick(),
      'contacts.deals': r.next() < 0.3 ? [] : [pick(), pick()].filter((v, i, all) => all.indexOf(v) === i),
    })
    for (let step = 0; step < 2000; step++) {
      const id = `r${r.int(0, 59)}`
      const roll = r.next()
      if (roll < 0.15 && live.has(id)) {
        live.delete(id)
        index.apply({ added: [], updated: [], removed: [id] })
      } else {
        const next = row(id, values())
        const added = !live.has(id)
        live.set(id, next)
        index.apply({ added: added ? [next] : [], updated: added ? [] : [next], removed: [] })
      }
    }
    const fresh = makeReverseLinkIndex([company, deals], live.values())
    for (const field of [company.id, deals.id]) {
      for (const t of targets) expect(ids(index.sources(field, t)), `${field} → ${t}`).toEqual(ids(fresh.sources(field, t)))
    }
  })

  test('linkedIds reads one id, several, or none', () => {
    expect(linkedIds('x')).toEqual(['x'])
    expect(linkedIds(['x', '', 3, 'y'])).toEqual(['x', 'y'])
    expect(linkedIds(null)).toEqual([])
    expect(linkedIds('')).toEqual([])
  })
})
