import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import type { SavedView } from './savedView'
import { viewJson, viewSortParam } from './viewApi'

const deals = defaultSchema().entities.find((e) => e.id === 'deals')!
const view: SavedView = {
  id: 'm.ann.Abcdef123', entity: 'deals', name: 'Mine, big', order: 0, createdAt: '2026-11-27T10:00:00.000Z',
  filters: [{ field: 'deals.owner', op: 'isMe' }, { field: 'fGone', op: 'empty' }],
  sort: [{ field: 'deals.amount', desc: true }, { field: 'deals.title', desc: false }, { field: 'fGone', desc: false }],
  columns: [{ field: 'deals.contacts', hidden: true }],
}

describe('saved views over HTTP', () => {
  it('names fields by their API keys and leaves out removed ones', () => {
    expect(viewJson(view, deals)).toEqual({
      id: 'm.ann.Abcdef123', entity: 'deals', name: 'Mine, big', shared: false, owner: 'ann',
      filters: [{ field: 'owner', op: 'isMe' }], sort: [{ field: 'amount', desc: true }, { field: 'title', desc: false }],
      columns: [{ field: 'contacts', hidden: true }], created_at: '2026-11-27T10:00:00.000Z',
    })
  })

  it("gives the view's sort as the list's sort parameter", () => {
    expect(viewSortParam(deals, view.sort)).toBe('-amount,title')
    expect(viewSortParam(deals, [])).toBe('')
  })
})
