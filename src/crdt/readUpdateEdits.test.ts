import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Row } from '../domain/schema'
import { CompactRecordStore } from './compactRecordStore'
import { applyUpdateWithEdits } from './readUpdateEdits'
import { createRecord, deleteRecords, updateCells } from './recordDoc'

/** A relay's copy (a compact store) of what `doc` held at first, and its rows as last seen. */
function copyOf(doc: Y.Doc) {
  const store = new CompactRecordStore({ mergeIntoStateBytes: Number.POSITIVE_INFINITY })
  store.load([Y.encodeStateAsUpdate(doc)])
  const rows = new Map<string, Row>(store.allRows().map((r) => [r.id, r]))
  const apply = (update: Uint8Array) => {
    const applied = applyUpdateWithEdits(store, update, (id) => rows.get(id))
    for (const id of applied.before.keys()) { const r = store.row(id); if (r) rows.set(id, r) }
    return applied
  }
  return { store, apply }
}

function client(id: number): Y.Doc {
  const doc = new Y.Doc({ gc: false })
  doc.clientID = id
  return doc
}

const since = (doc: Y.Doc, edit: () => void) => {
  const before = Y.encodeStateVector(doc)
  edit()
  return Y.encodeStateAsUpdate(doc, before)
}

describe('applyUpdateWithEdits', () => {
  it('an offline session synced as one update: each key\'s own write time, the rows before, no race', () => {
    const ann = client(1)
    const id = createRecord(ann, { name: 'Lee' }, { createdBy: 'm1', now: new Date('2026-03-01T08:00:00.000Z') }, null)
    const { apply } = copyOf(ann)
    const update = since(ann, () => {
      updateCells(ann, [{ recordId: id, fieldId: 'email', value: 'lee@x.io' }], null, new Date('2026-03-01T09:00:00.000Z'))
      updateCells(ann, [{ recordId: id, fieldId: 'phone', value: '+49301234567' }], null, new Date('2026-03-01T10:00:00.000Z'))
      updateCells(ann, [{ recordId: id, fieldId: 'name', value: null }], null, new Date('2026-03-01T11:00:00.000Z'))
    })
    const applied = apply(update)
    expect(applied.before.get(id)?.values).toEqual({ name: 'Lee' })
    const byKey = Object.fromEntries(applied.edits.map((e) => [e.key, e]))
    expect(byKey.email).toMatchObject({ recordId: id, value: 'lee@x.io', at: '2026-03-01T09:00:00.000Z', concurrent: false, won: true })
    expect(byKey.phone).toMatchObject({ value: '+49301234567', at: '2026-03-01T10:00:00.000Z', concurrent: false, won: true })
    // a removal writes no item of its key, only a stamp is missing: the record's latest stamp stands in
    expect(byKey.name).toBeUndefined()
    expect(applied.recordStamps.get(id)).toBe('2026-03-01T10:00:00.000Z')
    expect(applied.keyStamps.get(`${id}\nemail`)).toBe('2026-03-01T09:00:00.000Z')
    expect(applied.patch.updated.map((r) => r.values)).toEqual([{ email: 'lee@x.io', phone: '+49301234567' }])
  })

  it('two members set one cell apart: the later arrival that lost and the one that won both raced', () => {
    const ann = client(1)
    const bob = client(2)
    const id = createRecord(ann, { email: 'old@x.io' }, { createdBy: 'm1' }, null)
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(ann))
    const { store, apply } = copyOf(ann)
    const fromAnn = since(ann, () => updateCells(ann, [{ recordId: id, fieldId: 'email', value: 'ann@x.io' }], null, new Date('2026-03-01T09:00:00.000Z')))
    const fromBob = since(bob, () => updateCells(bob, [{ recordId: id, fieldId: 'email', value: 'bob@x.io' }], null, new Date('2026-03-01T09:30:00.000Z')))
    expect(apply(fromAnn).edits).toEqual([expect.objectContaining({ key: 'email', concurrent: false, won: true })])
    const second = apply(fromBob).edits.find((e) => e.key === 'email')!
    // Yjs orders racing writes of a key by client id: Bob's (2) wins over Ann's (1)
    expect(second).toMatchObject({ value: 'bob@x.io', at: '2026-03-01T09:30:00.000Z', concurrent: true, won: true })
    expect(store.row(id)?.values.email).toBe('bob@x.io')

    // the other order of arrival: the write that loses comes second
    const again = copyOf(bob)
    const carol = client(9)
    const dave = client(3)
    Y.applyUpdate(carol, Y.encodeStateAsUpdate(bob))
    Y.applyUpdate(dave, Y.encodeStateAsUpdate(bob))
    const fromCarol = since(carol, () => updateCells(carol, [{ recordId: id, fieldId: 'email', value: 'carol@x.io' }], null, new Date('2026-03-01T10:00:00.000Z')))
    const fromDave = since(dave, () => updateCells(dave, [{ recordId: id, fieldId: 'email', value: 'dave@x.io' }], null, new Date('2026-03-01T10:05:00.000Z')))
    again.apply(fromCarol)
    expect(again.apply(fromDave).edits.find((e) => e.key === 'email')).toMatchObject({ value: 'dave@x.io', at: '2026-03-01T10:05:00.000Z', concurrent: true, won: false })
    expect(again.store.row(id)?.values.email).toBe('carol@x.io')
  })

  it('a delete is dated by its $deletedAt stamp', () => {
    const ann = client(1)
    const id = createRecord(ann, { name: 'Lee' }, { createdBy: 'm1' }, null)
    const { apply } = copyOf(ann)
    const applied = apply(since(ann, () => deleteRecords(ann, [id], null, new Date('2026-03-01T12:00:00.000Z'))))
    expect(applied.keyStamps.get(`${id}\n$deletedAt`)).toBe('2026-03-01T12:00:00.000Z')
    expect(applied.patch.removed).toEqual([id])
  })
})
