import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { readLiveRows } from '../../src/crdt/recordDoc'
import { seedDefaultSchema, setCallsCreateLeadForUnknown, setDefaultCountry } from '../../src/crdt/schemaDoc'
import { ADMIN_TOKEN, startTestRelay, useTestScope, waitFor } from './relayTestKit'
import { CALL_RINGING_EVENT } from '../../src/domain/calls/ringingCall'

const scope = useTestScope()

/** A relay whose workspace is in Germany, so national numbers read as German ones. */
async function relay(options: { createLeadForUnknown?: boolean } = {}) {
  const started = await startTestRelay({
    apiRateLimit: null,
    seedSchema: (doc) => {
      seedDefaultSchema(doc)
      setDefaultCountry(doc, 'DE', 'admin', 'seed')
      if (options.createLeadForUnknown !== undefined) setCallsCreateLeadForUnknown(doc, options.createLeadForUnknown, 'seed')
    },
  })
  scope.cleanups.push(() => started.close())
  return started
}

async function http(url: string, path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.token ?? ADMIN_TOKEN}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const text = await res.text()
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : null }
}
const api = (url: string, path: string, init: Parameters<typeof http>[2] = {}) => http(url, `/api/v1${path}`, init)
const postCall = (url: string, body: Record<string, unknown>, token?: string, query = '') => api(url, `/calls${query}`, { method: 'POST', body, token })

async function addMember(url: string, body: Record<string, unknown>): Promise<{ id: string; token: string }> {
  const created = await http(url, '/api/members', { method: 'POST', body })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  return { id: created.body.member.id, token: created.body.token }
}

