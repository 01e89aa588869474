import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createMember } from '../../server/auth/createMember'
import { verifyWebhookSignature } from '../../server/webhooks/webhookSignature'
import { outboxOf, queueWebhooks } from '../../src/crdt/automationDoc'
import { AUTOMATION_DOC } from '../../src/crdt/docNames'
import { api, makeTempDir, sleep, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const scope = useTestScope()

interface Received { headers: IncomingHttpHeaders; body: string }

async function receiver() {
  const received: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end('thanks')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  scope.cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received }
}

async function relayWithHookRule(url: string, dataDir = makeTempDir()) {
  const relay = await startTestRelay({ dataDir, apiRateLimit: null, rulesIntervalMs: null, webhooks: { retryDelaysMs: [200, 200], timeoutMs: 2000 } })
  const created = await api(relay.url, '/rules', { method: 'POST', body: {
    id: 'lead-hook', name: 'Tell the shop', trigger: { kind: 'created', entity: 'leads' }, actions: [{ kind: 'webhook', url }],
  } })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  return relay
}

describe('rule webhooks: the outbox (issue 16)', () => {
  it('posts each outbox entry once, signed, with the record, then deletes its key; a restart does not post it again', async () => {
    const hook = await receiver()
    const dataDir = makeTempDir()
    const relay = await relayWithHookRule(hook.url, dataDir)
    const lead = await api(relay.url, '/leads', { method: 'POST', body: { title: 'Shop lead' } })
    expect(lead.status).toBe(201)
    await waitFor(() => hook.received.length === 1, 'the webhook call')
    const [call] = hook.received
    const body = JSON.parse(call!.body)
    expect(body).toMatchObject({ event: 'rule.webhook', rule: { id: 'lead-hook', name: 'Tell the shop' }, entity: 'leads', record: { id: lead.body.id, title: 'Shop lead' } })
    expect(call!.headers['kanso-event']).toBe('rule.webhook')
    const secret = (await api(relay.url, '/rules')).body.webhook_secret as string
    expect(verifyWebhookSignature(secret, call!.body, call!.headers['kanso-signature'] as string)).toBe(true)
    await relay.close()

    // the same outbox entry back (a client that had it offline syncs it again): its delivery is keyed, not posted twice
    const again = await startTestRelay({ dataDir, apiRateLimit: null, rulesIntervalMs: null, webhooks: { retryDelaysMs: [200, 200], timeoutMs: 2000 } })
    scope.cleanups.push(() => again.close())
    const ed = createMember(again.storage, { name: 'Ed', role: 'editor' })
    const client = scope.client(again.syncUrl, AUTOMATION_DOC, ed.token)
    await client.synced
    expect(outboxOf(client.doc).size).toBe(0)
    queueWebhooks(client.doc, [{ id: body.id, url: hook.url, ruleId: 'lead-hook', entity: 'leads', recordId: lead.body.id, at: body.occurred_at }])
    await waitFor(() => outboxOf(client.doc).size === 1, 'queued')
    await waitFor(() => outboxOf(client.doc).size === 0, 'the key deleted')
    await sleep(300)
    expect(hook.received).toHaveLength(1)
  })

  it('an outbox entry to a URL no rule calls is deleted unsent', async () => {
    const hook = await receiver()
    const other = await receiver()
    const relay = await relayWithHookRule(hook.url)
    scope.cleanups.push(() => relay.close())
    const ed = createMember(relay.storage, { name: 'Ed', role: 'editor' })
    const client = scope.client(relay.syncUrl, AUTOMATION_DOC, ed.token)
    await client.synced
    queueWebhooks(client.doc, [{ id: 'spoof1', url: other.url, ruleId: 'lead-hook', entity: 'leads', recordId: 'x', at: new Date().toISOString() }])
    await waitFor(() => outboxOf(client.doc).size === 1, 'queued')
    await waitFor(() => outboxOf(client.doc).size === 0, 'the key deleted')
    await sleep(300)
    expect(other.received).toHaveLength(0)
    expect(relay.logger.lines.some((l) => l.includes('outbox entry spoof1 names no webhook action'))).toBe(true)
  })
})
