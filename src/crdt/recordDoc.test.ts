import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { RowPatch } from '../domain/schema'
import { makeEntityStore } from './entityStore'
import { createRecord, deleteRecords, observeRows, readLiveRows, readRow, restoreRecords, updateCell } from './recordDoc'
import { describeUndoCases } from './undoCases.testkit'

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

describeUndoCases('per-user undo', () => {
  const a = new Y.Doc(); const b = new Y.Doc()
  return {
    storeA: makeEntityStore(a, 'contacts', 'alice'), storeB: makeEntityStore(b, 'contacts', 'bob'), sync: () => sync(a, b),
    stateB: () => Y.encodeStateAsUpdate(b), receiveB: (u) => Y.applyUpdate(b, u, 'remote'),
  }
})
