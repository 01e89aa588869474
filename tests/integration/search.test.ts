import { describe, expect, it } from 'vitest'
import { readLiveRows, updateCell } from '../../src/crdt/recordDoc'
import { setDefaultCountry } from '../../src/crdt/schemaDoc'
import { ADMIN_TOKEN, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const scope = useTestScope()

async function api(url: string, path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) {
  const headers: Record<string, string> = {}
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? ADMIN_TOKEN}`
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${url}/api/v1${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null }
}

const search = async (url: string, q: string, token?: string) => api(url, `/search?q=${encodeURIComponent(q)}`, { token })

/** A relay whose workspace is in Germany (set by an admin's client, as Settings does), with a company, two contacts and a deal. */
async function germanWorkspace() {
  const relay = await startTestRelay({ apiRateLimit: null })
  scope.cleanups.push(() => relay.close())
  const admin = scope.client(relay.syncUrl, 'schema', ADMIN_TOKEN)
  await admin.synced
  setDefaultCountry(admin.doc, 'DE', 'admin', 'test')
  let country = ''
  await waitFor(() => {
    void api(relay.url, '/schema').then((r) => { country = r.body.workspace.defaultCountry })
    return country === 'DE'
  }, 'the workspace country to be stored')
  const acme = (await api(relay.url, '/companies', { method: 'POST', body: { name: 'Acme GmbH', phone: '+49 89 7654321' } })).body
  const anna = (await api(relay.url, '/contacts', { method: 'POST', body: { first_name: 'Anna', last_name: 'Schmidt', phone: '+49 30 1234567', company: acme.id } })).body
  const ben = (await api(relay.url, '/contacts', { method: 'POST', body: { first_name: 'Ben', last_name: 'Weber', phone: '+41 44 7654321' } })).body
  const deal = (await api(relay.url, '/deals', { method: 'POST', body: { title: 'Acme renewal', company: acme.id, contacts: [anna.id] } })).body
  for (const created of [acme, anna, ben, deal]) expect(created.id).toEqual(expect.any(String))
  return { ...relay, acme, anna, ben, deal }
}

describe('GET /api/v1/search on the real relay', () => {
  it('finds a contact by a phone in a national format, as an exact match of her stored number', async () => {
    const { url, anna } = await germanWorkspace()
    for (const q of ['030 1234567', '(030) 123 45 67', '+49 30 1234567', '0049301234567']) {
      const found = await search(url, q)
      expect(found.status).toBe(200)
      expect(found.body.data[0], q).toEqual({ entity: 'contacts', id: anna.id, name: 'Anna Schmidt', matched: { field: 'phone', value: '+49301234567' }, score: 8 })
    }
    // the start of a number while it is typed
    expect((await search(url, '030 12')).body.data.map((r: { id: string }) => r.id)).toEqual([anna.id])
  })

  it('answers grouped by entity, best group first: the name, then what links to it', async () => {
    const { url, acme, anna, deal } = await germanWorkspace()
    const found = await search(url, 'acme')
    expect(found.body.data).toEqual([
      { entity: 'companies', id: acme.id, name: 'Acme GmbH', matched: { field: 'name', value: 'Acme GmbH' }, score: 7 },
      { entity: 'deals', id: deal.id, name: 'Acme renewal', matched: { field: 'title', value: 'Acme renewal' }, score: 7 },
      // a contact found by her company's name
      { entity: 'contacts', id: anna.id, name: 'Anna Schmidt', matched: { field: 'company', value: 'Acme GmbH' }, score: 6 },
    ])
  })

  it('follows edits through the API and through a member\'s websocket', async () => {
    const { url, syncUrl, anna, ben } = await germanWorkspace()
    expect((await search(url, 'weber')).body.data.map((r: { id: string }) => r.id)).toEqual([ben.id])
    expect((await api(url, `/contacts/${anna.id}`, { method: 'PATCH', body: { phone: '040 5556667' } })).status).toBe(200)
    expect((await search(url, '030 1234567')).body.data).toEqual([])
    expect((await search(url, '040 5556667')).body.data.map((r: { id: string }) => r.id)).toEqual([anna.id])
    // a member renames Ben in the grid
    const member = scope.client(syncUrl, 'entity-contacts', ADMIN_TOKEN)
    await member.synced
    expect(readLiveRows(member.doc).map((r) => r.id)).toContain(ben.id)
    updateCell(member.doc, ben.id, 'contacts.last_name', 'Wagner', 'test')
    let ids: string[] = []
    await waitFor(() => {
      void search(url, 'wagner').then((r) => { ids = r.body.data.map((x: { id: string }) => x.id) })
      return ids.length === 1 && ids[0] === ben.id
    }, 'the renamed contact to be found')
    expect((await search(url, 'weber')).body.data).toEqual([])
    expect((await api(url, `/contacts/${ben.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await search(url, 'wagner')).body.data).toEqual([])
  })

  it('lets a viewer search; refuses an empty q (422), a bad limit (400) and no token (401)', async () => {
    const { url, anna } = await germanWorkspace()
    const member = await fetch(`${url}/api/members`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Vera', role: 'viewer' }) })
    const { token } = (await member.json()) as { token: string }
    expect((await search(url, 'schmidt', token)).body.data[0].id).toBe(anna.id)
    const empty = await search(url, '  ')
    expect(empty.status).toBe(422)
    expect(empty.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(empty.body.errors).toEqual([{ field: 'q', message: expect.any(String) }])
    expect((await api(url, '/search')).status).toBe(422)
    expect((await api(url, '/search?q=a&limit=500')).status).toBe(400)
    expect((await api(url, '/search?q=a', { method: 'POST', body: {} })).status).toBe(405)
    expect((await api(url, '/search?q=schmidt', { token: null })).status).toBe(401)
  })

  it('gives at most `limit` results per entity', async () => {
    const { url } = await germanWorkspace()
    for (let i = 0; i < 4; i++) expect((await api(url, '/contacts', { method: 'POST', body: { last_name: `Lindqvist ${i}` } })).status).toBe(201)
    expect((await api(url, '/search?q=lindqvist&limit=2')).body.data).toHaveLength(2)
    expect((await api(url, '/search?q=lindqvist')).body.data).toHaveLength(4)
  })
})
