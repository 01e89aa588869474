import { readdirSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createRecord, readLiveRows, updateCell } from '../../src/crdt/recordDoc'
import type { Row } from '../../src/domain/schema'
import { ADMIN_TOKEN, makeTempDir, sleep, startTestRelay, useTestScope, waitFor, type TestClient } from './relayTestKit'

const scope = useTestScope()

async function api(url: string, path: string, init: { method?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` }
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${url}/api/v1${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null }
}

async function relay(options: Parameters<typeof startTestRelay>[0] = {}) {
  const started = await startTestRelay({ dataDir: makeTempDir(), apiRateLimit: null, ...options })
  scope.cleanups.push(() => started.close())
  return started
}

/** Every live deal as the API lists it (all pages): id → title. */
async function apiTitles(url: string): Promise<Map<string, string | null>> {
  const titles = new Map<string, string | null>()
  let cursor: string | null = null
  do {
    const listed = await api(url, `/deals?limit=1000${cursor ? `&cursor=${cursor}` : ''}`)
    expect(listed.status, JSON.stringify(listed.body)).toBe(200)
    for (const d of listed.body.data as { id: string; title: string | null }[]) titles.set(d.id, d.title)
    cursor = listed.body.next_cursor
  } while (cursor)
  return titles
}

function clientTitles(client: TestClient): Map<string, string | null> {
  return new Map(readLiveRows(client.doc).map((row: Row) => [row.id, (row.values['deals.title'] as string | undefined) ?? null]))
}

/** Waits until every client's live deals are the API's (ids and titles); returns the API's. */
async function expectConverged(url: string, clients: TestClient[]): Promise<Map<string, string | null>> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const listed = await apiTitles(url)
    if (clients.every((c) => sameEntries(clientTitles(c), listed))) return listed
    if (Date.now() > deadline) {
      const counts = clients.map((c) => clientTitles(c).size)
      throw new Error(`the clients (${counts.join(', ')} deals) and the API (${listed.size}) do not agree`)
    }
    await sleep(50)
  }
}

function sameEntries(a: Map<string, unknown>, b: Map<string, unknown>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.has(k) && b.get(k) === v)
}

/**
 * Makes the relay's next appends fail for real: the update log opens a new file per batch after
 * a fold, and a directory in the place of that file makes the open fail (EISDIR), as a full or
 * read-only disk would. Returns a function that takes the obstacles away. Both are asynchronous:
 * the relay runs on this event loop, and thousands of synchronous mkdirs on a busy machine held
 * it for seconds, past the server's keep-alive timeout, so the next fetch went out on a pooled
 * connection the server closed under it (ECONNRESET).
 */
async function blockUpdateLog(dataFile: string): Promise<() => Promise<void>> {
  const prefix = `${basename(dataFile)}-updates-`
  const used = readdirSync(dirname(dataFile)).filter((n) => n.startsWith(prefix)).map((n) => Number(n.slice(prefix.length)))
  const from = used.length ? Math.max(...used) + 1 : 1
  const blocked: string[] = []
  // the log's next number is not visible from outside: block well past anything a test uses
  for (let n = Math.max(1, from - 200); n < from + 2000; n++) {
    const path = join(dirname(dataFile), `${prefix}${n}`)
    if (used.includes(n)) continue
    blocked.push(path)
  }
  await Promise.all(blocked.map((path) => mkdir(path)))
  return async () => { await Promise.all(blocked.map((path) => rm(path, { recursive: true, force: true }))) }
}

describe('server writes under concurrency (REST API v1 and web forms share the path)', () => {
  it('50 concurrent API creates while 3 stock y-websocket clients edit the same document: each lands once, no 5xx, everyone converges', async () => {
    const { url, syncUrl, logger } = await relay()
    const clients = [0, 1, 2].map(() => scope.client(syncUrl, 'entity-deals', ADMIN_TOKEN))
    await Promise.all(clients.map((c) => c.synced))
    const seeded = createRecord(clients[0]!.doc, { 'deals.title': 'Shared' }, { createdBy: 'seed' }, 'ui')
    await waitFor(() => clients.every((c) => readLiveRows(c.doc).some((r) => r.id === seeded)), 'the seeded deal everywhere')
    let editing = true
    const edits = (async () => {
      for (let round = 0; editing; round++) {
        clients.forEach((c, k) => {
          createRecord(c.doc, { 'deals.title': `Client ${k} round ${round}` }, { createdBy: `c${k}` }, 'ui')
          updateCell(c.doc, seeded, 'deals.title', `Shared by ${k} in ${round}`, 'ui')
        })
        await sleep(2)
      }
    })()
    const created = await Promise.all(Array.from({ length: 50 }, (_, i) => api(url, '/deals', { method: 'POST', body: { title: `API ${i}` } })))
    editing = false
    await edits
    expect(created.map((r) => r.status)).toEqual(Array(50).fill(201))
    const ids = created.map((r) => r.body.id as string)
    expect(new Set(ids).size).toBe(50)
    const listed = await expectConverged(url, clients)
    for (const [i, id] of ids.entries()) expect(listed.get(id)).toBe(`API ${i}`)
    expect([...listed.values()].filter((t) => t?.startsWith('API ')).length).toBe(50)
    expect(logger.lines.filter((l) => l.startsWith('error'))).toEqual([])
  })

  it('an API PATCH racing browser edits of the same cell: no 5xx, and every client ends with the value the API lists', async () => {
    const { url, syncUrl, logger } = await relay()
    const clients = [0, 1, 2].map(() => scope.client(syncUrl, 'entity-deals', ADMIN_TOKEN))
    await Promise.all(clients.map((c) => c.synced))
    const id = (await api(url, '/deals', { method: 'POST', body: { title: 'Start' } })).body.id as string
    await waitFor(() => clients.every((c) => readLiveRows(c.doc).some((r) => r.id === id)), 'the deal everywhere')
    for (let round = 0; round < 20; round++) {
      clients.forEach((c, k) => updateCell(c.doc, id, 'deals.title', `Browser ${k}.${round}`, 'ui'))
      const patched = await Promise.all([0, 1].map((k) => api(url, `/deals/${id}`, { method: 'PATCH', body: { title: `API ${k}.${round}` } })))
      expect(patched.map((p) => p.status), logger.lines.join('\n')).toEqual([200, 200])
    }
    await expectConverged(url, clients)
  })

  it('a write that fails storage is a problem+json 503 (logged with its stack), leaves the API\'s copy as storage has it, and the next write works', async () => {
    const started = await relay()
    const { url, syncUrl, logger } = started
    const client = scope.client(syncUrl, 'entity-deals', ADMIN_TOKEN)
    await client.synced
    const kept = await api(url, '/deals', { method: 'POST', body: { title: 'Kept' } })
    expect(kept.status).toBe(201)
    // the log files of earlier writes are sealed and gone once they are in SQLite
    await waitFor(() => !readdirSync(dirname(started.dataFile!)).some((n) => n.includes('-updates-')), 'the update log folded')
    const unblock = await blockUpdateLog(started.dataFile!)
    let failed: Awaited<ReturnType<typeof api>>
    try {
      failed = await api(url, '/deals', { method: 'POST', body: { title: 'Lost' } })
    } finally {
      await unblock()
    }
    expect(failed.status, JSON.stringify(failed.body)).toBe(503)
    expect(failed.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(failed.headers.get('retry-after')).toBe('1')
    expect(failed.body).toMatchObject({ status: 503, detail: expect.stringMatching(/try again/) })
    expect(logger.lines.some((l) => l.startsWith('error') && l.includes('    at '))).toBe(true)
    expect([...(await apiTitles(url)).values()]).toEqual(['Kept'])
    const again = await api(url, '/deals', { method: 'POST', body: { title: 'Again' } })
    expect(again.status).toBe(201)
    const patched = await api(url, `/deals/${kept.body.id}`, { method: 'PATCH', body: { title: 'Kept, renamed' } })
    expect(patched.status).toBe(200)
    const listed = await expectConverged(url, [client])
    expect([...listed.values()].sort()).toEqual(['Again', 'Kept, renamed'])
  })

  it('a web form post that fails storage answers 503 (its page, and problem+json to the embed) and a retry stores the lead once', async () => {
    const started = await relay({ formRateLimits: null })
    const { url } = started
    const form = await api(url, '/forms', { method: 'POST', body: { name: 'Contact us', fields: ['name', 'email'] } })
    expect(form.status).toBe(201)
    const post = (accept: string) => fetch(`${url}/f/${form.body.id}`, { method: 'POST', body: JSON.stringify({ name: 'Ann Lee', email: 'ann@example.com' }), headers: { 'content-type': 'application/json', accept } })
    expect((await api(url, '/leads')).status).toBe(200)
    await waitFor(() => !readdirSync(dirname(started.dataFile!)).some((n) => n.includes('-updates-')), 'the update log folded')
    const unblock = await blockUpdateLog(started.dataFile!)
    let failed: Response
    try {
      failed = await post('application/json')
    } finally {
      await unblock()
    }
    expect(failed.status).toBe(503)
    expect(failed.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(failed.headers.get('retry-after')).toBe('1')
    expect(failed.headers.get('access-control-allow-origin')).toBe('*')
    expect((await failed.json()).detail).toMatch(/try again/)
    expect((await post('application/json')).status).toBe(201)
    const listed = await api(url, '/leads')
    expect(listed.body.data.map((l: { name: string }) => l.name)).toEqual(['Ann Lee'])
  })

  it('a stored update over 1 MB drops the API\'s copy while writes are in flight: none is lost or doubled', async () => {
    const { url, syncUrl } = await relay()
    const client = scope.client(syncUrl, 'entity-deals', ADMIN_TOKEN)
    await client.synced
    expect((await api(url, '/deals', { method: 'POST', body: { title: 'Before' } })).status).toBe(201)
    const writes = Array.from({ length: 20 }, (_, i) => api(url, '/deals', { method: 'POST', body: { title: `During ${i}` } }))
    // one transaction of ~1.2 MB: stored as one update, which the API's copy does not apply
    client.doc.transact(() => {
      for (let i = 0; i < 3000; i++) createRecord(client.doc, { 'deals.title': `Bulk ${i} ${'x'.repeat(300)}` }, { createdBy: 'bulk' }, 'ui')
    })
    const more = Array.from({ length: 20 }, (_, i) => api(url, '/deals', { method: 'POST', body: { title: `After ${i}` } }))
    const answers = await Promise.all([...writes, ...more])
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(201))
    const listed = await expectConverged(url, [client])
    expect(listed.size).toBe(1 + 40 + 3000)
  }, 30_000)

  it('the first GET of a big entity while writes arrive sees every write (API and client) exactly once', async () => {
    const { url, syncUrl } = await relay()
    const client = scope.client(syncUrl, 'entity-deals', ADMIN_TOKEN)
    await client.synced
    client.doc.transact(() => {
      for (let i = 0; i < 4000; i++) createRecord(client.doc, { 'deals.title': `Seeded deal number ${i} with a longer title` }, { createdBy: 'seed' }, 'ui')
    })
    const other = scope.client(syncUrl, 'entity-deals', ADMIN_TOKEN)
    await waitFor(() => readLiveRows(other.doc).length === 4000, 'the seeded deals relayed')
    const first = api(url, '/deals?limit=1')
    const writes: Promise<unknown>[] = []
    for (let i = 0; i < 10; i++) {
      createRecord(client.doc, { 'deals.title': `Client during ${i}` }, { createdBy: 'c' }, 'ui')
      writes.push(api(url, '/deals', { method: 'POST', body: { title: `API during ${i}` } }))
      await sleep(1)
    }
    expect((await first).status).toBe(200)
    await Promise.all(writes)
    const listed = await expectConverged(url, [client, other])
    expect(listed.size).toBe(4020)
  }, 30_000)
})
