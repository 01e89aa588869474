import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { SCHEMA_DOC } from '../../src/crdt/docNames'
import { createRecord, recordsOf } from '../../src/crdt/recordDoc'
import { addEntity } from '../../src/crdt/schemaDoc'
import { createEntityLoader, type EntityLoader } from '../api/entityLoader'
import type { Member } from '../auth/member'
import { silentLogger } from '../relayLogger'
import { createMemoryStorage } from '../storage/memoryStorage'
import type { RelayStorage } from '../storage/relayStorage'
import { HISTORY_BACKLOG, makeRecordHistoryFeed } from './recordHistoryFeed'

/*
 * The feed off live sync: the relay's hook only queues a stored update, and the history is
 * derived when the relay has spare time, or at once for a reader (idle) and when it closes.
 */

const ANN: Member = { id: 'ann', name: 'Ann', role: 'editor', createdAt: '' }
const DOC = 'entity-contacts'
const NAME = 'contacts.name'

const loaders: EntityLoader[] = []
afterEach(async () => {
  for (const loader of loaders.splice(0)) await loader.close()
})

function setup(storage: RelayStorage = createMemoryStorage(), limits = { ...HISTORY_BACKLOG, quietMs: 60_000 }) {
  const schema = new Y.Doc()
  addEntity(schema, { id: 'contacts', key: 'contacts', label: 'Contacts', singular: 'Contact', primaryField: NAME, order: 0, fields: [{ id: NAME, key: 'name', label: 'Name', type: 'text', order: 0 }] }, 'test')
  storage.appendUpdate(SCHEMA_DOC, Y.encodeStateAsUpdate(schema))
  const loader = createEntityLoader(silentLogger)
  loaders.push(loader)
  // a relay that never has spare time: only a reader or closing derives the backlog
  const feed = makeRecordHistoryFeed(storage, loader, silentLogger, limits)
  const hooks = feed.hooks(undefined)
  // a member's document: each of its updates stored and handed to the hook, as the relay does
  const doc = new Y.Doc()
  doc.on('update', (update: Uint8Array) => {
    const seq = storage.appendUpdate(DOC, update)
    hooks.afterStoreUpdate?.({ documentName: DOC, member: ANN, update, seq, origin: 'sync' })
  })
  return { storage, feed, doc, hooks }
}

function kinds(storage: RelayStorage, id: string) {
  return storage.readHistory('contacts', id, 100).map((e) => [e.kind, e.fieldId, e.from, e.to])
}

/** Memory storage whose first append of history entries fails (a locked database), and the storage behind it. */
function refusingFirstAppend() {
  const memory = createMemoryStorage()
  let refusals = 1
  const storage: RelayStorage = {
    ...memory,
    appendHistory(entries) {
      if (entries.length > 0 && refusals-- > 0) throw new Error('database is locked')
      memory.appendHistory(entries)
    },
  }
  return { memory, storage }
}

const turns = async (n: number) => {
  for (let k = 0; k < n; k++) await new Promise<void>((resolve) => setImmediate(resolve))
}

