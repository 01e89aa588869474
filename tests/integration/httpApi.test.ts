import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createMember } from '../../server/auth/createMember'
import { ADMIN_TOKEN, makeTempDir, startTestRelay, useTestScope } from './relayTestKit'

const { cleanups } = useTestScope()

async function relay(options: Parameters<typeof startTestRelay>[0] = {}) {
  const r = await startTestRelay(options)
  cleanups.push(() => r.close())
  return r
}

const auth = (token: string) => ({ Authorization: `Bearer ${token}` })
const json = (token: string) => ({ ...auth(token), 'Content-Type': 'application/json' })

describe('HTTP', () => {
  // 503 with the reason: tests/integration/healthz.test.ts (a database locked by another process)
  it('GET /healthz is 200 {ok:true} with writable storage', async () => {
    const r = await relay()
    const ok = await fetch(`${r.url}/healthz`)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ ok: true })
  })

  it('GET /api/me tells who the token belongs to; 401 without a valid token', async () => {
    const r = await relay()
    const me = await fetch(`${r.url}/api/me`, { headers: auth(ADMIN_TOKEN) })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ name: 'Admin', role: 'admin' })
    const none = await fetch(`${r.url}/api/me`)
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toBe('Bearer')
    expect(await none.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringMatching(/Bearer/) } })
    expect((await fetch(`${r.url}/api/me`, { headers: auth('wrong') })).status).toBe(401)
  })

  it('GET /api/schema gives any member the workspace\'s entities and fields as stored; 401 without a token, 405 to change it', async () => {
    const r = await relay()
    const viewer = (await fetch(`${r.url}/api/members`, { method: 'POST', headers: json(ADMIN_TOKEN), body: JSON.stringify({ name: 'Val', role: 'viewer' }) }).then((res) => res.json()) as { token: string }).token
    const res = await fetch(`${r.url}/api/schema`, { headers: auth(viewer) })
    expect(res.status).toBe(200)
    const schema = (await res.json()) as { entities: { id: string; fields: { id: string; label: string; type: string }[] }[]; workspace: object }
    expect(schema.entities.map((e) => e.id)).toEqual(expect.arrayContaining(['contacts', 'companies', 'deals']))
    // the workspace settings (its country for phone numbers), for API clients as for the app
    expect(schema.workspace).toEqual(expect.any(Object))
    const contacts = schema.entities.find((e) => e.id === 'contacts')!
    expect(contacts.fields).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'contacts.email', type: 'email' })]))
    expect((await fetch(`${r.url}/api/schema`)).status).toBe(401)
    expect((await fetch(`${r.url}/api/schema`, { method: 'PUT', headers: json(ADMIN_TOKEN), body: '{}' })).status).toBe(405)
  })

  it('admins add, list and revoke members; the new token works until revoked', async () => {
    const r = await relay()
    const created = await fetch(`${r.url}/api/members`, { method: 'POST', headers: json(ADMIN_TOKEN), body: JSON.stringify({ name: '  Dana  ', role: 'editor' }) })
    expect(created.status).toBe(201)
    const body = (await created.json()) as { member: { id: string; name: string; role: string }; token: string; link: string }
    expect(body.member).toMatchObject({ name: 'Dana', role: 'editor' })
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(body.link).toBe(`${r.publicUrl}/#token=${body.token}`)

    const me = await fetch(`${r.url}/api/me`, { headers: auth(body.token) })
    // with the member's own way to dial (issue 13): tel until they choose another
    expect(await me.json()).toEqual({ id: body.member.id, name: 'Dana', role: 'editor', phone_scheme: 'tel' })

    const list = (await (await fetch(`${r.url}/api/members`, { headers: auth(ADMIN_TOKEN) })).json()) as { members: Array<{ name: string }> }
    expect(list.members.map((m) => m.name)).toEqual(['Admin', 'Dana'])
    expect(JSON.stringify(list)).not.toMatch(/token/i)

    const revoked = await fetch(`${r.url}/api/members/${body.member.id}/revoke`, { method: 'POST', headers: auth(ADMIN_TOKEN) })
    expect(revoked.status).toBe(200)
    expect(((await revoked.json()) as { member: { revokedAt?: string } }).member.revokedAt).toEqual(expect.any(String))
    expect((await fetch(`${r.url}/api/me`, { headers: auth(body.token) })).status).toBe(401)
  })

  it('non-admins see active members\' names only, and get 403 on changing members', async () => {
    const r = await relay()
    const { token: editor } = createMember(r.storage, { name: 'Ed', role: 'editor' })
    const { token: viewer } = createMember(r.storage, { name: 'Vi', role: 'viewer' })
    const { member: gone } = createMember(r.storage, { name: 'Gone', role: 'editor' })
    r.storage.revokeMember(gone.id, new Date().toISOString())
    for (const token of [editor, viewer]) {
      const list = await fetch(`${r.url}/api/members`, { headers: auth(token) })
      expect(list.status).toBe(200)
      const { members } = (await list.json()) as { members: Record<string, unknown>[] }
      expect(members.map((m) => m.name).sort()).toEqual(['Admin', 'Ed', 'Vi'])
      for (const m of members) expect(Object.keys(m).sort()).toEqual(['id', 'name', 'role'])
      const add = await fetch(`${r.url}/api/members`, { method: 'POST', headers: json(token), body: JSON.stringify({ name: 'X', role: 'admin' }) })
      expect(add.status).toBe(403)
      expect((await fetch(`${r.url}/api/members/whatever/revoke`, { method: 'POST', headers: auth(token) })).status).toBe(403)
    }
  })

  it('rejects bad member bodies with 400 naming the field, and oversized ones with 413', async () => {
    const r = await relay()
    const post = (body: string, headers: Record<string, string> = json(ADMIN_TOKEN)) => fetch(`${r.url}/api/members`, { method: 'POST', headers, body })
    const cases: Array<[string, RegExp]> = [
      [JSON.stringify({ name: '', role: 'editor' }), /name must not be empty/],
      [JSON.stringify({ name: 'x'.repeat(81), role: 'editor' }), /at most 80/],
      [JSON.stringify({ name: 7, role: 'editor' }), /name must be a string/],
      [JSON.stringify({ name: 'Ok', role: 'owner' }), /role must be one of admin, editor, viewer/],
      [JSON.stringify({ name: 'Ok' }), /role must be one of/],
      [JSON.stringify({ name: 'Ok', role: 'viewer', admin: true }), /unknown field "admin"/],
      [JSON.stringify(['Ok', 'viewer']), /JSON object/],
      ['{not json', /not valid JSON/],
    ]
    for (const [body, message] of cases) {
      const response = await post(body)
      expect(response.status, body).toBe(400)
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(message)
    }
    expect((await post(JSON.stringify({ name: 'x'.repeat(20_000), role: 'viewer' }))).status).toBe(413)
    expect((await post('name=x', { ...auth(ADMIN_TOKEN), 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(415)
    expect(r.storage.listMembers()).toHaveLength(1)
  })

  it('404 for unknown members and routes; 409 for revoking the last admin; 405 for wrong methods', async () => {
    const r = await relay()
    const unknown = await fetch(`${r.url}/api/members/nobody/revoke`, { method: 'POST', headers: auth(ADMIN_TOKEN) })
    expect(unknown.status).toBe(404)
    expect((await fetch(`${r.url}/api/nothing`, { headers: auth(ADMIN_TOKEN) })).status).toBe(404)
    const admin = r.storage.listMembers()[0]
    const last = await fetch(`${r.url}/api/members/${admin?.id}/revoke`, { method: 'POST', headers: auth(ADMIN_TOKEN) })
    expect(last.status).toBe(409)
    expect((await fetch(`${r.url}/api/members`, { method: 'DELETE', headers: auth(ADMIN_TOKEN) })).status).toBe(405)
    expect((await fetch(`${r.url}/sync/schema`)).status).toBe(426)
  })

  it('serves the built app: MIME types, SPA fallback, cache headers, 404 for missing files', async () => {
    const dist = makeTempDir('kanso-dist-')
    mkdirSync(join(dist, 'assets'))
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Kanso</title>')
    writeFileSync(join(dist, 'sw.js'), 'self.x = 1')
    writeFileSync(join(dist, 'manifest.webmanifest'), '{}')
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)')
    writeFileSync(join(dist, 'assets', 'index-abc123.css'), 'body{}')
    const r = await relay({ distDir: dist })

    const index = await fetch(`${r.url}/`)
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(index.headers.get('cache-control')).toBe('no-cache')
    expect(await index.text()).toContain('<title>Kanso</title>')

    const route = await fetch(`${r.url}/contacts/abc`, { headers: { Accept: 'text/html' } })
    expect(route.status).toBe(200)
    expect(await route.text()).toContain('<title>Kanso</title>')

    const js = await fetch(`${r.url}/assets/index-abc123.js`)
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect((await fetch(`${r.url}/assets/index-abc123.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect((await fetch(`${r.url}/sw.js`)).headers.get('cache-control')).toBe('no-cache')
    const manifest = await fetch(`${r.url}/manifest.webmanifest`)
    expect(manifest.headers.get('content-type')).toBe('application/manifest+json; charset=utf-8')
    expect(manifest.headers.get('cache-control')).toBe('no-cache')

    expect((await fetch(`${r.url}/assets/missing-1.js`)).status).toBe(404)
    expect((await fetch(`${r.url}/missing.png`)).status).toBe(404)
    expect((await fetch(`${r.url}/%2e%2e/%2e%2e/etc/passwd`)).status).not.toBe(500)
    const etag = js.headers.get('etag') ?? ''
    expect((await fetch(`${r.url}/assets/index-abc123.js`, { headers: { 'If-None-Match': etag } })).status).toBe(304)
  })

  it('answers 503 with a build hint when dist/ is missing', async () => {
    const r = await relay({ distDir: join(makeTempDir(), 'dist') })
    expect(r.appBuilt).toBe(false)
    const response = await fetch(`${r.url}/`)
    expect(response.status).toBe(503)
    expect(await response.text()).toMatch(/npm run build/)
  })
})
