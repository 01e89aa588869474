import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import type { Row } from '../domain/schema'
import { CompactRecordStore } from './compactRecordStore'
import { makeEntityStore } from './entityStore'
import { createRecord, readLiveRows, recordsOf, updateCells } from './recordDoc'

/*
 * Documents stored before the relay checked layouts (issue 11.1): a stock Yjs client could put
 * anything into an entity document. Both stores skip the bad entry, keep the good rows and keep
 * applying live edits afterwards.
 */

const now = new Date('2026-12-01T10:00:00Z')
const byId = (rows: Row[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id))

/** Ways a stock client broke the layout, each written by `doc` (which already holds r0 and r1). */
const breakages: Record<string, (doc: Y.Doc) => void> = {
  'a string at records[x]': (doc) => { recordsOf(doc).set('x', 'not a map' as never) },
  'a Y.Text at records[x]': (doc) => { const t = new Y.Text(); recordsOf(doc).set('x', t as never); t.insert(0, 'text') },
  'a Y.Array at records[x]': (doc) => { const a = new Y.Array<number>(); recordsOf(doc).set('x', a as never); a.push([1, 2]) },
  'a record map replaced by a string': (doc) => { recordsOf(doc).set('r1', 'gone' as never) },
  'a nested Y.Map inside a record': (doc) => {
    const nested = new Y.Map<unknown>()
    recordsOf(doc).get('r0')!.set('nested', nested)
    nested.set('deep', 1)
  },
  'a Y.Text as a record\'s value': (doc) => { const t = new Y.Text(); recordsOf(doc).get('r0')!.set('name', t); t.insert(0, 'x') },
  'binary as a record\'s value': (doc) => { recordsOf(doc).get('r0')!.set('blob', new Uint8Array([1, 2, 3])) },
  'an unknown root': (doc) => { doc.getMap('other').set('k', 'v'); doc.getText('notes').insert(0, 'hello') },
}

/** r0 and r1 by client 1, then the breakage by client 2 (a stock client with a token). */
function brokenDocument(breakage: (doc: Y.Doc) => void): { updates: Uint8Array[]; attacker: Y.Doc } {
  const good = new Y.Doc()
  good.clientID = 1
  createRecord(good, { name: 'Ada' }, { id: 'r0', createdBy: 'm1', now }, null)
  createRecord(good, { name: 'Bob' }, { id: 'r1', createdBy: 'm1', now }, null)
  const attacker = new Y.Doc()
  attacker.clientID = 2
  Y.applyUpdate(attacker, Y.encodeStateAsUpdate(good))
  const updates = [Y.encodeStateAsUpdate(good)]
  const keep = (u: Uint8Array) => updates.push(u)
  attacker.on('update', keep)
  breakage(attacker)
  attacker.off('update', keep)
  return { updates, attacker }
}

/** The rows a reader must show: the good records, minus what the breakage took away. */
function expectedRows(name: string): Row[] {
  const rows: Row[] = [
    { id: 'r0', values: { name: 'Ada' }, createdAt: now.toISOString(), createdBy: 'm1' },
    { id: 'r1', values: { name: 'Bob' }, createdAt: now.toISOString(), createdBy: 'm1' },
  ]
  if (name === 'a record map replaced by a string') return rows.slice(0, 1)
  if (name === 'a Y.Text as a record\'s value') rows[0]!.values = {}
  return rows
}

