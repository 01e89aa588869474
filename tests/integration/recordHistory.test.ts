import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createRecord, readRow, recordsOf, updateCells } from '../../src/crdt/recordDoc'
import { createMember } from '../../server/auth/createMember'
import { ADMIN_TOKEN, api, makeTempDir, startTestRelay, useTestScope, waitFor } from './relayTestKit'

/*
 * The record history (issue 15) on the real relay: API writes of two members, and edits two
 * members made apart with the real y-websocket client, read back over GET /history.
 */

const scope = useTestScope()
const DOC = 'entity-contacts'
const EMAIL = 'contacts.email'
const PHONE = 'contacts.phone'

async function relay() {
  const started = await startTestRelay({ dataDir: makeTempDir(), apiRateLimit: null })
  scope.cleanups.push(() => started.close())
  return started
}

/** The record's history once `done` holds (the relay derives it right after storing each update). */
async function historyUntil(url: string, record: string, done: (data: Entry[]) => boolean): Promise<Entry[]> {
  let data: Entry[] = []
  for (let k = 0; k < 200 && !done(data); k++) {
    data = (await api(url, `${record}/history`)).body.data as Entry[]
    if (!done(data)) await new Promise((res) => setTimeout(res, 20))
  }
  return data
}

interface Entry { at: string; member: { id: string; name: string }; field: string | null; from: unknown; to: unknown; kind: string; via: string }

