import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CLOSE_LAYOUT_VIOLATION } from '../../server/closeCodes'
import { createRecord, deleteRecords, readLiveRows, recordsOf, restoreRecords, updateCells } from '../../src/crdt/recordDoc'
import { addField, readWorkspaceSettings, renameField, setWorkspaceDetail } from '../../src/crdt/schemaDoc'
import { ADMIN_TOKEN, makeTempDir, startTestRelay, useTestScope, waitFor, type TestClient } from './relayTestKit'

const { cleanups, client } = useTestScope()
const DOC = 'entity-contacts'
const contact = { 'contacts.first_name': 'Ada', 'contacts.email': 'ada@example.com' }

function closedWith(c: TestClient): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    c.provider.on('connection-close', (event: { code: number; reason: string } | null) => {
      if (event && event.code !== 1000) resolve({ code: event.code, reason: event.reason })
    })
  })
}

type Breakage = [string, (doc: Y.Doc, recordId: string) => void, RegExp]

const BREAKAGES: Breakage[] = [
  ['a string record', (doc) => recordsOf(doc).set('x', 'not a map' as never), /records\["x"\] is a string, expected a record map/],
  ['a Y.Text record', (doc) => recordsOf(doc).set('t', new Y.Text('hello') as never), /records\["t"\] is a Y.Text/],
  ['a Y.Array record', (doc) => recordsOf(doc).set('a', Y.Array.from([1, 2]) as never), /records\["a"\] is a Y.Array/],
  ['a record holding a nested Y.Map', (doc, id) => recordsOf(doc).get(id)!.set('contacts.position', new Y.Map()), /is a Y.Map, expected/],
  ['a record holding a nested Y.Text', (doc, id) => recordsOf(doc).get(id)!.set('contacts.position', new Y.Text('x')), /is a Y.Text, expected/],
  ['an unknown root type', (doc) => doc.getArray('extra').push(['x']), /root type "extra"/],
  ['an existing record overwritten with a string', (doc, id) => recordsOf(doc).set(id, 'gone' as never), /records\[…\] is a string, expected a record map/],
  ['a mistyped $createdAt', (doc, id) => recordsOf(doc).get(id)!.set('$deletedAt', 42), /ISO date-time/],
]