describe('readers of documents stored before the relay checked layouts', () => {
  let warn: ReturnType<typeof vi.spyOn>
  beforeEach(() => { warn = vi.spyOn(console, 'warn').mockImplementation(() => {}) })
  afterEach(() => { warn.mockRestore() })

  for (const [name, breakage] of Object.entries(breakages)) {
    describe(name, () => {
      it('a compact store loads the good rows, merged or update by update, and keeps applying edits', () => {
        for (const merged of [true, false]) {
          const { updates, attacker } = brokenDocument(breakage)
          const load = merged ? [Y.mergeUpdates(updates)] : updates
          const store = new CompactRecordStore({ clientID: 9 })
          store.load(load)
          expect(byId(store.rows())).toEqual(expectedRows(name))
          // a teammate's edit, then a later edit by the same client that broke the layout
          const teammate = new Y.Doc()
          teammate.clientID = 3
          Y.applyUpdate(teammate, Y.mergeUpdates(updates))
          const before = Y.encodeStateVector(teammate)
          updateCells(teammate, [{ recordId: 'r0', fieldId: 'email', value: 'ada@x.co' }], null)
          store.applyUpdate(Y.encodeStateAsUpdate(teammate, before))
          const attackerBefore = Y.encodeStateVector(attacker)
          updateCells(attacker, [{ recordId: 'r0', fieldId: 'phone', value: '+4930123' }], null)
          const patch = store.applyUpdate(Y.encodeStateAsUpdate(attacker, attackerBefore))
          expect(patch.updated.map((r) => r.id)).toEqual(['r0'])
          expect(store.row('r0')?.values).toMatchObject({ email: 'ada@x.co', phone: '+4930123' })
          // and my own edit, read back by a Y.Doc holding everything
          const mine = store.updateCells([{ recordId: 'r0', fieldId: 'city', value: 'Berlin' }])
          const all = new Y.Doc()
          Y.applyUpdate(all, Y.mergeUpdates([...updates, Y.encodeStateAsUpdate(teammate), Y.encodeStateAsUpdate(attacker), mine.update]))
          expect(byId(store.rows())).toEqual(byId(readLiveRows(all)))
          expect(store.row('r0')?.values).toMatchObject({ city: 'Berlin', email: 'ada@x.co', phone: '+4930123' })
        }
      })

      it('a compact store applies the breaking update live, whole, with the edits after it', () => {
        const { updates, attacker } = brokenDocument(breakage)
        const store = new CompactRecordStore({ clientID: 9 })
        store.load([updates[0]!])
        for (const u of updates.slice(1)) store.applyUpdate(u)
        const attackerBefore = Y.encodeStateVector(attacker)
        updateCells(attacker, [{ recordId: 'r0', fieldId: 'phone', value: '+4930123' }], null)
        store.applyUpdate(Y.encodeStateAsUpdate(attacker, attackerBefore))
        const expected = expectedRows(name)
        expected[0]!.values = { ...expected[0]!.values, phone: '+4930123' }
        expect(byId(store.rows())).toEqual(expected)
      })

      it('a Y.Doc entity store reads the good rows and reports live edits', () => {
        const { updates } = brokenDocument(breakage)
        const doc = new Y.Doc()
        for (const u of updates) Y.applyUpdate(doc, u)
        const store = makeEntityStore(doc, 'contacts', 'alice')
        expect(byId(store.rows())).toEqual(expectedRows(name))
        expect(store.count()).toBe(expectedRows(name).length)
        const patches: string[] = []
        store.subscribe((p) => patches.push(...p.updated.map((r) => r.id)))
        const teammate = new Y.Doc()
        Y.applyUpdate(teammate, Y.encodeStateAsUpdate(doc))
        const before = Y.encodeStateVector(teammate)
        updateCells(teammate, [{ recordId: 'r0', fieldId: 'email', value: 'ada@x.co' }], null)
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(teammate, before))
        expect(patches).toEqual(['r0'])
        store.updateCells([{ recordId: 'r0', fieldId: 'city', value: 'Berlin' }])
        expect(store.row('r0')?.values).toMatchObject({ email: 'ada@x.co', city: 'Berlin' })
        expect(store.history.undo()).toBe(true)
        expect(store.row('r0')?.values.city).toBeUndefined()
      })
    })
  }

  it('warns once per document, not once per entry or per read', () => {
    const { updates } = brokenDocument((doc) => {
      recordsOf(doc).set('x', 'a' as never)
      recordsOf(doc).set('y', 'b' as never)
    })
    const doc = new Y.Doc()
    for (const u of updates) Y.applyUpdate(doc, u)
    const store = makeEntityStore(doc, 'contacts', 'alice')
    store.rows()
    store.rows()
    expect(warn).toHaveBeenCalledTimes(1)
    const compact = new CompactRecordStore({ name: 'entity-contacts-warn-test' })
    compact.load(updates)
    compact.applyUpdate(updates[1]!)
    expect(warn).toHaveBeenCalledTimes(2)
  })
})
