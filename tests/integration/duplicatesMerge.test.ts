import { describe, expect, it } from 'vitest'
import { readAllRows, readRow } from '../../src/crdt/recordDoc'
import { ADMIN_TOKEN, api, makeTempDir, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const scope = useTestScope()

async function create(url: string, entity: string, values: Record<string, unknown>): Promise<string> {
  const made = await api(url, `/${entity}`, { method: 'POST', body: values })
  expect(made.status, JSON.stringify(made.body)).toBe(201)
  return made.body.id as string
}

/** Two contacts with one email, and everything that can link to the second one. */
async function workspace() {
  const started = await startTestRelay({ dataDir: makeTempDir(), apiRateLimit: null })
  scope.cleanups.push(() => started.close())
  const { url } = started
  const company = await create(url, 'companies', { name: 'Acme GmbH' })
  const keep = await create(url, 'contacts', { first_name: 'Ann', last_name: 'Lee', email: 'ann@acme.example', company })
  const dup = await create(url, 'contacts', { first_name: 'Annie', last_name: 'Lee', email: ' ANN@acme.example', phone: '+49 30 1234567', position: 'CTO' })
  const bystander = await create(url, 'contacts', { first_name: 'Bob', last_name: 'Stone' })
  const dealBoth = await create(url, 'deals', { title: 'Both', contacts: [keep, dup, bystander] })
  const dealDup = await create(url, 'deals', { title: 'Only the duplicate', contacts: [dup] })
  const call = await create(url, 'activities', { subject: 'Call Annie', type: 'call', related: dup })
  const lead = await create(url, 'leads', { title: 'Converted', name: 'Annie Lee', converted_contact: dup })
  return { ...started, company, keep, dup, bystander, dealBoth, dealDup, call, lead }
}

describe('GET /api/v1/{entity}/duplicates and POST /api/v1/{entity}/merge', () => {
  it('lists the duplicates with their reasons, pages them, and serves contacts, companies and leads only', async () => {
    const { url, keep, dup } = await workspace()
    await create(url, 'companies', { name: 'ACME Inc.' })
    const found = await api(url, '/contacts/duplicates')
    expect(found.status).toBe(200)
    expect(found.body).toEqual({ data: [{ ids: [keep, dup], reasons: ['email'], records: [{ id: keep, name: 'Ann Lee' }, { id: dup, name: 'Annie Lee' }] }], total: 1, next_cursor: null })
    const companies = await api(url, '/companies/duplicates?limit=1')
    expect(companies.body.data[0].reasons).toEqual(['name'])
    expect(companies.body.next_cursor).toBeNull()
    expect((await api(url, '/contacts/duplicates?limit=0')).status).toBe(400)
    expect((await api(url, '/deals/duplicates')).status).toBe(404)
    const openApi = (await api(url, '/openapi.json')).body
    expect(Object.keys(openApi.paths)).toEqual(expect.arrayContaining(['/contacts/duplicates', '/contacts/merge', '/companies/merge', '/leads/duplicates']))
    expect(openApi.paths['/deals/merge']).toBeUndefined()
  })

  it('moves every related record to the survivor, trashes the other with a note, keeps the history, and a real client sees it', async () => {
    const { url, syncUrl, keep, dup, bystander, dealBoth, dealDup, call, lead } = await workspace()
    const contacts = scope.client(syncUrl, 'entity-contacts', ADMIN_TOKEN)
    const deals = scope.client(syncUrl, 'entity-deals', ADMIN_TOKEN)
    const activities = scope.client(syncUrl, 'entity-activities', ADMIN_TOKEN)
    const leads = scope.client(syncUrl, 'entity-leads', ADMIN_TOKEN)
    await Promise.all([contacts.synced, deals.synced, activities.synced, leads.synced])

    // asked before the merge: the answer kept for the copy must not outlive it
    expect((await api(url, '/contacts/duplicates')).body.total).toBe(1)
    const merged = await api(url, '/contacts/merge', { method: 'POST', body: { survivor: keep, others: [dup], values: { first_name: 'Annie', phone: '+49301234567', position: 'CTO' } } })
    expect(merged.status, JSON.stringify(merged.body)).toBe(200)
    expect(merged.body.survivor).toMatchObject({ id: keep, first_name: 'Annie', last_name: 'Lee', email: 'ann@acme.example', phone: '+49301234567', position: 'CTO' })
    expect(merged.body.merged).toEqual([dup])
    expect(merged.body.moved).toEqual({ leads: 1, deals: 2, activities: 1 })

    // over the API
    expect((await api(url, `/deals/${dealBoth}`)).body.contacts).toEqual([keep, bystander])
    expect((await api(url, `/deals/${dealDup}`)).body.contacts).toEqual([keep])
    expect((await api(url, `/activities/${call}`)).body.related).toBe(keep)
    expect((await api(url, `/leads/${lead}`)).body.converted_contact).toBe(keep)
    expect((await api(url, `/contacts/${dup}`)).status).toBe(404)
    expect((await api(url, '/contacts/duplicates')).body.data).toEqual([])

    // in the stock y-websocket client's documents
    await waitFor(() => readRow(activities.doc, call)?.values['activities.related'] === keep, 'the activity moved in the client')
    await waitFor(() => JSON.stringify(readRow(deals.doc, dealDup)?.values['deals.contacts']) === JSON.stringify([keep]), 'the deal moved in the client')
    await waitFor(() => readRow(leads.doc, lead)?.values['leads.converted_contact'] === keep, 'the lead moved in the client')
    await waitFor(() => readRow(contacts.doc, dup)?.deletedAt !== undefined, 'the duplicate in the trash in the client')
    const trashed = readAllRows(contacts.doc).find((r) => r.id === dup)!
    expect(trashed.values[`merged@${dup}`]).toMatchObject({ survivor: keep, by: expect.any(String) })
    expect(readRow(contacts.doc, keep)!.values[`merged@${dup}`]).toMatchObject({ survivor: keep })
    expect(readRow(contacts.doc, keep)!.values['contacts.first_name']).toBe('Annie')

    // the survivor's history shows the merge and the duplicate's own history
    const history = (await api(url, `/contacts/${keep}/history`)).body.data as { kind: string; field: string | null; from: unknown; to: unknown; record?: string }[]
    expect(history.filter((e) => e.kind === 'merged')).toEqual([expect.objectContaining({ kind: 'merged', from: dup, to: keep })])
    expect(history).toContainEqual(expect.objectContaining({ kind: 'created', record: dup }))
    expect(history).toContainEqual(expect.objectContaining({ kind: 'set', field: 'position', to: 'CTO', record: dup }))
    // the trash lists the duplicate
    const trash = await api(url, '/contacts/trash')
    expect(trash.body.data.map((r: { id: string }) => r.id)).toContain(dup)
  })

  it('refuses bad input by path and writes nothing: unknown ids, the survivor among the others, values that fail their field, viewers', async () => {
    const { url, keep, dup, call } = await workspace()
    const merge = (body: unknown, token?: string) => api(url, '/contacts/merge', { method: 'POST', body, ...(token ? { token } : {}) })
    expect((await merge({ survivor: keep, others: [keep] })).body.errors).toEqual([{ field: 'others[0]', message: 'is the survivor itself' }])
    const unknown = await merge({ survivor: keep, others: ['nope'] })
    expect(unknown.status).toBe(404)
    expect(unknown.body.errors).toEqual([{ field: 'others[0]', message: 'no contact with id "nope"' }])
    expect((await merge({ survivor: 'nope', others: [dup] })).body.errors[0].field).toBe('survivor')
    const badValue = await merge({ survivor: keep, others: [dup], values: { email: 'not an address' } })
    expect(badValue.status).toBe(422)
    expect(badValue.body.errors[0].field).toBe('values.email')
    expect((await merge({ survivor: keep, others: [], values: { nope: 1 } })).body.errors.map((e: { field: string }) => e.field)).toEqual(['others', 'values.nope'])
    const member = await fetch(`${url}/api/members`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Vera', role: 'viewer' }) })
    const { token } = (await member.json()) as { token: string }
    expect((await merge({ survivor: keep, others: [dup] }, token)).status).toBe(403)
    expect((await api(url, `/contacts/${dup}`)).status).toBe(200)
    expect((await api(url, `/activities/${call}`)).body.related).toBe(dup)
  })

  it('answers a retry with the same Idempotency-Key once, and refuses the key for another body', async () => {
    const { url, keep, dup, bystander } = await workspace()
    const headers = { 'idempotency-key': 'merge-1' }
    const first = await api(url, '/contacts/merge', { method: 'POST', body: { survivor: keep, others: [dup] }, headers })
    expect(first.status).toBe(200)
    const again = await api(url, '/contacts/merge', { method: 'POST', body: { survivor: keep, others: [dup] }, headers })
    expect(again).toEqual(first)
    expect((await api(url, '/contacts/merge', { method: 'POST', body: { survivor: keep, others: [bystander] }, headers })).status).toBe(422)
  })
})
