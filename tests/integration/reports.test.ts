import { describe, expect, it } from 'vitest'
import { setWorkspaceDetail } from '../../src/crdt/schemaDoc'
import { createReport } from '../../src/crdt/reportDoc'
import { createMember } from '../../server/auth/createMember'
import { ADMIN_TOKEN, api, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const scope = useTestScope()

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)

/**
 * Deals created and moved through the API (each stage edit stores its change with the relay's
 * time), hand-counted: D1 New → Qualified → Proposal → Won, D2 New → Qualified → Lost,
 * D3 New → Proposal (skipping Qualified), D4 stays New and is in USD, D5 is deleted.
 */
async function workspaceWithDeals() {
  const relay = await startTestRelay({ apiRateLimit: null })
  scope.cleanups.push(() => relay.close())
  const create = async (body: Record<string, unknown>) => {
    const created = await api(relay.url, '/deals', { method: 'POST', body: { stage: 'New', ...body } })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    return created.body as { id: string; owner: string | null }
  }
  const move = async (id: string, ...stages: string[]) => {
    for (const stage of stages) {
      const moved = await api(relay.url, `/deals/${id}`, { method: 'PATCH', body: { stage, ...(stage === 'Lost' ? { lost_reason: 'Price' } : {}) } })
      expect(moved.status, JSON.stringify(moved.body)).toBe(200)
    }
  }
  const d1 = await create({ title: 'D1', amount: { amount: 1000, currency: 'EUR' }, source: 'Website', owner: 'Admin' })
  const d2 = await create({ title: 'D2', amount: { amount: 500, currency: 'EUR' }, source: 'Referral', owner: 'Admin' })
  const d3 = await create({ title: 'D3', amount: { amount: 200, currency: 'EUR' }, source: 'Website' })
  const d4 = await create({ title: 'D4', amount: { amount: 100, currency: 'USD' }, source: 'Website', owner: 'Admin' })
  const d5 = await create({ title: 'D5', amount: { amount: 50, currency: 'EUR' } })
  await move(d1.id, 'Qualified', 'Proposal', 'Won')
  await move(d2.id, 'Qualified', 'Lost')
  await move(d3.id, 'Proposal')
  expect((await api(relay.url, `/deals/${d5.id}`, { method: 'DELETE' })).status).toBe(204)
  return { ...relay, owner: d1.owner!, d4 }
}

const funnel = (url: string, query: string) => api(url, `/reports/funnel?pipeline=sales&from=${day(-1)}&to=${day(1)}${query}`)

