import { describe, expect, it } from 'vitest'
import { createMember } from '../../server/auth/createMember'
import { api, makeTempDir, startTestRelay, useTestScope } from './relayTestKit'

const scope = useTestScope()

describe('a member\'s open activities over HTTP (issue 16)', () => {
  it('GET /api/v1/activities?owner=<member id>&done=false lists theirs not done — those created without a done value too — soonest due first', async () => {
    const relay = await startTestRelay({ dataDir: makeTempDir(), apiRateLimit: null })
    scope.cleanups.push(() => relay.close())
    const { member: bea } = createMember(relay.storage, { name: 'Bea', role: 'editor' })
    const { member: cem } = createMember(relay.storage, { name: 'Cem', role: 'editor' })
    const post = async (body: Record<string, unknown>) => {
      const created = await api(relay.url, '/activities', { method: 'POST', body })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      return created.body.id as string
    }
    const later = await post({ type: 'call', subject: 'Call back', owner: bea.id, due: '2026-07-02T09:00:00Z' })
    const sooner = await post({ type: 'task', subject: 'Send the offer', owner: bea.id, due: '2026-07-01T09:00:00Z', done: false })
    await post({ type: 'task', subject: 'Done already', owner: bea.id, due: '2026-06-30T09:00:00Z', done: true })
    await post({ type: 'call', subject: 'Cem\'s', owner: cem.id, due: '2026-07-01T08:00:00Z' })

    const open = await api(relay.url, `/activities?owner=${encodeURIComponent(bea.id)}&done=false&sort=due`)
    expect(open.status, JSON.stringify(open.body)).toBe(200)
    expect(open.body.data.map((r: { id: string }) => r.id)).toEqual([sooner, later])
    const done = await api(relay.url, `/activities?owner=${encodeURIComponent(bea.id)}&done=true`)
    expect(done.body.data.map((r: { subject: string }) => r.subject)).toEqual(['Done already'])
  })
})
