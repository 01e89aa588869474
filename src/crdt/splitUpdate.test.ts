import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CompactRecordStore } from './compactRecordStore'
import { createRecord, readAllRows, updateCells } from './recordDoc'
import { splitUpdate } from './splitUpdate'

const now = new Date('2026-12-06T10:00:00Z')
const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id))

function docOf(updates: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc()
  for (const u of updates) Y.applyUpdate(doc, u)
  return doc
}

function contacts(from: number, count: number) {
  return Array.from({ length: count }, (_, k) => ({ id: `c${from + k}`, values: { name: `Contact ${from + k}`, email: `c${from + k}@example.com`, note: k % 7 ? 'Grüße 🙂' : null, tags: ['a', String(k)] } }))
}

describe('splitUpdate', () => {
  it('cuts an import of many batches into pieces of about maxBytes that make the same document in order, each a valid update', () => {
    const store = new CompactRecordStore({ clientID: 42 })
    store.load([])
    for (let b = 0; b < 5; b++) store.createRecords(contacts(b * 400, 400), { createdBy: 'm1', now })
    const whole = store.encodeStateAsUpdate()
    const pieces = [...splitUpdate(whole, { maxBytes: 16 * 1024 })]
    expect(pieces.length).toBeGreaterThan(whole.byteLength / (32 * 1024))
    for (const p of pieces) expect(p.update.byteLength).toBeLessThanOrEqual(2 * 16 * 1024 + 64)
    const fromPieces = docOf(pieces.map((p) => p.update))
    expect(byId(readAllRows(fromPieces))).toEqual(byId(readAllRows(docOf([whole]))))
    expect(Y.encodeStateVector(fromPieces)).toEqual(Y.encodeStateVectorFromUpdate(whole))
    // each piece applies on its own after the ones before: nothing left pending, whole records only
    const doc = new Y.Doc()
    let clock = 0
    for (const p of pieces) {
      Y.applyUpdate(doc, p.update)
      expect(doc.store.pendingStructs).toBeNull()
      clock = Y.getState(doc.store, 42)
      expect(p.ends.get(42)).toBe(clock)
      for (const row of readAllRows(doc)) expect(row.values.email).toBe(`${row.id}@example.com`)
    }
  })

  it('keeps the delete set for the last piece and puts the listed clients first, an older session before a newer one', () => {
    const older = new Y.Doc()
    older.clientID = 5
    older.transact(() => { for (let i = 0; i < 300; i++) createRecord(older, { name: `n${i}`, note: 'x'.repeat(40) }, { id: `r${i}`, createdBy: 'm1', now }, null) })
    // a newer session (a higher client id: yjs writes it first) edits and clears the older one's records
    const newer = new Y.Doc()
    newer.clientID = 900
    Y.applyUpdate(newer, Y.encodeStateAsUpdate(older))
    newer.transact(() => {
      for (let i = 0; i < 300; i += 2) updateCells(newer, [{ recordId: `r${i}`, fieldId: 'name', value: `renamed ${i}` }], null, now)
      updateCells(newer, [{ recordId: 'r1', fieldId: 'note', value: null }], null, now)
    })
    const whole = Y.encodeStateAsUpdate(newer)
    const pieces = [...splitUpdate(whole, { maxBytes: 4 * 1024, clientOrder: [5, 900] })]
    expect(pieces.length).toBeGreaterThan(3)
    // the older session's structs all come before the newer one's
    const firstNewer = pieces.findIndex((p) => p.ends.has(900))
    expect(pieces.slice(firstNewer).every((p) => !p.ends.has(5))).toBe(true)
    const doc = new Y.Doc()
    for (const p of pieces) {
      Y.applyUpdate(doc, p.update)
      expect(doc.store.pendingStructs).toBeNull()
    }
    expect(byId(readAllRows(doc))).toEqual(byId(readAllRows(newer)))
    expect(readAllRows(doc).find((r) => r.id === 'r1')?.values.note).toBeUndefined()
    // only the last piece deletes
    expect(Y.decodeUpdate(pieces.at(-1)!.update).ds.clients.size).toBeGreaterThan(0)
    expect(pieces.slice(0, -1).every((p) => Y.decodeUpdate(p.update).ds.clients.size === 0)).toBe(true)
  })

  it('gives an update of at most maxBytes back whole, and a merged update with a gap (a skip) as pieces around it', () => {
    const small = Y.encodeStateAsUpdate(docOf([]))
    expect([...splitUpdate(small, { maxBytes: 1024 })].map((p) => p.update)).toEqual([small])
    const a = new Y.Doc()
    a.clientID = 3
    const updates: Uint8Array[] = []
    a.on('update', (u: Uint8Array) => updates.push(u))
    for (let i = 0; i < 60; i++) createRecord(a, { name: 'y'.repeat(100) }, { id: `r${i}`, createdBy: 'm1', now }, null)
    // the first and the last 20 records, without the middle: a skip in the merged update
    const gapped = Y.mergeUpdates([...updates.slice(0, 20), ...updates.slice(40)])
    const pieces = [...splitUpdate(gapped, { maxBytes: 1024 })]
    expect(pieces.length).toBeGreaterThan(2)
    const doc = docOf(pieces.map((p) => p.update))
    Y.applyUpdate(doc, Y.mergeUpdates(updates.slice(20, 40)))
    expect(byId(readAllRows(doc))).toEqual(byId(readAllRows(a)))
  })
})
