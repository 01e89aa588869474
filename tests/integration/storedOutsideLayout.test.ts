import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import WebSocket from 'ws'
import { dataFileIn } from '../../server/config'
import { createSqliteStorage } from '../../server/storage/sqliteStorage'
import { createRecord, readLiveRows, recordsOf, updateCells } from '../../src/crdt/recordDoc'
import type { Row } from '../../src/domain/schema'
import { CompactSyncedDoc } from '../../src/sync/compactSyncedDoc'
import { openKeyValueStore } from '../../src/sync/keyValueStore'
import { ADMIN_TOKEN, makeTempDir, startTestRelay, useTestScope, waitFor } from './relayTestKit'

/*
 * A workspace stored before the relay checked layouts (issue 11.1): its SQLite file already holds
 * updates a stock client could send then. The relay starts without an error per document, serves
 * the good rows, and both a stock client and the browser's compact store open and sync it.
 */

const { cleanups, client } = useTestScope()
const DOC = 'entity-contacts'
const now = new Date('2026-12-01T10:00:00Z')
const byId = (rows: Row[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id))

/** Writes a good document and then the breakages straight into the relay's SQLite file, as the relay did before its check. */
function writeOldWorkspace(dataDir: string): Row[] {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  createRecord(doc, { 'contacts.first_name': 'Ada' }, { id: 'r0', createdBy: 'm1', now }, null)
  createRecord(doc, { 'contacts.first_name': 'Bob' }, { id: 'r1', createdBy: 'm1', now }, null)
  const good = readLiveRows(doc)
  recordsOf(doc).set('x', 'not a map' as never)
  recordsOf(doc).set('t', new Y.Text('hello') as never)
  recordsOf(doc).set('a', Y.Array.from([1, 2]) as never)
  recordsOf(doc).get('r0')!.set('contacts.position', new Y.Map())
  doc.getArray('extra').push(['x'])
  const storage = createSqliteStorage(dataFileIn(dataDir))
  try {
    for (const u of updates) storage.appendUpdate(DOC, u)
  } finally {
    storage.close()
  }
  return good
}

describe('a workspace stored before the relay checked layouts still opens (issue 11.1)', () => {
  it('the relay starts without a stack trace, serves the good rows, and stock and compact clients sync the document live', async () => {
    const dataDir = makeTempDir()
    const good = writeOldWorkspace(dataDir)
    const relay = await startTestRelay({ dataDir })
    cleanups.push(() => relay.close())

    const res = await fetch(`${relay.url}/api/snapshots/contacts`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(res.status).toBe(200)
    expect(byId((await res.json()) as Row[])).toEqual(good)

    const stock = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    await stock.synced
    expect(byId(readLiveRows(stock.doc))).toEqual(good)

    const browser = new CompactSyncedDoc({
      name: DOC, syncUrl: relay.syncUrl, token: ADMIN_TOKEN, storePrefix: 'kanso-old-layout-', meta: openKeyValueStore('kanso-old-layout-meta'),
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket, maxBackoffMs: 200,
    })
    cleanups.push(() => browser.destroy())
    await browser.whenSynced
    expect(byId(browser.store.rows())).toEqual(good)
    const patches: string[] = []
    browser.onRows((patch) => patches.push(...patch.updated.map((r) => r.id)))

    // a live edit by the stock client reaches the browser, and the browser's edit reaches it
    updateCells(stock.doc, [{ recordId: 'r0', fieldId: 'contacts.email', value: 'ada@example.com' }], null)
    await waitFor(() => browser.store.row('r0')?.values['contacts.email'] === 'ada@example.com', 'the live edit in the compact store')
    expect(patches).toContain('r0')
    browser.commit(browser.store.updateCells([{ recordId: 'r1', fieldId: 'contacts.email', value: 'bob@example.com' }]))
    await waitFor(() => readLiveRows(stock.doc).some((r) => r.values['contacts.email'] === 'bob@example.com'), 'the browser edit at the stock client')
    expect(byId(browser.store.rows())).toEqual(byId(readLiveRows(stock.doc)))

    // every document was read at start (row snapshots, layout checks): none logged an error or a stack
    await waitFor(() => relay.storage.loadRowSnapshot(DOC) !== null, 'the row snapshot to be saved')
    expect(relay.logger.lines.filter((line) => line.startsWith('error') || /\n\s+at /.test(line))).toEqual([])
    expect(relay.logger.lines.filter((line) => line.includes(DOC) && line.startsWith('warn'))).toEqual([])
  })
})
