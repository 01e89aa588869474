import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { makeCompactEntityStore, type CompactEntityDoc } from './compactEntityStore'
import { CompactRecordStore, type LocalChange } from './compactRecordStore'
import { isStampedKey } from './editStamp'
import { makeEntityStore } from './entityStore'
import { createRecord, deleteRecords, recordsOf, updateCells } from './recordDoc'

/*
 * What the writers stamp (editStamp.ts): both stores set `$edited@<key>` beside each value they
 * set and each delete, never beside an `@`-entry (it carries its own `at`; the relay's layout
 * check and the stamp writer agree on that) nor a removal; an undo is an edit of its own time.
 */

const at = (iso: string) => new Date(iso)
const stampsOf = (doc: Y.Doc, id: string) =>
  Object.fromEntries([...recordsOf(doc).get(id)!.entries()].filter(([k]) => k.startsWith('$edited@')).sort(([a], [b]) => a.localeCompare(b)))
const issue = { kind: 'quote', at: '2026-03-01T09:00:00.000Z', by: 'm1', terms: '', valid_until: null }

function docOf(store: CompactRecordStore): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, store.encodeStateAsUpdate())
  return doc
}

describe('edit stamps', () => {
  it('stamps fields and $deletedAt, not @-entries nor removals, the same in a Y.Doc and a compact store', () => {
    const doc = new Y.Doc()
    const id = createRecord(doc, { 'deals.title': 'Big', 'deals.amount': 5 }, { createdBy: 'm1', id: 'd1', now: at('2026-03-01T08:00:00.000Z') }, null)
    const store = new CompactRecordStore()
    store.load([Y.encodeStateAsUpdate(doc)])
    const changes = [
      { recordId: id, fieldId: 'deals.title', value: 'Bigger' },
      { recordId: id, fieldId: 'document@i1', value: issue as never },
      { recordId: id, fieldId: 'stage@c1', value: { from: null, to: 's1', at: issue.at, by: 'm1' } as never },
      { recordId: id, fieldId: 'deals.amount', value: null },
    ]
    updateCells(doc, changes, null, at('2026-03-01T10:00:00.000Z'))
    store.updateCells(changes, at('2026-03-01T10:00:00.000Z'))
    deleteRecords(doc, [id], null, at('2026-03-01T11:00:00.000Z'))
    store.deleteRecords([id], at('2026-03-01T11:00:00.000Z'))
    const expected = { '$edited@$deletedAt': '2026-03-01T11:00:00.000Z', '$edited@deals.title': '2026-03-01T10:00:00.000Z' }
    expect(stampsOf(doc, id)).toEqual(expected)
    expect(stampsOf(docOf(store), id)).toEqual(expected)
    // stamps are no values of the row
    expect(Object.keys(store.row(id)?.values ?? {})).not.toContain('$edited@deals.title')
    for (const key of ['document@i1', 'stage@c1', 'number@i1', 'conflict@deals.title', '$createdAt', '$deletedBy']) expect(isStampedKey(key)).toBe(false)
  })

  it('a value set twice in one edit, and a value set to what it holds: one stamp, none', () => {
    const store = new CompactRecordStore()
    store.createRecord({ name: 'a' }, { id: 'r1', createdBy: 'm1' })
    store.updateCells([{ recordId: 'r1', fieldId: 'name', value: 'b' }, { recordId: 'r1', fieldId: 'name', value: 'c' }], at('2026-03-01T10:00:00.000Z'))
    store.updateCells([{ recordId: 'r1', fieldId: 'name', value: 'c' }], at('2026-03-01T12:00:00.000Z'))
    expect(stampsOf(docOf(store), 'r1')).toEqual({ '$edited@name': '2026-03-01T10:00:00.000Z' })
  })
})

class MemoryDoc implements CompactEntityDoc {
  readonly store = new CompactRecordStore()
  commit(_change: LocalChange): void {}
  onRemotePatch(): () => void { return () => {} }
}

describe('edit stamps and undo', () => {
  beforeEach(() => { vi.useFakeTimers({ toFake: ['Date'] }) })
  afterEach(() => { vi.useRealTimers() })

  it('an undo and a redo in the compact store are stamped with their own time; no undo step is a stamp alone', () => {
    const memory = new MemoryDoc()
    const store = makeCompactEntityStore(memory, 'contacts', 'm1')
    vi.setSystemTime(at('2026-03-01T10:00:00.000Z'))
    const id = store.createRecord({ name: 'a' })
    vi.setSystemTime(at('2026-03-01T11:00:00.000Z'))
    store.updateCells([{ recordId: id, fieldId: 'name', value: 'b' }])
    vi.setSystemTime(at('2026-03-01T12:00:00.000Z'))
    expect(store.history.undo()).toBe(true)
    expect(store.row(id)?.values.name).toBe('a')
    expect(stampsOf(docOf(memory.store), id)).toEqual({ '$edited@name': '2026-03-01T12:00:00.000Z' })
    vi.setSystemTime(at('2026-03-01T13:00:00.000Z'))
    expect(store.history.redo()).toBe(true)
    expect(stampsOf(docOf(memory.store), id)).toEqual({ '$edited@name': '2026-03-01T13:00:00.000Z' })
    // the edit and the create are the two steps: undoing both leaves nothing to undo
    expect(store.history.undo()).toBe(true)
    expect(store.history.undo()).toBe(true)
    expect(store.history.canUndo()).toBe(false)
  })

  it('a Y.Doc store stamps outside the UndoManager\'s steps, so its undo answers are those of an unstamped document', () => {
    const doc = new Y.Doc()
    const store = makeEntityStore(doc, 'contacts', 'm1')
    vi.setSystemTime(at('2026-03-01T10:00:00.000Z'))
    const id = store.createRecord({ name: 'a' })
    vi.setSystemTime(at('2026-03-01T11:00:00.000Z'))
    store.updateCells([{ recordId: id, fieldId: 'name', value: 'b' }])
    expect(store.history.undo()).toBe(true)
    expect(store.row(id)?.values.name).toBe('a')
    // the stamp stays: the relay dates the undo by its arrival (no stamp came with it)
    expect(stampsOf(doc, id)).toEqual({ '$edited@name': '2026-03-01T11:00:00.000Z' })
    expect(store.history.undo()).toBe(true)
    expect(store.history.canUndo()).toBe(false)
  })
})
