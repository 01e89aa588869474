import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Row, RowPatch } from '../domain/schema'
import { CompactRecordStore } from './compactRecordStore'
import { createRecord, deleteRecords, observeRows, readAllRows, readLiveRows, restoreRecords, updateCells } from './recordDoc'

const byId = (rows: Row[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id))
const normalize = (p: RowPatch) => ({ added: byId(p.added), updated: byId(p.updated), removed: [...p.removed].sort() })
const now = new Date('2026-11-27T10:00:00Z')

function docWithRecords(n: number, clientID = 1): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = clientID
  for (let i = 0; i < n; i++) createRecord(doc, { name: `n${i}`, amount: i, tags: ['a', String(i)], flag: i % 2 === 0 }, { id: `r${i}`, createdBy: 'm1', now }, null)
  return doc
}

/** A Y.Doc and a store fed the same updates, patches of both collected. */
function pair(doc: Y.Doc) {
  const store = new CompactRecordStore({ clientID: 99 })
  store.load([Y.encodeStateAsUpdate(doc)])
  const replica = new Y.Doc()
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc))
  return { store, replica }
}

function applyBoth(store: CompactRecordStore, replica: Y.Doc, update: Uint8Array): { compact: RowPatch; yjs: RowPatch } {
  const patches: RowPatch[] = []
  const stop = observeRows(replica, (p) => patches.push(p))
  Y.applyUpdate(replica, update)
  stop()
  const compact = store.applyUpdate(update)
  const yjs = patches[0] ?? { added: [], updated: [], removed: [] }
  return { compact, yjs }
}

function expectSame(store: CompactRecordStore, doc: Y.Doc) {
  expect(byId(store.allRows())).toEqual(byId(readAllRows(doc)))
  expect(byId(store.rows())).toEqual(byId(readLiveRows(doc)))
  expect(store.count()).toBe(readLiveRows(doc).length)
  expect(Y.decodeStateVector(store.encodeStateVector())).toEqual(Y.decodeStateVector(Y.encodeStateVector(doc)))
}

describe('CompactRecordStore load', () => {
  it('reads the rows of a document without a Y.Doc', () => {
    const doc = docWithRecords(20)
    updateCells(doc, [{ recordId: 'r1', fieldId: 'name', value: 'x' }, { recordId: 'r2', fieldId: 'name', value: null }], null)
    deleteRecords(doc, ['r3'], null, now)
    restoreRecords(doc, ['r3'], null)
    deleteRecords(doc, ['r4'], null, now)
    const { store } = pair(doc)
    expectSame(store, doc)
    expect(store.stats.docPaths).toBe(0)
  })

  it('loads many stored updates (y-indexeddb rows) and resolves concurrent writes like Yjs', () => {
    const a = docWithRecords(5, 10)
    const b = new Y.Doc()
    b.clientID = 20
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    const updates: Uint8Array[] = [Y.encodeStateAsUpdate(a)]
    a.on('update', (u: Uint8Array) => updates.push(u))
    b.on('update', (u: Uint8Array) => updates.push(u))
    updateCells(a, [{ recordId: 'r1', fieldId: 'name', value: 'from a' }], null)
    updateCells(b, [{ recordId: 'r1', fieldId: 'name', value: 'from b' }], null)
    updateCells(b, [{ recordId: 'r2', fieldId: 'name', value: 'b only' }], null)
    updateCells(b, [{ recordId: 'r2', fieldId: 'name', value: null }], null)
    updateCells(a, [{ recordId: 'r2', fieldId: 'name', value: 'a after' }], null)
    // raw updates of two docs: the loser of r1.name is not in any delete set
    const store = new CompactRecordStore()
    store.load(updates)
    const merged = new Y.Doc()
    for (const u of updates) Y.applyUpdate(merged, u)
    expectSame(store, merged)
    expect(store.stats.docPaths).toBe(0)
  })
})

