import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as decoding from 'lib0/decoding'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { silentLogger } from '../relayLogger'
import { createMemoryStorage } from '../storage/memoryStorage'
import type { RelayStorage } from '../storage/relayStorage'
import { inlineDocumentWriter } from '../storage/documentWriter'
import { createSqliteStorage } from '../storage/sqliteStorage'
import { DocWorkerPool } from './docWorkerPool'
import { encodeSyncUpdate } from './encodeServerMessage'
import { inspectUpdate } from './inspectUpdate'
import { SyncRoom, type MainThreadLimits, type SyncRoomOptions } from './syncRoom'

function editsOf(count: number, doc = new Y.Doc()): { doc: Y.Doc; updates: Uint8Array[] } {
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  for (let i = 0; i < count; i++) doc.getMap('m').set(`k${i}`, i)
  return { doc, updates }
}

/** The Yjs update inside a sync step 2 or sync update message. */
function payload(message: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(message)
  decoding.readVarUint(decoder)
  decoding.readVarUint(decoder)
  return decoding.readVarUint8Array(decoder)
}

/** Applies a room's answer to sync step 1 to `doc`, as a y-websocket client would. */
async function applyAnswer(room: SyncRoom, doc: Y.Doc): Promise<Uint8Array[]> {
  const sv = Y.encodeStateVector(doc)
  const messages = await room.answerSyncStep1(sv, Y.decodeStateVector(sv))
  for (const message of messages) Y.applyUpdate(doc, payload(message))
  return messages
}

const pools: DocWorkerPool[] = []
const dirs: string[] = []
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()))
})
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function sqliteStorage(): RelayStorage {
  const dir = mkdtempSync(join(tmpdir(), 'kanso-room-'))
  dirs.push(dir)
  return createSqliteStorage(join(dir, 'kanso.sqlite'))
}

/** Everything big: every load, diff and compaction goes to a worker. */
const WORKER_ONLY: MainThreadLimits = { updateBytes: 0, loadBytes: 0, mergeBytes: 0 }

function options(storage: RelayStorage, overrides: Partial<SyncRoomOptions> = {}): SyncRoomOptions {
  const pool = new DocWorkerPool(1, silentLogger)
  pools.push(pool)
  return { storage, writer: inlineDocumentWriter(storage), logger: silentLogger, pool, compactAfterRows: 1000, ...overrides }
}

