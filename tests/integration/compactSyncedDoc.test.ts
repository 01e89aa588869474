import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { IndexeddbPersistence } from 'y-indexeddb'
import * as Y from 'yjs'
import WebSocket, { WebSocketServer } from 'ws'
import { createRecord, deleteRecords, readLiveRows, updateCells } from '../../src/crdt/recordDoc'
import type { Row } from '../../src/domain/schema'
import { CompactSyncedDoc, type CompactSyncedDocOptions } from '../../src/sync/compactSyncedDoc'
import { openKeyValueStore } from '../../src/sync/keyValueStore'
import { ADMIN_TOKEN, makeTempDir, sleep, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const { cleanups, client } = useTestScope()

const DOC = 'entity-contacts'
const now = new Date('2026-11-27T10:00:00Z')
const byId = (rows: Row[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id))
let unique = 0

/** Options for one browser: its own IndexedDB prefix and meta store, unless shared. */
function browser(syncUrl: string, shared: Partial<CompactSyncedDocOptions> = {}): CompactSyncedDocOptions {
  unique++
  return {
    name: DOC,
    syncUrl,
    token: ADMIN_TOKEN,
    storePrefix: `kanso-test-${unique}-`,
    meta: openKeyValueStore(`kanso-test-meta-${unique}`),
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    maxBackoffMs: 200,
    ...shared,
  }
}

function open(options: CompactSyncedDocOptions): CompactSyncedDoc {
  const doc = new CompactSyncedDoc(options)
  cleanups.push(() => doc.destroy())
  return doc
}

/** Rows in a database's `updates` store, read with a connection of its own. */
async function storedUpdates(dbName: string, factory: IDBFactory = indexedDB): Promise<Uint8Array[]> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = factory.open(dbName)
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error('open failed'))
  })
  try {
    return await new Promise<Uint8Array[]>((resolve, reject) => {
      const req = db.transaction('updates', 'readonly').objectStore('updates').getAll()
      req.onsuccess = () => resolve(req.result as Uint8Array[])
      req.onerror = () => reject(req.error ?? new Error('getAll failed'))
    })
  } finally {
    db.close()
  }
}

/** A port nothing listens on: a relay started and closed again. */
async function deadSyncUrl(): Promise<string> {
  const relay = await startTestRelay()
  const url = relay.syncUrl
  await relay.close()
  return url
}


/** A WebSocket class (ws) that shows `onSend` every message before it is sent. */
function watchedSocket(onSend: (data: Uint8Array) => void): typeof globalThis.WebSocket {
  class WatchedSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args)
      const send = this.send.bind(this) as (data: Uint8Array) => void
      this.send = ((data: Uint8Array) => {
        onSend(data)
        send(data)
      }) as WebSocket['send']
    }
  }
  return WatchedSocket as unknown as typeof globalThis.WebSocket
}

/** Notes in `sent` the size of each update-carrying message (sync step 2 or update) sent. */
const countingSocket = (sent: number[]) => watchedSocket((data) => { if (data[0] === 0 && (data[1] === 1 || data[1] === 2)) sent.push(data.byteLength) })

