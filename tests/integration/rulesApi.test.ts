import { describe, expect, it } from 'vitest'
import { createMember } from '../../server/auth/createMember'
import { findRule, readRules } from '../../src/crdt/automationDoc'
import { AUTOMATION_DOC } from '../../src/crdt/docNames'
import { ADMIN_TOKEN, api, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const scope = useTestScope()

async function relay() {
  const r = await startTestRelay({ apiRateLimit: null, rulesIntervalMs: null })
  scope.cleanups.push(() => r.close())
  return r
}

describe('/api/v1/rules (issue 16)', () => {
  it('lists the templates with keys and run summaries; PATCH {"enabled": true} switches call-new-leads on, and a new lead gets its call', async () => {
    const { url, syncUrl, storage } = await relay()
    const list = await api(url, '/rules')
    expect(list.status).toBe(200)
    const template = list.body.data.find((r: { id: string }) => r.id === 'call-new-leads')
    expect(template).toEqual({
      id: 'call-new-leads', name: 'Call new leads', enabled: false,
      trigger: { kind: 'created', entity: 'leads' }, conditions: [],
      actions: [{ kind: 'createActivity', activityType: 'call', subject: 'Call the customer', assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'hours' } }],
      created_at: expect.any(String), created_by: 'kanso', updated_at: null,
      runs: { count: 0, last_fired_at: null, last_record: null, errors: [] },
    })

    const on = await api(url, '/rules/call-new-leads', { method: 'PATCH', body: { enabled: true } })
    expect(on.status, JSON.stringify(on.body)).toBe(200)
    expect(on.body).toMatchObject({ enabled: true, name: 'Call new leads', updated_at: expect.any(String) })
    // the change reaches members' apps like an admin's edit
    const app = scope.client(syncUrl, AUTOMATION_DOC, ADMIN_TOKEN)
    await app.synced
    await waitFor(() => findRule(app.doc, 'call-new-leads')?.enabled === true, 'the switch synced')

    const ann = createMember(storage, { name: 'Ann', role: 'editor' })
    const lead = await api(url, '/leads', { method: 'POST', body: { title: 'New lead', owner: ann.member.id } })
    expect(lead.status).toBe(201)
    const fired = (await api(url, '/rules/call-new-leads')).body
    expect(fired.runs).toMatchObject({ count: 1, last_fired_at: expect.any(String), last_record: { entity: 'leads', id: lead.body.id }, errors: [] })
  })

  it('creates a rule named by keys, merges a PATCH into it, refuses what does not fit with 422 naming the path, and deletes softly', async () => {
    const { url, syncUrl } = await relay()
    const created = await api(url, '/rules', { method: 'POST', body: {
      name: 'Hot leads', trigger: { kind: 'fieldChanged', entity: 'leads', field: 'status', to: 'Qualified' },
      conditions: [{ field: 'source', op: 'equals', value: 'Website' }],
      actions: [{ kind: 'setField', field: 'company_name', value: 'Checked' }, { kind: 'notify', member: 'owner', message: 'Qualified' }],
    } })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const id = created.body.id as string
    expect(created.body).toMatchObject({ enabled: true, trigger: { kind: 'fieldChanged', entity: 'leads', field: 'status', to: 'Qualified' }, conditions: [{ field: 'source', op: 'equals', value: 'Website' }] })
    const app = scope.client(syncUrl, AUTOMATION_DOC, ADMIN_TOKEN)
    await app.synced
    // stored by ids, as records are
    await waitFor(() => findRule(app.doc, id) !== null, 'the rule synced')
    expect(findRule(app.doc, id)?.trigger).toEqual({ kind: 'fieldChanged', entity: 'leads', field: 'leads.status', to: 'Qualified' })

    const renamed = await api(url, `/rules/${id}`, { method: 'PATCH', body: { name: 'Qualified leads' } })
    expect(renamed.body).toMatchObject({ name: 'Qualified leads', enabled: true, actions: created.body.actions })

    const badField = await api(url, `/rules/${id}`, { method: 'PATCH', body: { trigger: { kind: 'fieldChanged', entity: 'leads', field: 'shoe_size' } } })
    expect(badField.status).toBe(422)
    expect(badField.body.errors).toEqual([{ field: 'trigger.field', message: expect.stringContaining('shoe_size') }])
    const badDue = await api(url, `/rules/${id}`, { method: 'PATCH', body: { actions: [{ kind: 'createActivity', activityType: 'call', subject: 'x', assignee: { kind: 'owner' }, dueIn: { amount: -1, unit: 'hours' } }] } })
    expect(badDue.status).toBe(422)
    expect(badDue.body.errors.map((e: { field: string }) => e.field)).toEqual(['actions[0].dueIn.amount'])
    expect((await api(url, `/rules/${id}`, { method: 'PATCH', body: { color: 'red' } })).body.errors).toEqual([{ field: 'color', message: expect.stringMatching(/not a rule property/) }])
    expect((await api(url, `/rules/${id}`)).body.name).toBe('Qualified leads')

    expect((await api(url, `/rules/${id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await api(url, `/rules/${id}`)).status).toBe(404)
    expect((await api(url, '/rules')).body.data.map((r: { id: string }) => r.id)).not.toContain(id)
    await waitFor(() => readRules(app.doc).find((r) => r.id === id)?.deletedAt !== undefined, 'the removal synced')
    expect((await api(url, '/rules/nope')).status).toBe(404)
  })

  it('is for admins only', async () => {
    const { url, storage } = await relay()
    const ed = createMember(storage, { name: 'Ed', role: 'editor' })
    for (const [method, path] of [['GET', '/rules'], ['POST', '/rules'], ['GET', '/rules/call-new-leads'], ['PATCH', '/rules/call-new-leads'], ['DELETE', '/rules/call-new-leads']] as const) {
      const res = await api(url, path, { method, token: ed.token, ...(method === 'POST' || method === 'PATCH' ? { body: { enabled: true } } : {}) })
      expect(res.status, `${method} ${path}`).toBe(403)
    }
  })

  it('is in the OpenAPI document', async () => {
    const { url } = await relay()
    const doc = (await api(url, '/openapi.json')).body
    expect(Object.keys(doc.paths['/rules'])).toEqual(['get', 'post'])
    expect(Object.keys(doc.paths['/rules/{id}'])).toEqual(['parameters', 'get', 'patch', 'delete'])
    for (const name of ['Rule', 'RuleInput', 'RulePatch', 'RuleRuns']) expect(doc.components.schemas[name], name).toBeDefined()
  })
})
