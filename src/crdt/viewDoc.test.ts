import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { observeSchema, readSchema, seedDefaultSchema, SchemaError } from './schemaDoc'
import { createView, readViews, removeView, restoreView, updateView } from './viewDoc'

const seeded = () => {
  const doc = new Y.Doc()
  seedDefaultSchema(doc)
  return doc
}
const deals = (doc: Y.Doc) => readSchema(doc).entities.find((e) => e.id === 'deals')!
const bigDeals = { name: 'Big deals', filters: [{ field: 'deals.amount', op: 'range' as const, from: 10000 }], sort: [{ field: 'deals.amount', desc: true }], columns: [{ field: 'deals.contacts', hidden: true }] }

describe('saved views in the schema document', () => {
  it('creates personal and shared views with ids that say so, updates, removes softly and restores', () => {
    const doc = seeded()
    const personal = createView(doc, { entity: deals(doc), shared: false, owner: 'ann', spec: bigDeals }, null)
    const shared = createView(doc, { entity: deals(doc), shared: true, owner: 'ann', spec: { ...bigDeals, name: ' Team ' } }, null)
    expect(personal.id).toMatch(/^m\.ann\.[A-Za-z0-9]{12}$/)
    expect(shared.id).toMatch(/^s\.[A-Za-z0-9]{12}$/)
    expect(readViews(doc).map((v) => [v.name, v.order])).toEqual([['Big deals', 0], ['Team', 1]])
    expect(readSchema(doc).views?.find((v) => v.id === personal.id)).toEqual(personal)
    updateView(doc, deals(doc), shared.id, { sort: [{ field: 'deals.title', desc: false }] }, null)
    expect(readViews(doc).find((v) => v.id === shared.id)?.sort).toEqual([{ field: 'deals.title', desc: false }])
    removeView(doc, shared.id, null, new Date('2026-11-27T10:00:00Z'))
    expect(readViews(doc).find((v) => v.id === shared.id)?.deletedAt).toBe('2026-11-27T10:00:00.000Z')
    restoreView(doc, shared.id, null)
    expect(readViews(doc).find((v) => v.id === shared.id)?.deletedAt).toBeUndefined()
  })

  it('refuses what does not fit the entity, naming the field and the reason', () => {
    const doc = seeded()
    expect(() => createView(doc, { entity: deals(doc), shared: true, owner: 'ann', spec: { ...bigDeals, filters: [{ field: 'deals.amount', op: 'contains', value: 'x' }] } }, null))
      .toThrow(SchemaError)
    expect(() => updateView(doc, deals(doc), 's.nothere123', { name: 'x' }, null)).toThrow(/Unknown view/)
    expect(readViews(doc)).toEqual([])
  })

  it('two members editing different properties of one shared view both win', () => {
    const a = seeded()
    const view = createView(a, { entity: deals(a), shared: true, owner: 'ann', spec: bigDeals }, null)
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    updateView(a, deals(a), view.id, { name: 'Whales' }, null)
    updateView(b, deals(b), view.id, { sort: [{ field: 'deals.title', desc: false }] }, null)
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    for (const doc of [a, b]) expect(readViews(doc)[0]).toMatchObject({ name: 'Whales', sort: [{ field: 'deals.title', desc: false }] })
  })

  it('a change to a view reaches schema listeners', () => {
    const doc = seeded()
    const seen: number[] = []
    const stop = observeSchema(doc, (schema) => seen.push(schema.views?.length ?? -1))
    createView(doc, { entity: deals(doc), shared: true, owner: 'ann', spec: bigDeals }, null)
    stop()
    expect(seen).toEqual([1])
  })

  it('reads a property of the wrong shape as empty (any stock client can write one)', () => {
    const doc = seeded()
    const view = createView(doc, { entity: deals(doc), shared: true, owner: 'ann', spec: bigDeals }, null)
    doc.getMap<Y.Map<unknown>>('views').get(view.id)!.set('filters', 'not a list')
    expect(readViews(doc)[0]?.filters).toEqual([])
  })
})