describe('the relay enforces the document layout (issue 11, finding 1)', () => {
  it.each(BREAKAGES)('%s closes only its sender with 4422, is never stored or forwarded; the room and other rooms carry on', async (_label, breakIt, reason) => {
    const dataDir = makeTempDir()
    const relay = await startTestRelay({ dataDir })
    let closeRelay = () => relay.close()
    cleanups.push(() => closeRelay())
    const writer = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    const watcher = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    const elsewhere = client(relay.syncUrl, 'entity-deals', ADMIN_TOKEN)
    const elsewhere2 = client(relay.syncUrl, 'entity-deals', ADMIN_TOKEN)
    await Promise.all([writer.synced, watcher.synced, elsewhere.synced, elsewhere2.synced])
    const id = createRecord(writer.doc, contact, { createdBy: 'admin' }, null)
    await waitFor(() => recordsOf(watcher.doc).has(id), 'the record at the watcher')

    const attacker = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    await attacker.synced
    const closed = closedWith(attacker)
    const storedBefore = relay.storage.loadDocument(DOC).length
    breakIt(attacker.doc, id)
    const { code, reason: text } = await closed
    expect(code).toBe(CLOSE_LAYOUT_VIOLATION)
    expect(text).toMatch(/update breaks the layout of "entity-contacts"/)
    expect(text).toMatch(reason)
    expect(relay.logger.lines.some((line) => line.includes('breaks the layout') && line.includes(String(CLOSE_LAYOUT_VIOLATION)))).toBe(true)

    // The room and another room keep syncing; the breakage reached nobody.
    updateCells(writer.doc, [{ recordId: id, fieldId: 'contacts.first_name', value: 'Bea' }], null)
    elsewhere.doc.transact(() => createRecord(elsewhere.doc, { 'deals.title': 'Deal' }, { id: 'd1', createdBy: 'admin' }, null))
    await waitFor(() => readLiveRows(watcher.doc)[0]?.values['contacts.first_name'] === 'Bea' && recordsOf(elsewhere2.doc).has('d1'), 'others keep syncing')
    expect(recordsOf(watcher.doc).size).toBe(1)
    expect(watcher.doc.share.has('extra')).toBe(false)
    expect(recordsOf(watcher.doc).get(id)).toBeInstanceOf(Y.Map)
    expect(relay.storage.loadDocument(DOC).length).toBe(storedBefore + 1)

    // Nothing of it was stored: a restarted relay serves the good document only.
    await relay.close()
    const again = await startTestRelay({ dataDir })
    closeRelay = () => again.close()
    const fresh = client(again.syncUrl, DOC, ADMIN_TOKEN)
    await fresh.synced
    expect([...recordsOf(fresh.doc).keys()]).toEqual([id])
    expect(recordsOf(fresh.doc).get(id)).toBeInstanceOf(Y.Map)
    expect(fresh.doc.share.has('extra')).toBe(false)
  })

  it('a schema document breakage closes its sender with 4422; schema operations pass', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const admin = client(relay.syncUrl, 'schema', ADMIN_TOKEN)
    const other = client(relay.syncUrl, 'schema', ADMIN_TOKEN)
    await Promise.all([admin.synced, other.synced])
    const field = addField(admin.doc, 'contacts', { label: 'Shoe size', type: 'number' }, null)
    renameField(admin.doc, 'contacts', field.id, 'Size', null)
    await waitFor(() => (other.doc.getMap<Y.Map<unknown>>('entities').get('contacts')?.get('fields') as Y.Map<Y.Map<unknown>> | undefined)?.get(field.id)?.get('label') === 'Size', 'the field at the other client')

    const attacker = client(relay.syncUrl, 'schema', ADMIN_TOKEN)
    await attacker.synced
    const closed = closedWith(attacker)
    attacker.doc.getMap<Y.Map<unknown>>('entities').get('contacts')!.set('fields', 'broken')
    const { code, reason } = await closed
    expect(code).toBe(CLOSE_LAYOUT_VIOLATION)
    expect(reason).toMatch(/"schema".*fields map/)
    expect(other.doc.getMap<Y.Map<unknown>>('entities').get('contacts')?.get('fields')).toBeInstanceOf(Y.Map)
  })

  it('the workspace details for quotes and invoices pass as schemaDoc writes them; a logo that is no image data: URL closes its sender with 4422 (issue 14)', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const admin = client(relay.syncUrl, 'schema', ADMIN_TOKEN)
    const other = client(relay.syncUrl, 'schema', ADMIN_TOKEN)
    await Promise.all([admin.synced, other.synced])
    setWorkspaceDetail(admin.doc, 'companyName', 'Acme GmbH', null)
    setWorkspaceDetail(admin.doc, 'logo', 'data:image/png;base64,iVBORw0KGgo=', null)
    setWorkspaceDetail(admin.doc, 'paperSize', 'Letter', null)
    await waitFor(() => readWorkspaceSettings(other.doc).paperSize === 'Letter', 'the details at the other client')
    expect(readWorkspaceSettings(other.doc)).toMatchObject({ companyName: 'Acme GmbH', logo: 'data:image/png;base64,iVBORw0KGgo=' })

    const attacker = client(relay.syncUrl, 'schema', ADMIN_TOKEN)
    await attacker.synced
    const closed = closedWith(attacker)
    attacker.doc.getMap('workspace').set('logo', 'https://tracker.example/pixel.png')
    const { code, reason } = await closed
    expect(code).toBe(CLOSE_LAYOUT_VIOLATION)
    expect(reason).toMatch(/"schema".*workspace\["logo"\]/)
    setWorkspaceDetail(admin.doc, 'taxId', 'DE123', null)
    await waitFor(() => readWorkspaceSettings(other.doc).taxId === 'DE123', 'later details at the other client')
    expect(other.doc.getMap('workspace').get('logo')).toBe('data:image/png;base64,iVBORw0KGgo=')
  })

  it('passes legit traffic: create, edit, delete, restore, undo, concurrent edits, an edit racing its own sync step 2', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const a = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    const b = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    await Promise.all([a.synced, b.synced])
    const origin = {}
    const undo = new Y.UndoManager(recordsOf(a.doc), { trackedOrigins: new Set([origin]), captureTimeout: 0 })
    const id = createRecord(a.doc, contact, { createdBy: 'admin' }, origin)
    await waitFor(() => recordsOf(b.doc).has(id), 'created')
    updateCells(a.doc, [{ recordId: id, fieldId: 'contacts.first_name', value: 'A' }], origin)
    updateCells(b.doc, [{ recordId: id, fieldId: 'contacts.first_name', value: 'B' }], null)
    deleteRecords(a.doc, [id], origin)
    undo.undo()
    restoreRecords(b.doc, [id], null)
    undo.undo()
    undo.redo()
    await waitFor(() => JSON.stringify(a.doc.getMap('records').toJSON()) === JSON.stringify(b.doc.getMap('records').toJSON()), 'converged')

    // Offline edits to a record made offline, then an edit sent before the sync step 2 reaches the relay.
    const offline = new Y.Doc()
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(a.doc))
    const created = createRecord(offline, contact, { createdBy: 'admin' }, null)
    const late = client(relay.syncUrl, DOC, ADMIN_TOKEN, offline)
    late.provider.once('status', () => updateCells(offline, [{ recordId: created, fieldId: 'contacts.last_name', value: 'Early' }], null))
    await waitFor(() => readLiveRows(b.doc).find((row) => row.id === created)?.values['contacts.last_name'] === 'Early', 'the offline record and its early edit')
    expect(relay.logger.lines.filter((line) => line.includes('breaks the layout'))).toEqual([])
  })
})
