import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createMember } from '../../server/auth/createMember'
import { CLOSE_LAYOUT_VIOLATION } from '../../server/closeCodes'
import { readSchema } from '../../src/crdt/schemaDoc'
import { createView, readViews, updateView } from '../../src/crdt/viewDoc'
import { api, sleep, startTestRelay, type TestClient, useTestScope, waitFor } from './relayTestKit'

const scope = useTestScope()

function closedWith(c: TestClient): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    c.provider.on('connection-close', (event: { code: number; reason: string } | null) => {
      if (event && event.code !== 1000) resolve({ code: event.code, reason: event.reason })
    })
  })
}

const deals = (doc: Y.Doc) => readSchema(doc).entities.find((e) => e.id === 'deals')!
const titles = (body: { data: Array<{ title: string }> }) => body.data.map((d) => d.title)

/** A relay with two editors and a viewer, and five deals of theirs. */
async function team() {
  const relay = await startTestRelay({ apiRateLimit: null })
  scope.cleanups.push(() => relay.close())
  const ann = createMember(relay.storage, { name: 'Ann', role: 'editor' })
  const bob = createMember(relay.storage, { name: 'Bob', role: 'editor' })
  const vic = createMember(relay.storage, { name: 'Vic', role: 'viewer' })
  const made: Array<[string, number, string]> = [['Small Ann', 500, ann.member.id], ['Big Ann', 5000, ann.member.id], ['Huge Bob', 90000, bob.member.id], ['Mid Bob', 1500, bob.member.id], ['Nobody', 2000, '']]
  for (const [title, amount, owner] of made) {
    const res = await api(relay.url, '/deals', { method: 'POST', body: { title, amount: { amount, currency: 'EUR' }, ...(owner ? { owner } : {}) } })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
  }
  return { ...relay, ann, bob, vic }
}

/** A member's schema client, synced. */
async function schemaClient(syncUrl: string, token: string): Promise<TestClient> {
  const c = scope.client(syncUrl, 'schema', token)
  await c.synced
  return c
}

