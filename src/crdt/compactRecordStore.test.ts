import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Row, RowPatch } from '../domain/schema'
import { seededRandom } from '../domain/seededRandom'
import { CompactRecordStore, DocPathRefusedError } from './compactRecordStore'
import { makeLocalHistory } from './localHistory'
import { createRecord, deleteRecords, observeRows, readAllRows, readLiveRows, recordsOf, restoreRecords, updateCells } from './recordDoc'

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
    updateCells(doc, [{ recordId: 'r1', fieldId: 'name', value: 'changed' }, { recordId: 'r1', fieldId: 'new', value: { amount: 1250, currency: 'EUR' } }], null)
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

  it.each([[10, 5], [5, 10]])('orders concurrent writes of one cell like Yjs without a Y.Doc (clients %i, %i)', (a, b) => {
    const doc = docWithRecords(3, a)
    const { store, replica } = pair(doc)
    const other = new Y.Doc()
    other.clientID = b
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    const u1: Uint8Array[] = []
    const u2: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => u1.push(u))
    other.on('update', (u: Uint8Array) => u2.push(u))
    updateCells(doc, [{ recordId: 'r0', fieldId: 'name', value: 'from a' }, { recordId: 'r1', fieldId: 'fresh', value: 'a' }], null)
    updateCells(other, [{ recordId: 'r0', fieldId: 'name', value: 'from b' }, { recordId: 'r1', fieldId: 'fresh', value: 'b' }], null)
    for (const u of [...u2, ...u1]) {
      const { compact, yjs } = applyBoth(store, replica, u)
      expect(normalize(compact)).toEqual(normalize(yjs))
    }
    expectSame(store, replica)
    expect(store.stats.docPaths).toBe(0)
    // and the merged state loads to the same rows
    const again = new CompactRecordStore()
    again.load([store.encodeStateAsUpdate()])
    expectSame(again, replica)
  })

  it('takes the Y.Doc path for a write racing more than the last edit of a cell', () => {
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
    updateCells(other, [{ recordId: 'r0', fieldId: 'name', value: 'five again' }], null)
    for (const u of [...u2, ...u1]) {
      const { compact, yjs } = applyBoth(store, replica, u)
      expect(normalize(compact)).toEqual(normalize(yjs))
    }
    expectSame(store, replica)
    expect(store.stats.docPaths).toBe(1)
  })

  it('refuses the Y.Doc path when told to (refuseDocPath), applying nothing of that update', () => {
    const doc = docWithRecords(3, 10)
    const store = new CompactRecordStore({ refuseDocPath: true })
    store.load([Y.encodeStateAsUpdate(doc)])
    const other = new Y.Doc()
    other.clientID = 5
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    const u1: Uint8Array[] = []
    const u2: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => u1.push(u))
    other.on('update', (u: Uint8Array) => u2.push(u))
    updateCells(doc, [{ recordId: 'r0', fieldId: 'name', value: 'ten' }], null)
    updateCells(other, [{ recordId: 'r0', fieldId: 'name', value: 'five' }], null)
    updateCells(other, [{ recordId: 'r0', fieldId: 'name', value: 'five again' }], null)
    for (const u of u2) store.applyUpdate(u)
    const before = JSON.stringify(store.rows())
    expect(() => store.applyUpdate(u1[0]!)).toThrow(DocPathRefusedError)
    expect(JSON.stringify(store.rows())).toBe(before)
    expect(store.stats.docPaths).toBe(0)
  })

  it('loads every stored update with refuseDocPath, racing edits of one key included (a load never refuses)', () => {
    const doc = docWithRecords(3, 10)
    const base = Y.encodeStateAsUpdate(doc)
    const other = new Y.Doc()
    other.clientID = 5
    Y.applyUpdate(other, base)
    const stored: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => stored.push(u))
    other.on('update', (u: Uint8Array) => stored.push(u))
    updateCells(other, [{ recordId: 'r0', fieldId: 'name', value: 'five' }], null)
    updateCells(other, [{ recordId: 'r0', fieldId: 'name', value: 'five again' }], null)
    updateCells(doc, [{ recordId: 'r0', fieldId: 'name', value: 'ten' }], null)
    const store = new CompactRecordStore({ refuseDocPath: true })
    store.load([base, ...stored])
    const replica = new Y.Doc()
    for (const u of [base, ...stored]) Y.applyUpdate(replica, u)
    expectSame(store, replica)
  })

  it('applies an update it already has as nothing: stored updates can be applied twice (the API copy after a load)', () => {
    const doc = docWithRecords(3, 10)
    const other = new Y.Doc()
    other.clientID = 5
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    const { store, replica } = pair(doc)
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    other.on('update', (u: Uint8Array) => updates.push(u))
    createRecord(doc, { name: 'new' }, { id: 'r9', createdBy: 'm1', now }, null)
    updateCells(doc, [{ recordId: 'r0', fieldId: 'name', value: 'ten' }, { recordId: 'r1', fieldId: 'amount', value: null }], null)
    updateCells(other, [{ recordId: 'r0', fieldId: 'name', value: 'five' }], null)
    deleteRecords(doc, ['r2'], null, now)
    for (const u of updates) applyBoth(store, replica, u)
    const rows = JSON.stringify(byId(store.allRows()))
    const vector = store.encodeStateVector()
    for (const u of [...updates, Y.mergeUpdates(updates)]) {
      expect(normalize(store.applyUpdate(u))).toEqual({ added: [], updated: [], removed: [] })
    }
    expect(JSON.stringify(byId(store.allRows()))).toBe(rows)
    expect(store.encodeStateVector()).toEqual(vector)
    expect(store.hasPending()).toBe(false)
    expectSame(store, replica)
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

describe('CompactRecordStore merges of applied updates', () => {
  it('merges new updates in tiers: an older merged part is not merged again for every few new ones, and the rows and sync stay whole', () => {
    const doc = docWithRecords(6)
    const store = new CompactRecordStore({ mergeAfter: 4, mergeIntoStateBytes: Number.POSITIVE_INFINITY })
    store.load([Y.encodeStateAsUpdate(doc)])
    for (let i = 0; i < 64; i++) store.updateCells([{ recordId: `r${i % 6}`, fieldId: 'name', value: `v${i}` }])
    const before = store.exportState().recent
    for (let i = 0; i < 4; i++) store.updateCells([{ recordId: 'r1', fieldId: 'name', value: `w${i}` }])
    const after = store.exportState().recent
    // the oldest part (most of the 64 edits) is the same bytes, not a fresh merge of everything
    expect(after[0]).toBe(before[0])
    expect(after.length).toBeLessThanOrEqual(4 + Math.ceil(Math.log2(68)) + 1)
    const peer = new Y.Doc()
    Y.applyUpdate(peer, store.encodeStateAsUpdate())
    expectSame(store, peer)
  })
})

describe('CompactRecordStore sync replies', () => {
  it('gives a peer every struct and every delete it lacks', () => {
    const doc = docWithRecords(6)
    // every edit merged into the big state at once, so replies use its delete set alone
    const store = new CompactRecordStore({ mergeAfter: 1, mergeIntoStateBytes: 0 })
    store.load([Y.encodeStateAsUpdate(doc)])
    const peer = new Y.Doc()
    Y.applyUpdate(peer, store.encodeStateAsUpdate(Y.encodeStateVector(peer)))
    expectSame(store, peer)
    // a pure delete (a cleared cell) adds no struct: a peer with the same state vector still lacks it
    store.updateCells([{ recordId: 'r1', fieldId: 'name', value: null }])
    const stale = new Y.Doc()
    Y.applyUpdate(stale, Y.encodeStateAsUpdate(peer))
    store.updateCells([{ recordId: 'r2', fieldId: 'name', value: 'new' }])
    Y.applyUpdate(stale, store.encodeStateAsUpdate(Y.encodeStateVector(stale)))
    expectSame(store, stale)
  })
  it('leaves out the parts kept apart that a peer has, but not their deletes (an import\'s batches acknowledged)', () => {
    const store = new CompactRecordStore({ clientID: 7, mergeIntoStateBytes: Number.POSITIVE_INFINITY })
    store.load([Y.encodeStateAsUpdate(docWithRecords(2))])
    const batch = (from: number) => Array.from({ length: 300 }, (_, i) => ({ id: `b${from + i}`, values: { name: `Contact ${from + i} with a longer name`, email: `c${from + i}@example.com` } }))
    const peer = new Y.Doc()
    Y.applyUpdate(peer, store.encodeStateAsUpdate(Y.encodeStateVector(peer)))
    for (const from of [0, 300, 600]) Y.applyUpdate(peer, store.createRecords(batch(from), { createdBy: 'm1', now }).update)
    // the batches are parts of their own (over KEEP_APART_BYTES), not merged into the state
    expect(store.exportState().recent.length).toBeGreaterThanOrEqual(3)
    const upToDate = store.encodeStateAsUpdate(Y.encodeStateVector(peer))
    expect(upToDate.byteLength).toBeLessThan(64)
    // a cleared cell of an imported record: a delete only, of structs the peer has
    const cleared = store.updateCells([{ recordId: 'b10', fieldId: 'email', value: null }]).update
    store.createRecords(batch(900), { createdBy: 'm1', now })
    const stale = new Y.Doc()
    Y.applyUpdate(stale, Y.encodeStateAsUpdate(peer))
    Y.applyUpdate(stale, store.encodeStateAsUpdate(Y.encodeStateVector(stale)))
    expectSame(store, stale)
    expect(stale.getMap('records').size).toBe(1202)
    expect(cleared.byteLength).toBeGreaterThan(0)
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

  it('creates many records as one update (createRecords) that a Y.Doc applies to the same rows; a taken id writes nothing', () => {
    const doc = docWithRecords(3)
    const { store, replica } = pair(doc)
    const records = Array.from({ length: 300 }, (_, i) => ({ id: `b${i}`, values: { name: `b${i}`, amount: i, tags: ['x'], empty: null } }))
    const change = store.createRecords(records, { createdBy: 'me', now })
    expect(change.patch.added.map((r) => r.id)).toEqual(records.map((r) => r.id))
    expect(change.patch.added[299]).toBe(store.row('b299'))
    expect(store.row('b7')).toEqual({ id: 'b7', values: { name: 'b7', amount: 7, tags: ['x'] }, createdAt: now.toISOString(), createdBy: 'me' })
    const patches: RowPatch[] = []
    const stop = observeRows(replica, (p) => patches.push(p))
    Y.applyUpdate(replica, change.update)
    stop()
    expect(normalize(change.patch)).toEqual(normalize(patches[0]!))
    expectSame(store, replica)
    // the store keeps extending the keys it just wrote, as after separate creates
    const edit = store.updateCells([{ recordId: 'b5', fieldId: 'name', value: 'renamed' }], now)
    Y.applyUpdate(replica, edit.update)
    expectSame(store, replica)
    const before = store.encodeStateVector()
    expect(() => store.createRecords([{ id: 'new1', values: {} }, { id: 'b3', values: {} }], { createdBy: 'me' })).toThrow(/"b3" already exists/)
    expect(() => store.createRecords([{ id: 'new1', values: {} }, { id: 'new1', values: {} }], { createdBy: 'me' })).toThrow(/"new1" already exists/)
    expect(store.row('new1')).toBeUndefined()
    expect(store.encodeStateVector()).toEqual(before)
  })

  it('takes its own update back (a server copy hears of what it wrote once stored) without applying it again', () => {
    const { store, replica } = pair(docWithRecords(2))
    const change = store.createRecords([{ id: 'o1', values: { name: 'own' } }], { createdBy: 'me', now })
    const edit = store.updateCells([{ recordId: 'r0', fieldId: 'name', value: 'mine' }], now)
    const applies = store.stats.directApplies
    // as storage hands it back: the same bytes, another array
    for (const update of [change.update.slice(), edit.update.slice()]) {
      expect(store.applyUpdate(update)).toEqual({ added: [], updated: [], removed: [] })
    }
    expect(store.stats.directApplies).toBe(applies)
    // not the same bytes (here a merge of both): applied, which changes nothing
    expect(store.applyUpdate(Y.mergeUpdates([change.update, edit.update]))).toEqual({ added: [], updated: [], removed: [] })
    expect(store.stats.directApplies).toBe(applies + 1)
    // another writer's single-client update is applied as before
    const other = new CompactRecordStore({ clientID: 7 })
    other.load([store.encodeStateAsUpdate()])
    const theirs = other.updateCells([{ recordId: 'o1', fieldId: 'name', value: 'theirs' }], now)
    expect(store.applyUpdate(theirs.update).updated.map((r) => r.id)).toEqual(['o1'])
    expect(store.stats.directApplies).toBe(applies + 2)
    for (const update of [change.update, edit.update, theirs.update]) Y.applyUpdate(replica, update)
    expectSame(store, replica)
  })

  it('applies the removals in a peer\'s sync step 2 that holds only its own structs (seed 604739183)', () => {
    // a peer has our edit and removed a cell we have not heard of; on reconnect it sends the relay
    // its state as one update — our structs, its whole delete set — which the relay forwards to us
    const { store } = pair(docWithRecords(2))
    const peer = new Y.Doc()
    peer.clientID = 9
    Y.applyUpdate(peer, store.encodeStateAsUpdate())
    const ours = store.updateCells([{ recordId: 'r0', fieldId: 'amount', value: 42 }], now)
    Y.applyUpdate(peer, ours.update)
    updateCells(peer, [{ recordId: 'r1', fieldId: 'name', value: null }], null)
    const step2 = Y.encodeStateAsUpdate(peer, Y.encodeStateVector(docWithRecords(2)))
    // only our structs in it (besides the peer's removal, which is a delete, not a struct)
    expect(Y.decodeUpdate(step2).structs.every((s) => s.id.client === store.clientID)).toBe(true)
    expect(store.applyUpdate(step2).updated.map((r) => r.id)).toEqual(['r1'])
    expect(store.row('r1')?.values.name).toBeUndefined()
    expect(store.row('r0')?.values.amount).toBe(42)
  })

  it('createRecords takes the Y.Doc path for an id another client removed, still as one change', () => {
    const doc = docWithRecords(2)
    recordsOf(doc).delete('r1')
    const { store, replica } = pair(doc)
    const change = store.createRecords([{ id: 'n1', values: { name: 'one' } }, { id: 'r1', values: { name: 'again' } }, { id: 'n2', values: { name: 'two' } }], { createdBy: 'me', now })
    expect(change.patch.added.map((r) => r.id).sort()).toEqual(['n1', 'n2', 'r1'])
    expect(change.patch.added.every((r) => r === store.row(r.id))).toBe(true)
    Y.applyUpdate(replica, change.update)
    expectSame(store, replica)
    expect(store.row('r1')?.values).toEqual({ name: 'again' })
  })
})

/*
 * Seeded random convergence between Y.Doc clients (recordDoc.ts) and CompactRecordStores through
 * a Y.Doc relay: few records and fields so cells are written concurrently, records created with
 * the same id on two clients, delivery late, out of order (updates wait for missing ones),
 * duplicated, or lost on disconnect (reconnecting syncs state vectors both ways). Everyone must
 * end with the relay's rows and state vector, nothing pending, and the rows their patches built.
 *
 * A failing seed is printed in the test name; pin it in PINNED_SEEDS.
 * Run one seed: KANSO_SEED=1234 npx vitest run src/crdt/compactRecordStore.test.ts
 */
const PINNED_SEEDS: number[] = [604739183]
const SEEDS_PER_RUN = 200
const STEPS = 80
const FIELDS = ['name', 'amount', 'stage', 'tags']
const REMOTE = 'remote'

/** Remote updates the compact stores applied directly / through a Y.Doc, over all seeds. */
const paths = { direct: 0, doc: 0, directLoads: 0 }

interface Replica {
  name: string
  online: boolean
  inbox: Uint8Array[]
  outbox: Uint8Array[]
  /** Live rows as the patches told them. */
  view: Map<string, Row>
  allRows(): Row[]
  stateVector(): Uint8Array
  stateAsUpdate(target: Uint8Array): Uint8Array
  apply(update: Uint8Array): void
  create(id: string, values: Record<string, string | number | string[]>, by: string): void
  update(recordId: string, fieldId: string, value: string | number | string[] | null): void
  remove(id: string): void
  restore(id: string): void
  pending(): boolean
  finish?: () => void
  /** Starts over from what was stored, like reopening the tab. */
  reload?: () => void
  undo?: () => void
  redo?: () => void
}

function applyPatch(view: Map<string, Row>, patch: RowPatch) {
  for (const r of patch.added) { expect(view.has(r.id), `added ${r.id} twice`).toBe(false); view.set(r.id, r) }
  for (const r of patch.updated) { expect(view.has(r.id), `updated ${r.id} not live`).toBe(true); view.set(r.id, r) }
  for (const id of patch.removed) { expect(view.has(id), `removed ${id} not live`).toBe(true); view.delete(id) }
}

function docReplica(name: string, clientID: number): Replica {
  const doc = new Y.Doc()
  doc.clientID = clientID
  const history = makeLocalHistory(recordsOf(doc))
  const origin = history.origin
  const r: Replica = {
    name, online: true, inbox: [], outbox: [], view: new Map(),
    allRows: () => readAllRows(doc),
    stateVector: () => Y.encodeStateVector(doc),
    stateAsUpdate: (target) => Y.encodeStateAsUpdate(doc, target),
    apply: (update) => Y.applyUpdate(doc, update, REMOTE),
    create: (id, values, by) => { history.stopCapturing(); createRecord(doc, values, { id, createdBy: by, now: new Date(0) }, origin) },
    update: (recordId, fieldId, value) => { history.stopCapturing(); updateCells(doc, [{ recordId, fieldId, value }], origin) },
    remove: (id) => { history.stopCapturing(); deleteRecords(doc, [id], origin, new Date(0)) },
    restore: (id) => { history.stopCapturing(); restoreRecords(doc, [id], origin) },
    undo: () => history.undo(),
    redo: () => history.redo(),
    pending: () => doc.store.pendingStructs !== null || doc.store.pendingDs !== null,
  }
  doc.on('update', (u: Uint8Array, origin: unknown) => { if (origin !== REMOTE && r.online) r.outbox.push(u) })
  observeRows(doc, (p) => applyPatch(r.view, p))
  return r
}

function compactReplica(name: string, clientID: number, mergeAfter?: number): Replica {
  let store = new CompactRecordStore({ clientID, mergeAfter, mergeIntoStateBytes: mergeAfter })
  /** Every update received or made, as a tab would store them (raw, not merged by a Y.Doc). */
  const log: Uint8Array[] = []
  const r: Replica = {
    name, online: true, inbox: [], outbox: [], view: new Map(),
    allRows: () => store.allRows(),
    stateVector: () => store.encodeStateVector(),
    stateAsUpdate: (target) => store.encodeStateAsUpdate(target),
    reload: () => {
      const rows = sorted(store.allRows())
      const sv = Y.decodeStateVector(store.encodeStateVector())
      const stats = store.stats
      store = new CompactRecordStore({ clientID, mergeAfter, mergeIntoStateBytes: mergeAfter })
      store.load(log)
      stats.docPaths += store.stats.docPaths
      stats.directLoads += store.stats.directLoads
      Object.assign(store.stats, stats)
      expect(sorted(store.allRows()), `${name} reloaded`).toEqual(rows)
      expect(Y.decodeStateVector(store.encodeStateVector()), `${name} reloaded state vector`).toEqual(sv)
    },
    apply: (update) => {
      log.push(update)
      const before = store.stats.docPaths
      applyPatch(r.view, store.applyUpdate(update))
      // the patch of each update, not only the end state, must match the rows
      expect(sorted([...r.view.values()]), `${name} rows from patches (${store.stats.docPaths > before ? 'through a Y.Doc' : 'direct'})`).toEqual(sorted(store.rows()))
    },
    create: (id, values, by) => local(store.createRecord(values, { id, createdBy: by, now: new Date(0) })),
    update: (recordId, fieldId, value) => local(store.updateCells([{ recordId, fieldId, value }])),
    remove: (id) => local(store.deleteRecords([id], new Date(0))),
    restore: (id) => local(store.restoreRecords([id], new Date(0))),
    pending: () => store.hasPending(),
  }
  r.finish = () => { paths.direct += store.stats.directApplies; paths.doc += store.stats.docPaths; paths.directLoads += store.stats.directLoads }
  const local = (change: { update: Uint8Array; patch: RowPatch }) => {
    log.push(change.update)
    applyPatch(r.view, change.patch)
    if (r.online) r.outbox.push(change.update)
  }
  return r
}

const sorted = byId

function run(seed: number) {
  const rnd = seededRandom(seed)
  const relay = new Y.Doc()
  // small client ids so concurrent writes order by client id both ways
  const replicas: Replica[] = [
    docReplica('doc0', 3 + rnd.int(0, 100) * 10),
    docReplica('doc1', 4 + rnd.int(0, 100) * 10),
    compactReplica('compact0', 5 + rnd.int(0, 100) * 10),
    compactReplica('compact1', 6 + rnd.int(0, 100) * 10),
    compactReplica('compact2', 7 + rnd.int(0, 100) * 10, 3),
  ]
  const atRelay = (from: Replica, update: Uint8Array) => {
    Y.applyUpdate(relay, update, REMOTE)
    for (const other of replicas) {
      if (other === from || !other.online) continue
      other.inbox.push(update)
      if (rnd.next() < 0.1) other.inbox.push(update) // duplicate delivery
    }
  }
  const resync = (r: Replica) => {
    atRelay(r, r.stateAsUpdate(Y.encodeStateVector(relay)))
    r.apply(Y.encodeStateAsUpdate(relay, r.stateVector()))
  }
  const take = (xs: Uint8Array[]) => xs.splice(Math.floor(rnd.next() * xs.length), 1)[0]!
  const ids = Array.from({ length: 8 }, (_, k) => `r${k}`)

  for (let step = 0; step < STEPS; step++) {
    const r = rnd.pick(replicas)
    const known = new Set(r.allRows().map((row) => row.id))
    const live = [...r.view.keys()]
    const x = rnd.next()
    if (x < 0.15) {
      const id = rnd.pick(ids)
      if (!known.has(id)) r.create(id, { name: `${r.name}-${step}`, amount: step }, r.name)
    } else if (x < 0.5) {
      const id = rnd.pick([...known].sort())
      if (id) {
        const v = rnd.next()
        r.update(id, rnd.pick(FIELDS), v < 0.2 ? null : v < 0.3 ? ['t', String(step)] : v < 0.5 ? step : `${r.name}-${step}`)
      }
    } else if (x < 0.56) {
      const id = rnd.pick(live.sort())
      if (id) r.remove(id)
    } else if (x < 0.62) {
      const id = rnd.pick([...known].filter((k) => !r.view.has(k)).sort())
      if (id) r.restore(id)
    } else if (x < 0.64) {
      r.reload?.()
    } else if (x < 0.66) {
      r.undo?.()
    } else if (x < 0.67) {
      r.redo?.()
    } else if (x < 0.68) {
      r.online = !r.online
      if (r.online) resync(r)
      else { r.inbox.length = 0; r.outbox.length = 0 }
    } else {
      for (let n = rnd.int(0, 5); n > 0; n--) {
        const busy = replicas.filter((c) => c.online && (c.inbox.length || c.outbox.length))
        if (!busy.length) break
        const c = rnd.pick(busy)
        if (c.outbox.length && (rnd.next() < 0.5 || !c.inbox.length)) atRelay(c, take(c.outbox))
        else c.apply(take(c.inbox))
      }
    }
  }
  for (const r of replicas) if (!r.online) { r.online = true; resync(r) }
  for (let busy = true; busy;) {
    busy = false
    for (const r of replicas) {
      while (r.outbox.length) { atRelay(r, take(r.outbox)); busy = true }
      while (r.inbox.length) { r.apply(take(r.inbox)); busy = true }
    }
  }
  const expected = sorted(readAllRows(relay))
  const expectedSv = Y.decodeStateVector(Y.encodeStateVector(relay))
  for (const r of replicas) {
    expect(sorted(r.allRows()), r.name).toEqual(expected)
    expect(Y.decodeStateVector(r.stateVector()), `${r.name} state vector`).toEqual(expectedSv)
    expect(r.pending(), `${r.name} pending`).toBe(false)
    expect(sorted([...r.view.values()]), `${r.name} rows from patches`).toEqual(sorted(readLiveRows(relay)))
    r.finish?.()
  }
}

const envSeed = process.env.KANSO_SEED ? Number(process.env.KANSO_SEED) : undefined
const base = envSeed ?? Math.floor(Math.random() * 1e9)
const seeds = envSeed !== undefined ? [envSeed] : [...PINNED_SEEDS, ...Array.from({ length: SEEDS_PER_RUN }, (_, i) => base + i)]
console.log(`compact convergence: ${seeds.length} seeds starting at ${base} (rerun one with KANSO_SEED=<seed>)`)

describe('compact stores and Y.Docs converge under reordering, duplicates and disconnects', () => {
  it.each(seeds)('seed %i converges', (seed) => {
    run(seed)
  })
  it('mostly applies updates without a Y.Doc', () => {
    console.log(`compact convergence: ${paths.direct} direct applies, ${paths.doc} through a Y.Doc, ${paths.directLoads} direct loads`)
    if (envSeed === undefined) expect(paths.direct).toBeGreaterThan(paths.doc / 2)
  })
})