describe('SyncRoom', () => {
  it('stores updates, answers sync step 1 with exactly what is missing, and compacts', async () => {
    const storage = createMemoryStorage()
    const room = await SyncRoom.load('d', options(storage))
    const { doc, updates } = editsOf(6)
    for (const u of updates) await room.store(u, inspectUpdate(u), encodeSyncUpdate(u))
    expect(storage.loadDocument('d')).toHaveLength(6)
    expect(room.stateVector()).toEqual(Y.encodeStateVector(doc))

    const empty = new Y.Doc()
    await applyAnswer(room, empty)
    expect(empty.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())

    await room.compact()
    expect(storage.loadDocument('d')).toHaveLength(1)
    const partial = new Y.Doc()
    Y.applyUpdate(partial, Y.mergeUpdates(updates.slice(0, 3)))
    const [step2] = await applyAnswer(room, partial)
    expect(Y.parseUpdateMeta(payload(step2 as Uint8Array)).from.get(doc.clientID)).toBe(3)
    expect(partial.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())

    const reloaded = await SyncRoom.load('d', options(storage))
    expect(reloaded.stateVector()).toEqual(Y.encodeStateVector(doc))
  })

  it('answers a client that has nothing with the stored bytes as they are, tail updates first', async () => {
    const storage = createMemoryStorage()
    const { doc, updates } = editsOf(5)
    const stored = Y.mergeUpdates(updates.slice(0, 3))
    storage.appendUpdate('d', stored)
    for (const u of updates.slice(3)) storage.appendUpdate('d', u)
    const room = await SyncRoom.load('d', options(storage))
    const empty = new Y.Doc()
    const messages = await applyAnswer(room, empty)
    expect(messages).toHaveLength(3)
    expect(payload(messages[0] as Uint8Array)).toEqual(updates[3])
    expect(payload(messages[2] as Uint8Array)).toEqual(stored)
    expect(empty.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
  })

  it('loads a compacted row plus a tail and knows its state vector', async () => {
    const storage = createMemoryStorage()
    const { doc, updates } = editsOf(4)
    const seq = storage.appendUpdate('d', Y.mergeUpdates(updates.slice(0, 2)))
    storage.compact('d', Y.mergeUpdates(updates.slice(0, 2)), seq)
    for (const u of updates.slice(2)) storage.appendUpdate('d', u)
    const room = await SyncRoom.load('d', options(storage))
    expect(room.stateVector()).toEqual(Y.encodeStateVector(doc))
    expect(room.isNew(inspectUpdate(updates[3] as Uint8Array))).toBe(false)
  })

  it('keeps the state vector with the compacted row, and computes a missing one once', async () => {
    const storage = createMemoryStorage()
    const { doc, updates } = editsOf(4)
    storage.appendUpdate('d', Y.mergeUpdates(updates))
    expect(storage.loadRows('d')[0]?.stateVector).toBeNull()
    await SyncRoom.load('d', options(storage))
    // stored on first load, so the next load reads it instead of decoding the document
    expect(storage.loadRows('d')[0]?.stateVector).toEqual(Y.encodeStateVector(doc))

    const room = await SyncRoom.load('d', options(storage))
    const more = editsOf(2, doc).updates
    for (const u of more) await room.store(u, inspectUpdate(u), encodeSyncUpdate(u))
    await room.compact()
    const [row] = storage.loadRows('d')
    expect(storage.loadRows('d')).toHaveLength(1)
    expect(row?.stateVector).toEqual(Y.encodeStateVector(doc))
    expect(row?.stateVector).toEqual(Y.encodeStateVectorFromUpdate(row?.update as Uint8Array))
  })

  it('compacts on its own once the log passes the limit', async () => {
    const storage = createMemoryStorage()
    const room = await SyncRoom.load('d', options(storage, { compactAfterRows: 3 }))
    const { updates } = editsOf(5)
    for (const u of updates) await room.store(u, inspectUpdate(u), encodeSyncUpdate(u))
    await new Promise((r) => setTimeout(r, 100))
    expect(storage.loadDocument('d')).toHaveLength(1)
    await room.dispose()
  })

  it('does not rewrite a big base for a few small edits', async () => {
    const storage = createMemoryStorage()
    const big = new Y.Doc()
    big.getMap('m').set('text', 'x'.repeat(20_000))
    storage.appendUpdate('d', Y.encodeStateAsUpdate(big))
    const room = await SyncRoom.load('d', options(storage, { compactAfterRows: 3 }))
    const { updates } = editsOf(5, big)
    for (const u of updates) await room.store(u, inspectUpdate(u), encodeSyncUpdate(u))
    await new Promise((r) => setTimeout(r, 100))
    expect(storage.loadDocument('d')).toHaveLength(6)
    for (const u of editsOf(20, big).updates) await room.store(u, inspectUpdate(u), encodeSyncUpdate(u))
    // more than five times the row limit: compacted after all (by a worker: the base is big)
    const deadline = Date.now() + 10_000
    while (storage.loadDocument('d').length > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(storage.loadDocument('d')).toHaveLength(1)
    await room.dispose()
  })

  for (const kind of ['sqlite', 'memory'] as const) {
    it(`loads, diffs and compacts in a worker (${kind} storage) with the same results`, async () => {
      const storage = kind === 'sqlite' ? sqliteStorage() : createMemoryStorage()
      const { doc, updates } = editsOf(8)
      storage.appendUpdate('d', Y.mergeUpdates(updates.slice(0, 4)))
      for (const u of updates.slice(4)) storage.appendUpdate('d', u)
      const room = await SyncRoom.load('d', options(storage, { limits: WORKER_ONLY }))
      expect(room.stateVector()).toEqual(Y.encodeStateVector(doc))
      expect(storage.loadRows('d')[0]?.stateVector).toEqual(Y.encodeStateVectorFromUpdate(Y.mergeUpdates(updates.slice(0, 4))))

      const partial = new Y.Doc()
      Y.applyUpdate(partial, updates[0] as Uint8Array)
      await applyAnswer(room, partial)
      expect(partial.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())

      await room.compact()
      const rows = storage.loadRows('d')
      expect(rows).toHaveLength(1)
      expect(rows[0]?.stateVector).toEqual(Y.encodeStateVector(doc))
      const fresh = new Y.Doc()
      await applyAnswer(room, fresh)
      expect(fresh.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
      storage.close()
    })
  }
})