describe('record history', () => {
  it('GET /history lists two members\' PATCHes newest first with their values in the API codec, plus created, deleted and restored', async () => {
    const r = await relay()
    const ann = createMember(r.storage, { name: 'Ann', role: 'editor' })
    const bob = createMember(r.storage, { name: 'Bob', role: 'viewer' })
    const created = await api(r.url, '/deals', { method: 'POST', body: { title: 'Big deal', amount: { amount: 1200, currency: 'EUR' } }, token: ann.token })
    expect(created.status).toBe(201)
    const id = created.body.id as string
    expect((await api(r.url, `/deals/${id}`, { method: 'PATCH', body: { amount: { amount: 1500.5, currency: 'EUR' } }, token: ann.token })).status).toBe(200)
    expect((await api(r.url, `/deals/${id}`, { method: 'PATCH', body: { title: 'Bigger deal' } })).status).toBe(200)
    expect((await api(r.url, `/deals/${id}`, { method: 'DELETE' })).status).toBe(204)
    // a viewer reads the history of a deleted record too
    const history = await api(r.url, `/deals/${id}/history`, { token: bob.token })
    expect(history.status, JSON.stringify(history.body)).toBe(200)
    const data = history.body.data as Entry[]
    expect(data.map((e) => [e.kind, e.field, e.member.name, e.via])).toEqual([
      ['deleted', null, 'Admin', 'api'],
      ['set', 'title', 'Admin', 'api'],
      ['set', 'amount', 'Ann', 'api'],
      ['set', 'amount', 'Ann', 'api'],
      ['set', 'title', 'Ann', 'api'],
      ['created', null, 'Ann', 'api'],
    ].map(([kind, field, name, via]) => [kind, field, expect.stringMatching(new RegExp(`^${name}`)), via]))
    expect(data[1]).toMatchObject({ from: 'Big deal', to: 'Bigger deal' })
    expect(data[2]).toMatchObject({ from: { amount: 1200, currency: 'EUR' }, to: { amount: 1500.5, currency: 'EUR' } })
    expect(data[3]).toMatchObject({ from: null, to: { amount: 1200, currency: 'EUR' } })
    const times = data.map((e) => e.at)
    expect([...times].sort().reverse()).toEqual(times)

    // restored through the app's store path: its own kind
    const client = scope.client(r.syncUrl, 'entity-deals', ADMIN_TOKEN)
    await client.synced
    client.doc.transact(() => {
      const y = recordsOf(client.doc).get(id)!
      y.set('$edited@$deletedAt', new Date().toISOString())
      y.delete('$deletedAt')
    })
    const latest = await historyUntil(r.url, `/deals/${id}`, (d) => d[0]?.kind === 'restored')
    expect(latest[0]).toMatchObject({ kind: 'restored', via: 'app', field: null })
    expect((await api(r.url, `/deals/nope/history`)).status).toBe(404)
    // what the answer waited for, for devtools and the bench (store, feed, read: durations in ms)
    const timing = (await fetch(`${r.url}/api/v1/deals/${id}/history`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).headers.get('server-timing')
    expect(timing).toMatch(/^store;dur=\d+\.\d, feed;dur=\d+\.\d, read;dur=\d+\.\d$/)
    expect((await api(r.url, `/deals/${id}/history`, { method: 'POST', body: {} })).status).toBe(405)
  })

  it('edits made offline keep their own times and members after sync; a clock ahead of the relay is bounded to arrival', async () => {
    const r = await relay()
    const ann = createMember(r.storage, { name: 'Ann', role: 'editor' })
    const bob = createMember(r.storage, { name: 'Bob', role: 'editor' })
    // documents that keep overwritten values, as the app's compact stores do (a Y.Doc's garbage
    // collection drops an overwritten stamp: its edit then gets the next stamp's time)
    const a = scope.client(r.syncUrl, DOC, ann.token, new Y.Doc({ gc: false }))
    const b = scope.client(r.syncUrl, DOC, bob.token, new Y.Doc({ gc: false }))
    await Promise.all([a.synced, b.synced])
    const id = createRecord(a.doc, { 'contacts.last_name': 'Lee' }, { createdBy: ann.member.id }, 'ann')
    await waitFor(() => readRow(b.doc, id) !== undefined, 'the contact on Bob\'s client')

    a.provider.disconnect()
    const annOffline = new Date(Date.now() - 3 * 3600_000)
    updateCells(a.doc, [{ recordId: id, fieldId: EMAIL, value: 'ann@acme.io' }], 'ann', annOffline)
    const annLater = new Date(Date.now() - 3600_000)
    updateCells(a.doc, [{ recordId: id, fieldId: 'contacts.position', value: 'CTO' }], 'ann', annLater)
    const future = new Date(Date.now() + 24 * 3600_000)
    updateCells(b.doc, [{ recordId: id, fieldId: PHONE, value: '+49301234567' }], 'bob', future)
    await waitFor(() => readRow(a.doc, id)?.values[PHONE] === undefined, 'a still offline')
    a.provider.connect()
    await waitFor(() => readRow(b.doc, id)?.values[EMAIL] === 'ann@acme.io', 'Ann\'s offline edits on Bob\'s client')

    const data = await historyUntil(r.url, `/contacts/${id}`, (d) => d.length >= 5)
    const of = (field: string) => data.find((e) => e.field === field)!
    expect(of('email')).toMatchObject({ member: { id: ann.member.id, name: 'Ann' }, via: 'app', at: annOffline.toISOString(), from: null, to: 'ann@acme.io' })
    expect(of('position')).toMatchObject({ member: { id: ann.member.id }, at: annLater.toISOString(), to: 'CTO' })
    // Bob's device clock ran a day ahead: the relay's clock when it arrived
    expect(Date.parse(of('phone').at)).toBeLessThanOrEqual(Date.now())
    expect(of('phone').member.name).toBe('Bob')
    // newest first by the edits' own times
    expect(data.map((e) => [e.kind, e.field])).toEqual([['set', 'phone'], ['set', 'last_name'], ['created', null], ['set', 'position'], ['set', 'email']])
  })

  it('two members setting one cell apart: the value that lost is in the history and marks the cell on every client until it is set again', async () => {
    const r = await relay()
    const ann = createMember(r.storage, { name: 'Ann', role: 'editor' })
    const bob = createMember(r.storage, { name: 'Bob', role: 'editor' })
    // Bob's client id is the higher: his write wins the race, and Ann's, made earlier and stored
    // first, is the one that lost — dated before the record's creation entry, it must still be
    // found as the write Bob's replaced
    const docOf = (clientID: number) => { const d = new Y.Doc(); d.clientID = clientID; return d }
    const a = scope.client(r.syncUrl, DOC, ann.token, docOf(1000))
    const b = scope.client(r.syncUrl, DOC, bob.token, docOf(2000))
    await Promise.all([a.synced, b.synced])
    const id = createRecord(a.doc, { 'contacts.last_name': 'Lee', [EMAIL]: 'old@acme.io' }, { createdBy: ann.member.id }, 'ann')
    await waitFor(() => readRow(b.doc, id)?.values[EMAIL] === 'old@acme.io', 'the contact on Bob\'s client')

    a.provider.disconnect()
    b.provider.disconnect()
    const annAt = new Date(Date.now() - 60_000)
    const bobAt = new Date(Date.now() - 30_000)
    updateCells(a.doc, [{ recordId: id, fieldId: EMAIL, value: 'ann@acme.io' }], 'ann', annAt)
    updateCells(b.doc, [{ recordId: id, fieldId: EMAIL, value: 'bob@acme.io' }], 'bob', bobAt)
    a.provider.connect()
    await waitFor(() => a.provider.synced, 'Ann synced')
    await historyUntil(r.url, `/contacts/${id}`, (d) => d.some((e) => e.to === 'ann@acme.io'))
    b.provider.connect()
    const winner = () => readRow(a.doc, id)?.values[EMAIL]
    await waitFor(() => winner() === readRow(b.doc, id)?.values[EMAIL] && readRow(a.doc, id)?.values[`conflict@${EMAIL}`] !== undefined && readRow(b.doc, id)?.values[`conflict@${EMAIL}`] !== undefined, 'the conflict mark on both clients')
    const kept = winner()
    expect(kept).toBe('bob@acme.io')
    const mark = readRow(b.doc, id)!.values[`conflict@${EMAIL}`] as unknown as { value: string; by: string; at: string }
    const lost = kept === 'ann@acme.io' ? { value: 'bob@acme.io', by: bob.member.id, at: bobAt } : { value: 'ann@acme.io', by: ann.member.id, at: annAt }
    expect(mark).toEqual({ value: lost.value, by: lost.by, at: lost.at.toISOString() })

    const data = (await api(r.url, `/contacts/${id}/history`)).body.data as Entry[]
    expect(data.filter((e) => e.kind === 'conflict')).toEqual([expect.objectContaining({ field: 'email', from: kept, to: lost.value, at: lost.at.toISOString(), member: expect.objectContaining({ id: lost.by }) })])

    // Ann picks a value: the mark goes everywhere
    updateCells(a.doc, [{ recordId: id, fieldId: EMAIL, value: lost.value }], 'ann')
    await waitFor(() => readRow(b.doc, id)?.values[`conflict@${EMAIL}`] === undefined && readRow(b.doc, id)?.values[EMAIL] === lost.value, 'the mark gone on Bob\'s client')
  })
})
