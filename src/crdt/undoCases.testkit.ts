import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { EntityStore } from './entityStore'
import { recordsOf } from './recordDoc'

/**
 * Two members' entity stores on one document, and a way to sync them both ways. `stateB` and
 * `receiveB` let a stock Yjs client write next to B, whatever holds B's document.
 */
export interface UndoPair { storeA: EntityStore; storeB: EntityStore; sync: () => void; stateB: () => Uint8Array; receiveB: (update: Uint8Array) => void }

/** A stock Yjs client that starts from B's state, runs `edit` and sends B what it wrote. */
function strangerEdits(pair: UndoPair, edit: (doc: Y.Doc) => void): void {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, pair.stateB())
  const before = Y.encodeStateVector(doc)
  edit(doc)
  pair.receiveB(Y.encodeStateAsUpdate(doc, before))
}

/**
 * The per-member undo cases every EntityStore must pass, whatever holds its document (a Y.Doc in
 * recordDoc.test.ts, a CompactRecordStore in compactEntityStore.test.ts).
 */
export function describeUndoCases(name: string, makePair: () => UndoPair): void {
  describe(name, () => {
    it('undoes and redoes only my own edits', () => {
      const { storeA, storeB, sync } = makePair()
      const id = storeA.createRecord({ name: 'Acme' })
      sync()
      storeA.updateCells([{ recordId: id, fieldId: 'email', value: 'a@acme.co' }])
      storeB.updateCells([{ recordId: id, fieldId: 'phone', value: '+4930123456' }])
      sync()
      expect(storeA.history.undo()).toBe(true)
      sync()
      expect(storeB.row(id)?.values).toEqual({ name: 'Acme', phone: '+4930123456' })
      expect(storeA.history.redo()).toBe(true)
      sync()
      expect(storeB.row(id)?.values).toEqual({ name: 'Acme', email: 'a@acme.co', phone: '+4930123456' })
    })

    it('does not bring back my old value over a teammate\'s newer value of the same cell', () => {
      const { storeA, storeB, sync } = makePair()
      const id = storeA.createRecord({ name: 'Acme' })
      storeA.updateCells([{ recordId: id, fieldId: 'phone', value: '+4930123456' }])
      storeA.updateCells([{ recordId: id, fieldId: 'name', value: 'Acme GmbH' }])
      sync()
      storeB.updateCells([{ recordId: id, fieldId: 'name', value: 'Acme AG' }])
      sync()
      // my rename was overwritten, so that step changes nothing and my phone edit is undone instead
      storeA.history.undo()
      sync()
      expect(storeA.row(id)?.values).toEqual({ name: 'Acme AG' })
      expect(storeB.row(id)?.values).toEqual({ name: 'Acme AG' })
    })

    it('undoing a create hides it and keeps a teammate\'s edit to it', () => {
      const { storeA, storeB, sync } = makePair()
      const id = storeA.createRecord({ name: 'Acme' })
      sync()
      storeB.updateCells([{ recordId: id, fieldId: 'email', value: 'x@acme.co' }])
      sync()
      storeA.history.undo()
      sync()
      expect(storeB.rows()).toEqual([])
      expect(storeB.row(id)?.values).toEqual({ email: 'x@acme.co' })
      expect(storeB.row(id)?.createdBy).toBe('alice')
      storeA.history.redo()
      sync()
      expect(storeB.row(id)?.values).toEqual({ name: 'Acme', email: 'x@acme.co' })
    })

    for (const how of ['replaces', 'removes'] as const) {
      it(`undo neither throws nor touches a record whose map another client ${how} (the rest of the step is undone)`, () => {
        const pair = makePair()
        const { storeA, storeB, sync } = pair
        const id = storeA.createRecord({ name: 'Acme' })
        const other = storeA.createRecord({ name: 'Other' })
        sync()
        // overwrites: undoing them re-writes the old values, which must not land in a fresh map
        storeA.updateCells([{ recordId: id, fieldId: 'name', value: 'Acme GmbH' }, { recordId: other, fieldId: 'name', value: 'Other AG' }])
        sync()
        strangerEdits(pair, (doc) => {
          // a teammate's client before the relay checked layouts, or a restore writing a fresh map
          if (how === 'removes') { recordsOf(doc).delete(id); return }
          const fresh = new Y.Map<unknown>()
          recordsOf(doc).set(id, fresh)
          fresh.set('$createdAt', '2026-12-01T10:00:00.000Z')
          fresh.set('name', 'Acme 2')
        })
        sync()
        expect(() => storeA.history.undo()).not.toThrow()
        sync()
        expect(storeA.row(other)?.values).toEqual({ name: 'Other' })
        expect(storeA.row(id)?.values).toEqual(how === 'replaces' ? { name: 'Acme 2' } : undefined)
        expect(storeB.rows()).toEqual(storeA.rows())
        // the store stays usable: redo, more undo, and edits both ways still sync
        expect(() => { storeA.history.redo(); storeA.history.undo(); storeA.history.undo() }).not.toThrow()
        storeA.updateCells([{ recordId: other, fieldId: 'phone', value: '+4930123' }])
        storeB.updateCells([{ recordId: other, fieldId: 'city', value: 'Berlin' }])
        sync()
        expect(storeB.row(other)?.values).toMatchObject({ phone: '+4930123', city: 'Berlin' })
        expect(storeB.rows()).toEqual(storeA.rows())
      })
    }

    it('an untracked write (an issued document) is no undo step, and no undo or redo takes it back', () => {
      const { storeA, storeB, sync } = makePair()
      const id = storeA.createRecord({ name: 'Acme' })
      storeA.updateCells([{ recordId: id, fieldId: 'email', value: 'a@acme.co' }])
      storeA.updateCellsUntracked([{ recordId: id, fieldId: 'document@d1', value: 'issued' }])
      sync()
      expect(storeB.row(id)?.values).toEqual({ name: 'Acme', email: 'a@acme.co', 'document@d1': 'issued' })
      // the next undo is the email edit before it, and the entry stays through undo and redo
      expect(storeA.history.undo()).toBe(true)
      sync()
      expect(storeB.row(id)?.values).toEqual({ name: 'Acme', 'document@d1': 'issued' })
      expect(storeA.history.redo()).toBe(true)
      sync()
      expect(storeB.row(id)?.values).toEqual({ name: 'Acme', email: 'a@acme.co', 'document@d1': 'issued' })
      expect(storeA.row(id)?.values['document@d1']).toBe('issued')
    })

    it('undoes a delete', () => {
      const { storeA } = makePair()
      const id = storeA.createRecord({ name: 'x' })
      storeA.deleteRecords([id])
      expect(storeA.rows()).toEqual([])
      storeA.history.undo()
      expect(storeA.rows().map((r) => r.id)).toEqual([id])
    })

    it('a deleted record stays readable by id on every copy (deletedRows) until an undo or a restore makes it live again', async () => {
      const { storeA, storeB, sync } = makePair()
      const acme = storeA.createRecord({ name: 'Acme GmbH' })
      const globex = storeA.createRecord({ name: 'Globex' })
      sync()
      storeA.deleteRecords([acme])
      sync()
      for (const store of [storeA, storeB]) {
        expect(store.rows().map((r) => r.id)).toEqual([globex])
        const deleted = await store.deletedRows([acme, globex, 'nobody'])
        expect(deleted.map((r) => [r.id, r.values.name, !!r.deletedAt])).toEqual([[acme, 'Acme GmbH', true]])
      }
      expect(storeA.history.undo()).toBe(true)
      sync()
      expect(await storeB.deletedRows([acme])).toEqual([])
      expect(storeB.row(acme)?.values.name).toBe('Acme GmbH')
      storeB.deleteRecords([acme])
      sync()
      expect((await storeA.deletedRows([acme])).map((r) => r.id)).toEqual([acme])
      storeA.restoreRecords([acme])
      sync()
      expect(await storeB.deletedRows([acme])).toEqual([])
      expect(storeB.rows().map((r) => r.id).sort()).toEqual([acme, globex].sort())
    })

    it('the trash lists deleted records with who deleted them, newest first, on every copy; an undo or a restore takes them out', async () => {
      const { storeA, storeB, sync } = makePair()
      const acme = storeA.createRecord({ name: 'Acme GmbH' })
      const globex = storeA.createRecord({ name: 'Globex' })
      const initech = storeA.createRecord({ name: 'Initech' })
      sync()
      storeA.deleteRecords([acme, globex])
      sync()
      await new Promise((r) => setTimeout(r, 2))
      storeB.deleteRecords([initech])
      sync()
      for (const store of [storeA, storeB]) {
        const trash = await store.trash()
        expect(trash.map((r) => [r.id, r.deletedBy])).toEqual([[initech, 'bob'], ...[[acme, 'alice'], [globex, 'alice']].sort((x, y) => x[0]!.localeCompare(y[0]!))])
        expect(trash[0]!.values.name).toBe('Initech')
      }
      // one delete of two records is one undo step
      expect(storeA.history.undo()).toBe(true)
      sync()
      expect((await storeB.trash()).map((r) => r.id)).toEqual([initech])
      expect(storeB.row(acme)?.deletedBy).toBeUndefined()
      storeA.restoreRecords([initech])
      sync()
      expect(await storeB.trash()).toEqual([])
      expect(storeB.row(initech)).toMatchObject({ values: { name: 'Initech' } })
      expect(storeB.row(initech)?.deletedBy).toBeUndefined()
    })

    it('a purge takes a record out of the trash and its values out of the document on every copy, and cannot be restored', async () => {
      const { storeA, storeB, sync, stateB } = makePair()
      const acme = storeA.createRecord({ name: 'Acme GmbH', email: 'info@acme.example' })
      storeA.updateCells([{ recordId: acme, fieldId: 'phone', value: '+4930123456' }])
      storeA.deleteRecords([acme])
      sync()
      storeB.purgeRecords([acme])
      sync()
      for (const store of [storeA, storeB]) {
        expect(await store.trash()).toEqual([])
        expect(await store.deletedRows([acme])).toEqual([])
        expect(store.rows()).toEqual([])
        expect(store.row(acme)?.values ?? {}).toEqual({})
        expect(store.row(acme)?.purgedAt).toMatch(/^\d{4}-/)
      }
      // a garbage-collecting Y.Doc of the document holds none of the purged values
      const doc = new Y.Doc({ gc: true })
      Y.applyUpdate(doc, stateB())
      const bytes = new TextDecoder().decode(Y.encodeStateAsUpdate(doc))
      for (const text of ['Acme GmbH', 'info@acme.example', '+4930123456']) expect(bytes).not.toContain(text)
      expect(() => storeA.restoreRecords([acme])).toThrow(/purged/)
      // the delete's undo brings nothing back
      storeA.history.undo()
      sync()
      expect(storeB.rows()).toEqual([])
      expect(await storeB.trash()).toEqual([])
    })

    it('a batch of created records and cell updates is one undo step (a paste), and one redo', () => {
      const { storeA, storeB, sync } = makePair()
      const ada = storeA.createRecord({ name: 'Ada' })
      const grace = storeA.createRecord({ name: 'Grace', email: 'g@navy.example' })
      storeA.writeBatch({
        updates: [{ recordId: ada, fieldId: 'email', value: 'ada@example.com' }, { recordId: grace, fieldId: 'email', value: null }],
        creates: [{ id: 'new1', values: { name: 'Alan', email: 'alan@example.com' } }, { id: 'new2', values: { name: 'Edsger', phone: null } }],
      })
      sync()
      expect(storeB.rows().map((r) => r.values.name).sort()).toEqual(['Ada', 'Alan', 'Edsger', 'Grace'])
      expect(storeB.row('new2')?.values).toEqual({ name: 'Edsger' })
      expect(storeB.row(grace)?.values).toEqual({ name: 'Grace' })
      expect(storeA.history.undo()).toBe(true)
      sync()
      expect(storeB.rows().map((r) => r.values)).toEqual([{ name: 'Ada' }, { name: 'Grace', email: 'g@navy.example' }])
      expect(storeA.history.redo()).toBe(true)
      sync()
      expect(storeB.row(ada)?.values).toEqual({ name: 'Ada', email: 'ada@example.com' })
      expect(storeB.row('new1')?.values).toEqual({ name: 'Alan', email: 'alan@example.com' })
      expect(storeB.count()).toBe(4)
    })

    it('a batch naming an unknown record or an existing id writes nothing', () => {
      const { storeA } = makePair()
      const ada = storeA.createRecord({ name: 'Ada' })
      expect(() => storeA.writeBatch({ creates: [{ id: 'x1', values: { name: 'X' } }], updates: [{ recordId: 'nope', fieldId: 'name', value: 'Y' }] })).toThrow(/Unknown record/)
      expect(() => storeA.writeBatch({ creates: [{ id: 'x1', values: {} }, { id: ada, values: {} }], updates: [] })).toThrow(/already exists/)
      expect(storeA.rows().map((r) => r.id)).toEqual([ada])
      // the failed batches are no undo step: undo takes back the create
      storeA.history.undo()
      expect(storeA.count()).toBe(0)
    })
  })
}
