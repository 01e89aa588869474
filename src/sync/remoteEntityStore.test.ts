import { describe, expect, it } from 'vitest'
import type { Row, RowPatch } from '../domain/schema'
import { diffRows } from './diffRows'
import { RemoteEntityStore } from './remoteEntityStore'
import type { EntityIntent } from './workerProtocol'

const row = (id: string, values: Row['values']): Row => ({ id, values, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'm' })

describe('RemoteEntityStore', () => {
  it('applies my edits at once, sends them as intents, and lets the worker\'s patch win', () => {
    const sent: EntityIntent[] = []
    const store = new RemoteEntityStore('contacts', [row('a', { n: 'Ada' })], 'm1', (i) => sent.push(i))
    const seen: [RowPatch, boolean][] = []
    store.subscribe((p, local) => seen.push([p, local]))
    store.updateCells([{ recordId: 'a', fieldId: 'e', value: 'ada@x.co' }])
    expect(store.row('a')?.values).toEqual({ n: 'Ada', e: 'ada@x.co' })
    expect(sent).toEqual([{ op: 'update', changes: [{ recordId: 'a', fieldId: 'e', value: 'ada@x.co' }] }])
    store.applyPatch({ added: [], updated: [row('a', { n: 'Ada', e: 'ada@y.co' })], removed: [] }, false)
    expect(store.row('a')?.values.e).toBe('ada@y.co')
    expect(seen.map(([, local]) => local)).toEqual([true, false])
  })

  it('creates with an id of its own and treats the worker\'s "added" for it as an update', () => {
    const sent: EntityIntent[] = []
    const store = new RemoteEntityStore('contacts', [], 'm1', (i) => sent.push(i))
    const patches: RowPatch[] = []
    store.subscribe((p) => patches.push(p))
    const id = store.createRecord({ n: 'Grace', empty: null })
    expect(sent).toEqual([{ op: 'create', id, values: { n: 'Grace' } }])
    store.applyPatch({ added: [row(id, { n: 'Grace' })], updated: [], removed: [] }, true)
    expect(patches[1]).toEqual({ added: [], updated: [row(id, { n: 'Grace' })], removed: [] })
    expect(store.count()).toBe(1)
  })

  it('shows a batch (a paste) at once as one patch and sends it as one intent', () => {
    const sent: EntityIntent[] = []
    const store = new RemoteEntityStore('contacts', [row('a', { n: 'Ada' }), row('b', { n: 'Bo' })], 'm1', (i) => sent.push(i))
    const patches: RowPatch[] = []
    store.subscribe((p) => patches.push(p))
    const batch = { updates: [{ recordId: 'a', fieldId: 'e', value: 'ada@x.co' }, { recordId: 'b', fieldId: 'n', value: null }], creates: [{ id: 'c', values: { n: 'Cy', e: null } }] }
    store.writeBatch(batch)
    expect(sent).toEqual([{ op: 'batch', batch }])
    expect(patches).toHaveLength(1)
    expect(patches[0]!.added.map((r) => [r.id, r.values, r.createdBy])).toEqual([['c', { n: 'Cy' }, 'm1']])
    expect(patches[0]!.updated.map((r) => [r.id, r.values])).toEqual([['a', { n: 'Ada', e: 'ada@x.co' }], ['b', {}]])
    expect(store.count()).toBe(3)
  })

  it('answers deleted rows it saw go at once, asks the worker for the others, and a restore makes them live again', async () => {
    const asked: [number, string[] | null][] = []
    const store = new RemoteEntityStore('companies', [row('acme', { name: 'Acme GmbH' }), row('globex', { name: 'Globex' })], 'm1', () => undefined, undefined, (ask, ids) => asked.push([ask, ids]))
    store.deleteRecords(['acme'])
    // deleted here: no question to the worker; live ids are never deleted ones
    expect((await store.deletedRows(['acme', 'globex'])).map((r) => r.values.name)).toEqual(['Acme GmbH'])
    expect(asked).toEqual([])
    // deleted before this page opened (a reload, another device): the worker's document knows
    const answer = store.deletedRows(['initech', 'nobody'])
    expect(asked.map(([, ids]) => ids)).toEqual([['initech', 'nobody']])
    store.takeDeletedRows(asked[0]![0], [{ ...row('initech', { name: 'Initech' }), deletedAt: '2026-12-01T00:00:00.000Z' }])
    expect((await answer).map((r) => r.id)).toEqual(['initech'])
    expect((await store.deletedRows(['initech'])).map((r) => r.id)).toEqual(['initech'])
    expect(asked).toHaveLength(1)
    // a teammate's restore (the worker's patch) makes both live again: no longer deleted, nor asked
    store.applyPatch({ added: [row('acme', { name: 'Acme GmbH' }), row('initech', { name: 'Initech' })], updated: [], removed: [] }, false)
    expect(await store.deletedRows(['acme', 'initech'])).toEqual([])
    expect(store.rows().map((r) => r.id).sort()).toEqual(['acme', 'globex', 'initech'])
    // a teammate's delete: the row shown until then is what links read
    store.applyPatch({ added: [], updated: [], removed: ['globex'] }, false)
    expect((await store.deletedRows(['globex'])).map((r) => r.values.name)).toEqual(['Globex'])
  })

  it('a record restored while the worker answers is live, not deleted', async () => {
    const asked: number[] = []
    const store = new RemoteEntityStore('companies', [], 'm1', () => undefined, undefined, (ask) => asked.push(ask))
    const answer = store.deletedRows(['acme'])
    store.applyPatch({ added: [row('acme', { name: 'Acme GmbH' })], updated: [], removed: [] }, false)
    store.takeDeletedRows(asked[0]!, [{ ...row('acme', { name: 'Acme GmbH' }), deletedAt: '2026-12-01T00:00:00.000Z' }])
    expect(await answer).toEqual([])
    expect(await store.deletedRows(['acme'])).toEqual([])
  })

  it('does not repaint the worker\'s echo of an edit it already shows', () => {
    const store = new RemoteEntityStore('contacts', [row('a', { n: 'Ada', m: { amount: 100, currency: 'EUR' } })], 'm1', () => undefined)
    const patches: RowPatch[] = []
    store.subscribe((p) => patches.push(p))
    store.updateCells([{ recordId: 'a', fieldId: 'e', value: 'ada@x.co' }])
    store.applyPatch({ added: [], updated: [row('a', { n: 'Ada', m: { amount: 100, currency: 'EUR' }, e: 'ada@x.co' })], removed: [] }, true)
    expect(patches).toHaveLength(1)
    store.applyPatch({ added: [], updated: [row('a', { n: 'Ada', m: { amount: 200, currency: 'EUR' }, e: 'ada@x.co' })], removed: [] }, false)
    expect(patches).toHaveLength(2)
    expect(store.row('a')?.values.m).toEqual({ amount: 200, currency: 'EUR' })
  })

  it('replaces painted rows with the loaded ones as one patch', () => {
    const store = new RemoteEntityStore('contacts', [row('a', { n: 1 }), row('b', { n: 2 })], 'm1', () => undefined)
    const patches: RowPatch[] = []
    store.subscribe((p) => patches.push(p))
    store.replaceAll([row('b', { n: 3 }), row('c', { n: 4 })])
    expect(patches).toEqual([{ added: [row('c', { n: 4 })], updated: [row('b', { n: 3 })], removed: ['a'] }])
  })
})

