import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { silentLogger } from '../relayLogger'
import { createMemoryStorage } from '../storage/memoryStorage'
import { inspectUpdate } from './inspectUpdate'
import { SyncRoom } from './syncRoom'

function editsOf(count: number): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  for (let i = 0; i < count; i++) doc.getMap('m').set(`k${i}`, i)
  return { doc, updates }
}

describe('SyncRoom', () => {
  it('stores updates, answers sync step 1 with exactly what is missing, and compacts', () => {
    const storage = createMemoryStorage()
    const room = SyncRoom.load('d', { storage, logger: silentLogger, compactAfterRows: 1000 })
    const { doc, updates } = editsOf(6)
    for (const u of updates) room.store(u, inspectUpdate(u))
    expect(storage.loadDocument('d')).toHaveLength(6)
    expect(room.stateVector()).toEqual(Y.encodeStateVector(doc))

    const empty = new Y.Doc()
    Y.applyUpdate(empty, room.missingFor(Y.encodeStateVector(empty), new Map()))
    expect(empty.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())

    const partial = new Y.Doc()
    Y.applyUpdate(partial, Y.mergeUpdates(updates.slice(0, 3)))
    const missing = room.missingFor(Y.encodeStateVector(partial), Y.decodeStateVector(Y.encodeStateVector(partial)))
    expect(Y.parseUpdateMeta(missing).from.get(doc.clientID)).toBe(3)
    Y.applyUpdate(partial, missing)
    expect(partial.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())

    room.compact()
    expect(storage.loadDocument('d')).toHaveLength(1)
    const reloaded = SyncRoom.load('d', { storage, logger: silentLogger, compactAfterRows: 1000 })
    expect(reloaded.stateVector()).toEqual(Y.encodeStateVector(doc))
  })

  it('loads a compacted row plus a tail and knows its state vector', () => {
    const storage = createMemoryStorage()
    const { doc, updates } = editsOf(4)
    const seq = storage.appendUpdate('d', Y.mergeUpdates(updates.slice(0, 2)))
    storage.compact('d', Y.mergeUpdates(updates.slice(0, 2)), seq)
    for (const u of updates.slice(2)) storage.appendUpdate('d', u)
    const room = SyncRoom.load('d', { storage, logger: silentLogger, compactAfterRows: 1000 })
    expect(room.stateVector()).toEqual(Y.encodeStateVector(doc))
    expect(room.isNew(inspectUpdate(updates[3] as Uint8Array))).toBe(false)
  })

  it('compacts on its own once the log passes the limit', async () => {
    const storage = createMemoryStorage()
    const room = SyncRoom.load('d', { storage, logger: silentLogger, compactAfterRows: 3 })
    const { updates } = editsOf(5)
    for (const u of updates) room.store(u, inspectUpdate(u))
    await new Promise((r) => setTimeout(r, 100))
    expect(storage.loadDocument('d')).toHaveLength(1)
    room.dispose()
  })
})
