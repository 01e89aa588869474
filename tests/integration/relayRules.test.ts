import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createMember } from '../../server/auth/createMember'
import { findRule, readNotifications, readRuns, setRuleEnabled, writeRule } from '../../src/crdt/automationDoc'
import { AUTOMATION_DOC } from '../../src/crdt/docNames'
import { ADMIN_TOKEN, api, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const scope = useTestScope()

interface ApiActivity { id: string; subject: string; type: string; owner: string | null; related_lead: string | null; due: string | null; done: boolean | null }

async function relayWithCallRule() {
  const relay = await startTestRelay({ apiRateLimit: null })
  scope.cleanups.push(() => relay.close())
  const admin = scope.client(relay.syncUrl, AUTOMATION_DOC, ADMIN_TOKEN)
  await admin.synced
  expect(findRule(admin.doc, 'call-new-leads')?.enabled).toBe(false)
  setRuleEnabled(admin.doc, 'call-new-leads', true)
  await waitFor(() => relay.storage.loadDocument(AUTOMATION_DOC).length >= 2, 'the rule switched on and stored')
  const ann = createMember(relay.storage, { name: 'Ann', role: 'editor' })
  return { ...relay, admin, ann }
}

async function activitiesOf(url: string, leadId: string): Promise<ApiActivity[]> {
  const res = await api(url, '/activities?limit=200')
  expect(res.status).toBe(200)
  return (res.body.data as ApiActivity[]).filter((a) => a.related_lead === leadId)
}

function post(url: string, path: string, body: unknown, token: string, key?: string) {
  return fetch(`${url}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  }).then(async (res) => ({ status: res.status, body: await res.json() }))
}

describe('rules the relay\'s own writes trigger (issue 16)', () => {
  it('a lead created through the API with call-new-leads on gets exactly one call for its owner, also when the POST is retried', async () => {
    const relay = await relayWithCallRule()
    const before = Date.now()
    const first = await post(relay.url, '/leads', { title: 'Big lead', owner: relay.ann.member.id }, relay.ann.token, 'lead-1')
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    const leadId = first.body.id as string
    const calls = await activitiesOf(relay.url, leadId)
    expect(calls).toEqual([expect.objectContaining({ subject: 'Call the customer', type: 'call', owner: relay.ann.member.id, related_lead: leadId, done: false })])
    const due = Date.parse(calls[0]!.due!)
    expect(due).toBeGreaterThanOrEqual(before + 3600_000 - 1000)
    expect(due).toBeLessThanOrEqual(Date.now() + 3600_000 + 1000)
    await waitFor(() => readRuns(relay.admin.doc).get('call-new-leads')?.some((l) => l.count === 1) === true, 'the firing logged under the relay')

    // the same request again: the stored answer, nothing written
    const again = await post(relay.url, '/leads', { title: 'Big lead', owner: relay.ann.member.id }, relay.ann.token, 'lead-1')
    expect(again.body.id).toBe(leadId)
    // a retry after a crash that lost the stored answer (the lead and its call were written): same lead, still one call
    const db = new Database(relay.dataFile!)
    db.prepare('DELETE FROM api_idempotency').run()
    db.close()
    const retried = await post(relay.url, '/leads', { title: 'Big lead', owner: relay.ann.member.id }, relay.ann.token, 'lead-1')
    expect(retried.status).toBe(201)
    expect(retried.body.id).toBe(leadId)
    expect(await activitiesOf(relay.url, leadId)).toHaveLength(1)
    expect((await api(relay.url, '/leads')).body.data.filter((l: { title: string }) => l.title === 'Big lead')).toHaveLength(1)
    expect(readRuns(relay.admin.doc).get('call-new-leads')?.reduce((n, l) => n + l.count, 0)).toBe(1)

    // another lead, no key: its own call
    const other = await post(relay.url, '/leads', { title: 'Small lead', owner: relay.ann.member.id }, relay.ann.token)
    expect(await activitiesOf(relay.url, other.body.id)).toHaveLength(1)
  })

  it('a switched-off rule does nothing', async () => {
    const relay = await relayWithCallRule()
    setRuleEnabled(relay.admin.doc, 'call-new-leads', false)
    await waitFor(() => relay.storage.loadDocument(AUTOMATION_DOC).length >= 3, 'switched off')
    const lead = await post(relay.url, '/leads', { title: 'Quiet lead', owner: relay.ann.member.id }, relay.ann.token)
    expect(lead.status).toBe(201)
    expect(await activitiesOf(relay.url, lead.body.id)).toEqual([])
  })

  it('a web form\'s lead, a call from an unknown number and a lead conversion run the rules too, the relay being their writer', async () => {
    const relay = await relayWithCallRule()
    const annId = relay.ann.member.id
    writeRule(relay.admin.doc, {
      id: 'new-deal-tell-ann', name: 'Tell Ann about new deals', enabled: true, trigger: { kind: 'created', entity: 'deals' }, conditions: [],
      actions: [{ kind: 'notify', member: annId, message: 'A new deal' }], createdAt: '2026-12-06T00:00:00.000Z', createdBy: 'admin',
    })
    await waitFor(() => relay.storage.loadDocument(AUTOMATION_DOC).length >= 3, 'the rule stored')

    const form = await api(relay.url, '/forms', { method: 'POST', body: { name: 'Contact us', fields: ['name', 'email'] } })
    expect(form.status).toBe(201)
    const posted = await fetch(`${relay.url}/f/${form.body.id}`, { method: 'POST', body: new URLSearchParams({ name: 'Bo Form', email: 'bo@example.com', _homepage: '' }), redirect: 'manual' })
    expect(posted.status).toBe(200)
    const formLead = (await api(relay.url, '/leads')).body.data.find((l: { name: string }) => l.name === 'Bo Form')
    expect((await activitiesOf(relay.url, formLead.id)).map((a) => a.subject)).toEqual(['Call the customer'])

    const call = await api(relay.url, '/calls', { method: 'POST', body: { direction: 'inbound', from: '+49 171 2345678', to: '+49 30 999', outcome: 'no_answer' } })
    expect(call.status, JSON.stringify(call.body)).toBe(201)
    const callLead = call.body.linked.lead as string
    expect((await activitiesOf(relay.url, callLead)).map((a) => a.subject).sort()).toEqual(['Call from +49 171 2345678 (no answer)', 'Call the customer'])

    const converted = await post(relay.url, `/leads/${formLead.id}/convert`, { deal: { title: 'Bo deal' } }, relay.ann.token, 'convert-1')
    expect(converted.status, JSON.stringify(converted.body)).toBe(200)
    const dealId = converted.body.converted_to.deal as string
    await waitFor(() => readNotifications(relay.admin.doc, annId).some((n) => n.recordId === dealId), 'Ann told about the deal')
    expect(readNotifications(relay.admin.doc, annId)).toEqual([expect.objectContaining({ message: 'A new deal', ruleId: 'new-deal-tell-ann', recordId: dealId })])
    expect(readRuns(relay.admin.doc).get('call-new-leads')?.reduce((n, l) => n + l.count, 0)).toBe(2)
  })
})