describe('GET /api/v1/reports on the real relay', () => {
  it('the funnel over deals created through the API: counts, amounts, conversions and win rate as hand-computed', async () => {
    const { url } = await workspaceWithDeals()
    const all = await funnel(url, '')
    expect(all.status).toBe(200)
    expect(all.body.stages.map((s: Record<string, unknown>) => Object.keys(s))).toEqual(Array(6).fill(['id', 'name', 'count', 'amount', 'conversion_from_previous', 'conversion_from_first', 'avg_days_in_stage']))
    expect(all.body.stages.map((s: { id: string; count: number; amount: number }) => [s.id, s.count, s.amount])).toEqual([
      ['sales.new', 4, 1700], ['sales.qualified', 3, 1700], ['sales.proposal', 2, 1200], ['sales.negotiation', 1, 1000], ['sales.contract', 1, 1000], ['sales.won', 1, 1000],
    ])
    expect(all.body.stages.map((s: { conversion_from_previous: number | null }) => s.conversion_from_previous)).toEqual([null, 0.75, 2 / 3, 0.5, 1, 1])
    expect(all.body.stages.map((s: { conversion_from_first: number | null }) => s.conversion_from_first)).toEqual([1, 0.75, 0.5, 0.25, 0.25, 0.25])
    expect(all.body).toMatchObject({ win_rate: 0.5, deals: 4, won: 1, lost: 1, currency: 'EUR', without_rate: ['USD'], pipeline: { id: 'sales', name: 'Sales' } })
    expect(all.body.drop_off[0]).toEqual({ from: 'sales.new', to: 'sales.qualified', count: 1 })
    // the moves took milliseconds: days in a stage a deal left are (close to) 0
    expect(all.body.stages[0].avg_days_in_stage).toBe(0)
    expect(all.body.stages[3].avg_days_in_stage).toBeNull()
  })

  it('filters by owner and source; a later period counts nothing', async () => {
    const { url, owner } = await workspaceWithDeals()
    const mine = await funnel(url, `&owner=${owner}`)
    expect(mine.body.stages.map((s: { count: number }) => s.count)).toEqual([3, 2, 1, 1, 1, 1])
    expect(mine.body.stages.map((s: { conversion_from_previous: number | null }) => s.conversion_from_previous)).toEqual([null, 2 / 3, 0.5, 1, 1, 1])
    const website = await funnel(url, '&source=Website')
    expect(website.body.stages.map((s: { count: number }) => s.count)).toEqual([3, 2, 2, 1, 1, 1])
    expect(website.body.win_rate).toBe(1)
    const later = await api(url, `/reports/funnel?from=${day(2)}&to=${day(3)}`)
    expect(later.body.stages.map((s: { count: number }) => s.count)).toEqual([0, 0, 0, 0, 0, 0])
    expect(later.body.win_rate).toBeNull()
  })

  it('converts at the rates an admin keeps in the workspace settings', async () => {
    const { url, syncUrl } = await workspaceWithDeals()
    const admin = scope.client(syncUrl, 'schema', ADMIN_TOKEN)
    await admin.synced
    setWorkspaceDetail(admin.doc, 'currencyRates', { USD: 0.5 }, 'test')
    let first = 0
    await waitFor(() => {
      void funnel(url, '').then((r) => { first = r.body.stages[0].amount })
      return first === 1750
    }, 'the funnel to convert USD at 0.5')
    expect((await funnel(url, '')).body.without_rate).toEqual([])
  })

  it('runs the ready-made reports by id, and refuses unknown ids and parameters', async () => {
    const { url, owner } = await workspaceWithDeals()
    const list = await api(url, '/reports')
    expect(list.body.data.map((r: { id: string }) => r.id)).toContain('win_rate_by_owner')
    const winRate = await api(url, '/reports/win_rate_by_owner')
    expect(winRate.status).toBe(200)
    expect(winRate.body.columns.map((c: { key: string }) => c.key)).toEqual(['owner', 'win_rate', 'won', 'closed'])
    expect(winRate.body.rows).toEqual([{ owner, owner_label: expect.any(String), win_rate: 0.5, won: 1, closed: 2 }])
    const byStage = await api(url, '/reports/pipeline_value_by_stage')
    // open deals: D3 in Proposal (200 EUR), D4 in New (100 USD, no rate)
    expect(byStage.body.rows.map((r: Record<string, unknown>) => [r.stage, r.value, r.deals])).toEqual([
      ['sales.new', 0, 1], ['sales.qualified', 0, 0], ['sales.proposal', 200, 1], ['sales.negotiation', 0, 0], ['sales.contract', 0, 0], ['sales.won', 0, 0], ['sales.lost', 0, 0],
    ])
    expect(byStage.body.without_rate).toEqual(['USD'])
    const timeInStage = await api(url, '/reports/average_time_in_stage?pipeline=sales')
    expect(timeInStage.body.stages).toHaveLength(6)
    expect((await api(url, '/reports/nope')).status).toBe(404)
    expect((await api(url, '/reports/funnel?pipeline=nope')).status).toBe(404)
    const bad = await api(url, '/reports/funnel?from=2026-13-01&colour=red')
    expect(bad.status).toBe(400)
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['colour', 'from'])
    expect((await api(url, '/reports/funnel', { method: 'POST', body: {} })).status).toBe(405)
  })

  it('runs a saved report by id (issue 17): a shared one for everyone, a personal one for its owner only, listed with the ready-made', async () => {
    const relay = await workspaceWithDeals()
    const ann = createMember(relay.storage, { name: 'Ann', role: 'editor' })
    const bob = createMember(relay.storage, { name: 'Bob', role: 'editor' })
    const client = scope.client(relay.syncUrl, 'schema', ann.token)
    await client.synced
    const definition = {
      entity: 'deals', filters: [], groups: [{ field: 'deals.source' }],
      measures: [{ key: 'deals', label: 'Deals', op: 'count' as const }, { key: 'amount', label: 'Amount', op: 'sum' as const, field: 'deals.amount' }],
    }
    const shared = createReport(client.doc, { shared: true }, { name: 'Deals by source', chart: 'bar', definition }, 'test')
    const mine = createReport(client.doc, { shared: false, owner: ann.member.id }, { name: 'Mine', chart: 'table', definition }, 'test')
    let listed: string[] = []
    await waitFor(() => {
      void api(relay.url, '/reports', { token: ann.token }).then((r) => { listed = (r.body?.data ?? []).map((x: { id: string }) => x.id) }, () => undefined)
      return listed.includes(mine.id)
    }, "Ann's reports to be stored")
    expect(listed).toContain(shared.id)
    const ran = await api(relay.url, `/reports/${shared.id}`, { token: bob.token })
    expect(ran.status, JSON.stringify(ran.body)).toBe(200)
    // live deals: D1 Website 1000, D2 Referral 500, D3 Website 200, D4 Website 100 USD (no rate); D5 deleted
    const bySource = Object.fromEntries(ran.body.rows.map((r: Record<string, unknown>) => [r.source, [r.deals, r.amount]]))
    expect(bySource).toMatchObject({ Website: [3, 1200], Referral: [1, 500] })
    expect(ran.body).toMatchObject({ id: shared.id, name: 'Deals by source', chart: 'bar' })
    expect((await api(relay.url, `/reports/${mine.id}`, { token: ann.token })).status).toBe(200)
    expect((await api(relay.url, `/reports/${mine.id}`, { token: bob.token })).status).toBe(404)
    expect((await api(relay.url, '/reports', { token: bob.token })).body.data.map((x: { id: string }) => x.id)).not.toContain(mine.id)
  })
})
