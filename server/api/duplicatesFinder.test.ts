import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { entityDocName } from '../../src/crdt/docNames'
import { createRecord, readLiveRows, updateCell } from '../../src/crdt/recordDoc'
import { defaultSchema } from '../../src/domain/defaultSchema'
import { findDuplicates } from '../../src/domain/duplicates/findDuplicates'
import { packedGroupCount, unpackDuplicateGroups, type PackedDuplicateGroups } from '../../src/domain/duplicates/packedDuplicateGroups'
import { findEntity } from '../../src/domain/schema'
import { silentLogger } from '../relayLogger'
import { createMemoryStorage } from '../storage/memoryStorage'
import type { RelayStorage } from '../storage/relayStorage'
import { createSqliteStorage } from '../storage/sqliteStorage'
import { createDuplicatesFinder, type DuplicatesFinder } from './duplicatesFinder'
import { createEntityLoader } from './entityLoader'
import { EntityStores } from './entityStores'

const contacts = findEntity(defaultSchema(), 'contacts')!
const NAME = entityDocName('contacts')
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const all = (packed: PackedDuplicateGroups) => unpackDuplicateGroups(packed, 0, packedGroupCount(packed))

/** A contacts document with one pair sharing an email, and the updates that make it. */
function contactsDoc(): { doc: Y.Doc; updates: Uint8Array[]; ids: string[] } {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  const ids = [
    createRecord(doc, { 'contacts.first_name': 'Ann', 'contacts.last_name': 'Lee', 'contacts.email': 'ann@lee.example' }, { createdBy: 'm1', now: new Date('2026-01-01T00:00:00Z') }, 'seed'),
    createRecord(doc, { 'contacts.first_name': 'Annie', 'contacts.last_name': 'Lee', 'contacts.email': 'ANN@lee.example' }, { createdBy: 'm1', now: new Date('2026-01-02T00:00:00Z') }, 'seed'),
    createRecord(doc, { 'contacts.first_name': 'Bob', 'contacts.last_name': 'Stone', 'contacts.email': 'bob@stone.example' }, { createdBy: 'm1', now: new Date('2026-01-03T00:00:00Z') }, 'seed'),
  ]
  return { doc, updates, ids }
}

/** The doc's next update, made by `change`. */
function nextUpdate(doc: Y.Doc, change: () => void): Uint8Array {
  let made: Uint8Array | null = null
  const take = (u: Uint8Array) => { made = u }
  doc.on('update', take)
  change()
  doc.off('update', take)
  return made!
}

/** A finder searching every list in its process, over `storage`, told storage is settled when the test says so. */
function finderOver(storage: RelayStorage, keepMs?: number): { finder: DuplicatesFinder; stores: EntityStores; settle(): void } {
  const loader = createEntityLoader(silentLogger)
  const stores = new EntityStores(storage, loader, silentLogger)
  const finder = createDuplicatesFinder({ storage, logger: silentLogger, inlineBelowRows: 0, keepMs })
  let settle!: () => void
  const settled = new Promise<void>((resolve) => (settle = resolve))
  finder.start(() => settled)
  cleanups.push(() => finder.close(), () => loader.close())
  return { finder, stores, settle }
}

function sqliteStorage(): RelayStorage {
  const dir = mkdtempSync(join(tmpdir(), 'kanso-duplicates-'))
  const storage = createSqliteStorage(join(dir, 'kanso.sqlite'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => storage.close())
  return storage
}

describe('createDuplicatesFinder', () => {
  it('finds in its process what findDuplicates finds, over the document read from the file once storage is settled', async () => {
    const storage = sqliteStorage()
    const { doc, updates } = contactsDoc()
    for (const u of updates) storage.appendUpdate(NAME, u)
    const { finder, stores, settle } = finderOver(storage)
    const entry = await stores.load('contacts')
    const found = finder.find(contacts, entry)
    settle()
    expect(all(await found)).toEqual(findDuplicates(contacts, readLiveRows(doc)))
    expect(packedGroupCount(await found)).toBe(1)
  })

  it('keeps an update stored while it waits for storage to settle (not in the file when the process reads it), and every later one', async () => {
    const storage = sqliteStorage()
    const { doc, updates, ids } = contactsDoc()
    for (const u of updates) storage.appendUpdate(NAME, u)
    const { finder, stores, settle } = finderOver(storage)
    const entry = await stores.load('contacts')
    const found = finder.find(contacts, entry)
    // stored as far as the relay is concerned (it is in the update log), not yet in SQLite
    finder.stored(NAME, nextUpdate(doc, () => updateCell(doc, ids[2]!, 'contacts.email', 'ann@lee.example', 'ui')))
    // the turn's updates are sent on (setImmediate) while the hold still waits
    await new Promise((resolve) => setImmediate(resolve))
    settle()
    expect(all(await found)).toEqual([{ ids, reasons: ['email'] }])
    // after the hold: sent to the process before the next search
    finder.stored(NAME, nextUpdate(doc, () => updateCell(doc, ids[0]!, 'contacts.email', 'ann@elsewhere.example', 'ui')))
    expect(all(await finder.find(contacts, entry))).toEqual(findDuplicates(contacts, readLiveRows(doc)))
    expect(all(await finder.find(contacts, entry))).toEqual([{ ids: [ids[1], ids[2]], reasons: ['email'] }])
  })

  it('lets a copy go once unused (keepMs) and reads it again for the next search, with what was stored meanwhile', async () => {
    const storage = createMemoryStorage()
    const { doc, updates, ids } = contactsDoc()
    for (const u of updates) storage.appendUpdate(NAME, u)
    const { finder, stores } = finderOver(storage, 0)
    const entry = await stores.load('contacts')
    expect(packedGroupCount(await finder.find(contacts, entry))).toBe(1)
    // keepMs 0: let go at the next timers
    await new Promise((resolve) => setTimeout(resolve, 5))
    // stored while no copy is kept: nothing is sent to the process, storage has it
    const u = nextUpdate(doc, () => updateCell(doc, ids[2]!, 'contacts.email', 'ann@lee.example', 'ui'))
    storage.appendUpdate(NAME, u)
    finder.stored(NAME, u)
    expect(all(await finder.find(contacts, entry))).toEqual([{ ids, reasons: ['email'] }])
  })

  it('answers small lists on the calling thread, over the API copy', async () => {
    const storage = createMemoryStorage()
    const { doc, updates } = contactsDoc()
    for (const u of updates) storage.appendUpdate(NAME, u)
    const loader = createEntityLoader(silentLogger)
    const stores = new EntityStores(storage, loader, silentLogger)
    const finder = createDuplicatesFinder({ storage, logger: silentLogger, inlineBelowRows: 4 })
    // never settled: a search on this thread does not wait for storage
    finder.start(() => new Promise(() => {}))
    cleanups.push(() => finder.close(), () => loader.close())
    expect(all(await finder.find(contacts, await stores.load('contacts')))).toEqual(findDuplicates(contacts, readLiveRows(doc)))
  })
})