describe('record history feed', () => {
  it('derives nothing on the turns updates are stored in; a reader waiting for it (idle) gets them all', async () => {
    const { storage, feed, doc } = setup()
    const id = createRecord(doc, { [NAME]: 'Ann Lee' }, { createdBy: ANN.id }, null)
    doc.transact(() => recordsOf(doc).get(id)!.set(NAME, 'Ann Leigh'))
    await turns(20)
    expect(kinds(storage, id)).toEqual([])
    await feed.idle()
    expect(kinds(storage, id)).toEqual([
      ['set', NAME, 'Ann Lee', 'Ann Leigh'],
      ['set', NAME, null, 'Ann Lee'],
      ['created', null, null, null],
    ])
  })

  it('derives what is queued when it closes, and takes nothing after', async () => {
    const { storage, feed, doc } = setup()
    const id = createRecord(doc, { [NAME]: 'Bo' }, { createdBy: ANN.id }, null)
    await feed.close()
    expect(kinds(storage, id)).toHaveLength(2)
    doc.transact(() => recordsOf(doc).get(id)!.set(NAME, 'Bob'))
    await feed.idle()
    expect(kinds(storage, id)).toHaveLength(2)
  })

  it('an append storage refuses loses that slice\'s entries only: the updates after it are still derived (they waited for the skipped ones)', async () => {
    const { memory, storage } = refusingFirstAppend()
    // one update per slice, as when a slice's time is up after its first
    const { feed, doc } = setup(storage, { ...HISTORY_BACKLOG, quietMs: 60_000, sliceMs: 0 })
    const ids = ['Ann', 'Bo', 'Cy'].map((name) => createRecord(doc, { [NAME]: name }, { createdBy: ANN.id }, null))
    doc.transact(() => recordsOf(doc).get(ids[1]!)!.set(NAME, 'Bob'))
    await feed.idle()
    expect(kinds(memory, ids[0]!)).toEqual([])
    expect(kinds(memory, ids[1]!)).toEqual([
      ['set', NAME, 'Bo', 'Bob'],
      ['set', NAME, null, 'Bo'],
      ['created', null, null, null],
    ])
    expect(kinds(memory, ids[2]!)).toEqual([['set', NAME, null, 'Cy'], ['created', null, null, null]])
  })

  it('derives an update creating many records (an import\'s batch) a piece of ~24 KiB per slice when time is short', async () => {
    const { memory, storage } = refusingFirstAppend()
    // a slice's time is up after its first piece; the first slice's entries are refused
    const { feed, doc } = setup(storage, { ...HISTORY_BACKLOG, quietMs: 60_000, sliceMs: 0 })
    const ids: string[] = []
    doc.transact(() => {
      for (let i = 0; i < 250; i++) ids.push(createRecord(doc, { [NAME]: `Contact ${i} `.padEnd(240, 'x') }, { createdBy: ANN.id, id: `c${String(i).padStart(3, '0')}` }, null))
    })
    await feed.idle()
    // derived whole, the update's one slice lost every record's entries; in pieces only the first piece's (~80 records)
    const lost = ids.filter((id) => kinds(memory, id).length === 0)
    expect(lost.length).toBeGreaterThan(50)
    expect(lost.length).toBeLessThan(120)
    expect(lost).toEqual(ids.slice(0, lost.length))
    expect(kinds(memory, ids[249]!)).toEqual([['set', NAME, null, `Contact 249 `.padEnd(240, 'x')], ['created', null, null, null]])
  })

  it('derives a big update of several writers (a stock client\'s offline sessions sent as one sync step 2) in pieces too', async () => {
    const { memory, storage } = refusingFirstAppend()
    const { feed, hooks } = setup(storage, { ...HISTORY_BACKLOG, quietMs: 60_000, sliceMs: 0 })
    // two offline sessions of one browser, each creating 120 records, reaching the relay as one update
    const sessions = [new Y.Doc(), new Y.Doc()]
    const ids: string[] = []
    sessions.forEach((session, s) => session.transact(() => {
      for (let i = 0; i < 120; i++) ids.push(createRecord(session, { [NAME]: `Contact ${s}-${i} `.padEnd(240, 'x') }, { createdBy: ANN.id, id: `s${s}c${String(i).padStart(3, '0')}` }, null))
    }))
    const update = Y.mergeUpdates(sessions.map((session) => Y.encodeStateAsUpdate(session)))
    const seq = storage.appendUpdate(DOC, update)
    hooks.afterStoreUpdate?.({ documentName: DOC, member: ANN, update, seq, origin: 'sync' })
    await feed.idle()
    // taken whole (records of two clients could not be cut before), the refused slice lost all 240
    const lost = ids.filter((id) => kinds(memory, id).length === 0)
    expect(lost.length).toBeGreaterThan(0)
    expect(lost.length).toBeLessThan(120)
    for (const id of ids.filter((id) => !lost.includes(id))) expect(kinds(memory, id).at(-1)).toEqual(['created', null, null, null])
  })
})
