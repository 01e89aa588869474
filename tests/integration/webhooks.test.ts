import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { CompactRecordStore } from '../../src/crdt/compactRecordStore'
import { createRecord, updateCell } from '../../src/crdt/recordDoc'
import { createSqliteStorage } from '../../server/storage/sqliteStorage'
import { verifyWebhookSignature } from '../../server/webhooks/webhookSignature'
import type { WebhookOptions } from '../../server/webhooks/webhooks'
import { ADMIN_TOKEN, api, makeTempDir, sleep, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const scope = useTestScope()

/** A delivery's body as a receiver parses it. */
interface DeliveryJson { id: string; event: string; entity: string; record: Record<string, unknown> & { id: string }; changes: Record<string, unknown>; member: { id: string; name: string } | null }
interface Received { headers: IncomingHttpHeaders; body: string; json: DeliveryJson }

/** A real HTTP server on port 0 that keeps every request; `answers` are the statuses of the first requests (then 200). */
async function receiver(answers: number[] = []) {
  const received: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      received.push({ headers: req.headers, body, json: JSON.parse(body) as DeliveryJson })
      const status = answers.shift() ?? 200
      res.writeHead(status, { 'content-type': 'text/plain' })
      res.end(status === 200 ? 'thanks' : 'receiver is down for maintenance')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  scope.cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received }
}

const FAST: WebhookOptions = { retryDelaysMs: [200, 200, 200], timeoutMs: 2000 }

async function relay(dataDir = makeTempDir(), webhooks: WebhookOptions = FAST) {
  const started = await startTestRelay({ dataDir, apiRateLimit: null, webhooks })
  let closed = false
  scope.cleanups.push(() => (closed ? undefined : started.close()))
  return Object.assign(started, {
    async stop() {
      closed = true
      await started.close()
    },
  })
}

async function subscribe(url: string, body: Record<string, unknown>) {
  const created = await api(url, '/webhooks', { method: 'POST', body })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  return created.body as { id: string; secret: string; url: string; events: string[]; entity: string | null }
}

