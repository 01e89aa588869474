import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { dataFileIn } from '../../server/config'
import { CLOSE_MALFORMED } from '../../server/closeCodes'
import { createSqliteStorage } from '../../server/storage/sqliteStorage'
import { encodeSyncUpdate } from '../../server/rooms/encodeServerMessage'
import { ADMIN_TOKEN, makeTempDir, rawSocket, startTestRelay, waitFor, useTestScope, cell, setCell } from './relayTestKit'

const { cleanups, client } = useTestScope()

/** A document of `records` records with some text each, as one update. */
function bigDocument(records: number, textBytes = 100): { doc: Y.Doc; update: Uint8Array } {
  const doc = new Y.Doc()
  doc.transact(() => {
    for (let i = 0; i < records; i++) setCell(doc, `r${i}`, { name: `Record ${i}`, note: 'x'.repeat(textBytes) })
  })
  return { doc, update: Y.encodeStateAsUpdate(doc) }
}

/** Writes the update as the first row of the document's log in a fresh data directory. */
function seededDataDir(name: string, update: Uint8Array): string {
  const dataDir = makeTempDir()
  const storage = createSqliteStorage(dataFileIn(dataDir))
  storage.appendUpdate(name, update)
  storage.close()
  return dataDir
}

describe('big documents', () => {
  it('loads a document in a worker; edits sent while it loads wait, in order, and none is lost', async () => {
    const { doc: seeded, update } = bigDocument(2000)
    const dataDir = seededDataDir('entity-contacts', update)
    const stored: number[] = []
    const relay = await startTestRelay({
      dataDir,
      // every load in a worker
      sync: { mainThreadLimits: { loadBytes: 0 } },
      hooks: { afterStoreUpdate: ({ update: u }) => stored.push(Y.decodeUpdate(u).structs[0]?.id.clock ?? -1) },
    })
    cleanups.push(() => relay.close())

    const raw = rawSocket(`${relay.syncUrl}/entity-contacts?token=${ADMIN_TOKEN}`)
    cleanups.push(() => raw.socket.close())
    await raw.opened
    const writer = new Y.Doc()
    const updates: Uint8Array[] = []
    writer.on('update', (u: Uint8Array) => updates.push(u))
    for (let i = 0; i < 5; i++) setCell(writer, `new${i}`, i)
    for (const u of updates) raw.socket.send(encodeSyncUpdate(u))
    // the worker is still starting: the room is not loaded, the edits wait
    expect(relay.sync.room('entity-contacts')?.isLoaded).toBe(false)

    await waitFor(() => stored.length === 5, 'the five edits stored', 15_000)
    expect(stored).toEqual([0, 2, 4, 6, 8]) // each edit: a record map and its value
    const reader = client(relay.syncUrl, 'entity-contacts', ADMIN_TOKEN)
    await reader.synced
    const records = reader.doc.getMap('records')
    expect(records.size).toBe(2005)
    expect(cell(reader.doc, 'new4')).toBe(4)
    expect(cell(reader.doc, 'r1999')).toEqual(cell(seeded, 'r1999'))
  })

  it('keeps the state vector it computed on first load next to the row', async () => {
    const { doc, update } = bigDocument(300)
    const dataDir = seededDataDir('entity-deals', update)
    const before = createSqliteStorage(dataFileIn(dataDir))
    expect(before.loadRows('entity-deals')[0]?.stateVector).toBeNull()
    before.close()
    const relay = await startTestRelay({ dataDir })
    cleanups.push(() => relay.close())
    const c = client(relay.syncUrl, 'entity-deals', ADMIN_TOKEN)
    await c.synced
    await waitFor(() => relay.storage.loadRows('entity-deals')[0]?.stateVector !== null, 'state vector stored')
    expect(relay.storage.loadRows('entity-deals')[0]?.stateVector).toEqual(Y.encodeStateVector(doc))
  })

  it('sends a document of more than a megabyte (in websocket fragments) to a fresh client intact', async () => {
    const { doc, update } = bigDocument(6000, 200)
    expect(update.byteLength).toBeGreaterThan(1024 * 1024)
    const relay = await startTestRelay({ dataDir: seededDataDir('entity-activities', update) })
    cleanups.push(() => relay.close())
    const [a, b] = [client(relay.syncUrl, 'entity-activities', ADMIN_TOKEN), client(relay.syncUrl, 'entity-activities', ADMIN_TOKEN)]
    await Promise.all([a.synced, b.synced])
    expect(a.doc.getMap('records').size).toBe(6000)
    expect(Y.encodeStateVector(b.doc)).toEqual(Y.encodeStateVector(doc))
    // messages sent while fragments go out arrive after them, whole
    setCell(a.doc, 'after', true)
    await waitFor(() => cell(b.doc, 'after') === true, 'an edit after the big sync')
  })

  it('validates a big update in a worker, stores it before forwarding, keeps the sender’s order, and refuses garbage with 4400', async () => {
    const relay = await startTestRelay({ sync: { mainThreadLimits: { updateBytes: 1024 } } })
    cleanups.push(() => relay.close())
    const watcher = client(relay.syncUrl, 'entity-leads', ADMIN_TOKEN)
    await watcher.synced
    const raw = rawSocket(`${relay.syncUrl}/entity-leads?token=${ADMIN_TOKEN}`)
    cleanups.push(() => raw.socket.close())
    await raw.opened

    const pusher = new Y.Doc()
    const updates: Uint8Array[] = []
    pusher.on('update', (u: Uint8Array) => updates.push(u))
    setCell(pusher, 'big', 'y'.repeat(50_000))
    setCell(pusher, 'small', 1)
    for (const u of updates) raw.socket.send(encodeSyncUpdate(u))
    await waitFor(() => cell(watcher.doc, 'small') === 1, 'both forwarded', 15_000)
    expect((cell(watcher.doc, 'big') as string).length).toBe(50_000)
    // stored in the order sent: the big one (clock 0) first
    const rows = relay.storage.loadRows('entity-leads')
    expect(rows.map((r) => Y.decodeUpdate(r.update).structs[0]?.id.clock)).toEqual([0, 2])

    const garbage = new Uint8Array(5000).fill(0xff)
    raw.socket.send(encodeSyncUpdate(garbage))
    expect((await raw.closed).code).toBe(CLOSE_MALFORMED)
    setCell(watcher.doc, 'still', 'fine')
    const other = client(relay.syncUrl, 'entity-leads', ADMIN_TOKEN)
    await other.synced
    await waitFor(() => cell(other.doc, 'still') === 'fine', 'the room carries on')
  })
})
