import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import {
  builtInViews, canSeeView, isViewColumnList, isViewConditionList, isViewSortList, mayWriteView, newViewId, parseViewId,
  viewProblems, viewsFor, type SavedView,
} from './savedView'

const deals = defaultSchema().entities.find((e) => e.id === 'deals')!
const view = (id: string, extra: Partial<SavedView> = {}): SavedView =>
  ({ id, entity: 'deals', name: id, filters: [], sort: [], columns: [], order: 0, createdAt: '2026-01-01T00:00:00.000Z', ...extra })

describe('saved view ids carry who may see and write them', () => {
  it('personal ids name their owner, shared ids none', () => {
    expect(newViewId({ shared: false, owner: 'ann1' }, 'Abc123xyz')).toBe('m.ann1.Abc123xyz')
    expect(newViewId({ shared: true }, 'Abc123xyz')).toBe('s.Abc123xyz')
    expect(parseViewId('m.ann1.Abc123xyz')).toEqual({ owner: 'ann1' })
    expect(parseViewId('s.Abc123xyz')).toEqual({ owner: null })
    for (const bad of ['x.Abc123xyz', 's.ab', 'm.Ann.Abc123xyz', 'm.ann.Abc123xyz.x', 's', '']) expect(parseViewId(bad), bad).toBeNull()
    expect(() => newViewId({ shared: false, owner: 'A B' }, 'Abc123xyz')).toThrow(/member id/)
  })

  it('a personal view is seen and written by its owner only; a shared one seen by all, written by editors and admins', () => {
    const mine = view('m.ann.Abc123xyz')
    const shared = view('s.Abc123xyz')
    expect(canSeeView(mine, 'ann')).toBe(true)
    expect(canSeeView(mine, 'bob')).toBe(false)
    expect(canSeeView(shared, 'bob')).toBe(true)
    expect(canSeeView({ ...shared, deletedAt: '2026-01-02T00:00:00.000Z' }, 'bob')).toBe(false)
    expect(mayWriteView(mine.id, { id: 'ann', role: 'viewer' })).toBe(true)
    expect(mayWriteView(mine.id, { id: 'bob', role: 'admin' })).toBe(false)
    expect(mayWriteView(shared.id, { id: 'bob', role: 'editor' })).toBe(true)
    expect(mayWriteView(shared.id, { id: 'bob', role: 'viewer' })).toBe(false)
    expect(viewsFor([view('s.Bbbbbbbb', { order: 2 }), mine, view('m.bob.Abc123xyz'), view('s.Cccccccc', { entity: 'contacts' }), view('s.Aaaaaaaa', { order: 1 })], 'deals', 'ann').map((v) => v.id))
      .toEqual(['m.ann.Abc123xyz', 's.Aaaaaaaa', 's.Bbbbbbbb'])
  })
})

describe('built-in views', () => {
  it('"All" everywhere, "Mine" where the entity has an owner', () => {
    expect(builtInViews(deals).map((v) => v.name)).toEqual(['All', 'Mine'])
    expect(builtInViews(deals)[1]!.filters).toEqual([{ field: 'deals.owner', op: 'isMe' }])
    const noOwner = { ...deals, fields: deals.fields.filter((f) => f.type !== 'member') }
    expect(builtInViews(noOwner).map((v) => v.name)).toEqual(['All'])
  })
})

describe('stored shapes and content rules', () => {
  it('accepts the shapes views are stored in and refuses anything else', () => {
    expect(isViewConditionList([{ field: 'deals.amount', op: 'range', from: 10, to: 20 }, { field: 'deals.owner', op: 'isMe' },
      { field: 'deals.amount', op: 'equals', value: { amount: 100, currency: 'EUR' } }])).toBe(true)
    expect(isViewConditionList([{ field: 'deals.amount', op: 'like', value: 1 }])).toBe(false)
    expect(isViewConditionList([{ field: 'deals.amount', op: 'equals', value: { nested: { deep: 1 } } }])).toBe(false)
    expect(isViewConditionList([{ field: 'deals.amount', op: 'equals', extra: 1 }])).toBe(false)
    expect(isViewConditionList({})).toBe(false)
    expect(isViewSortList([{ field: 'deals.amount', desc: true }])).toBe(true)
    expect(isViewSortList([{ field: 'deals.amount', desc: 'yes' }])).toBe(false)
    expect(isViewColumnList([{ field: 'deals.amount', width: 120 }, { field: 'deals.stage', hidden: true }])).toBe(true)
    expect(isViewColumnList([{ field: 'deals.amount', width: 1e9 }])).toBe(false)
  })

  it('names the field and the reason of what does not fit the entity', () => {
    expect(viewProblems(deals, { name: 'Big', filters: [{ field: 'deals.amount', op: 'range', from: 1000 }], sort: [{ field: 'deals.amount', desc: true }], columns: [] })).toEqual([])
    expect(viewProblems(deals, { name: ' ' })).toEqual(['A view needs a name of 1 to 80 characters'])
    expect(viewProblems(deals, { filters: [{ field: 'deals.amount', op: 'contains', value: 'x' }] })[0]).toMatch(/Amount: a money field cannot be filtered with "contains"/)
    expect(viewProblems(deals, { filters: [{ field: 'deals.amount', op: 'range' }] })[0]).toMatch(/needs a from or a to/)
    expect(viewProblems(deals, { filters: [{ field: 'nope', op: 'empty' }] })[0]).toMatch(/no field "nope"/)
    expect(viewProblems(deals, { sort: [{ field: 'nope', desc: false }] })[0]).toMatch(/Cannot sort by "nope"/)
    // a date in a period relative to today: a known period only, on dates only
    expect(viewProblems(deals, { filters: [{ field: 'deals.close_date', op: 'relative', value: 'next30Days' }] })).toEqual([])
    expect(viewProblems(deals, { filters: [{ field: 'deals.close_date', op: 'relative', value: 'someday' }] })[0]).toMatch(/Close date: "someday" is not a period/)
    expect(viewProblems(deals, { filters: [{ field: 'deals.amount', op: 'relative', value: 'today' }] })[0]).toMatch(/cannot be filtered with "relative"/)
  })
})