describe('CompactRecordStore remote updates', () => {
  it('applies a Y.Doc client edits directly with the same rows and patches', () => {
    const doc = docWithRecords(10)
    const { store, replica } = pair(doc)
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    updateCells(doc, [{ recordId: 'r1', fieldId: 'name', value: 'changed' }, { recordId: 'r1', fieldId: 'new', value: { a: [1, 2] } }], null)
    updateCells(doc, [{ recordId: 'r2', fieldId: 'amount', value: null }], null)
    updateCells(doc, [{ recordId: 'r2', fieldId: 'amount', value: 5 }], null)
    deleteRecords(doc, ['r3', 'r4'], null, now)
    restoreRecords(doc, ['r4'], null)
    createRecord(doc, { name: 'fresh' }, { id: 'new1', createdBy: 'm2', now }, null)
    for (const u of updates) {
      const { compact, yjs } = applyBoth(store, replica, u)
      expect(normalize(compact)).toEqual(normalize(yjs))
    }
    expectSame(store, doc)
    expect(store.stats.docPaths).toBe(0)
  })

  it('takes the Y.Doc path for a concurrent write of one cell', () => {
    const doc = docWithRecords(3, 10)
    const { store, replica } = pair(doc)
    const other = new Y.Doc()
    other.clientID = 5
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    const u1: Uint8Array[] = []
    const u2: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => u1.push(u))
    other.on('update', (u: Uint8Array) => u2.push(u))
    updateCells(doc, [{ recordId: 'r0', fieldId: 'name', value: 'ten' }], null)
    updateCells(other, [{ recordId: 'r0', fieldId: 'name', value: 'five' }], null)
    for (const u of [...u1, ...u2]) {
      const { compact, yjs } = applyBoth(store, replica, u)
      expect(normalize(compact)).toEqual(normalize(yjs))
    }
    expectSame(store, replica)
    expect(store.stats.docPaths).toBe(1)
  })

  it('keeps an update whose dependencies are missing until they arrive', () => {
    const doc = docWithRecords(2)
    const { store, replica } = pair(doc)
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    updateCells(doc, [{ recordId: 'r0', fieldId: 'name', value: 'one' }], null)
    updateCells(doc, [{ recordId: 'r0', fieldId: 'name', value: 'two' }], null)
    updateCells(doc, [{ recordId: 'r1', fieldId: 'name', value: null }], null)
    for (const u of [updates[2]!, updates[1]!, updates[0]!]) {
      const { compact, yjs } = applyBoth(store, replica, u)
      expect(normalize(compact)).toEqual(normalize(yjs))
    }
    expectSame(store, doc)
  })
})

describe('CompactRecordStore local operations', () => {
  it('produces updates a Y.Doc applies to the same rows', () => {
    const doc = docWithRecords(4)
    const { store, replica } = pair(doc)
    const changes = [
      store.createRecord({ name: 'mine', amount: 3, empty: null }, { id: 'm1', createdBy: 'me', now }),
      store.updateCells([{ recordId: 'm1', fieldId: 'name', value: 'again' }, { recordId: 'r0', fieldId: 'name', value: 'x' }, { recordId: 'r0', fieldId: 'name', value: 'y' }]),
      store.updateCells([{ recordId: 'r1', fieldId: 'amount', value: null }, { recordId: 'r1', fieldId: 'tags', value: ['a', '1'] }]),
      store.updateCells([{ recordId: 'r1', fieldId: 'amount', value: 7 }]),
      store.deleteRecords(['r2', 'm1'], now),
      store.restoreRecords(['r2']),
    ]
    for (const { update, patch } of changes) {
      const patches: RowPatch[] = []
      const stop = observeRows(replica, (p) => patches.push(p))
      Y.applyUpdate(replica, update)
      stop()
      expect(normalize(patch)).toEqual(normalize(patches[0] ?? { added: [], updated: [], removed: [] }))
    }
    expectSame(store, replica)
    expect(() => store.updateCells([{ recordId: 'nope', fieldId: 'a', value: 1 }])).toThrow(/Unknown record/)
    expect(() => store.createRecord({}, { id: 'r0', createdBy: 'me' })).toThrow(/already exists/)
    // and the store's own state round-trips
    const again = new CompactRecordStore()
    again.load([store.encodeStateAsUpdate()])
    expectSame(again, replica)
  })
})