describe('RemoteEntityStore painted from a snapshot a slice at a time', () => {
  /** A store with the first rows of `all` and the rest in slices of `size`, each after a turn the test gives. */
  const sliced = (all: Row[], first: number, size: number, sent: EntityIntent[] = []) => {
    const turns: (() => void)[] = []
    function* slices(): Generator<Row[]> {
      for (let i = first; i < all.length; i += size) yield all.slice(i, i + size)
    }
    const store = new RemoteEntityStore('contacts', all.slice(0, first), 'm1', (i) => sent.push(i), {
      total: all.length,
      slices: slices(),
      pause: () => new Promise<void>((resolve) => turns.push(resolve)),
    })
    const turn = async () => {
      await Promise.resolve()
      turns.shift()?.()
      await new Promise((r) => setTimeout(r, 0))
    }
    return { store, turn, turns }
  }
  const all = Array.from({ length: 10 }, (_, i) => row(`r${i}`, { n: i }))

  it('counts every row from the start and has them all, in order, once complete', async () => {
    const { store, turn } = sliced(all, 3, 4)
    let complete = false
    void store.complete.then(() => { complete = true })
    expect(store.isLoading()).toBe(true)
    expect(store.count()).toBe(10)
    expect(store.rows().map((r) => r.id)).toEqual(['r0', 'r1', 'r2'])
    await turn()
    expect(store.rows()).toHaveLength(7)
    expect(store.count()).toBe(10)
    expect(complete).toBe(false)
    await turn()
    await turn()
    expect(complete).toBe(true)
    expect(store.isLoading()).toBe(false)
    expect(store.rows()).toEqual(all)
    expect(store.count()).toBe(10)
  })

  it('holds the worker\'s patches until every row is in, then applies them in order', async () => {
    const { store, turn } = sliced(all, 3, 4)
    const patches: RowPatch[] = []
    store.subscribe((p) => patches.push(p))
    store.applyPatch({ added: [], updated: [row('r8', { n: 80 })], removed: [] }, false)
    store.applyPatch({ added: [row('new', { n: 99 })], updated: [], removed: ['r9'] }, false)
    expect(patches).toEqual([])
    expect(store.row('r8')).toBeUndefined()
    while (store.isLoading()) await turn()
    expect(store.row('r8')?.values.n).toBe(80)
    expect(store.row('r9')).toBeUndefined()
    expect(store.row('new')).toBeDefined()
    expect(store.count()).toBe(10)
    expect(patches).toEqual([
      { added: [], updated: [row('r8', { n: 80 })], removed: [] },
      { added: [row('new', { n: 99 })], updated: [], removed: ['r9'] },
    ])
  })

  it('takes my edits of the rows shown while the rest are parsed, and keeps my new row', async () => {
    const sent: EntityIntent[] = []
    const { store, turn } = sliced(all, 3, 4, sent)
    store.updateCells([{ recordId: 'r1', fieldId: 'n', value: 10 }])
    const id = store.createRecord({ n: 11 })
    store.deleteRecords(['r2'])
    expect(store.count()).toBe(10)
    while (store.isLoading()) await turn()
    expect(store.row('r1')?.values.n).toBe(10)
    expect(store.row(id)?.values.n).toBe(11)
    expect(store.row('r2')).toBeUndefined()
    expect(store.count()).toBe(10)
    expect(sent.map((i) => i.op)).toEqual(['update', 'create', 'delete'])
  })

  it('painted from a head, takes the whole snapshot after it without doubling the head\'s rows or bringing back one I deleted', async () => {
    const turns: (() => void)[] = []
    function* whole(): Generator<Row[]> {
      yield all.slice(0, 4) // the whole snapshot starts with the head's rows again
      yield all.slice(4)
    }
    const store = new RemoteEntityStore('contacts', all.slice(0, 3), 'm1', () => undefined, { total: 10, slices: whole(), pause: () => new Promise<void>((r) => turns.push(r)) })
    store.deleteRecords(['r1'])
    store.updateCells([{ recordId: 'r0', fieldId: 'n', value: 100 }])
    expect(store.count()).toBe(9)
    while (store.isLoading()) {
      await Promise.resolve()
      turns.shift()?.()
      await new Promise((r) => setTimeout(r, 0))
    }
    expect(store.rows().map((r) => r.id)).toEqual(['r0', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9'])
    expect(store.row('r0')?.values.n).toBe(100)
    expect(store.count()).toBe(9)
  })

  it('reads the rest only once asked (its first rows are shown, or every row is needed), asking its source once', async () => {
    let asked = 0
    let release!: () => void
    const wanted = new Promise<void>((resolve) => (release = resolve))
    function* rest(): Generator<Row[]> {
      yield all.slice(3)
    }
    const store = new RemoteEntityStore('contacts', all.slice(0, 3), 'm1', () => undefined, {
      total: 10, slices: rest(), pause: () => wanted, ask: () => { asked++; release() },
    })
    await new Promise((r) => setTimeout(r, 20))
    expect(store.isLoading()).toBe(true)
    expect(store.rows()).toHaveLength(3)
    expect(asked).toBe(0)
    store.loadRest()
    store.loadRest()
    await store.complete
    expect(asked).toBe(1)
    expect(store.rows()).toEqual(all)
    store.loadRest()
    expect(asked).toBe(1)
  })

  it('keeps the rows it has when a slice cannot be parsed, and completes', async () => {
    const turns: (() => void)[] = []
    function* broken(): Generator<Row[]> {
      yield all.slice(3, 5)
      throw new SyntaxError('Unexpected end of JSON input')
    }
    const errors: unknown[] = []
    const original = console.error
    console.error = (...args: unknown[]) => { errors.push(args) }
    try {
      const store = new RemoteEntityStore('contacts', all.slice(0, 3), 'm1', () => undefined, { total: 10, slices: broken(), pause: () => new Promise<void>((r) => turns.push(r)) })
      while (store.isLoading()) {
        await Promise.resolve()
        turns.shift()?.()
        await new Promise((r) => setTimeout(r, 0))
      }
      await store.complete
      expect(store.rows().map((r) => r.id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4'])
      expect(store.count()).toBe(5)
      expect(String(errors[0])).toMatch(/could not read all of the contacts snapshot/)
    } finally {
      console.error = original
    }
  })
})

describe('diffRows', () => {
  it('finds added, changed and removed rows between a snapshot and the document', () => {
    const before = [row('a', { n: 1 }), row('b', { n: 2 }), row('c', { n: 3 })]
    const after = [row('a', { n: 1 }), row('b', { n: 5 }), row('d', { n: 4 })]
    expect(diffRows(before, after)).toEqual({ added: [row('d', { n: 4 })], updated: [row('b', { n: 5 })], removed: ['c'] })
  })
})