/** Reads a member's event stream (GET /api/v1/events) into a list, as a browser would. */
function openEvents(url: string, token: string) {
  const controller = new AbortController()
  const events: { event: string; data: Record<string, unknown> }[] = []
  const opened = fetch(`${url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal }).then(async (res) => {
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
    let buffer = ''
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }))
        if (done) return
        buffer += value
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const event = /^event: (.*)$/m.exec(frame)?.[1]
          const data = /^data: (.*)$/m.exec(frame)?.[1]
          if (event && data) events.push({ event, data: JSON.parse(data) })
        }
      }
    })()
  })
  scope.cleanups.push(() => controller.abort())
  return { events, opened }
}

describe('POST /api/v1/calls', () => {
  it('links a call to the contact holding the number, written nationally or internationally, and to the contact\'s company', async () => {
    const { url } = await relay()
    const company = (await api(url, '/companies', { method: 'POST', body: { name: 'Acme GmbH' } })).body
    const contact = (await api(url, '/contacts', { method: 'POST', body: { first_name: 'Anna', last_name: 'Schmidt', phone: '+49301234567', company: company.id } })).body
    expect(contact.phone).toBe('+49301234567')
    for (const from of ['030 1234567', '+49 30 1234567', '(030) 123-4567']) {
      const res = await postCall(url, { direction: 'inbound', from, to: '201', started_at: '2026-11-27T14:03:00+01:00', duration_s: 125, outcome: 'answered', recording_url: 'https://pbx.example/rec/1.wav' })
      expect(res.status, `${from}: ${JSON.stringify(res.body)}`).toBe(201)
      expect(res.body.linked).toEqual({ contact: contact.id, company: company.id, lead: null, created_lead: false })
      expect(res.body.activity).toMatchObject({
        type: 'call', subject: 'Call from Anna Schmidt', due: '2026-11-27T13:03:00.000Z', done: true, related: contact.id, related_company: company.id,
        direction: 'inbound', phone: '+49301234567', duration_s: 125, outcome: 'answered', recording_url: 'https://pbx.example/rec/1.wav',
      })
    }
    expect((await api(url, `/activities?related=${contact.id}`)).body.data).toHaveLength(3)
    expect((await api(url, '/leads')).body.data).toHaveLength(0)
  })

  it('an inbound call from an unknown number makes a new lead and the activity on it; the workspace setting and create_lead turn that off', async () => {
    const { url } = await relay()
    const res = await postCall(url, { direction: 'inbound', from: '0171 2345678', to: '+49 30 999', outcome: 'no_answer' })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.linked).toMatchObject({ contact: null, created_lead: true })
    const lead = (await api(url, `/leads/${res.body.linked.lead}`)).body
    expect(lead).toMatchObject({ phone: '+491712345678', source: 'Phone', status: 'New', title: '+49 171 2345678' })
    expect(res.body.activity).toMatchObject({ related_lead: lead.id, related: null, subject: 'Call from +49 171 2345678 (no answer)', outcome: 'no_answer' })
    // the same number again: the lead now has it
    const again = await postCall(url, { direction: 'inbound', from: '+491712345678' })
    expect(again.body.linked).toEqual({ contact: null, company: null, lead: lead.id, created_lead: false })
    const off = await postCall(url, { direction: 'inbound', from: '0172 9999999', create_lead: false })
    expect(off.body.linked).toEqual({ contact: null, company: null, lead: null, created_lead: false })
    expect((await api(url, '/leads')).body.data).toHaveLength(1)

    const quiet = await relay({ createLeadForUnknown: false })
    expect((await postCall(quiet.url, { direction: 'inbound', from: '0172 9999999' })).body.linked.created_lead).toBe(false)
    expect((await postCall(quiet.url, { direction: 'inbound', from: '0172 9999999' }, undefined, '?create_lead=true')).body.linked.created_lead).toBe(true)
  })

  it('an outbound call links by the callee\'s number; a company\'s number links the company', async () => {
    const { url } = await relay()
    const company = (await api(url, '/companies', { method: 'POST', body: { name: 'Globex AG', phone: '+49 89 5551234' } })).body
    const res = await postCall(url, { direction: 'outbound', from: '0301111111', to: '089 5551234', duration_s: '42', outcome: 'busy' })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.linked).toEqual({ contact: null, company: company.id, lead: null, created_lead: false })
    expect(res.body.activity).toMatchObject({ subject: 'Call to Globex AG (busy)', direction: 'outbound', phone: '+49895551234', duration_s: 42, related_company: company.id })
  })

  it('names the member by id, email or extension; that member owns the activity', async () => {
    const { url } = await relay()
    const ann = await addMember(url, { name: 'Ann', role: 'editor', email: 'Ann@Example.com', extension: '201' })
    const bob = await addMember(url, { name: 'Bob', role: 'editor' })
    const patched = await http(url, `/api/members/${bob.id}`, { method: 'PATCH', body: { extension: 202, email: 'bob@example.com' } })
    expect(patched.body.member).toMatchObject({ extension: '202', email: 'bob@example.com' })
    for (const [member, id] of [[ann.id, ann.id], ['ann@example.com', ann.id], ['201', ann.id], ['202', bob.id], ['BOB@example.com', bob.id]] as const) {
      const res = await postCall(url, { direction: 'inbound', from: '+49301234567', member, create_lead: false })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      expect(res.body.activity.owner, member).toBe(id)
    }
    // without a member, the member posting it owns it
    expect((await postCall(url, { direction: 'inbound', from: '+49301234567', create_lead: false }, ann.token)).body.activity.owner).toBe(ann.id)
  })

  it('refuses bad input as problem+json naming each field, and writes nothing', async () => {
    const { url } = await relay()
    const res = await postCall(url, { direction: 'sideways', from: '+49301234567', started_at: 'yesterday', duration_s: -3, outcome: 'great', recording_url: 'javascript:alert(1)', member: 'nobody', colour: 'red' })
    expect(res.status).toBe(422)
    expect(res.type).toMatch(/^application\/problem\+json/)
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort()
    expect(fields).toEqual(['colour', 'direction', 'duration_s', 'outcome', 'recording_url', 'started_at'])
    const member = await postCall(url, { direction: 'inbound', from: '+49301234567', member: 'nobody' })
    expect(member.status).toBe(422)
    expect(member.body.errors).toEqual([{ field: 'member', message: 'no active member has the id, email or extension "nobody"' }])
    const phone = await postCall(url, { direction: 'outbound', from: '+49301234567', to: 'reception' })
    expect(phone.body.errors).toMatchObject([{ field: 'to' }])
    const ringing = await postCall(url, { direction: 'inbound', from: '+49301234567', status: 'ringing' })
    expect(ringing.body.errors).toMatchObject([{ field: 'member' }])
    expect((await api(url, '/activities')).body.data).toHaveLength(0)
    expect((await api(url, '/leads')).body.data).toHaveLength(0)
  })

  it('a viewer is refused with 403, an API key with the editor role may post', async () => {
    const { url } = await relay()
    const viewer = await addMember(url, { name: 'Vic', role: 'viewer' })
    const refused = await postCall(url, { direction: 'inbound', from: '+49301234567' }, viewer.token)
    expect(refused.status).toBe(403)
    expect(refused.type).toMatch(/^application\/problem\+json/)
    const key = (await api(url, '/api-keys', { method: 'POST', body: { name: 'PBX', role: 'editor' } })).body
    const byKey = await postCall(url, { direction: 'inbound', from: '+49301234567' }, key.key)
    expect(byKey.status, JSON.stringify(byKey.body)).toBe(201)
  })

  it('the activity shows in a stock y-websocket client within a second', async () => {
    const { url, syncUrl } = await relay()
    const client = scope.client(syncUrl, 'entity-activities', ADMIN_TOKEN)
    await client.synced
    const started = Date.now()
    const res = await postCall(url, { direction: 'inbound', from: '+49301234567' })
    await waitFor(() => readLiveRows(client.doc).some((r) => r.id === res.body.activity.id), 'the call in the client', 1000)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('a ringing call reaches the named member\'s event stream with the caller\'s record, not another member\'s, and writes nothing', async () => {
    const { url } = await relay()
    const ann = await addMember(url, { name: 'Ann', role: 'editor', extension: '201' })
    const bob = await addMember(url, { name: 'Bob', role: 'editor', extension: '202' })
    const company = (await api(url, '/companies', { method: 'POST', body: { name: 'Acme GmbH' } })).body
    const contact = (await api(url, '/contacts', { method: 'POST', body: { first_name: 'Anna', last_name: 'Schmidt', phone: '030 1234567', company: company.id } })).body
    const annEvents = openEvents(url, ann.token)
    const annOtherTab = openEvents(url, ann.token)
    const bobEvents = openEvents(url, bob.token)
    await Promise.all([annEvents.opened, annOtherTab.opened, bobEvents.opened])
    const res = await postCall(url, { direction: 'inbound', from: '(030) 123-4567', to: '201', member: '201', status: 'ringing' })
    expect(res.status, JSON.stringify(res.body)).toBe(202)
    expect(res.body).toMatchObject({ status: 'ringing', member: ann.id, delivered: 2 })
    await waitFor(() => annEvents.events.length === 1 && annOtherTab.events.length === 1, 'the ringing call in both of Ann\'s tabs', 1000)
    expect(annEvents.events[0]).toEqual({
      event: CALL_RINGING_EVENT,
      data: { direction: 'inbound', phone: '+49301234567', phone_display: '+49 30 1234567', started_at: expect.any(String), record: { entity: 'contacts', id: contact.id, title: 'Anna Schmidt', company: 'Acme GmbH' } },
    })
    const unknown = await postCall(url, { direction: 'inbound', from: '0171 0000000', member: ann.id, status: 'ringing' })
    expect(unknown.body.record).toBeNull()
    await waitFor(() => annEvents.events.length === 2, 'the unknown caller', 1000)
    expect(bobEvents.events).toEqual([])
    expect((await api(url, '/activities')).body.data).toHaveLength(0)
    expect((await api(url, '/leads')).body.data).toHaveLength(0)
  })

  it('the event stream takes member tokens only', async () => {
    const { url } = await relay()
    const key = (await api(url, '/api-keys', { method: 'POST', body: { name: 'PBX', role: 'editor' } })).body
    const res = await api(url, '/events', { token: key.key })
    expect(res.status).toBe(403)
    expect(res.type).toMatch(/^application\/problem\+json/)
  })

  it('keeps a member\'s phone scheme (PATCH /api/me) and refuses an unknown one', async () => {
    const { url } = await relay()
    expect((await http(url, '/api/me')).body.phone_scheme).toBe('tel')
    expect((await http(url, '/api/me', { method: 'PATCH', body: { phone_scheme: 'callto' } })).body.phone_scheme).toBe('callto')
    expect((await http(url, '/api/me')).body.phone_scheme).toBe('callto')
    expect((await http(url, '/api/me', { method: 'PATCH', body: { phone_scheme: 'javascript' } })).status).toBe(400)
  })

  it('the README\'s generic curl example works against a real relay', async () => {
    const { url } = await relay()
    const key = (await api(url, '/api-keys', { method: 'POST', body: { name: 'PBX', role: 'editor' } })).body
    await addMember(url, { name: 'Ann', role: 'editor', email: 'ann@example.com' })
    const script = `curl -sS -X POST "$KANSO_URL/api/v1/calls" \\
  -H "Authorization: Bearer $KANSO_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"direction":"inbound","from":"+49 30 1234567","to":"201","started_at":"2026-11-27T14:03:00Z","duration_s":125,"outcome":"answered","recording_url":"https://pbx.example.com/rec/1.wav","member":"ann@example.com"}'`
    const { stdout } = await promisify(execFile)('/bin/sh', ['-c', script], { env: { ...process.env, KANSO_URL: url, KANSO_API_KEY: key.key } })
    const answer = JSON.parse(stdout)
    expect(answer.activity).toMatchObject({ type: 'call', phone: '+49301234567', duration_s: 125, outcome: 'answered' })
    expect(answer.linked.created_lead).toBe(true)
  })
})
