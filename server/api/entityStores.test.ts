import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { entityDocName } from '../../src/crdt/docNames'
import { createRecord, readRow, updateCells } from '../../src/crdt/recordDoc'
import { silentLogger } from '../relayLogger'
import { createMemoryStorage } from '../storage/memoryStorage'
import type { RelayStorage } from '../storage/relayStorage'
import { createEntityLoader, type EntityLoader } from './entityLoader'
import { EntityStores, RELOAD_WAITS_MS } from './entityStores'

const ENTITY = 'contacts'
const NAME = entityDocName(ENTITY)
const now = new Date('2026-12-01T10:00:00Z')

/** Each update a Y.Doc makes, as a client would send it. */
function recording(clientID: number): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc()
  doc.clientID = clientID
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  return { doc, updates }
}

/**
 * The real loader, holding each loaded copy until `open()`: the test decides what is stored
 * while a load runs, as the relay's writes land while the loader thread decodes a big document.
 */
function gatedLoader(): EntityLoader & { open(): void; close(): Promise<void> } {
  const real = createEntityLoader(silentLogger)
  let open!: () => void
  const gate = new Promise<void>((resolve) => (open = resolve))
  return {
    load: async (name, updates) => {
      const store = await real.load(name, updates)
      await gate
      return store
    },
    open,
    close: () => real.close(),
  }
}

/** Lets the load started just now read storage and reach the gate. */
const afterTasks = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('EntityStores', () => {
  let loader: ReturnType<typeof gatedLoader> | null = null
  afterEach(async () => { await loader?.close() })

  function setUp(): { storage: RelayStorage; stores: EntityStores; loader: ReturnType<typeof gatedLoader> } {
    const storage = createMemoryStorage()
    loader = gatedLoader()
    return { storage, stores: new EntityStores(storage, loader, silentLogger), loader }
  }

  it('applies an update stored during the load whose seq is below the last row the load read (a big write readable after a later small one)', async () => {
    const { storage, stores, loader } = setUp()
    const { doc, updates } = recording(1)
    for (let i = 0; i < 11; i++) doc.transact(() => createRecord(doc, { name: `c${i}` }, { id: `c${i}`, createdBy: 'm1', now }, null))
    expect(updates).toHaveLength(11)
    // the writer numbered c9's write 10 before c10's write 11, yet storage has 11 first
    storage.putRows(updates.map((update, k) => ({ name: NAME, seq: k + 1, update })).filter((row) => row.seq !== 10))
    const loaded = stores.load(ENTITY)
    await afterTasks()
    stores.stored(NAME, updates[9]!)
    storage.putRows([{ name: NAME, seq: 10, update: updates[9]! }])
    loader.open()
    const entry = await loaded
    expect(entry.store.rows().map((r) => r.id).sort()).toEqual(Array.from({ length: 11 }, (_, i) => `c${i}`).sort())
  })

  it('loads again when an update stored during the load is refused (racing edits of one cell), and answers with every edit', async () => {
    const { storage, stores, loader } = setUp()
    const a = recording(10)
    createRecord(a.doc, { name: 'start' }, { id: 'r0', createdBy: 'm1', now }, null)
    const b = recording(5)
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc))
    updateCells(b.doc, [{ recordId: 'r0', fieldId: 'name', value: 'five' }], null)
    updateCells(b.doc, [{ recordId: 'r0', fieldId: 'name', value: 'five again' }], null)
    updateCells(a.doc, [{ recordId: 'r0', fieldId: 'name', value: 'ten' }], null)
    storage.appendUpdates([...a.updates.slice(0, -1), ...b.updates].map((update) => ({ name: NAME, update })))
    const loaded = stores.load(ENTITY)
    await afterTasks()
    // a's racing edit reaches the copy only after b's: only a Y.Doc can place it
    const racing = a.updates.at(-1)!
    storage.appendUpdates([{ name: NAME, update: racing }])
    stores.stored(NAME, racing)
    loader.open()
    const entry = await loaded
    const replica = new Y.Doc()
    for (const u of [...a.updates.slice(0, -1), ...b.updates, racing]) Y.applyUpdate(replica, u)
    expect(entry.store.row('r0')).toEqual(readRow(replica, 'r0'))
  })

  it('does not reload without end when every load misses a refused update: after a few waits it loads on the event loop', async () => {
    const storage = createMemoryStorage()
    const real = createEntityLoader(silentLogger)
    const a = recording(10)
    createRecord(a.doc, { name: 'start' }, { id: 'r0', createdBy: 'm1', now }, null)
    const b = recording(5)
    const store = (update: Uint8Array) => {
      storage.appendUpdates([{ name: NAME, update }])
      stores.stored(NAME, update)
    }
    let loads = 0
    const stores = new EntityStores(storage, {
      load: async (name, updates) => {
        const loaded = await real.load(name, updates)
        // while each load runs, b writes the cell twice and a once without having seen b's
        loads++
        Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc))
        Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc))
        const [fromA, fromB] = [a.updates.length, b.updates.length]
        updateCells(b.doc, [{ recordId: 'r0', fieldId: 'name', value: `b${loads}` }], null)
        updateCells(b.doc, [{ recordId: 'r0', fieldId: 'name', value: `b${loads} again` }], null)
        updateCells(a.doc, [{ recordId: 'r0', fieldId: 'name', value: `a${loads}` }], null)
        for (const u of [...b.updates.slice(fromB), ...a.updates.slice(fromA)]) store(u)
        return loaded
      },
      close: () => real.close(),
    }, silentLogger)
    storage.appendUpdates(a.updates.map((update) => ({ name: NAME, update })))
    try {
      const entry = await stores.load(ENTITY)
      expect(loads).toBe(RELOAD_WAITS_MS.length)
      const replica = new Y.Doc()
      for (const row of storage.loadRows(NAME)) Y.applyUpdate(replica, row.update)
      expect(entry.store.row('r0')).toEqual(readRow(replica, 'r0'))
      expect(await stores.load(ENTITY)).toBe(entry)
    } finally {
      await real.close()
    }
  })

  it('drops a loaded copy that refuses an update, and the next request loads it again with that update', async () => {
    const { storage, stores, loader } = setUp()
    loader.open()
    const a = recording(10)
    createRecord(a.doc, { name: 'start' }, { id: 'r0', createdBy: 'm1', now }, null)
    const b = recording(5)
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc))
    updateCells(b.doc, [{ recordId: 'r0', fieldId: 'name', value: 'five' }], null)
    updateCells(b.doc, [{ recordId: 'r0', fieldId: 'name', value: 'five again' }], null)
    updateCells(a.doc, [{ recordId: 'r0', fieldId: 'name', value: 'ten' }], null)
    storage.appendUpdates([...a.updates.slice(0, -1), ...b.updates].map((update) => ({ name: NAME, update })))
    const first = await stores.load(ENTITY)
    const racing = a.updates.at(-1)!
    storage.appendUpdates([{ name: NAME, update: racing }])
    stores.stored(NAME, racing)
    const second = await stores.load(ENTITY)
    expect(second).not.toBe(first)
    Y.applyUpdate(b.doc, racing)
    expect(second.store.row('r0')).toEqual(readRow(b.doc, 'r0'))
    expect(await stores.load(ENTITY)).toBe(second)
  })
})
