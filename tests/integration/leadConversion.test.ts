import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { recordsOf } from '../../src/crdt/recordDoc'
import { addEntity } from '../../src/crdt/schemaDoc'
import { defaultSchema } from '../../src/domain/defaultSchema'
import { ADMIN_TOKEN, api, makeTempDir, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const scope = useTestScope()

async function relay(seedSchema?: (doc: Y.Doc) => void) {
  const started = await startTestRelay({ dataDir: makeTempDir(), apiRateLimit: null, ...(seedSchema ? { seedSchema } : {}) })
  scope.cleanups.push(() => started.close())
  return started
}

async function createLead(url: string, values: Record<string, unknown>): Promise<string> {
  const created = await api(url, '/leads', { method: 'POST', body: values })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  return created.body.id
}

const convert = (url: string, id: string, body?: unknown, headers?: Record<string, string>, token?: string) =>
  api(url, `/leads/${id}/convert`, { method: 'POST', ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}), ...(token ? { token } : {}) })

const ada = { title: 'Website relaunch', name: 'Ada Lovelace', company_name: 'Analytical Engines', email: 'ada@engines.example', phone: '+49 30 1234567', status: 'Qualified' }

describe('POST /api/v1/leads/{id}/convert', () => {
  it('with no body: a new contact, company and deal, linked to each other; the lead is Converted with converted_to', async () => {
    const { url } = await relay()
    const lead = await createLead(url, ada)
    const answer = await convert(url, lead)
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    const { contact, company, deal } = answer.body.converted_to
    expect(answer.body.created).toEqual({ contact: true, company: true, deal: true })
    expect(answer.body.lead).toMatchObject({ id: lead, status: 'Converted', converted_contact: contact, converted_company: company, converted_deal: deal })
    expect((await api(url, `/contacts/${contact}`)).body).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace', email: 'ada@engines.example', phone: '+49301234567', company })
    expect((await api(url, `/companies/${company}`)).body).toMatchObject({ name: 'Analytical Engines' })
    expect((await api(url, `/deals/${deal}`)).body).toMatchObject({ title: 'Website relaunch', pipeline: 'sales', stage: 'sales.new', company, contacts: [contact] })
    expect((await api(url, `/leads/${lead}`)).body).toMatchObject({ status: 'Converted', converted_deal: deal })
  })

  it('links an existing contact found by email, and takes company: null and deal: null', async () => {
    const { url } = await relay()
    const existing = (await api(url, '/contacts', { method: 'POST', body: { last_name: 'Lovelace', email: 'ADA@engines.example' } })).body.id
    const lead = await createLead(url, ada)
    const answer = await convert(url, lead, { company: null, deal: null })
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    expect(answer.body.converted_to).toEqual({ contact: existing, company: null, deal: null })
    expect(answer.body.created).toEqual({ contact: false, company: false, deal: false })
    expect(answer.body.matches.contacts).toEqual([{ id: existing, by: 'email' }])
    expect((await api(url, '/contacts')).body.data).toHaveLength(1)
    expect((await api(url, '/companies')).body.data).toHaveLength(0)
    expect((await api(url, '/deals')).body.data).toHaveLength(0)
  })

  it('refuses a converted lead (409), an unknown one (404), a bad body (422) and a viewer (403)', async () => {
    const { url } = await relay()
    const lead = await createLead(url, ada)
    const member = await fetch(`${url}/api/members`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Vera', role: 'viewer' }) })
    const { token } = (await member.json()) as { token: string }
    expect((await convert(url, lead, undefined, undefined, token)).status).toBe(403)
    expect((await convert(url, lead, { deal: { stage: 'Nowhere' } })).body.errors).toEqual([{ field: 'deal.stage', message: 'no stage "Nowhere"' }])
    expect((await convert(url, lead, { contact: 42 })).status).toBe(422)
    // a lost stage needs a lost_reason, which a conversion has no place for: refused before any write
    expect((await convert(url, lead, { deal: { stage: 'Lost' } })).body.errors).toEqual([{ field: 'lost_reason', message: expect.stringMatching(/lost_reason/) }])
    expect((await api(url, '/contacts')).body.data).toEqual([])
    expect((await api(url, '/companies')).body.data).toEqual([])
    expect((await convert(url, 'nope')).status).toBe(404)
    expect((await convert(url, lead)).status).toBe(200)
    const again = await convert(url, lead)
    expect(again.status).toBe(409)
    expect(again.body.detail).toMatch(/already converted/)
    // the refusals wrote nothing: one contact, one company, one deal
    for (const entity of ['contacts', 'companies', 'deals']) expect((await api(url, `/${entity}`)).body.data).toHaveLength(1)
  })

  it('a retry with the same Idempotency-Key answers the same ids and creates nothing twice', async () => {
    const { url } = await relay()
    const lead = await createLead(url, ada)
    const body = { deal: { title: 'Pilot', stage: 'Proposal' } }
    const first = await convert(url, lead, body, { 'idempotency-key': 'conv-1' })
    expect(first.status, JSON.stringify(first.body)).toBe(200)
    const retry = await convert(url, lead, body, { 'idempotency-key': 'conv-1' })
    expect(retry.status).toBe(200)
    expect(retry.body.converted_to).toEqual(first.body.converted_to)
    expect((await api(url, `/deals/${first.body.converted_to.deal}`)).body).toMatchObject({ title: 'Pilot', stage: 'sales.proposal' })
    for (const entity of ['contacts', 'companies', 'deals']) expect((await api(url, `/${entity}`)).body.data).toHaveLength(1)
  })

  it('the new records and the lead\'s mark reach a stock y-websocket client', async () => {
    const { url, syncUrl } = await relay()
    const lead = await createLead(url, ada)
    const clients = Object.fromEntries(['leads', 'contacts', 'companies', 'deals'].map((e) => [e, scope.client(syncUrl, `entity-${e}`, ADMIN_TOKEN)]))
    await Promise.all(Object.values(clients).map((c) => c.synced))
    const { converted_to: to } = (await convert(url, lead)).body
    const record = (entity: string, id: string) => recordsOf(clients[entity]!.doc).get(id)?.toJSON() as Record<string, unknown> | undefined
    await waitFor(() => record('leads', lead)?.['leads.status'] === 'Converted', 'the lead marked in the client')
    expect(record('leads', lead)).toMatchObject({ 'leads.converted_contact': to.contact, 'leads.converted_company': to.company, 'leads.converted_deal': to.deal })
    expect(record('contacts', to.contact)).toMatchObject({ 'contacts.last_name': 'Lovelace', 'contacts.company': to.company })
    expect(record('companies', to.company)).toMatchObject({ 'companies.name': 'Analytical Engines' })
    expect(record('deals', to.deal)).toMatchObject({ 'deals.stage': 'sales.new', 'deals.contacts': [to.contact] })
    // the deal's first stage is kept as a stage change, like any new deal's
    expect(Object.keys(record('deals', to.deal)!).some((k) => k.startsWith('stage@'))).toBe(true)
  })

  it('a workspace from before conversion gets the lead\'s converted_* links at start, and converts', async () => {
    const { url } = await relay((doc) => {
      for (const entity of defaultSchema().entities) addEntity(doc, { ...entity, fields: entity.fields.filter((f) => !f.key.startsWith('converted_')) }, 'seed')
    })
    const leads = (await api(url, '/schema')).body.entities.find((e: { key: string }) => e.key === 'leads')
    expect(leads.fields.filter((f: { key: string }) => f.key.startsWith('converted_'))).toEqual([
      { key: 'converted_contact', label: 'Converted to contact', type: 'link', link_entity: 'contacts', multiple: false, required: false },
      { key: 'converted_company', label: 'Converted to company', type: 'link', link_entity: 'companies', multiple: false, required: false },
      { key: 'converted_deal', label: 'Converted to deal', type: 'link', link_entity: 'deals', multiple: false, required: false },
    ])
    const answer = await convert(url, await createLead(url, ada))
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    expect(answer.body.lead.converted_deal).toBe(answer.body.converted_to.deal)
  })
})