describe('saved views on the real relay (issue 15)', () => {
  it('a shared view lists the same records for everyone over HTTP; a personal one only for its owner, "is me" being the caller', async () => {
    const { url, syncUrl, ann, bob } = await team()
    const annClient = await schemaClient(syncUrl, ann.token)
    const big = createView(annClient.doc, { entity: deals(annClient.doc), shared: true, owner: ann.member.id, spec: {
      name: 'Big deals', filters: [{ field: 'deals.amount', op: 'range', from: 1000 }], sort: [{ field: 'deals.amount', desc: true }], columns: [{ field: 'deals.contacts', hidden: true }],
    } }, 'test')
    const mine = createView(annClient.doc, { entity: deals(annClient.doc), shared: false, owner: ann.member.id, spec: {
      name: 'My deals', filters: [{ field: 'deals.owner', op: 'isMe' }], sort: [{ field: 'deals.title', desc: false }], columns: [],
    } }, 'test')
    let listed: string[] = []
    await waitFor(() => {
      void api(url, '/views?entity=deals', { token: ann.token }).then((r) => { listed = (r.body?.data ?? []).map((v: { id: string }) => v.id) }, () => undefined)
      return listed.length === 2
    }, "Ann's views to be stored")
    expect(listed).toEqual([big.id, mine.id])

    const bobViews = await api(url, '/views?entity=deals', { token: bob.token })
    expect(bobViews.body.data).toEqual([{
      id: big.id, entity: 'deals', name: 'Big deals', shared: true, owner: null, created_at: big.createdAt,
      filters: [{ field: 'amount', op: 'range', from: 1000 }], sort: [{ field: 'amount', desc: true }], columns: [{ field: 'contacts', hidden: true }],
    }])
    expect((await api(url, '/views')).body.data.map((v: { id: string }) => v.id)).toEqual([big.id])

    // the shared view: amount ≥ 1000, largest first — for Ann and for Bob alike
    for (const token of [ann.token, bob.token]) {
      const res = await api(url, `/deals?view=${big.id}`, { token })
      expect(res.status).toBe(200)
      expect(titles(res.body)).toEqual(['Huge Bob', 'Big Ann', 'Nobody', 'Mid Bob'])
    }
    // the other parameters narrow it further; `sort` replaces the view's
    expect(titles((await api(url, `/deals?view=${big.id}&amount[lt]=3000&sort=title`)).body)).toEqual(['Mid Bob', 'Nobody'])
    // paging keeps the view's order
    const first = await api(url, `/deals?view=${big.id}&limit=2`)
    expect(titles(first.body)).toEqual(['Huge Bob', 'Big Ann'])
    expect(titles((await api(url, `/deals?view=${big.id}&limit=2&cursor=${first.body.next_cursor}`)).body)).toEqual(['Nobody', 'Mid Bob'])

    expect(titles((await api(url, `/deals?view=${mine.id}`, { token: ann.token })).body)).toEqual(['Big Ann', 'Small Ann'])
    // the built-in views of every list
    expect(titles((await api(url, '/deals?view=mine&sort=title', { token: bob.token })).body)).toEqual(['Huge Bob', 'Mid Bob'])
    expect(titles((await api(url, '/deals?view=all&sort=title', { token: bob.token })).body)).toHaveLength(5)
    const hidden = await api(url, `/deals?view=${mine.id}`, { token: bob.token })
    expect(hidden.status).toBe(404)
    expect(hidden.body.detail ?? hidden.body.title).toMatch(/no view/)
    expect((await api(url, '/deals?view=s.nothere1234')).status).toBe(404)
    expect((await api(url, '/views?entity=nope')).status).toBe(400)
    const openApi = (await api(url, '/openapi.json')).body
    expect(openApi.paths['/views'].get.operationId).toBe('list_views')
    expect(openApi.paths['/deals'].get.parameters.map((p: { name?: string }) => p.name)).toContain('view')
  })

  it("closes a member who writes another member's personal view with 4422; a viewer writes their own, but not a shared one", async () => {
    const { url, syncUrl, ann, bob, vic } = await team()
    const annClient = await schemaClient(syncUrl, ann.token)
    const mine = createView(annClient.doc, { entity: deals(annClient.doc), shared: false, owner: ann.member.id, spec: { name: 'Mine', filters: [], sort: [], columns: [] } }, 'test')
    const shared = createView(annClient.doc, { entity: deals(annClient.doc), shared: true, owner: ann.member.id, spec: { name: 'Team', filters: [], sort: [], columns: [] } }, 'test')
    const bobClient = await schemaClient(syncUrl, bob.token)
    await waitFor(() => readViews(bobClient.doc).length === 2, 'both views at Bob')

    // Ann renames hers (an overwrite: a deletion). Bob edits the shared view offline; his reconnect
    // sends that with the whole delete set in its sync step 2, Ann's deletion too, which is not his
    // to make: it is no new deletion, he stays connected and his edit arrives
    updateView(annClient.doc, deals(annClient.doc), mine.id, { name: 'Mine, renamed' }, 'test')
    await waitFor(() => readViews(bobClient.doc).find((v) => v.id === mine.id)?.name === 'Mine, renamed', 'the rename at Bob')
    bobClient.provider.disconnect()
    updateView(bobClient.doc, deals(bobClient.doc), shared.id, { sort: [{ field: 'deals.title', desc: false }] }, 'test')
    bobClient.provider.connect()
    await waitFor(() => readViews(annClient.doc).find((v) => v.id === shared.id)?.sort.length === 1, "Bob's offline edit at Ann")
    expect(bobClient.provider.wsconnected).toBe(true)

    const closed = closedWith(bobClient)
    updateView(bobClient.doc, deals(bobClient.doc), mine.id, { name: 'Taken over' }, 'test')
    const { code, reason } = await closed
    expect(code).toBe(CLOSE_LAYOUT_VIOLATION)
    expect(reason).toMatch(/another member's personal view/)

    const vicClient = await schemaClient(syncUrl, vic.token)
    const own = createView(vicClient.doc, { entity: deals(vicClient.doc), shared: false, owner: vic.member.id, spec: { name: 'Vic only', filters: [], sort: [], columns: [] } }, 'test')
    let vicViews: string[] = []
    await waitFor(() => {
      void api(url, '/views?entity=deals', { token: vic.token }).then((r) => { vicViews = (r.body?.data ?? []).map((v: { name: string }) => v.name) }, () => undefined)
      return vicViews.includes('Vic only')
    }, "the viewer's own view to be stored")
    // the schema document carries it to everyone (personal is who lists it, not a secret); Ann's list leaves it out
    await waitFor(() => readViews(annClient.doc).some((v) => v.id === own.id), 'the view in the shared document')
    expect((await api(url, '/views?entity=deals', { token: ann.token })).body.data.map((v: { name: string }) => v.name)).toEqual(['Mine, renamed', 'Team'])

    // a viewer's edit of a shared view is dropped without a word, like any other edit of theirs
    updateView(vicClient.doc, deals(vicClient.doc), shared.id, { name: 'Renamed by a viewer' }, 'test')
    await sleep(300)
    expect(vicClient.provider.wsconnected).toBe(true)
    expect((await api(url, '/views?entity=deals', { token: vic.token })).body.data.map((v: { name: string }) => v.name)).toEqual(['Team', 'Vic only'])
    expect(readViews(annClient.doc).find((v) => v.id === shared.id)?.name).toBe('Team')
  })
})