describe('CompactSyncedDoc', () => {
  it('converges with a y-websocket Y.Doc client both ways, concurrent edits of one cell included', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const compact = open(browser(relay.syncUrl))
    const remote: string[] = []
    compact.onRows((patch, local) => { if (!local) remote.push(...patch.added.map((r) => r.id), ...patch.updated.map((r) => r.id)) })
    await compact.whenSynced
    const yclient = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    await yclient.synced

    const created = compact.createRecord({ name: 'Ada', amount: 1 }, { id: 'a', createdBy: 'm1', now })
    expect(created.patch.added.map((r) => r.id)).toEqual(['a'])
    createRecord(yclient.doc, { name: 'Bob', tags: ['x'] }, { id: 'b', createdBy: 'm2', now }, null)
    await waitFor(() => compact.store.count() === 2 && readLiveRows(yclient.doc).length === 2, 'both records on both clients')
    expect(remote).toContain('b')

    compact.updateCells([{ recordId: 'b', fieldId: 'name', value: 'Bobby' }, { recordId: 'a', fieldId: 'amount', value: null }])
    updateCells(yclient.doc, [{ recordId: 'a', fieldId: 'city', value: 'Paris' }], null)
    await waitFor(() => readLiveRows(yclient.doc).find((r) => r.id === 'b')?.values.name === 'Bobby' && compact.store.row('a')?.values.city === 'Paris', 'cross edits')
    expect(byId(compact.store.rows())).toEqual(byId(readLiveRows(yclient.doc)))

    // both offline, both write the same cell: after reconnecting they agree on one value
    compact.goOffline()
    yclient.provider.disconnect()
    compact.updateCells([{ recordId: 'a', fieldId: 'name', value: 'from compact' }])
    updateCells(yclient.doc, [{ recordId: 'a', fieldId: 'name', value: 'from yjs' }], null)
    compact.goOnline()
    yclient.provider.connect()
    await waitFor(() => compact.store.row('a')?.values.name === readLiveRows(yclient.doc).find((r) => r.id === 'a')?.values.name, 'one winner for the cell')
    await sleep(100)
    expect(byId(compact.store.rows())).toEqual(byId(readLiveRows(yclient.doc)))
    expect(['from compact', 'from yjs']).toContain(compact.store.row('a')?.values.name)

    compact.deleteRecords(['b'], now)
    await waitFor(() => readLiveRows(yclient.doc).length === 1, 'the delete on the Y.Doc client')
    expect(byId(compact.store.rows())).toEqual(byId(readLiveRows(yclient.doc)))
  })

  it('a new device gets the relay’s rows in one patch, then edits on top of them', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const writer = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    await writer.synced
    for (let i = 0; i < 20; i++) createRecord(writer.doc, { name: `n${i}`, n: i }, { id: `r${String(i).padStart(2, '0')}`, createdBy: 'm2', now }, null)
    updateCells(writer.doc, [{ recordId: 'r03', fieldId: 'name', value: 'changed' }, { recordId: 'r04', fieldId: 'n', value: null }], null)
    deleteRecords(writer.doc, ['r05'], null, now)
    await waitFor(() => relay.storage.loadDocument(DOC).length > 0, 'stored at the relay')
    await sleep(100)
    const doc = open(browser(relay.syncUrl))
    const patches: Array<{ added: number; local: boolean }> = []
    doc.onRows((p, local) => patches.push({ added: p.added.length, local }))
    await doc.whenSynced
    expect(patches).toEqual([{ added: 19, local: false }])
    expect(byId(doc.store.rows())).toEqual(byId(readLiveRows(writer.doc)))
    doc.updateCells([{ recordId: 'r04', fieldId: 'n', value: 4 }])
    doc.restoreRecords(['r05'], now)
    await waitFor(() => readLiveRows(writer.doc).length === 20 && readLiveRows(writer.doc).find((r) => r.id === 'r04')?.values.n === 4, 'the edits at the writer')
    expect(byId(doc.store.rows())).toEqual(byId(readLiveRows(writer.doc)))
    await waitFor(() => doc.getStatus().state === 'synced' && doc.getStatus().pending === 0, 'acknowledged')
  })

  it('sends the edits of one task as one message', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const doc = open(browser(relay.syncUrl))
    await doc.whenSynced
    doc.createRecord({ name: 'Ada' }, { id: 'a', createdBy: 'm1', now })
    const reader = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    await reader.synced
    await waitFor(() => readLiveRows(reader.doc).length === 1, 'the record at the reader')
    let transactions = 0
    reader.doc.on('update', () => transactions++)
    for (let i = 0; i < 3; i++) doc.updateCells([{ recordId: 'a', fieldId: 'n', value: i }])
    await waitFor(() => readLiveRows(reader.doc)[0]?.values.n === 2, 'the last edit at the reader')
    await sleep(50)
    expect(transactions).toBe(1)
  })

  it('does not answer the relay\'s acknowledgements while its own updates are on the way (an import writing batch after batch)', async () => {
    // an acknowledgement every 200 ms, so several come while the batches are written
    const relay = await startTestRelay({ sync: { ackIntervalMs: 200 } })
    cleanups.push(() => relay.close())
    // counts the sync step 2 messages this client sends (type 0, step 1 in y-protocols' numbering)
    let step2s = 0
    const doc = open({ ...browser(relay.syncUrl), WebSocket: watchedSocket((data) => { if (data[0] === 0 && data[1] === 1) step2s++ }) })
    await doc.whenSynced
    await waitFor(() => doc.getStatus().state === 'synced', 'synced on an empty document')
    const first = step2s
    // batches written back to back, each acknowledged by the relay while the next ones are on the way
    for (let batch = 0; batch < 80; batch++) {
      doc.commit(doc.store.createRecords(Array.from({ length: 50 }, (_, i) => ({ id: `r${batch}-${i}`, values: { name: `Contact ${batch}-${i}`, email: `c${batch}.${i}@example.com` } })), { createdBy: 'm1', now }))
      await sleep(15)
    }
    await waitFor(() => doc.getStatus().state === 'synced', 'every batch acknowledged')
    // nothing was lost, and nothing was sent twice as a reply to an acknowledgement
    const reader = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    await reader.synced
    expect(readLiveRows(reader.doc)).toHaveLength(4000)
    // (one may still be due when the relay fell more than an acknowledgement behind on a loaded machine)
    expect(step2s - first).toBeLessThanOrEqual(1)
  })

  it('counts local changes as pending until the relay acknowledges them, then is synced', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const doc = open(browser(relay.syncUrl))
    const states: string[] = []
    doc.onStatus((s) => states.push(s.state))
    await doc.whenSynced
    await waitFor(() => doc.getStatus().state === 'synced', 'synced on an empty document')
    doc.createRecord({ name: 'Ada' }, { id: 'a', createdBy: 'm1', now })
    doc.updateCells([{ recordId: 'a', fieldId: 'name', value: 'Ada L.' }])
    expect(doc.getStatus()).toEqual({ state: 'syncing', pending: expect.any(Number) })
    expect(doc.getStatus().pending).toBeGreaterThan(0)
    await waitFor(() => doc.getStatus().state === 'synced' && doc.getStatus().pending === 0, 'the acknowledgement')
    expect(states).toContain('syncing')
    // the relay stored it: a fresh Y.Doc client receives it
    const reader = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    await reader.synced
    expect(readLiveRows(reader.doc).map((r) => r.values.name)).toEqual(['Ada L.'])
  })

  it('keeps edits made offline and sends them on reconnect', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const doc = open(browser(relay.syncUrl))
    await doc.whenSynced
    const reader = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    await reader.synced
    doc.goOffline()
    expect(doc.getStatus().state).toBe('offline')
    const edit = doc.createRecord({ name: 'offline' }, { id: 'o', createdBy: 'm1', now })
    await edit.stored
    await sleep(100)
    expect(readLiveRows(reader.doc)).toEqual([])
    expect(doc.getStatus().state).toBe('offline')
    expect(doc.getStatus().pending).toBeGreaterThan(0)
    doc.goOnline()
    await waitFor(() => readLiveRows(reader.doc).length === 1, 'the offline edit at the other client')
    await waitFor(() => doc.getStatus().state === 'synced' && doc.getStatus().pending === 0, 'synced again')
  })

  it('sends an import made offline in pieces of bounded size on reconnect, paced by the relay’s acknowledgements: all stored, pending falls piece by piece', async () => {
    // an acknowledgement per stored piece, so the window moves fast
    const relay = await startTestRelay({ sync: { ackDelayMs: 5, ackIntervalMs: 10 } })
    cleanups.push(() => relay.close())
    // the update-carrying messages (sync step 2 or update) this client sends
    const sent: number[] = []
    const CountingSocket = countingSocket(sent)
    const pieceBytes = 16 * 1024
    const doc = open({ ...browser(relay.syncUrl), WebSocket: CountingSocket, uploadPieceBytes: pieceBytes, uploadWindowBytes: 2 * pieceBytes })
    await doc.whenSynced
    await waitFor(() => doc.getStatus().state === 'synced', 'synced on an empty document')
    doc.goOffline()
    for (let batch = 0; batch < 8; batch++) {
      await doc.commit(doc.store.createRecords(Array.from({ length: 250 }, (_, i) => ({ id: `r${batch}-${i}`, values: { name: `Contact ${batch}-${i}`, email: `c${batch}.${i}@example.com` } })), { createdBy: 'm1', now })).stored
    }
    const offlinePending = doc.getStatus().pending
    expect(offlinePending).toBeGreaterThan(0)
    sent.length = 0
    const pending: number[] = []
    doc.onStatus((s) => { if (pending.at(-1) !== s.pending) pending.push(s.pending) })
    doc.goOnline()
    await waitFor(() => doc.getStatus().state === 'synced', 'every piece acknowledged', 15_000)
    // many messages, none much bigger than a piece (one of ~500 KiB before)
    expect(sent.length).toBeGreaterThan(10)
    expect(Math.max(...sent)).toBeLessThan(2 * pieceBytes + 1024)
    // the count fell in steps, not from all to nothing at once
    expect(pending.filter((p) => p > 0 && p < offlinePending).length).toBeGreaterThan(3)
    expect(pending).toEqual([...pending].sort((a, b) => b - a))
    expect(pending.at(-1)).toBe(0)
    // stored on the relay: a fresh Y.Doc client gets every record whole
    const reader = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    await reader.synced
    const rows = readLiveRows(reader.doc)
    expect(rows).toHaveLength(2000)
    expect(rows.every((r) => r.values.email === `c${r.id.slice(1).replace('-', '.')}@example.com`)).toBe(true)
  })

  it('an upload cut off by going offline resumes from what the relay stored; edits made during it, on records still unsent, arrive too', async () => {
    const relay = await startTestRelay({ sync: { ackDelayMs: 5, ackIntervalMs: 10 } })
    cleanups.push(() => relay.close())
    const sent: number[] = []
    const CountingSocket = countingSocket(sent)
    const doc = open({ ...browser(relay.syncUrl), WebSocket: CountingSocket, uploadPieceBytes: 8 * 1024, uploadWindowBytes: 16 * 1024 })
    await doc.whenSynced
    await waitFor(() => doc.getStatus().state === 'synced', 'synced on an empty document')
    doc.goOffline()
    await doc.commit(doc.store.createRecords(Array.from({ length: 3000 }, (_, i) => ({ id: `r${i}`, values: { name: `Contact ${i}` } })), { createdBy: 'm1', now })).stored
    const offlinePending = doc.getStatus().pending
    sent.length = 0
    doc.goOnline()
    // an edit of the last record while its piece has not gone yet: the relay holds it until it has the record
    doc.updateCells([{ recordId: 'r2999', fieldId: 'name', value: 'Edited while uploading' }])
    await waitFor(() => doc.getStatus().pending < offlinePending / 2, 'some pieces acknowledged', 15_000)
    doc.goOffline()
    const firstUpload = sent.reduce((a, b) => a + b, 0)
    doc.updateCells([{ recordId: 'r2998', fieldId: 'name', value: 'Edited offline again' }])
    sent.length = 0
    doc.goOnline()
    await waitFor(() => doc.getStatus().state === 'synced', 'the rest acknowledged', 15_000)
    const secondUpload = sent.reduce((a, b) => a + b, 0)
    const whole = doc.store.encodeStateAsUpdate().byteLength
    // the second connection sent the rest, not everything again
    expect(firstUpload + secondUpload).toBeLessThan(whole * 1.5)
    expect(Math.max(...sent)).toBeLessThan(2 * 8 * 1024 + 1024)
    const reader = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    await reader.synced
    const rows = readLiveRows(reader.doc)
    expect(rows).toHaveLength(3000)
    expect(rows.find((r) => r.id === 'r2999')?.values.name).toBe('Edited while uploading')
    expect(rows.find((r) => r.id === 'r2998')?.values.name).toBe('Edited offline again')
  })

  it('an offline import bigger than the relay’s message limit (KANSO_MAX_MESSAGE_BYTES) still reaches it, in pieces, instead of a refusal with 1009', async () => {
    const relay = await startTestRelay({ maxMessageBytes: 64 * 1024 })
    cleanups.push(() => relay.close())
    const doc = open({ ...browser(relay.syncUrl), uploadPieceBytes: 16 * 1024 })
    await doc.whenSynced
    doc.goOffline()
    const change = doc.store.createRecords(Array.from({ length: 1500 }, (_, i) => ({ id: `r${i}`, values: { name: `Contact ${i}`, email: `c${i}@example.com` } })), { createdBy: 'm1', now })
    expect(change.update.byteLength).toBeGreaterThan(64 * 1024)
    await doc.commit(change).stored
    doc.goOnline()
    await waitFor(() => doc.getStatus().state === 'synced' || doc.getStatus().state === 'refused', 'synced or refused', 15_000)
    expect(doc.getStatus()).toEqual({ state: 'synced', pending: 0 })
    const reader = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    await reader.synced
    expect(readLiveRows(reader.doc)).toHaveLength(1500)
  })

  it('an older offline session’s records edited by a newer one, both unsent, reach the relay in pieces whole', async () => {
    const relay = await startTestRelay({ sync: { ackDelayMs: 5, ackIntervalMs: 10 } })
    cleanups.push(() => relay.close())
    const shared = { storePrefix: `kanso-test-sessions-${++unique}-`, meta: openKeyValueStore(`kanso-test-meta-sessions-${unique}`) }
    const first = new CompactSyncedDoc(browser(relay.syncUrl, shared))
    await first.whenSynced
    first.goOffline()
    await first.commit(first.store.createRecords(Array.from({ length: 600 }, (_, i) => ({ id: `r${i}`, values: { name: `Contact ${i}` } })), { createdBy: 'm1', now })).stored
    first.destroy()
    // a reload, still offline: a new session (client id) edits every record of the first
    const second = open({ ...browser(relay.syncUrl, shared), uploadPieceBytes: 4 * 1024, uploadWindowBytes: 8 * 1024 })
    second.goOffline()
    await second.whenLocal
    await second.updateCells(Array.from({ length: 600 }, (_, i) => ({ recordId: `r${i}`, fieldId: 'name', value: `Renamed ${i}` }))).stored
    second.goOnline()
    await waitFor(() => second.getStatus().state === 'synced', 'both sessions acknowledged', 15_000)
    const reader = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    await reader.synced
    const rows = readLiveRows(reader.doc)
    expect(rows).toHaveLength(600)
    expect(rows.every((r) => r.values.name === `Renamed ${r.id.slice(1)}`)).toBe(true)
  })

  it('reconnects by itself after the relay restarts, with what was written meanwhile', async () => {
    const dataDir = makeTempDir()
    let relay = await startTestRelay({ dataDir })
    const port = new URL(relay.syncUrl).port
    const doc = open(browser(relay.syncUrl))
    await doc.whenSynced
    await relay.close()
    await waitFor(() => doc.getStatus().state !== 'synced', 'the drop noticed')
    doc.createRecord({ name: 'while down' }, { id: 'd', createdBy: 'm1', now })
    relay = await startTestRelay({ dataDir, port: Number(port) })
    cleanups.push(() => relay.close())
    await waitFor(() => doc.getStatus().state === 'synced' && doc.getStatus().pending === 0, 'reconnected and acknowledged', 8000)
    expect(relay.storage.loadDocument(DOC).length).toBeGreaterThan(0)
  })

  it('shows the same rows from IndexedDB after a reload, without the relay', async () => {
    const relay = await startTestRelay()
    const options = browser(relay.syncUrl)
    const first = open(options)
    await first.whenSynced
    const yclient = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    await yclient.synced
    createRecord(yclient.doc, { name: 'from the relay' }, { id: 'r', createdBy: 'm2', now }, null)
    await waitFor(() => first.store.row('r') !== undefined, 'the remote record')
    yclient.destroy()
    first.createRecord({ name: 'Ada', amount: 3 }, { id: 'a', createdBy: 'm1', now })
    first.createRecord({ name: 'Bob' }, { id: 'b', createdBy: 'm1', now })
    const last = first.updateCells([{ recordId: 'b', fieldId: 'name', value: 'Bobby' }])
    await last.stored
    await waitFor(() => first.getStatus().pending === 0, 'acknowledged')
    const rows = byId(first.store.rows())
    first.destroy()
    await relay.close()

    const second = open(options)
    await second.whenLocal
    expect(byId(second.store.rows())).toEqual(rows)
    expect(rows.map((r) => r.id)).toEqual(['a', 'b', 'r'])
    // the relay's last vector was remembered: nothing pending although the relay is gone
    expect(second.getStatus().pending).toBe(0)
    expect(second.getStatus().state).not.toBe('synced')
  })

  it('reads a database written by y-indexeddb, and y-indexeddb reads what it writes', async () => {
    const syncUrl = await deadSyncUrl()
    const options = browser(syncUrl)
    const dbName = `${options.storePrefix}${DOC}`
    const ydoc = new Y.Doc()
    const persistence = new IndexeddbPersistence(dbName, ydoc)
    await persistence.whenSynced
    createRecord(ydoc, { name: 'Ada', tags: ['vip'] }, { id: 'a', createdBy: 'm1', now }, null)
    createRecord(ydoc, { name: 'Bob' }, { id: 'b', createdBy: 'm1', now }, null)
    updateCells(ydoc, [{ recordId: 'a', fieldId: 'name', value: 'Ada L.' }], null)
    deleteRecords(ydoc, ['b'], null, now)
    const expected = byId(readLiveRows(ydoc))
    await persistence.destroy() // closes once y-indexeddb's writes committed
    ydoc.destroy()

    const compact = open(options)
    await compact.whenLocal
    expect(byId(compact.store.rows())).toEqual(expected)
    await compact.updateCells([{ recordId: 'a', fieldId: 'city', value: 'Paris' }]).stored
    const withEdit = byId(compact.store.rows())
    compact.destroy()

    const again = new Y.Doc()
    const reread = new IndexeddbPersistence(dbName, again)
    await reread.whenSynced
    expect(byId(readLiveRows(again))).toEqual(withEdit)
    await reread.destroy()
    again.destroy()
  })

  it('compacts the stored updates into one row without losing any, another tab’s included', async () => {
    const syncUrl = await deadSyncUrl()
    const factory = new IDBFactory()
    const options = browser(syncUrl, { indexedDB: factory, compactAfter: 10, compactDelayMs: 0 })
    const dbName = `${options.storePrefix}${DOC}`
    const tab = open(options)
    const otherTab = open({ ...options, compactAfter: 1_000_000 })
    await Promise.all([tab.whenLocal, otherTab.whenLocal])
    tab.goOffline()
    otherTab.goOffline()
    const theirs = otherTab.createRecord({ name: 'other tab' }, { id: 'z', createdBy: 'm2', now })
    await theirs.stored
    for (let i = 0; i < 8; i++) tab.createRecord({ name: `r${i}`, n: i }, { id: `r${i}`, createdBy: 'm1', now })
    await tab.whenStored()
    expect((await storedUpdates(dbName, factory)).length).toBe(9)
    // past compactAfter: compaction starts off the editing path; edits right after must stay
    tab.updateCells([{ recordId: 'r0', fieldId: 'n', value: 100 }])
    tab.updateCells([{ recordId: 'r1', fieldId: 'n', value: 101 }])
    await waitFor(() => tab.store.row('z') !== undefined, 'the other tab’s record absorbed by the compaction')
    const late = tab.updateCells([{ recordId: 'r2', fieldId: 'n', value: 102 }])
    await late.stored
    await tab.compact()
    const rows = await storedUpdates(dbName, factory)
    expect(rows.length).toBe(1)
    tab.destroy()
    otherTab.destroy()

    const reloaded = open({ ...options })
    await reloaded.whenLocal
    const loaded = byId(reloaded.store.rows())
    expect(loaded.map((r) => r.id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'z'])
    expect(loaded.slice(0, 3).map((r) => r.values.n)).toEqual([100, 101, 102])
    expect(byId(tab.store.rows())).toEqual(loaded)
  })

  it('stores nothing when a reconnect brings nothing new', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const options = browser(relay.syncUrl)
    const doc = open(options)
    await doc.whenSynced
    const yclient = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    await yclient.synced
    createRecord(yclient.doc, { name: 'Ada', city: 'Oslo' }, { id: 'a', createdBy: 'm2', now }, null)
    updateCells(yclient.doc, [{ recordId: 'a', fieldId: 'name', value: 'Ada L.' }], null) // a deleted item: a non-empty delete set
    await waitFor(() => doc.store.row('a')?.values.name === 'Ada L.', 'the remote edits')
    await doc.whenStored()
    const before = (await storedUpdates(`${options.storePrefix}${DOC}`)).length
    for (let i = 0; i < 2; i++) {
      doc.goOffline()
      doc.goOnline()
      await waitFor(() => doc.getStatus().state === 'synced', 'synced again')
    }
    await doc.whenStored()
    expect((await storedUpdates(`${options.storePrefix}${DOC}`)).length).toBe(before)
    // a clear while offline is a delete-only update: it is stored
    doc.goOffline()
    updateCells(yclient.doc, [{ recordId: 'a', fieldId: 'city', value: null }], null)
    doc.goOnline()
    await waitFor(() => doc.store.row('a')?.values.city === undefined, 'the cleared cell')
    await doc.whenStored()
    expect((await storedUpdates(`${options.storePrefix}${DOC}`)).length).toBe(before + 1)
  })

  it('a quiet connection stays open through heartbeats; a silent peer is dropped and retried', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const doc = open(browser(relay.syncUrl, { heartbeatMs: 50 }))
    await waitFor(() => doc.getStatus().state === 'synced', 'synced')
    const states: string[] = []
    doc.onStatus((s) => states.push(s.state))
    await sleep(500) // ten heartbeats; the watchdog would close after 100 ms without the echoes
    expect(states).toEqual([])

    const silent = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    cleanups.push(() => new Promise((r) => silent.close(r)))
    let connections = 0
    silent.on('connection', () => connections++)
    await new Promise((r) => silent.once('listening', r))
    const { port } = silent.address() as { port: number }
    const stuck = open(browser(`ws://127.0.0.1:${port}/sync`, { heartbeatMs: 50 }))
    await waitFor(() => connections >= 2, 'a second connection after the silent one was dropped')
    expect(stuck.getStatus().state).not.toBe('synced')
  })

  it('a refused token gives the state refused with 4401, and no reconnection', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const doc = open(browser(relay.syncUrl, { token: 'not-a-token' }))
    await waitFor(() => doc.getStatus().state === 'refused', 'the refusal')
    expect(doc.getStatus().closeCode).toBe(4401)
    doc.goOnline()
    await sleep(300)
    expect(doc.getStatus()).toMatchObject({ state: 'refused', closeCode: 4401 })
  })
})
