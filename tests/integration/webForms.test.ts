import { describe, expect, it } from 'vitest'
import { readLiveRows } from '../../src/crdt/recordDoc'
import { ADMIN_TOKEN, startTestRelay, useTestScope, waitFor } from './relayTestKit'
import type { StartRelayOptions } from '../../server/startRelay'

const scope = useTestScope()

async function relay(options: StartRelayOptions = {}) {
  const started = await startTestRelay({ apiRateLimit: null, formRateLimits: null, ...options })
  scope.cleanups.push(() => started.close())
  return started
}

async function api(url: string, path: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  return { status: res.status, body: await res.json() }
}

async function makeForm(url: string, body: Record<string, unknown> = { name: 'Contact us', fields: ['name', 'email', 'phone'] }): Promise<string> {
  const created = await api(url, '/forms', { method: 'POST', body })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  return created.body.id
}

const leads = async (url: string) => (await api(url, '/leads')).body.data as Record<string, unknown>[]
const postForm = (url: string, formId: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${url}/f/${formId}`, { method: 'POST', body: new URLSearchParams(fields), headers, redirect: 'manual' })
const postJson = (url: string, formId: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/f/${formId}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', origin: 'https://site.example', ...headers } })

/** The served-at token of the hosted page's hidden input. */
async function servedToken(url: string, formId: string): Promise<string> {
  const html = await (await fetch(`${url}/f/${formId}`)).text()
  return /name="_kanso_served" value="([^"]+)"/.exec(html)![1]!
}

describe('web-to-lead forms', () => {
  it('a plain urlencoded post creates a lead with its UTM parameters and the referring page, and answers a thank-you page', async () => {
    const { url } = await relay()
    const formId = await makeForm(url)
    const res = await postForm(url, formId, { name: 'Ann Lee', email: 'Ann@Example.com', phone: '', _homepage: '' }, { referer: 'https://shop.example/landing?utm_source=newsletter&utm_medium=email&utm_campaign=fall' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await res.text()).toContain('Thank you!')
    const [lead] = await leads(url)
    expect(lead).toMatchObject({ name: 'Ann Lee', email: 'Ann@example.com', utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'fall', referrer: 'https://shop.example/landing?utm_source=newsletter&utm_medium=email&utm_campaign=fall', source: 'Website', title: 'Contact us: Ann Lee' })
  })

  it('multipart posts work too; a redirect URL answers 303', async () => {
    const { url } = await relay()
    const formId = await makeForm(url, { name: 'Demo', fields: ['name', 'email'], redirect_url: 'https://shop.example/thanks' })
    const body = new FormData()
    body.set('name', 'Bo')
    body.set('email', 'bo@example.com')
    body.set('utm_source', 'ads')
    const res = await fetch(`${url}/f/${formId}`, { method: 'POST', body, redirect: 'manual' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('https://shop.example/thanks')
    expect(await leads(url)).toMatchObject([{ name: 'Bo', utm_source: 'ads' }])
  })

  it('answers JSON with CORS, a preflight, and problem+json naming each bad field', async () => {
    const { url } = await relay()
    const formId = await makeForm(url, { name: 'Trial', fields: [{ key: 'email', label: 'Work email', required: true }, 'phone'] })
    const preflight = await fetch(`${url}/f/${formId}`, { method: 'OPTIONS', headers: { origin: 'https://site.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/)
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/content-type/i)
    const ok = await postJson(url, formId, { email: 'cy@example.com', _page_url: 'https://site.example/p?utm_source=x&utm_term=crm' })
    expect(ok.status).toBe(201)
    expect(ok.headers.get('access-control-allow-origin')).toBe('*')
    expect(await ok.json()).toEqual({ ok: true })
    expect(await leads(url)).toMatchObject([{ email: 'cy@example.com', utm_source: 'x', utm_term: 'crm', referrer: 'https://site.example/p?utm_source=x&utm_term=crm' }])
    const bad = await postJson(url, formId, { phone: 'call me', owner: 'Admin' })
    expect(bad.status).toBe(422)
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(bad.headers.get('access-control-allow-origin')).toBe('*')
    const problem = await bad.json()
    expect(problem.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'owner', 'phone'])
    expect(problem.errors.find((e: { field: string }) => e.field === 'email').message).toMatch(/Work email is required/)
    expect(await leads(url)).toHaveLength(1)
    // a plain form with the same problems gets the form back with the messages, as a page
    const page = await postForm(url, formId, { email: 'not an address' })
    expect(page.status).toBe(422)
    expect(await page.text()).toMatch(/value="not an address"[^\n]*kanso-form-error" role="alert">[^<]*is not an email address/)
  })

  it('a filled honeypot gets the thank-you answer and creates nothing', async () => {
    const { url } = await relay()
    const formId = await makeForm(url)
    const res = await postForm(url, formId, { name: 'Bot', email: 'bot@example.com', _homepage: 'http://spam.example' })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('Thank you!')
    expect((await postJson(url, formId, { email: 'bot@example.com', _homepage: 'x' })).status).toBe(201)
    expect(await leads(url)).toEqual([])
  })

  it('refuses a post sooner than 3 s after the hosted page served the form, accepts it at 3 s, and refuses a forged token', async () => {
    const { url } = await relay()
    const formId = await makeForm(url)
    const token = await servedToken(url, formId)
    const soon = await postForm(url, formId, { name: 'Quick', _kanso_served: token })
    expect(soon.status).toBe(422)
    expect(await soon.text()).toMatch(/look automated/)
    const soonJson = await postJson(url, formId, { name: 'Quick', _kanso_served: token })
    expect((await soonJson.json()).errors[0].field).toBe('_kanso_served')
    const [ms] = token.split('.')
    const forged = await postJson(url, formId, { name: 'Forger', _kanso_served: `${Number(ms) - 60_000}.${'0'.repeat(64)}` })
    expect(forged.status).toBe(422)
    expect(await leads(url)).toEqual([])
    await new Promise((r) => setTimeout(r, 3000 - (Date.now() - Number(ms)) + 50))
    expect((await postForm(url, formId, { name: 'Patient', _kanso_served: token })).status).toBe(200)
    expect(await leads(url)).toMatchObject([{ name: 'Patient' }])
  })

  it('limits posts per IP address (429 with Retry-After) and caps the body (413)', async () => {
    const { url } = await relay({ formRateLimits: { perIp: { perSecond: 0.01, burst: 3 }, perForm: { perSecond: 100, burst: 100 } } })
    const formId = await makeForm(url)
    for (let i = 0; i < 3; i++) expect((await postJson(url, formId, { name: `P${i}` })).status).toBe(201)
    const limited = await postJson(url, formId, { name: 'P3' })
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(await leads(url)).toHaveLength(3)
    const { url: url2 } = await relay()
    const form2 = await makeForm(url2)
    const big = await postForm(url2, form2, { name: 'x'.repeat(70 * 1024) })
    expect(big.status).toBe(413)
    expect(await leads(url2)).toEqual([])
  })

  it('limits posts per form across addresses', async () => {
    const { url } = await relay({ formRateLimits: { perIp: { perSecond: 100, burst: 100 }, perForm: { perSecond: 0.01, burst: 2 } } })
    const formId = await makeForm(url)
    expect((await postJson(url, formId, { name: 'A' })).status).toBe(201)
    expect((await postJson(url, formId, { name: 'B' })).status).toBe(201)
    const limited = await postJson(url, formId, { name: 'C' })
    expect(limited.status).toBe(429)
    expect((await limited.json()).detail).toMatch(/to this form/)
  })

  it('dedupes to an existing contact by email or phone: a note activity on it, not a lead; off per form', async () => {
    const { url } = await relay()
    const contact = await api(url, '/contacts', { method: 'POST', body: { first_name: 'Dee', last_name: 'Ko', email: 'dee@example.com', phone: '+49 30 1234567' } })
    expect(contact.status).toBe(201)
    const formId = await makeForm(url)
    expect((await postForm(url, formId, { name: 'Dee K', email: 'DEE@example.COM' })).status).toBe(200)
    expect((await postForm(url, formId, { name: 'Dee phone', phone: '+49 (30) 123 45 67' })).status).toBe(200)
    expect(await leads(url)).toEqual([])
    const activities = (await api(url, '/activities')).body.data
    expect(activities).toHaveLength(2)
    expect(activities[0]).toMatchObject({ type: 'note', related: contact.body.id, subject: 'Web form “Contact us”' })
    expect(activities.map((a: { notes: string }) => a.notes).join('\n')).toMatch(/Name: Dee K\nEmail: DEE@example.COM[\s\S]*Phone: \+49 \(30\) 123 45 67/)
    const noDedupe = await makeForm(url, { name: 'Always new', fields: ['email'], dedupe: false })
    expect((await postForm(url, noDedupe, { email: 'dee@example.com' })).status).toBe(200)
    expect(await leads(url)).toHaveLength(1)
  })

  it('the new lead reaches an open stock y-websocket client within a second', async () => {
    const { url, syncUrl } = await relay()
    const formId = await makeForm(url)
    const client = scope.client(syncUrl, 'entity-leads', ADMIN_TOKEN)
    await client.synced
    const started = Date.now()
    expect((await postForm(url, formId, { name: 'Live Lead' })).status).toBe(200)
    await waitFor(() => readLiveRows(client.doc).some((r) => r.values['leads.name'] === 'Live Lead'), 'the lead in the client', 1000)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('serves the hosted page escaped and readable, the form as JSON for the embed, the embed script, and 404 for unknown forms', async () => {
    const { url } = await relay()
    const formId = await makeForm(url, { name: '<script>alert(1)</script> & Co', fields: [{ key: 'name', label: '"Your" <name>', required: true }], consent_text: 'We store <b>this</b>.' })
    const page = await fetch(`${url}/f/${formId}?utm_source=<x>&utm_campaign=spring`)
    const html = await page.text()
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/)
    expect(html).not.toContain('<script')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co')
    expect(html).toContain('&quot;Your&quot; &lt;name&gt;')
    expect(html).toContain('We store &lt;b&gt;this&lt;/b&gt;.')
    expect(html).toContain('name="utm_source" value="&lt;x&gt;"')
    expect(html).toContain('name="viewport"')
    const spec = await (await fetch(`${url}/f/${formId}`, { headers: { accept: 'application/json' } })).json()
    expect(spec).toMatchObject({ id: formId, fields: [{ key: 'name', label: '"Your" <name>', required: true, type: 'text' }], honeypot: '_homepage', served_at: { name: '_kanso_served' } })
    const script = await fetch(`${url}/embed/form.js`)
    expect(script.headers.get('content-type')).toMatch(/javascript/)
    expect(script.headers.get('access-control-allow-origin')).toBe('*')
    expect(await script.text()).toContain('data-form')
    expect((await fetch(`${url}/f/nope`)).status).toBe(404)
    expect((await postJson(url, 'nope', { name: 'x' })).status).toBe(404)
  })

  it('GET|POST /api/v1/forms: admins only, refuses unknown lead fields by name', async () => {
    const { url } = await relay()
    const bad = await api(url, '/forms', { method: 'POST', body: { name: '', fields: ['email', 'shoe_size'], redirect_url: 'javascript:x' } })
    expect(bad.status).toBe(422)
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['fields', 'name', 'redirect_url'])
    const id = await makeForm(url)
    const listed = await api(url, '/forms')
    expect(listed.body.data).toMatchObject([{ id, name: 'Contact us', fields: [{ key: 'name' }, { key: 'email' }, { key: 'phone' }], dedupe: true, url: expect.stringMatching(new RegExp(`/f/${id}$`)) }])
    const member = await fetch(`${url}/api/members`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ed', role: 'editor' }) })
    const { token } = (await member.json()) as { token: string }
    expect((await fetch(`${url}/api/v1/forms`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403)
  })
})
