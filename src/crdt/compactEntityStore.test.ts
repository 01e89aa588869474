import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import type { FieldValue, Row, RowPatch } from '../domain/schema'
import { seededRandom } from '../domain/seededRandom'
import { makeCompactEntityStore, type CompactEntityDoc } from './compactEntityStore'
import { CompactRecordStore, type LocalChange } from './compactRecordStore'
import { makeEntityStore, type EntityStore } from './entityStore'
import { readLiveRows, RecordError } from './recordDoc'
import { describeUndoCases } from './undoCases.testkit'

/** A CompactEntityDoc in memory: commits are kept, remote updates applied by `receive`. */
class MemoryCompactDoc implements CompactEntityDoc {
  readonly store: CompactRecordStore
  readonly committed: Uint8Array[] = []
  private listeners = new Set<(patch: RowPatch) => void>()
  constructor(clientID?: number) { this.store = new CompactRecordStore({ clientID }) }
  commit(change: LocalChange): void { this.committed.push(change.update) }
  onRemotePatch(listener: (patch: RowPatch) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
  receive(update: Uint8Array): void {
    const patch = this.store.applyUpdate(update)
    this.listeners.forEach((l) => l(patch))
  }
}

function send(from: MemoryCompactDoc, to: MemoryCompactDoc) {
  to.receive(from.store.encodeStateAsUpdate(to.store.encodeStateVector()))
}
function sync(a: MemoryCompactDoc, b: MemoryCompactDoc) {
  send(a, b)
  send(b, a)
}

function pair() {
  const a = new MemoryCompactDoc(); const b = new MemoryCompactDoc()
  return { a, b, storeA: makeCompactEntityStore(a, 'contacts', 'alice'), storeB: makeCompactEntityStore(b, 'contacts', 'bob') }
}

describeUndoCases('compact entity store: per-user undo (the cases every entity store passes)', () => {
  const { a, b, storeA, storeB } = pair()
  return { storeA, storeB, sync: () => sync(a, b), stateB: () => b.store.encodeStateAsUpdate(), receiveB: (u) => b.receive(u) }
})

describe('compact entity store: deleted records', () => {
  it('a deleted record\'s row is read from the stored document after a reload and on another device, and a restore there makes it live', async () => {
    const { a, storeA } = pair()
    const acme = storeA.createRecord({ name: 'Acme GmbH' })
    storeA.deleteRecords([acme])
    // a reload (this device's stored updates) and another device (the relay's state) load the same way
    const reloaded = new MemoryCompactDoc()
    reloaded.store.load(a.committed)
    const again = makeCompactEntityStore(reloaded, 'companies', 'alice')
    expect(again.rows()).toEqual([])
    expect((await again.deletedRows([acme])).map((r) => r.values.name)).toEqual(['Acme GmbH'])
    const other = new MemoryCompactDoc()
    other.store.load([a.store.encodeStateAsUpdate()])
    const otherStore = makeCompactEntityStore(other, 'companies', 'bob')
    expect((await otherStore.deletedRows([acme])).map((r) => r.values.name)).toEqual(['Acme GmbH'])
    otherStore.restoreRecords([acme])
    send(other, a)
    expect(await storeA.deletedRows([acme])).toEqual([])
    expect(storeA.row(acme)?.deletedAt).toBeUndefined()
    expect(storeA.rows().map((r) => r.values.name)).toEqual(['Acme GmbH'])
  })
})

describe('compact entity store: per-user undo', () => {
  it('keeps the value a teammate wrote concurrently even when mine won the race', () => {
    // whichever client id is higher wins the cell; either way my undo must not restore the old value
    for (const [ca, cb] of [[10, 20], [20, 10]] as const) {
      const a = new MemoryCompactDoc(ca); const b = new MemoryCompactDoc(cb)
      const storeA = makeCompactEntityStore(a, 'contacts', 'alice')
      const storeB = makeCompactEntityStore(b, 'contacts', 'bob')
      const id = storeA.createRecord({ name: 'old' })
      sync(a, b)
      storeA.updateCells([{ recordId: id, fieldId: 'name', value: 'mine' }])
      storeB.updateCells([{ recordId: id, fieldId: 'name', value: 'theirs' }])
      sync(a, b)
      expect(storeA.history.undo()).toBe(true)
      sync(a, b)
      expect(storeA.row(id)?.values.name).not.toBe('old')
      expect(storeB.row(id)).toEqual(storeA.row(id))
    }
  })
})

describe('compact entity store: contract', () => {
  it('reports local edits, undo and redo as local and a teammate\'s as remote', () => {
    const { a, b, storeA, storeB } = pair()
    const seen: [string, boolean][] = []
    storeA.subscribe((p, local) => seen.push([p.added.length ? 'added' : p.removed.length ? 'removed' : 'updated', local]))
    const id = storeA.createRecord({ name: 'x' })
    storeA.history.undo()
    storeA.history.redo()
    sync(a, b)
    storeB.updateCells([{ recordId: id, fieldId: 'name', value: 'y' }])
    sync(a, b)
    expect(seen).toEqual([['added', true], ['removed', true], ['added', true], ['updated', false]])
  })

  it('throws RecordError like recordDoc and records no step for an edit that changes nothing', () => {
    const { storeA } = pair()
    const id = storeA.createRecord({ name: 'x' }, 'r1')
    expect(() => storeA.createRecord({}, 'r1')).toThrow(RecordError)
    expect(() => storeA.updateCells([{ recordId: 'nope', fieldId: 'name', value: 'y' }])).toThrow(RecordError)
    expect(() => storeA.updateCells([{ recordId: id, fieldId: '$deletedAt', value: 'y' }])).toThrow(RecordError)
    expect(() => storeA.deleteRecords(['nope'])).toThrow(RecordError)
    storeA.updateCells([{ recordId: id, fieldId: 'name', value: 'y' }])
    storeA.history.undo()
    expect(storeA.history.canRedo()).toBe(true)
    storeA.updateCells([{ recordId: id, fieldId: 'name', value: 'x' }])
    // same value: no step, and the redo stack stays as Y.UndoManager leaves it
    expect(storeA.history.canRedo()).toBe(true)
    expect(storeA.history.redo()).toBe(true)
    expect(storeA.row(id)?.values).toEqual({ name: 'y' })
  })

  it('commits updates a Y.Doc reads as the same rows', () => {
    const { a, storeA } = pair()
    const id = storeA.createRecord({ name: 'x' })
    storeA.updateCells([{ recordId: id, fieldId: 'email', value: 'e' }])
    storeA.history.undo()
    storeA.history.undo()
    storeA.history.redo()
    const doc = new Y.Doc()
    for (const u of a.committed) Y.applyUpdate(doc, u)
    expect(readLiveRows(doc)).toEqual(storeA.rows())
  })
})

/*
 * Differential: one random script of creates, edits, deletes, restores, undos, redos and sync
 * points by two or three members, with concurrent edits of the same cells, run on Y.Doc entity stores
 * (makeEntityStore, Y.UndoManager) and on compact ones with the same client ids and clock.
 * After every step both worlds show the same rows to each member and answer undo/redo alike.
 * A failing seed is printed; pin it in PINNED_SEEDS. One seed: KANSO_SEED=12 npx vitest run <file>
 * (three members catch what a history that only knows a key's items from its own steps on
 * gets wrong: an item whose place depends on older items, e.g. a first write made concurrently).
 */
const PINNED_SEEDS: number[] = []
/**
 * Known differences, run as failing tests so a fix shows. Yjs merges a run of one client's
 * deleted items on a key into one struct, and redoItem's walk steps over whole structs: here it
 * jumps from a re-written item past the rest of its run, while CompactHistory checks each item
 * (and refuses the undo). Modelling when Yjs merges (only at some transactions, only items of
 * the same content kind) made 4 of 1000 three-member seeds differ instead of 1. Since edits are
 * stamped (editStamp.ts) a member's writes of a key have a stamp item between them and form no
 * runs, and 'hot cells, 3 members' seed 130, the one seed that showed it, no longer differs.
 */
const KNOWN_DIFFERENCES: { flavor: string; seed: number }[] = []
const STEPS = 80
/** Scripts over three fields of growing records, and over one field of two records (every edit races). */
interface Flavor { name: string; members: number; seeds: number; fields: string[]; createChance: (records: number) => number }
const spread = { fields: ['f1', 'f2', 'f3'], createChance: () => 0.12 }
const hot = { fields: ['f1'], createChance: (records: number) => (records < 2 ? 0.3 : 0) }
const FLAVORS: Flavor[] = [
  { name: 'spread', members: 2, seeds: 200, ...spread },
  { name: 'hot cells', members: 2, seeds: 200, ...hot },
  { name: 'spread, 3 members', members: 3, seeds: 100, ...spread },
  { name: 'hot cells, 3 members', members: 3, seeds: 150, ...hot },
]
const VALUES: FieldValue[] = ['a', 'b', 'c', null]

interface World {
  stores: EntityStore[]
  sync(from: number, to: number): void
  /** Rows a Y.Doc built from member m's stored state shows. */
  replay(m: number): Row[]
}

function yWorld(clientIds: number[]): World {
  const docs = clientIds.map((id) => { const d = new Y.Doc(); d.clientID = id; return d })
  return {
    stores: docs.map((d, m) => makeEntityStore(d, 'contacts', `m${m}`)),
    sync: (from, to) => Y.applyUpdate(docs[to]!, Y.encodeStateAsUpdate(docs[from]!, Y.encodeStateVector(docs[to]!)), 'remote'),
    replay: (m) => readLiveRows(docs[m]!),
  }
}

function compactWorld(clientIds: number[]): World {
  const docs = clientIds.map((id) => new MemoryCompactDoc(id))
  return {
    stores: docs.map((d, m) => makeCompactEntityStore(d, 'contacts', `m${m}`)),
    sync: (from, to) => send(docs[from]!, docs[to]!),
    replay: (m) => { const d = new Y.Doc(); Y.applyUpdate(d, docs[m]!.store.encodeStateAsUpdate()); return readLiveRows(d) },
  }
}

const byId = (rows: Row[]) => [...rows].sort((x, y) => (x.id < y.id ? -1 : 1))

function outcome(run: () => unknown): unknown {
  try {
    return run()
  } catch (e) {
    if (e instanceof RecordError) return `RecordError ${e.message}`
    throw e
  }
}

function runScript(seed: number, flavor: Flavor) {
  const FIELDS = flavor.fields
  const rnd = seededRandom(seed)
  const first = rnd.int(1, 2 ** 30)
  // close ids, some above and some below the first: races are ordered by client id
  const clientIds = [first]
  while (clientIds.length < flavor.members) {
    const id = Math.max(1, first + (rnd.next() < 0.5 ? 1 : -1) * rnd.int(1, 1000))
    if (!clientIds.includes(id)) clientIds.push(id)
  }
  const worlds = [yWorld(clientIds), compactWorld(clientIds)]
  const ids: string[] = []
  const log: string[] = []
  for (let step = 0; step < STEPS; step++) {
    vi.setSystemTime(Date.UTC(2026, 0, 1) + step * 1000)
    const m = rnd.int(0, flavor.members - 1)
    const other = (m + rnd.int(1, flavor.members - 1)) % flavor.members
    const r = rnd.next()
    const someId = () => (ids.length ? rnd.pick(ids) : 'none')
    let op: (s: EntityStore) => unknown
    let what: string
    if (r < flavor.createChance(ids.length)) {
      const id = `r${ids.length}`
      ids.push(id)
      const values: Record<string, FieldValue> = {}
      for (const f of FIELDS) if (rnd.next() < 0.5) values[f] = rnd.pick(VALUES)
      op = (s) => s.createRecord(values, id)
      what = `create ${id} ${JSON.stringify(values)}`
    } else if (r < 0.45) {
      const changes = Array.from({ length: rnd.int(1, 2) }, () => ({ recordId: someId(), fieldId: rnd.pick(FIELDS), value: rnd.pick(VALUES) }))
      op = (s) => s.updateCells(changes)
      what = `update ${JSON.stringify(changes)}`
    } else if (r < 0.52) {
      const id = someId()
      op = (s) => s.deleteRecords([id])
      what = `delete ${id}`
    } else if (r < 0.57) {
      const id = someId()
      op = (s) => s.restoreRecords([id])
      what = `restore ${id}`
    } else if (r < 0.72) {
      op = (s) => s.history.undo()
      what = 'undo'
    } else if (r < 0.82) {
      op = (s) => s.history.redo()
      what = 'redo'
    } else {
      const both = rnd.next() < 0.6
      op = () => undefined
      what = both ? `sync with m${other}` : `send to m${other}`
      for (const w of worlds) {
        w.sync(m, other)
        if (both) w.sync(other, m)
      }
    }
    log.push(`${step}: m${m} ${what}`)
    const results = worlds.map((w) => outcome(() => op(w.stores[m]!)))
    const where = `${flavor.name} seed ${seed}\n${log.join('\n')}`
    expect(results[1], where).toEqual(results[0])
    for (let member = 0; member < flavor.members; member++) {
      const [ys, cs] = worlds.map((w) => w.stores[member]!)
      expect(byId(cs!.rows()), where).toEqual(byId(ys!.rows()))
      for (const id of ids) expect(cs!.row(id), `${where}\nrow ${id} of m${member}`).toEqual(ys!.row(id))
      expect([cs!.history.canUndo(), cs!.history.canRedo()], where).toEqual([ys!.history.canUndo(), ys!.history.canRedo()])
    }
  }
  for (let member = 0; member < flavor.members; member++) expect(byId(worlds[1]!.replay(member))).toEqual(byId(worlds[0]!.replay(member)))
}

describe('compact entity store: differential against Y.Doc entity stores', () => {
  beforeEach(() => { vi.useFakeTimers({ toFake: ['Date'] }) })
  afterEach(() => { vi.useRealTimers() })

  const only = process.env.KANSO_SEED ? [Number(process.env.KANSO_SEED)] : null
  for (const flavor of FLAVORS) {
    const seeds = only ?? [...PINNED_SEEDS, ...Array.from({ length: flavor.seeds }, (_, k) => k + 1)]
    for (const seed of seeds) {
      const known = KNOWN_DIFFERENCES.some((d) => d.flavor === flavor.name && d.seed === seed)
      ;(known ? it.fails : it)(`${flavor.name} seed ${seed}: same rows and undo answers as Y.UndoManager${known ? ' (known difference)' : ''}`, () => runScript(seed, flavor))
    }
  }
})