/** The documented check, on the raw body. */
function expectSigned(request: Received, secret: string) {
  expect(request.headers['content-type']).toBe('application/json')
  expect(request.headers['kanso-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
  expect(verifyWebhookSignature(secret, request.body, request.headers['kanso-signature'] as string)).toBe(true)
  expect(verifyWebhookSignature(`${secret}x`, request.body, request.headers['kanso-signature'] as string)).toBe(false)
}

describe('outgoing webhooks', () => {
  it('only admins subscribe, list or delete; the secret is shown once; bad input names each field', async () => {
    const { url } = await relay()
    const editor = await api(url, '/api-keys', { method: 'POST', body: { name: 'zapier', role: 'editor' } })
    expect(editor.status).toBe(201)
    expect((await api(url, '/webhooks', { method: 'POST', token: editor.body.key, body: { url: 'http://10.0.0.5/hook', events: ['record.created'] } })).status).toBe(403)
    expect((await api(url, '/webhooks', { token: editor.body.key })).status).toBe(403)
    expect((await api(url, '/webhook-deliveries', { token: editor.body.key })).status).toBe(403)

    // the team's internal hosts are fine
    const created = await subscribe(url, { url: 'http://10.0.0.5:8080/hook', events: ['record.created', 'deal.stage_changed'], entity: 'deals' })
    expect(created.secret).toMatch(/^whsec_/)
    expect(created).toMatchObject({ url: 'http://10.0.0.5:8080/hook', events: ['record.created', 'deal.stage_changed'], entity: 'deals' })
    const listed = await api(url, '/webhooks')
    expect(listed.body.data).toEqual([expect.objectContaining({ id: created.id, url: 'http://10.0.0.5:8080/hook' })])
    expect(JSON.stringify(listed.body)).not.toContain(created.secret)
    expect((await api(url, `/webhooks/${created.id}`, { method: 'DELETE', token: editor.body.key })).status).toBe(403)

    const bad = await api(url, '/webhooks', { method: 'POST', body: { url: 'ftp://x', events: ['record.exploded'], entity: 'nope', extra: 1 } })
    expect(bad.status).toBe(422)
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['entity', 'events', 'extra', 'url'])

    expect((await api(url, `/webhooks/${created.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await api(url, `/webhooks/${created.id}`, { method: 'DELETE' })).status).toBe(404)
    expect((await api(url, '/webhooks')).body.data).toEqual([])
  })

  it('an API create and a stock y-websocket client’s edit each deliver one signed request with the changed fields and the member', async () => {
    const hook = await receiver()
    const { url, syncUrl } = await relay()
    const sub = await subscribe(url, { url: hook.url, events: ['record.created', 'record.updated', 'record.deleted'] })

    const lead = await api(url, '/leads', { method: 'POST', body: { title: 'Website lead', email: 'ann@example.com' } })
    expect(lead.status).toBe(201)
    await waitFor(() => hook.received.length === 1, 'the create’s delivery')
    const created = hook.received[0]!
    expectSigned(created, sub.secret)
    expect(created.headers['kanso-event']).toBe('record.created')
    expect(created.json).toMatchObject({
      event: 'record.created',
      entity: 'leads',
      record: { id: lead.body.id, title: 'Website lead', email: 'ann@example.com' },
      changes: { title: { from: null, to: 'Website lead' }, email: { from: null, to: 'ann@example.com' } },
      member: { id: expect.any(String), name: 'Admin' },
    })
    expect(created.json.id).toMatch(/^evt_/)

    const client = scope.client(syncUrl, 'entity-leads', ADMIN_TOKEN)
    await client.synced
    updateCell(client.doc, lead.body.id, 'leads.title', 'Renamed lead', 'test')
    await waitFor(() => hook.received.length === 2, 'the client edit’s delivery')
    const edited = hook.received[1]!
    expectSigned(edited, sub.secret)
    expect(edited.json).toMatchObject({ event: 'record.updated', record: { id: lead.body.id, title: 'Renamed lead' }, changes: { title: { from: 'Website lead', to: 'Renamed lead' } }, member: { name: 'Admin' } })
    expect(Object.keys(edited.json.changes)).toEqual(['title'])

    expect((await api(url, `/leads/${lead.body.id}`, { method: 'DELETE' })).status).toBe(204)
    await waitFor(() => hook.received.length === 3, 'the delete’s delivery')
    expect(hook.received[2]!.json).toMatchObject({ event: 'record.deleted', record: { id: lead.body.id }, changes: { deleted_at: { from: null, to: expect.any(String) } } })

    await sleep(300)
    expect(hook.received).toHaveLength(3)
    const deliveries = await api(url, '/webhook-deliveries')
    expect(deliveries.body.data).toHaveLength(3)
    expect(deliveries.body.data[0]).toMatchObject({ webhook_id: sub.id, event: 'record.deleted', status: 'delivered', attempts: 1, response_status: 200, response_body: 'thanks' })
  })

  it('deal.stage_changed on a stage edit, and the entity filter keeps other entities out', async () => {
    const hook = await receiver()
    const { url } = await relay()
    const sub = await subscribe(url, { url: hook.url, events: ['deal.stage_changed'], entity: 'deals' })
    const deal = await api(url, '/deals', { method: 'POST', body: { title: 'Big deal', stage: 'New' } })
    await api(url, '/leads', { method: 'POST', body: { title: 'Not a deal' } })
    await api(url, `/deals/${deal.body.id}`, { method: 'PATCH', body: { title: 'Bigger deal' } })
    await api(url, `/deals/${deal.body.id}`, { method: 'PATCH', body: { stage: 'Won' } })
    await waitFor(() => hook.received.length >= 1, 'the stage change’s delivery')
    await sleep(300)
    expect(hook.received).toHaveLength(1)
    expectSigned(hook.received[0]!, sub.secret)
    expect(hook.received[0]!.json).toMatchObject({ event: 'deal.stage_changed', entity: 'deals', record: { id: deal.body.id, stage: 'sales.won' }, changes: { stage: { from: 'sales.new', to: 'sales.won' } } })
  })

  it('a receiver answering 500 is tried again after the backoff, and the delivery is then delivered', async () => {
    const hook = await receiver([500, 500])
    const { url } = await relay()
    const sub = await subscribe(url, { url: hook.url, events: ['record.created'] })
    await api(url, '/companies', { method: 'POST', body: { name: 'Acme' } })
    await waitFor(() => hook.received.length === 3, 'two retries')
    // a retry is the same event, signed again
    expect(new Set(hook.received.map((r) => r.json.id)).size).toBe(1)
    for (const request of hook.received) expectSigned(request, sub.secret)
    const listed = async () => (await api(url, '/webhook-deliveries')).body.data[0]
    const deadline = Date.now() + 2000
    while ((await listed()).status !== 'delivered' && Date.now() < deadline) await sleep(20)
    expect(await listed()).toMatchObject({ status: 'delivered', attempts: 3, response_status: 200 })
    await sleep(500)
    expect(hook.received).toHaveLength(3)
  })

  it('gives up after the last retry and keeps the status and the first bytes of the answer', async () => {
    const hook = await receiver([503, 503])
    const { url } = await relay(makeTempDir(), { retryDelaysMs: [100], timeoutMs: 2000 })
    await subscribe(url, { url: hook.url, events: ['record.created'] })
    await api(url, '/companies', { method: 'POST', body: { name: 'Acme' } })
    await waitFor(() => hook.received.length === 2, 'the one retry')
    const deadline = Date.now() + 2000
    let shown = (await api(url, '/webhook-deliveries')).body.data[0]
    while (shown.status !== 'failed' && Date.now() < deadline) shown = (await api(url, '/webhook-deliveries')).body.data[0]
    expect(shown).toMatchObject({ status: 'failed', attempts: 2, response_status: 503, response_body: 'receiver is down for maintenance', next_attempt_at: null })
  })

  it('a delivery pending when the relay stops is delivered after the restart; one acknowledged before is not sent again', async () => {
    const hook = await receiver([200, 500])
    const dataDir = makeTempDir()
    const slowRetry: WebhookOptions = { retryDelaysMs: [1500], timeoutMs: 2000 }
    const first = await relay(dataDir, slowRetry)
    const sub = await subscribe(first.url, { url: hook.url, events: ['record.created'] })
    await api(first.url, '/companies', { method: 'POST', body: { name: 'Acked' } })
    await waitFor(() => hook.received.length === 1, 'the first delivery')
    await api(first.url, '/companies', { method: 'POST', body: { name: 'Pending' } })
    await waitFor(() => hook.received.length === 2, 'the failed attempt')
    await sleep(50)
    await first.stop()

    const second = await relay(dataDir, slowRetry)
    await waitFor(() => hook.received.length === 3, 'the pending delivery after the restart', 5000)
    await sleep(2000)
    expect(hook.received.map((r) => r.json.record.name)).toEqual(['Acked', 'Pending', 'Pending'])
    expectSigned(hook.received[2]!, sub.secret)
    await second.stop()
  })

  it('an update stored by a relay killed before it queued the deliveries fires them when the relay starts again', async () => {
    const hook = await receiver()
    const dataDir = makeTempDir()
    const first = await relay(dataDir)
    const sub = await subscribe(first.url, { url: hook.url, events: ['record.created'], entity: 'companies' })
    await api(first.url, '/companies', { method: 'POST', body: { name: 'Before' } })
    await waitFor(() => hook.received.length === 1, 'the first delivery')
    await first.stop()

    // what a relay killed right after storing an update leaves behind: the update, no delivery
    const storage = createSqliteStorage(first.dataFile!)
    const store = new CompactRecordStore()
    store.load(storage.loadDocument('entity-companies'))
    const change = store.createRecord({ 'companies.name': 'Stored, then killed' }, { createdBy: 'someone' })
    storage.appendUpdate('entity-companies', change.update)
    storage.close()

    await relay(dataDir)
    await waitFor(() => hook.received.length === 2, 'the recovered delivery')
    await sleep(300)
    expect(hook.received).toHaveLength(2)
    expectSigned(hook.received[1]!, sub.secret)
    expect(hook.received[1]!.json).toMatchObject({ event: 'record.created', record: { name: 'Stored, then killed' }, member: null })
  })

  it('an offline client’s edits fire once per change when it syncs, and never again', async () => {
    const hook = await receiver()
    const { url, syncUrl } = await relay()
    await subscribe(url, { url: hook.url, events: ['record.created', 'record.updated'], entity: 'leads' })
    const ids: string[] = []
    for (const title of ['A', 'B', 'C']) ids.push((await api(url, '/leads', { method: 'POST', body: { title } })).body.id)
    await waitFor(() => hook.received.length === 3, 'the creates’ deliveries')

    const client = scope.client(syncUrl, 'entity-leads', ADMIN_TOKEN)
    await client.synced
    client.provider.disconnect()
    updateCell(client.doc, ids[0]!, 'leads.title', 'A offline', 'test')
    updateCell(client.doc, ids[1]!, 'leads.title', 'B offline', 'test')
    updateCell(client.doc, ids[1]!, 'leads.status', 'Contacted', 'test')
    const createdOffline = createRecord(client.doc, { 'leads.title': 'D offline' }, { createdBy: 'admin' }, 'test')
    await sleep(200)
    expect(hook.received).toHaveLength(3)

    client.provider.connect()
    await waitFor(() => hook.received.length === 6, 'the offline changes’ deliveries')
    await sleep(300)
    client.provider.disconnect()
    client.provider.connect()
    await sleep(500)
    const later = hook.received.slice(3).map((r) => r.json)
    expect(hook.received).toHaveLength(6)
    expect(later.map((e) => [e.event, e.record.id]).sort()).toEqual([
      ['record.created', createdOffline],
      ['record.updated', ids[0]],
      ['record.updated', ids[1]],
    ].sort())
    expect(later.find((e) => e.record.id === ids[1])!.changes).toEqual({ title: { from: 'B', to: 'B offline' }, status: { from: null, to: 'Contacted' } })
  })
})
