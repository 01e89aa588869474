import { describe, expect, it } from 'vitest'
import { makeEntityStore } from '../../src/crdt/entityStore'
import { readLiveRows } from '../../src/crdt/recordDoc'
import type { Row } from '../../src/domain/schema'
import { ADMIN_TOKEN, makeTempDir, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const { cleanups, client } = useTestScope()

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` }

describe('GET /api/snapshots/<entity>: the rows a first visit paints before it has the document', () => {
  it('serves the live rows of the stored document as ASCII JSON, refreshed after writes', async () => {
    const r = await startTestRelay()
    cleanups.push(() => r.close())
    const writer = client(r.syncUrl, 'entity-contacts', ADMIN_TOKEN)
    await writer.synced
    const store = makeEntityStore(writer.doc, 'contacts', 'admin')
    const kept = store.createRecord({ 'contacts.first_name': 'Yılmaz', 'contacts.email': 'y@example.com' })
    const gone = store.createRecord({ 'contacts.first_name': 'Gone' })
    const second = store.createRecord({ 'contacts.first_name': 'Ada\nLovelace' })
    store.deleteRecords([gone])
    await waitFor(() => r.storage.lastSeq('entity-contacts') > 0, 'the relay to store the edits')
    await new Promise((resolve) => setTimeout(resolve, 100))

    const res = await fetch(`${r.url}/api/snapshots/contacts`, { headers: auth })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    const text = await res.text()
    expect(text).toMatch(/^[\n\x20-\x7e]*$/) // non-ASCII is escaped
    expect(text.split('\n')).toHaveLength(2) // one row per line, for the browser to parse a slice at a time
    expect(res.headers.get('x-kanso-snapshot-rows')).toBe('2') // so a browser can paint the first rows before the rest arrive
    const rows = JSON.parse(text) as Row[]
    expect(rows).toEqual(readLiveRows(writer.doc))
    expect(rows.map((row) => row.id)).toEqual([kept, second])
    expect(rows[0]!.values['contacts.first_name']).toBe('Yılmaz')

    // a later edit: the next answers may be the earlier rows while the relay rereads them, then the new ones
    store.updateCells([{ recordId: kept, fieldId: 'contacts.first_name', value: 'Ana' }])
    const deadline = Date.now() + 10_000
    let latest: Row[] = rows
    while (Date.now() < deadline) {
      latest = (await (await fetch(`${r.url}/api/snapshots/contacts`, { headers: auth })).json()) as Row[]
      if (latest[0]?.values['contacts.first_name'] === 'Ana') break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(latest).toEqual(readLiveRows(writer.doc))
  })

  it('keeps the snapshot in the database, so a restarted relay answers from it at once', async () => {
    const dataDir = makeTempDir()
    const first = await startTestRelay({ dataDir })
    const writer = client(first.syncUrl, 'entity-deals', ADMIN_TOKEN)
    await writer.synced
    const store = makeEntityStore(writer.doc, 'deals', 'admin')
    store.createRecord({ 'deals.title': 'Big deal' })
    await waitFor(() => first.storage.lastSeq('entity-deals') > 0, 'the relay to store the deal')
    const rows = (await (await fetch(`${first.url}/api/snapshots/deals`, { headers: auth })).json()) as Row[]
    expect(rows.map((row) => row.values['deals.title'])).toEqual(['Big deal'])
    await waitFor(() => first.storage.loadRowSnapshot('entity-deals') !== null, 'the snapshot to be saved')
    writer.destroy()
    await first.close()

    const second = await startTestRelay({ dataDir })
    cleanups.push(() => second.close())
    expect(second.storage.loadRowSnapshot('entity-deals')?.seq).toBe(second.storage.lastSeq('entity-deals'))
    const res = await fetch(`${second.url}/api/snapshots/deals`, { headers: auth })
    expect(res.headers.get('x-kanso-snapshot-rows')).toBeNull() // one line: the layout does not tell one row from an older snapshot
    const again = (await res.json()) as Row[]
    expect(again).toEqual(rows)
  })

  it('needs a valid token, GET, and an entity that has records', async () => {
    const r = await startTestRelay()
    cleanups.push(() => r.close())
    expect((await fetch(`${r.url}/api/snapshots/contacts`)).status).toBe(401)
    expect((await fetch(`${r.url}/api/snapshots/contacts`, { headers: { Authorization: 'Bearer wrong-token' } })).status).toBe(401)
    const none = await fetch(`${r.url}/api/snapshots/contacts`, { headers: auth })
    expect(none.status).toBe(404)
    expect(await none.json()).toEqual({ error: { code: 'not_found', message: 'no records stored for "contacts"' } })
    expect((await fetch(`${r.url}/api/snapshots/..%2Fschema`, { headers: auth })).status).toBe(404)
    expect((await fetch(`${r.url}/api/snapshots/contacts`, { method: 'POST', headers: auth })).status).toBe(405)
  })
})
