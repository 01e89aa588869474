import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readSchema, seedDefaultSchema } from '../../../src/crdt/schemaDoc'
import { createView, removeView, restoreView, updateView, viewsOf } from '../../../src/crdt/viewDoc'
import type { RelayLogger } from '../../relayLogger'
import { createMemoryStorage } from '../../storage/memoryStorage'
import { inspectUpdate } from '../inspectUpdate'
import { LayoutGuard, type Verdict } from './layoutGuard'
import { SchemaFieldTypes } from './schemaFieldTypes'

const quiet: RelayLogger = { info() {}, warn() {}, error() {} }
const ann = { id: 'ann', role: 'editor' }
const bob = { id: 'bob', role: 'editor' }
const vic = { id: 'vic', role: 'viewer' }
const spec = { name: 'Big', filters: [{ field: 'deals.amount', op: 'range' as const, from: 1000 }], sort: [{ field: 'deals.amount', desc: true }], columns: [] }

/** A seeded schema document, the relay's guard over it, and a check of a change as `member` sends it. */
function schemaRoom() {
  const doc = new Y.Doc()
  seedDefaultSchema(doc)
  const storage = createMemoryStorage()
  storage.appendUpdate('schema', Y.encodeStateAsUpdate(doc))
  const guard = new LayoutGuard({ kind: 'schema' }, new SchemaFieldTypes(storage, quiet))
  guard.build([Y.encodeStateAsUpdate(doc)], Y.decodeStateVector(Y.encodeStateVector(doc)))
  const deals = () => readSchema(doc).entities.find((e) => e.id === 'deals')!
  return {
    doc,
    guard,
    deals,
    /** The verdict on what `change` does, as `member` sends it; on a pass the room keeps it. */
    check(member: { id: string; role: string }, change: () => void): Verdict & { deletesOk: boolean } {
      const before = Y.encodeStateVector(doc)
      change()
      const update = Y.encodeStateAsUpdate(doc, before)
      const inspection = inspectUpdate(update)
      const verdict = guard.check(Y.decodeUpdate(update).structs, 'client', member, inspection.deletes)
      const deletesOk = guard.deletesOnlyWritableViews(inspection.deletes, member)
      if (verdict.ok) guard.accept(verdict.analysis, inspection)
      return { ...verdict, deletesOk }
    },
  }
}

const violation = (verdict: Verdict) => ('violation' in verdict ? verdict.violation : null)

