import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { RowPatch } from '../domain/schema'
import { makeEntityStore } from './entityStore'
import { createRecord, deleteRecords, observeRows, readLiveRows, readRow, restoreRecords, updateCell } from './recordDoc'

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'remote')
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), 'remote')
}

describe('record document', () => {
  it('creates records and reads them as plain rows', () => {
    const doc = new Y.Doc()
    const id = createRecord(doc, { 'contacts.email': 'a@b.co', 'contacts.phone': null }, { createdBy: 'm1', now: new Date('2026-01-02T03:04:05Z') }, 'local')
    expect(readRow(doc, id)).toEqual({ id, values: { 'contacts.email': 'a@b.co' }, createdAt: '2026-01-02T03:04:05.000Z', createdBy: 'm1' })
  })

  it('merges concurrent edits of different fields of one record (both win)', () => {
    const a = new Y.Doc(); const b = new Y.Doc()
    const id = createRecord(a, { name: 'x' }, { createdBy: 'm1' }, 'a')
    sync(a, b)
    updateCell(a, id, 'email', 'a@x.co', 'a')
    updateCell(b, id, 'phone', '+491701234567', 'b')
    sync(a, b)
    expect(readRow(a, id)?.values).toEqual({ name: 'x', email: 'a@x.co', phone: '+491701234567' })
    expect(readRow(b, id)?.values).toEqual(readRow(a, id)?.values)
  })

  it('keeps an edit that races a delete, and restore brings the record back with it', () => {
    const a = new Y.Doc(); const b = new Y.Doc()
    const id = createRecord(a, { name: 'x' }, { createdBy: 'm1' }, 'a')
    sync(a, b)
    deleteRecords(a, [id], 'a')
    updateCell(b, id, 'name', 'y', 'b')
    sync(a, b)
    expect(readLiveRows(a)).toEqual([])
    restoreRecords(a, [id], 'a')
    expect(readRow(a, id)?.values.name).toBe('y')
  })

  it('reports soft deletes as removed and restores as added', () => {
    const doc = new Y.Doc()
    const id = createRecord(doc, { name: 'x' }, { createdBy: 'm1' }, 'a')
    const patches: RowPatch[] = []
    observeRows(doc, (p) => patches.push(p))
    updateCell(doc, id, 'name', 'y', 'a')
    deleteRecords(doc, [id], 'a')
    restoreRecords(doc, [id], 'a')
    expect(patches.map((p) => [p.added.length, p.updated.length, p.removed])).toEqual([[0, 1, []], [0, 0, [id]], [1, 0, []]])
  })
})

describe('per-user undo', () => {
  it('undoes and redoes only my own edits', () => {
    const a = new Y.Doc(); const b = new Y.Doc()
    const storeA = makeEntityStore(a, 'contacts', 'alice')
    const storeB = makeEntityStore(b, 'contacts', 'bob')
    const id = storeA.createRecord({ name: 'Acme' })
    sync(a, b)
    storeA.updateCells([{ recordId: id, fieldId: 'email', value: 'a@acme.co' }])
    storeB.updateCells([{ recordId: id, fieldId: 'phone', value: '+4930123456' }])
    sync(a, b)
    expect(storeA.history.undo()).toBe(true)
    sync(a, b)
    expect(storeB.row(id)?.values).toEqual({ name: 'Acme', phone: '+4930123456' })
    expect(storeA.history.redo()).toBe(true)
    sync(a, b)
    expect(storeB.row(id)?.values).toEqual({ name: 'Acme', email: 'a@acme.co', phone: '+4930123456' })
  })

  it('does not bring back my old value over a teammate\'s newer value of the same cell', () => {
    const a = new Y.Doc(); const b = new Y.Doc()
    const storeA = makeEntityStore(a, 'contacts', 'alice')
    const storeB = makeEntityStore(b, 'contacts', 'bob')
    const id = storeA.createRecord({ name: 'Acme' })
    storeA.updateCells([{ recordId: id, fieldId: 'phone', value: '+4930123456' }])
    storeA.updateCells([{ recordId: id, fieldId: 'name', value: 'Acme GmbH' }])
    sync(a, b)
    storeB.updateCells([{ recordId: id, fieldId: 'name', value: 'Acme AG' }])
    sync(a, b)
    // My rename was overwritten, so Yjs skips that step and undoes my phone edit instead.
    storeA.history.undo()
    sync(a, b)
    expect(storeA.row(id)?.values).toEqual({ name: 'Acme AG' })
    expect(storeB.row(id)?.values).toEqual({ name: 'Acme AG' })
  })

  it('undoing a create soft-deletes it and keeps a teammate\'s edit to it', () => {
    const a = new Y.Doc(); const b = new Y.Doc()
    const storeA = makeEntityStore(a, 'contacts', 'alice')
    const storeB = makeEntityStore(b, 'contacts', 'bob')
    const id = storeA.createRecord({ name: 'Acme' })
    sync(a, b)
    storeB.updateCells([{ recordId: id, fieldId: 'email', value: 'x@acme.co' }])
    sync(a, b)
    storeA.history.undo()
    sync(a, b)
    expect(storeB.rows()).toEqual([])
    expect(storeB.row(id)?.values).toEqual({ email: 'x@acme.co' })
    storeA.history.redo()
    sync(a, b)
    expect(storeB.row(id)?.values).toEqual({ name: 'Acme', email: 'x@acme.co' })
  })

  it('undoes a delete', () => {
    const doc = new Y.Doc()
    const store = makeEntityStore(doc, 'contacts', 'alice')
    const id = store.createRecord({ name: 'x' })
    store.deleteRecords([id])
    expect(store.rows()).toEqual([])
    store.history.undo()
    expect(store.rows().map((r) => r.id)).toEqual([id])
  })
})
