import { describe, expect, it } from 'vitest'
import type { EntityStore } from './entityStore'

/** Two members' entity stores on one document, and a way to sync them both ways. */
export interface UndoPair { storeA: EntityStore; storeB: EntityStore; sync: () => void }

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

    it('undoes a delete', () => {
      const { storeA } = makePair()
      const id = storeA.createRecord({ name: 'x' })
      storeA.deleteRecords([id])
      expect(storeA.rows()).toEqual([])
      storeA.history.undo()
      expect(storeA.rows().map((r) => r.id)).toEqual([id])
    })
  })
}
