import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CompactRecordStore } from './compactRecordStore'
import { createRecord, readAllRows, updateCells } from './recordDoc'
import { splitRecordCreations } from './splitRecordCreations'

const now = new Date('2026-12-06T10:00:00Z')
const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id))

function docOf(updates: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc()
  for (const u of updates) Y.applyUpdate(doc, u)
  return doc
}

describe('splitRecordCreations', () => {
  it('cuts a batch of created records into pieces of whole records that make the same document in order', () => {
    const store = new CompactRecordStore({ clientID: 42 })
    store.load([])
    const records = Array.from({ length: 250 }, (_, i) => ({ id: `c${i}`, values: { name: `Contact ${i}`, tags: ['a', String(i)], amount: i, note: i % 7 ? 'Grüße 🙂' : null } }))
    const { update } = store.createRecords(records, { createdBy: 'm1', now })
    const pieces = splitRecordCreations(update, 100)!
    expect(pieces).toHaveLength(3)
    const whole = docOf([update])
    const fromPieces = docOf(pieces)
    expect(byId(readAllRows(fromPieces))).toEqual(byId(readAllRows(whole)))
    expect(Y.encodeStateVector(fromPieces)).toEqual(Y.encodeStateVector(whole))
    // each piece is whole records: the first 100 records are all there after the first piece alone
    const first = readAllRows(docOf(pieces.slice(0, 1)))
    expect(first.map((r) => r.id).sort()).toEqual(records.slice(0, 100).map((r) => r.id).sort())
    expect(first.find((r) => r.id === 'c99')?.values.name).toBe('Contact 99')
  })

  it('keeps the delete set for the last piece (values replaced in the same transaction)', () => {
    const doc = new Y.Doc()
    doc.clientID = 7
    const before = Y.encodeStateVector(doc)
    doc.transact(() => {
      for (let i = 0; i < 30; i++) createRecord(doc, { name: `n${i}` }, { id: `r${i}`, createdBy: 'm1', now }, null)
      updateCells(doc, [{ recordId: 'r3', fieldId: 'name', value: 'renamed' }, { recordId: 'r25', fieldId: 'name', value: null }], null, now)
    })
    const update = Y.encodeStateAsUpdate(doc, before)
    const pieces = splitRecordCreations(update, 10)!
    expect(pieces).toHaveLength(3)
    expect(byId(readAllRows(docOf(pieces)))).toEqual(byId(readAllRows(doc)))
    expect(readAllRows(docOf(pieces)).find((r) => r.id === 'r25')?.values.name).toBeUndefined()
  })

  it('takes other updates whole: several clients, cell edits only, too few records', () => {
    const a = new Y.Doc()
    a.clientID = 1
    for (let i = 0; i < 20; i++) createRecord(a, { name: `n${i}` }, { id: `a${i}`, createdBy: 'm1', now }, null)
    const b = new Y.Doc()
    b.clientID = 2
    for (let i = 0; i < 20; i++) createRecord(b, { name: `n${i}` }, { id: `b${i}`, createdBy: 'm1', now }, null)
    expect(splitRecordCreations(Y.mergeUpdates([Y.encodeStateAsUpdate(a), Y.encodeStateAsUpdate(b)]), 5)).toBeNull()
    const sv = Y.encodeStateVector(a)
    updateCells(a, Array.from({ length: 20 }, (_, i) => ({ recordId: `a${i}`, fieldId: 'name', value: `m${i}` })), null, now)
    expect(splitRecordCreations(Y.encodeStateAsUpdate(a, sv), 5)).toBeNull()
    expect(splitRecordCreations(Y.encodeStateAsUpdate(b), 50)).toBeNull()
  })
})
