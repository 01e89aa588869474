import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addEntity } from '../../src/crdt/schemaDoc'
import { recordsOf } from '../../src/crdt/recordDoc'
import { defaultSchema } from '../../src/domain/defaultSchema'
import { ADMIN_TOKEN, makeTempDir, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const scope = useTestScope()

async function api(url: string, path: string, init: { method?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` }
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${url}/api/v1${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null }
}

async function relay(seedSchema?: (doc: Y.Doc) => void) {
  const started = await startTestRelay({ dataDir: makeTempDir(), apiRateLimit: null, ...(seedSchema ? { seedSchema } : {}) })
  scope.cleanups.push(() => started.close())
  return started
}

/** The deal's record map as the relay stored it, read by the stock y-websocket client. */
async function storedDeal(syncUrl: string, id: string, entries: number): Promise<Record<string, unknown>> {
  const client = scope.client(syncUrl, 'entity-deals', ADMIN_TOKEN)
  await client.synced
  const record = () => recordsOf(client.doc).get(id)?.toJSON() as Record<string, unknown> | undefined
  await waitFor(() => Object.keys(record() ?? {}).filter((k) => k.startsWith('stage@')).length >= entries, `${entries} stage changes of ${id}`)
  return record()!
}

describe('pipelines over the REST API', () => {
  it('GET /api/v1/schema lists the pipelines with their stages in order', async () => {
    const { url } = await relay()
    const schema = await api(url, '/schema')
    expect(schema.status).toBe(200)
    expect(schema.body.pipelines).toEqual([{
      id: 'sales',
      name: 'Sales',
      stages: [
        { id: 'sales.new', name: 'New', probability: 10, kind: 'open' },
        { id: 'sales.qualified', name: 'Qualified', probability: 20, kind: 'open' },
        { id: 'sales.proposal', name: 'Proposal', probability: 40, kind: 'open' },
        { id: 'sales.negotiation', name: 'Negotiation', probability: 60, kind: 'open' },
        { id: 'sales.contract', name: 'Contract', probability: 80, kind: 'open' },
        { id: 'sales.won', name: 'Won', probability: 100, kind: 'won' },
        { id: 'sales.lost', name: 'Lost', probability: 0, kind: 'lost' },
      ],
    }])
    const deals = schema.body.entities.find((e: { key: string }) => e.key === 'deals')
    expect(deals.fields.map((f: { key: string }) => f.key)).toContain('lost_reason')
  })

  it('a deal takes its stage by name or by id, stores the id, and keeps each change with its time and member', async () => {
    const { url, syncUrl } = await relay()
    const before = new Date().toISOString()
    const created = await api(url, '/deals', { method: 'POST', body: { title: 'Big one', stage: 'proposal' } })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    expect(created.body).toMatchObject({ stage: 'sales.proposal', pipeline: 'sales' })
    const patched = await api(url, `/deals/${created.body.id}`, { method: 'PATCH', body: { stage: 'sales.negotiation' } })
    expect(patched.status, JSON.stringify(patched.body)).toBe(200)
    expect(patched.body.stage).toBe('sales.negotiation')
    // the same stage again is no change
    expect((await api(url, `/deals/${created.body.id}`, { method: 'PATCH', body: { stage: 'Negotiation' } })).status).toBe(200)
    const after = new Date().toISOString()
    const stored = await storedDeal(syncUrl, created.body.id, 2)
    const changes = Object.entries(stored).filter(([k]) => k.startsWith('stage@')).map(([, v]) => v as { from: string | null; to: string; at: string; by: string })
      .sort((a, b) => a.at.localeCompare(b.at))
    expect(changes.map((c) => [c.from, c.to])).toEqual([[null, 'sales.proposal'], ['sales.proposal', 'sales.negotiation']])
    for (const c of changes) {
      expect(c.at >= before && c.at <= after, `${c.at} within the requests`).toBe(true)
      expect(c.by).toBe(stored.$createdBy)
    }
    expect((await api(url, `/deals/${created.body.id}`, { method: 'PATCH', body: { stage: 'Nowhere' } })).body.errors).toEqual([
      { field: 'stage', message: expect.stringMatching(/"Nowhere" is not one of the options/) },
    ])
  })

  it('a deal moved to a lost stage without a lost_reason is refused, naming lost_reason; with one it is saved', async () => {
    const { url } = await relay()
    const created = await api(url, '/deals', { method: 'POST', body: { title: 'Risky', stage: 'New' } })
    const refused = await api(url, `/deals/${created.body.id}`, { method: 'PATCH', body: { stage: 'Lost' } })
    expect(refused.status).toBe(422)
    expect(refused.body.errors).toEqual([{ field: 'lost_reason', message: expect.stringMatching(/lost_reason/) }])
    expect((await api(url, `/deals/${created.body.id}`)).body.stage).toBe('sales.new')
    const lost = await api(url, `/deals/${created.body.id}`, { method: 'PATCH', body: { stage: 'Lost', lost_reason: 'Price' } })
    expect(lost.status, JSON.stringify(lost.body)).toBe(200)
    expect(lost.body).toMatchObject({ stage: 'sales.lost', lost_reason: 'Price' })
    expect((await api(url, '/deals', { method: 'POST', body: { title: 'Gone', stage: 'sales.lost' } })).status).toBe(422)
  })

  it('a workspace from before pipelines gets "Sales" from its stage options at start, and its deals\' names read as ids', async () => {
    const { url } = await relay((doc) => {
      for (const entity of defaultSchema().entities) {
        const fields = entity.fields.map((f) => {
          const { choicesFrom: _omit, ...old } = f
          return f.key === 'stage' && entity.id === 'deals' ? { ...old, options: ['Lead', 'Demo', 'Won', 'Lost'] } : old
        })
        addEntity(doc, { ...entity, fields }, 'seed')
      }
    })
    const schema = await api(url, '/schema')
    expect(schema.body.pipelines[0].stages.map((s: { id: string; kind: string }) => [s.id, s.kind])).toEqual([
      ['sales.lead', 'open'], ['sales.demo', 'open'], ['sales.won', 'won'], ['sales.lost', 'lost'],
    ])
    const created = await api(url, '/deals', { method: 'POST', body: { title: 'Old style', stage: 'Demo' } })
    expect(created.body.stage).toBe('sales.demo')
  })
})