describe('LayoutGuard (schema): saved views', () => {
  it('passes what viewDoc writes: create, update, soft delete and restore of personal and shared views', () => {
    const room = schemaRoom()
    let personal = ''
    let shared = ''
    expect(room.check(ann, () => { personal = createView(room.doc, { entity: room.deals(), shared: false, owner: 'ann', spec }, null).id })).toMatchObject({ ok: true })
    expect(room.check(ann, () => { shared = createView(room.doc, { entity: room.deals(), shared: true, owner: 'ann', spec }, null).id })).toMatchObject({ ok: true })
    expect(room.check(ann, () => updateView(room.doc, room.deals(), personal, { name: 'Bigger', sort: [] }, null))).toMatchObject({ ok: true, deletesOk: true })
    expect(violation(room.check(bob, () => updateView(room.doc, room.deals(), shared, { name: 'Team big' }, null)))).toBeNull()
    expect(room.check(ann, () => removeView(room.doc, personal, null))).toMatchObject({ ok: true })
    expect(room.check(ann, () => restoreView(room.doc, personal, null))).toMatchObject({ ok: true })
  })

  it("refuses a member writing another member's personal view, and a viewer writing a shared one", () => {
    const room = schemaRoom()
    let personal = ''
    let shared = ''
    room.check(ann, () => { personal = createView(room.doc, { entity: room.deals(), shared: false, owner: 'ann', spec }, null).id })
    room.check(ann, () => { shared = createView(room.doc, { entity: room.deals(), shared: true, owner: 'ann', spec }, null).id })
    // an overwrite of a property the room has: its view is known from the index
    expect(violation(room.check(bob, () => updateView(room.doc, room.deals(), personal, { name: 'Mine now' }, null)))).toMatch(/another member's personal view/)
    expect(violation(room.check({ id: 'bob', role: 'admin' }, () => removeView(room.doc, personal, null)))).toMatch(/another member's personal view/)
    expect(violation(room.check(bob, () => { createView(room.doc, { entity: room.deals(), shared: false, owner: 'ann', spec }, null) }))).toMatch(/another member's personal view/)
    expect(violation(room.check(vic, () => updateView(room.doc, room.deals(), shared, { name: 'x' }, null)))).toMatch(/shared view: editors and admins/)
  })

  it('lets a viewer write their own personal views and nothing else of the schema', () => {
    const room = schemaRoom()
    let own = ''
    expect(room.check(vic, () => { own = createView(room.doc, { entity: room.deals(), shared: false, owner: 'vic', spec }, null).id })).toMatchObject({ ok: true, deletesOk: true })
    const rename = room.check(vic, () => updateView(room.doc, room.deals(), own, { name: 'Renamed' }, null))
    expect(rename).toMatchObject({ ok: true, deletesOk: true })
    expect(violation(room.check(vic, () => room.doc.getMap('workspace').set('defaultCountry', 'DE')))).toMatch(/viewer/)
  })

  it("a viewer's update that deletes anything but their own views is not theirs to send", () => {
    const room = schemaRoom()
    let shared = ''
    room.check(ann, () => { shared = createView(room.doc, { entity: room.deals(), shared: true, owner: 'ann', spec }, null).id })
    // a stock client can delete without inserting: a delete set alone passes the shape check
    const verdict = room.check(vic, () => viewsOf(room.doc).get(shared)!.delete('name'))
    expect(violation(verdict)).toMatch(/shared view: editors and admins/)
    expect(verdict.deletesOk).toBe(false)
    const field = room.check(vic, () => (room.doc.getMap('entities').get('deals') as Y.Map<Y.Map<unknown>>).get('fields')!.delete('deals.amount'))
    expect(field.deletesOk).toBe(false)
  })

  it("refuses an editor's delete of another member's personal view, which a stock client can make without an insert", () => {
    const room = schemaRoom()
    let personal = ''
    let shared = ''
    room.check(ann, () => { personal = createView(room.doc, { entity: room.deals(), shared: false, owner: 'ann', spec }, null).id })
    room.check(ann, () => { shared = createView(room.doc, { entity: room.deals(), shared: true, owner: 'ann', spec }, null).id })
    // a shared view's entries are an editor's to delete; the owner deletes their own
    expect(room.check(bob, () => viewsOf(room.doc).get(shared)!.delete('sort'))).toMatchObject({ ok: true })
    expect(room.check(ann, () => viewsOf(room.doc).get(personal)!.delete('sort'))).toMatchObject({ ok: true })
    // the whole delete set again (a sync step 2 carries it): the others' old deletions are no one's new ones
    expect(room.check(bob, () => updateView(room.doc, room.deals(), shared, { name: 'Again' }, null))).toMatchObject({ ok: true })
    expect(violation(room.check(bob, () => viewsOf(room.doc).get(personal)!.delete('name')))).toMatch(/deletes part of views\["m\.ann\.[A-Za-z0-9]+"\], another member's personal view/)
    expect(violation(room.check(bob, () => viewsOf(room.doc).delete(personal)))).toMatch(/another member's personal view/)
  })

  it('refuses view entries of other shapes with the place and the reason', () => {
    const cases: Array<[(views: Y.Map<unknown>) => void, RegExp]> = [
      [(v) => v.set('nonsense', new Y.Map()), /views\["nonsense"\] is not a view id/],
      [(v) => v.set('s.Abcdef123', 'a string'), /expected a view map/],
      [(v) => { const y = new Y.Map(); v.set('s.Abcdef123', y); y.set('filters', [{ field: 'x', op: 'like' }]) }, /views\["s.Abcdef123"\]'s entry "filters" is a list, expected a value of that property/],
      [(v) => { const y = new Y.Map(); v.set('s.Abcdef123', y); y.set('sort', 'amount') }, /"sort" is a string/],
      [(v) => { const y = new Y.Map(); v.set('s.Abcdef123', y); y.set('name', '') }, /"name" is a string/],
      [(v) => { const y = new Y.Map(); v.set('s.Abcdef123', y); y.set('colour', 'red') }, /"colour" is not a known property/],
      [(v) => { const y = new Y.Map(); v.set('s.Abcdef123', y); y.set('columns', new Y.Map()) }, /"columns" is a Y.Map/],
    ]
    for (const [change, expected] of cases) {
      const room = schemaRoom()
      expect(violation(room.check(ann, () => change(viewsOf(room.doc) as Y.Map<unknown>)))).toMatch(expected)
    }
  })
})
