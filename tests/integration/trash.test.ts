import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { deleteRecords, recordsOf } from '../../src/crdt/recordDoc'
import { createMember } from '../../server/auth/createMember'
import { api, makeTempDir, startTestRelay, useTestScope, waitFor } from './relayTestKit'

/*
 * The trash (issue 15) over HTTP on the real relay: deletes through the API and through the
 * real y-websocket client, listed with who deleted them; restore; an admin's purge, after which
 * the values are gone from the document a new client receives.
 */

const scope = useTestScope()

async function relay() {
  const started = await startTestRelay({ dataDir: makeTempDir(), apiRateLimit: null })
  scope.cleanups.push(() => started.close())
  return started
}

interface TrashEntry { id: string; name: string; deleted_at: string; deleted_by: string | null }

describe('trash over HTTP', () => {
  it('lists records deleted through the API and by a member\'s client, with who and when, newest first; any member may read it', async () => {
    const r = await relay()
    const ann = createMember(r.storage, { name: 'Ann', role: 'editor' })
    const bob = createMember(r.storage, { name: 'Bob', role: 'editor' })
    const vic = createMember(r.storage, { name: 'Vic', role: 'viewer' })
    const ids: Record<string, string> = {}
    for (const name of ['Acme', 'Globex', 'Initech', 'Umbrella']) ids[name] = (await api(r.url, '/companies', { method: 'POST', body: { name }, token: ann.token })).body.id
    expect((await api(r.url, `/companies/${ids.Acme}`, { method: 'DELETE', token: ann.token })).status).toBe(204)
    await new Promise((res) => setTimeout(res, 5))
    expect((await api(r.url, `/companies/${ids.Globex}`, { method: 'DELETE', token: ann.token })).status).toBe(204)
    await new Promise((res) => setTimeout(res, 5))
    // Bob deletes in his app: the stock client, writing as recordDoc does
    const b = scope.client(r.syncUrl, 'entity-companies', bob.token)
    await b.synced
    await waitFor(() => recordsOf(b.doc).has(ids.Initech!), 'Bob has the companies')
    deleteRecords(b.doc, [ids.Initech!], null, new Date(), bob.member.id)
    let trash: TrashEntry[] = []
    for (let k = 0; k < 100 && trash.length < 3; k++) {
      trash = (await api(r.url, '/companies/trash', { token: vic.token })).body.data
      if (trash.length < 3) await new Promise((res) => setTimeout(res, 20))
    }
    expect(trash.map((e) => [e.name, e.deleted_by])).toEqual([['Initech', bob.member.id], ['Globex', ann.member.id], ['Acme', ann.member.id]])
    for (const e of trash) expect(e.deleted_at).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    // paged with a cursor
    const first = await api(r.url, '/companies/trash?limit=2')
    expect(first.body.data.map((e: TrashEntry) => e.name)).toEqual(['Initech', 'Globex'])
    const second = await api(r.url, `/companies/trash?limit=2&cursor=${first.body.next_cursor}`)
    expect(second.body).toMatchObject({ data: [{ name: 'Acme' }], next_cursor: null })
    expect((await api(r.url, '/companies/trash?sort=name')).status).toBe(400)
    expect((await api(r.url, '/nothing/trash')).status).toBe(404)
  })

  it('restores a deleted record (editors) and refuses a live or unknown one', async () => {
    const r = await relay()
    const ann = createMember(r.storage, { name: 'Ann', role: 'editor' })
    const vic = createMember(r.storage, { name: 'Vic', role: 'viewer' })
    const id = (await api(r.url, '/contacts', { method: 'POST', body: { first_name: 'Ada', last_name: 'Lovelace' } })).body.id
    expect((await api(r.url, `/contacts/${id}/restore`, { method: 'POST', token: ann.token })).status).toBe(409)
    expect((await api(r.url, `/contacts/${id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await api(r.url, `/contacts/${id}/restore`, { method: 'POST', token: vic.token })).status).toBe(403)
    const restored = await api(r.url, `/contacts/${id}/restore`, { method: 'POST', token: ann.token })
    expect(restored.status, JSON.stringify(restored.body)).toBe(200)
    expect(restored.body).toMatchObject({ id, first_name: 'Ada', last_name: 'Lovelace' })
    expect((await api(r.url, `/contacts/${id}`)).status).toBe(200)
    expect((await api(r.url, '/contacts/trash')).body.data).toEqual([])
    expect((await api(r.url, '/contacts/nobody/restore', { method: 'POST' })).status).toBe(404)
    expect((await api(r.url, `/contacts/${id}/restore`, { method: 'GET' })).status).toBe(405)
  })

  it('purges for admins only: gone from the trash, not restorable, and its values are not in the document a new client gets', async () => {
    const r = await relay()
    const ann = createMember(r.storage, { name: 'Ann', role: 'editor' })
    const id = (await api(r.url, '/contacts', { method: 'POST', body: { first_name: 'Grace', last_name: 'Hopper', email: 'grace@navy.example' } })).body.id
    const kept = (await api(r.url, '/contacts', { method: 'POST', body: { first_name: 'Alan', last_name: 'Turing' } })).body.id
    expect((await api(r.url, `/contacts/${id}`, { method: 'DELETE', token: ann.token })).status).toBe(204)
    expect((await api(r.url, `/contacts/${id}?purge=true`, { method: 'DELETE', token: ann.token })).status).toBe(403)
    expect((await api(r.url, `/contacts/${id}?purge=true`, { method: 'DELETE' })).status).toBe(204)
    expect((await api(r.url, '/contacts/trash')).body.data).toEqual([])
    expect((await api(r.url, `/contacts/${id}`)).status).toBe(404)
    expect((await api(r.url, `/contacts/${id}/restore`, { method: 'POST' })).status).toBe(404)
    expect((await api(r.url, `/contacts/${id}?purge=true`, { method: 'DELETE' })).status).toBe(404)
    // a live record is purged in one step too
    expect((await api(r.url, `/contacts/${kept}?purge=true`, { method: 'DELETE' })).status).toBe(204)
    expect((await api(r.url, '/contacts')).body.data).toEqual([])
    const fresh = scope.client(r.syncUrl, 'entity-contacts', ann.token, new Y.Doc({ gc: true }))
    await fresh.synced
    await waitFor(() => recordsOf(fresh.doc).get(kept)?.has('$purgedAt') === true, 'the purge reached the new client')
    const bytes = new TextDecoder().decode(Y.encodeStateAsUpdate(fresh.doc))
    for (const text of ['Grace', 'Hopper', 'grace@navy.example', 'Turing']) expect(bytes).not.toContain(text)
    expect([...recordsOf(fresh.doc).get(id)!.keys()].sort()).toEqual(['$createdBy', '$purgedAt'])
    // nor in the relay's record history: a purged record's entries go (another record's stay)
    const ada = (await api(r.url, '/contacts', { method: 'POST', body: { first_name: 'Ada', last_name: 'Lovelace' } })).body.id
    expect((await api(r.url, `/contacts/${ada}/history`)).body.data.length).toBeGreaterThan(0) // answers once every stored update is derived
    expect(r.storage.readHistory('contacts', id, 100)).toEqual([])
    expect(r.storage.readHistory('contacts', kept, 100)).toEqual([])
  })
})
