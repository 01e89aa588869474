import { describe, expect, it } from 'vitest'
import { addField } from '../../src/crdt/schemaDoc'
import { createMember } from '../../server/auth/createMember'
import { ADMIN_TOKEN, makeTempDir, startTestRelay, useTestScope } from './relayTestKit'

const scope = useTestScope()

async function api(url: string, path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) {
  const headers: Record<string, string> = {}
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? ADMIN_TOKEN}`
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${url}/api/v1${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null }
}

async function relay(options: Parameters<typeof startTestRelay>[0] = {}) {
  const started = await startTestRelay({ dataDir: makeTempDir(), apiRateLimit: null, ...options })
  scope.cleanups.push(() => started.close())
  return started
}

describe('API keys over /api/v1', () => {
  it('an admin creates, lists and revokes keys; the key is shown once and a revoked key is refused at once', async () => {
    const { url } = await relay()
    const created = await api(url, '/api-keys', { method: 'POST', body: { name: 'Website form', role: 'editor' } })
    expect(created.status).toBe(201)
    expect(Object.keys(created.body).sort()).toEqual(['created_at', 'id', 'key', 'name', 'role'])
    expect(created.body).toMatchObject({ name: 'Website form', role: 'editor', key: expect.stringMatching(/^kanso_[A-Za-z0-9_-]{43}$/) })
    const { id, key } = created.body as { id: string; key: string }

    const listed = await api(url, '/api-keys')
    expect(listed.status).toBe(200)
    expect(listed.body.data).toEqual([{ id, name: 'Website form', role: 'editor', created_at: created.body.created_at, revoked_at: null }])
    expect(JSON.stringify(listed.body)).not.toContain(key.slice('kanso_'.length))

    // the key works on the API, as itself
    expect((await api(url, '/openapi.json', { token: key })).status).toBe(200)
    expect((await api(url, '/api-keys', { token: key })).status).toBe(403)

    expect((await api(url, `/api-keys/${id}`, { method: 'DELETE' })).status).toBe(204)
    const refused = await api(url, '/openapi.json', { token: key })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(refused.body).toMatchObject({ status: 401, title: 'Unauthorized', detail: 'unknown or revoked token' })
    expect((await api(url, '/api-keys')).body.data[0].revoked_at).toEqual(expect.any(String))
    // a retried DELETE is fine; an unknown id is not
    expect((await api(url, `/api-keys/${id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await api(url, '/api-keys/nope', { method: 'DELETE' })).status).toBe(404)
  })

  it('only admins manage keys: an editor member or key gets 403, nobody without a token gets in', async () => {
    const { url, storage } = await relay()
    const { token: editorToken } = createMember(storage, { name: 'Ed', role: 'editor' })
    for (const [method, path, body] of [['GET', '/api-keys'], ['POST', '/api-keys', { name: 'x', role: 'admin' }], ['DELETE', '/api-keys/x']] as const) {
      const res = await api(url, path, { method, body, token: editorToken })
      expect(res.status, `${method} ${path}`).toBe(403)
      expect(res.body.detail).toBe('this needs the admin role; you are editor')
    }
    expect(storage.listApiKeys()).toEqual([])
    const anonymous = await api(url, '/api-keys', { token: null })
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer')
  })

  it('refuses a bad new key with a problem naming each field, and creates nothing', async () => {
    const { url, storage } = await relay()
    const cases: Array<[unknown, number, Array<{ field: string }>]> = [
      [{ name: '', role: 'editor' }, 422, [{ field: 'name' }]],
      [{ name: 'Zap', role: 'owner' }, 422, [{ field: 'role' }]],
      [{ name: 'Zap', role: 'viewer', scopes: ['all'] }, 422, [{ field: 'scopes' }]],
    ]
    for (const [body, status, errors] of cases) {
      const res = await api(url, '/api-keys', { method: 'POST', body })
      expect(res.status, JSON.stringify(body)).toBe(status)
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(res.body.errors).toEqual(errors.map((e) => ({ ...e, message: expect.any(String) })))
    }
    const notJson = await fetch(`${url}/api/v1/api-keys`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{' })
    expect(notJson.status).toBe(400)
    expect(notJson.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect((await api(url, '/api-keys', { method: 'PUT', body: {} })).status).toBe(405)
    expect(storage.listApiKeys()).toEqual([])
  })

  it('a viewer key reads records but cannot write them; an editor key can', async () => {
    const { url } = await relay()
    const viewer = (await api(url, '/api-keys', { method: 'POST', body: { name: 'BI export', role: 'viewer' } })).body.key as string
    const editor = (await api(url, '/api-keys', { method: 'POST', body: { name: 'Importer', role: 'editor' } })).body.key as string
    const created = await api(url, '/deals', { method: 'POST', body: { title: 'From a key' }, token: editor })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const id = created.body.id as string
    expect((await api(url, '/deals?title=From a key', { token: viewer })).body.data.map((d: { id: string }) => d.id)).toEqual([id])
    for (const [method, path, body] of [['POST', '/deals', { title: 'No' }], ['PATCH', `/deals/${id}`, { title: 'No' }], ['DELETE', `/deals/${id}`]] as const) {
      const res = await api(url, path, { method, body, token: viewer })
      expect(res.status, `${method} ${path}`).toBe(403)
      expect(res.body.detail).toMatch(/this API key is viewer/)
    }
    expect((await api(url, `/deals/${id}`, { token: viewer })).body.title).toBe('From a key')
  })

  it('API keys work on the relay’s other JSON routes too, but never open a websocket', async () => {
    const { url, storage, syncUrl } = await relay()
    const { key } = (await api(url, '/api-keys', { method: 'POST', body: { name: 'Reader', role: 'viewer' } })).body as { key: string }
    const schema = await fetch(`${url}/api/schema`, { headers: { authorization: `Bearer ${key}` } })
    expect(schema.status).toBe(200)
    const { rawSocket } = await import('./relayTestKit')
    const socket = rawSocket(`${syncUrl}/schema?token=${encodeURIComponent(key)}`)
    expect((await socket.closed).code).toBe(4401)
    expect(storage.listApiKeys()).toHaveLength(1)
  })
})

describe('per-key rate limit', () => {
  it('answers 429 problem+json with Retry-After after a burst, per key', async () => {
    const { url } = await relay({ apiRateLimit: { perSecond: 1, burst: 5 } })
    const { key } = (await api(url, '/api-keys', { method: 'POST', body: { name: 'Burst', role: 'viewer' } })).body as { key: string }
    const answers = await Promise.all(Array.from({ length: 8 }, () => api(url, '/openapi.json', { token: key })))
    expect(answers.filter((a) => a.status === 200)).toHaveLength(5)
    const limited = answers.filter((a) => a.status === 429)
    expect(limited).toHaveLength(3)
    expect(limited[0]!.headers.get('retry-after')).toBe('1')
    expect(limited[0]!.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(limited[0]!.body).toMatchObject({ status: 429, title: 'Too Many Requests', detail: expect.stringMatching(/API key "Burst" is over its rate limit/) })
    // the admin's own bucket is another one (it spent one request creating the key)
    expect((await api(url, '/openapi.json')).status).toBe(200)
  })
})

describe('GET /api/v1/openapi.json', () => {
  it('is OpenAPI 3.1 for this relay, and shows a custom field as soon as it is in the schema', async () => {
    const { url, syncUrl } = await relay()
    const before = await api(url, '/openapi.json')
    expect(before.status).toBe(200)
    expect(before.body.openapi).toBe('3.1.0')
    expect(before.body.paths['/deals/{id}']).toHaveProperty('patch')
    expect(before.body.components.schemas.Contact.properties).not.toHaveProperty('shoe_size')

    const admin = scope.client(syncUrl, 'schema', ADMIN_TOKEN)
    await admin.synced
    addField(admin.doc, 'contacts', { label: 'Shoe size', type: 'number' }, null)
    addField(admin.doc, 'contacts', { label: 'Tier', type: 'select', options: ['Gold', 'Silver'] }, null)
    let after = before
    const deadline = Date.now() + 5000
    while (!after.body.components.schemas.Contact.properties.tier && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50))
      after = await api(url, '/openapi.json')
    }
    const contact = after.body.components.schemas.Contact
    expect(contact.properties.shoe_size).toEqual({ type: ['number', 'null'], title: 'Shoe size' })
    expect(contact.properties.tier).toEqual({ type: ['string', 'null'], enum: ['Gold', 'Silver', null], title: 'Tier' })
    const listParams = after.body.paths['/contacts'].get.parameters.map((p: { name?: string }) => p.name)
    expect(listParams).toEqual(expect.arrayContaining(['shoe_size', 'shoe_size[gte]', 'tier']))
    expect(after.body.servers).toEqual([{ url: `${url.replace('127.0.0.1', 'localhost')}/api/v1` }])
  })
})
