import { describe, expect, it } from 'vitest'
import type { Row, RowPatch } from '../domain/schema'
import { diffRows } from './diffRows'
import { RemoteEntityStore } from './remoteEntityStore'
import type { EntityIntent } from './workerProtocol'

const row = (id: string, values: Row['values']): Row => ({ id, values, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'm' })

describe('RemoteEntityStore', () => {
  it('applies my edits at once, sends them as intents, and lets the worker\'s patch win', () => {
    const sent: EntityIntent[] = []
    const store = new RemoteEntityStore('contacts', [row('a', { n: 'Ada' })], 'm1', (i) => sent.push(i))
    const seen: [RowPatch, boolean][] = []
    store.subscribe((p, local) => seen.push([p, local]))
    store.updateCells([{ recordId: 'a', fieldId: 'e', value: 'ada@x.co' }])
    expect(store.row('a')?.values).toEqual({ n: 'Ada', e: 'ada@x.co' })
    expect(sent).toEqual([{ op: 'update', changes: [{ recordId: 'a', fieldId: 'e', value: 'ada@x.co' }] }])
    store.applyPatch({ added: [], updated: [row('a', { n: 'Ada', e: 'ada@y.co' })], removed: [] }, false)
    expect(store.row('a')?.values.e).toBe('ada@y.co')
    expect(seen.map(([, local]) => local)).toEqual([true, false])
  })

  it('creates with an id of its own and treats the worker\'s "added" for it as an update', () => {
    const sent: EntityIntent[] = []
    const store = new RemoteEntityStore('contacts', [], 'm1', (i) => sent.push(i))
    const patches: RowPatch[] = []
    store.subscribe((p) => patches.push(p))
    const id = store.createRecord({ n: 'Grace', empty: null })
    expect(sent).toEqual([{ op: 'create', id, values: { n: 'Grace' } }])
    store.applyPatch({ added: [row(id, { n: 'Grace' })], updated: [], removed: [] }, true)
    expect(patches[1]).toEqual({ added: [], updated: [row(id, { n: 'Grace' })], removed: [] })
    expect(store.count()).toBe(1)
  })

  it('does not repaint the worker\'s echo of an edit it already shows', () => {
    const store = new RemoteEntityStore('contacts', [row('a', { n: 'Ada', m: { amount: 100, currency: 'EUR' } })], 'm1', () => undefined)
    const patches: RowPatch[] = []
    store.subscribe((p) => patches.push(p))
    store.updateCells([{ recordId: 'a', fieldId: 'e', value: 'ada@x.co' }])
    store.applyPatch({ added: [], updated: [row('a', { n: 'Ada', m: { amount: 100, currency: 'EUR' }, e: 'ada@x.co' })], removed: [] }, true)
    expect(patches).toHaveLength(1)
    store.applyPatch({ added: [], updated: [row('a', { n: 'Ada', m: { amount: 200, currency: 'EUR' }, e: 'ada@x.co' })], removed: [] }, false)
    expect(patches).toHaveLength(2)
    expect(store.row('a')?.values.m).toEqual({ amount: 200, currency: 'EUR' })
  })

  it('replaces painted rows with the loaded ones as one patch', () => {
    const store = new RemoteEntityStore('contacts', [row('a', { n: 1 }), row('b', { n: 2 })], 'm1', () => undefined)
    const patches: RowPatch[] = []
    store.subscribe((p) => patches.push(p))
    store.replaceAll([row('b', { n: 3 }), row('c', { n: 4 })])
    expect(patches).toEqual([{ added: [row('c', { n: 4 })], updated: [row('b', { n: 3 })], removed: ['a'] }])
  })
})

describe('diffRows', () => {
  it('finds added, changed and removed rows between a snapshot and the document', () => {
    const before = [row('a', { n: 1 }), row('b', { n: 2 }), row('c', { n: 3 })]
    const after = [row('a', { n: 1 }), row('b', { n: 5 }), row('d', { n: 4 })]
    expect(diffRows(before, after)).toEqual({ added: [row('d', { n: 4 })], updated: [row('b', { n: 5 })], removed: ['c'] })
  })
})
