import { readdirSync, readFileSync } from 'node:fs'
import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { dataFileIn } from '../../server/config'
import { createSqliteStorage } from '../../server/storage/sqliteStorage'
import { entityDocName } from '../../src/crdt/docNames'
import { createRecord, readLiveRows, readRow, updateCell } from '../../src/crdt/recordDoc'
import { defaultSchema } from '../../src/domain/defaultSchema'
import { findDuplicates } from '../../src/domain/duplicates/findDuplicates'
import { recordTitle } from '../../src/domain/recordTitle'
import { findEntity, type Row } from '../../src/domain/schema'
import { ADMIN_TOKEN, api, makeTempDir, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const scope = useTestScope()
const contacts = findEntity(defaultSchema(), 'contacts')!
const NAME = entityDocName('contacts')

/**
 * A data directory whose contacts document holds `count` contacts, every 20th sharing an email
 * (in other letter case) with the one before it and every 30th a phone number with the one
 * before it. Returns the document too, to work out what findDuplicates finds over it.
 */
function seededContacts(count: number): { dataDir: string; doc: Y.Doc; ids: string[] } {
  const doc = new Y.Doc()
  const base = Date.UTC(2026, 0, 1)
  const ids: string[] = []
  doc.transact(() => {
    for (let i = 0; i < count; i++) {
      const email = i % 20 === 1 ? `person${i - 1}@example.com`.toUpperCase() : `person${i}@example.com`
      const phone = i % 30 === 1 ? `+4930${String(1_000_000 + i - 1)}` : `+4930${String(1_000_000 + i)}`
      ids.push(createRecord(doc, { 'contacts.first_name': `First${i}`, 'contacts.last_name': `Last${i}x${i * 7919}`, 'contacts.email': email, 'contacts.phone': phone }, { createdBy: 'seed', now: new Date(base + i * 1000) }, 'seed'))
    }
  })
  const dataDir = makeTempDir()
  const storage = createSqliteStorage(dataFileIn(dataDir))
  storage.appendUpdate(NAME, Y.encodeStateAsUpdate(doc))
  storage.close()
  return { dataDir, doc, ids }
}

/** The answer GET /contacts/duplicates owes for these rows, every group on one page. */
function expectedAnswer(rows: Row[]) {
  const byId = new Map(rows.map((r) => [r.id, r]))
  return findDuplicates(contacts, rows).map((g) => ({ ...g, records: g.ids.map((id) => ({ id, name: recordTitle(contacts, byId.get(id)!) })) }))
}

/** Every group, page by page (`limit` a page), as the API pages them. */
async function allPages(url: string, limit: number): Promise<{ data: unknown[]; total: number }> {
  const data: unknown[] = []
  let cursor: string | null = null
  let total = -1
  do {
    const page = await api(url, `/contacts/duplicates?limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`)
    expect(page.status, JSON.stringify(page.body)).toBe(200)
    data.push(...(page.body.data as unknown[]))
    total = page.body.total as number
    cursor = page.body.next_cursor as string | null
  } while (cursor !== null)
  return { data, total }
}

/** The fields of /proc/<pid>/stat (or …/task/<tid>/stat) after the command name, from the state on (index 0 = field 3). */
function statFields(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return text.slice(text.lastIndexOf(')') + 2).split(' ')
}

/** Pids of this process's children running the duplicates process (Linux: /proc). */
function duplicatesProcesses(): number[] {
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (Number(statFields(`/proc/${entry}/stat`)[1]) !== process.pid) continue
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('duplicatesWorker.ts')) found.push(Number(entry))
    } catch (error) {
      // a process that ended while it was read
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
    }
  }
  return found
}

describe('GET /api/v1/{entity}/duplicates in the duplicates process', () => {
  it('answers what findDuplicates finds, pages it in order, and the next answer after a PATCH or a client edit shows the change', async () => {
    const { dataDir, doc, ids } = seededContacts(600)
    // every list in the thread
    const relay = await startTestRelay({ dataDir, apiRateLimit: null, duplicatesInlineBelowRows: 0 })
    scope.cleanups.push(() => relay.close())
    const { url, syncUrl } = relay

    const expected = expectedAnswer(readLiveRows(doc))
    // 30 pairs by email, 20 by phone, 10 of them the same pairs
    expect(expected.length).toBe(40)
    expect(await allPages(url, 500)).toEqual({ data: expected, total: expected.length })
    expect(await allPages(url, 7)).toEqual({ data: expected, total: expected.length })

    // a PATCH that ties a lone contact to the first one by its email
    const lone = ids[5]!
    const patched = await api(url, `/contacts/${lone}`, { method: 'PATCH', body: { email: 'Person0@example.com' } })
    expect(patched.status, JSON.stringify(patched.body)).toBe(200)
    updateCell(doc, lone, 'contacts.email', 'Person0@example.com', 'test')
    const afterPatch = expectedAnswer(readLiveRows(doc))
    expect(afterPatch).not.toEqual(expected)
    expect(await allPages(url, 500)).toEqual({ data: afterPatch, total: afterPatch.length })

    // an edit from a y-websocket client, which breaks a pair (20 and 21 share an email) apart
    const client = scope.client(syncUrl, NAME, ADMIN_TOKEN)
    await client.synced
    const paired = ids[21]!
    updateCell(client.doc, paired, 'contacts.email', 'someone.else@example.com', 'ui')
    let seen: unknown = null
    await waitFor(() => {
      void api(url, `/contacts/${paired}`).then((r) => { seen = r.body.email })
      return seen === 'someone.else@example.com'
    }, 'the client edit stored')
    updateCell(doc, paired, 'contacts.email', 'someone.else@example.com', 'test')
    const afterEdit = expectedAnswer(readLiveRows(doc))
    expect(afterEdit.length).toBe(afterPatch.length - 1)
    expect(await allPages(url, 500)).toEqual({ data: afterEdit, total: afterEdit.length })
    expect(readRow(client.doc, lone)?.values['contacts.email']).toBe('Person0@example.com')
  })

  it('keeps the event loop answering while it searches: /healthz and a y-websocket edit between two clients complete before the answer', async () => {
    const { dataDir, doc } = seededContacts(3000)
    const relay = await startTestRelay({ dataDir, apiRateLimit: null, duplicatesInlineBelowRows: 0 })
    scope.cleanups.push(() => relay.close())
    const { url, syncUrl } = relay
    const alice = scope.client(syncUrl, 'entity-companies', ADMIN_TOKEN)
    const bob = scope.client(syncUrl, 'entity-companies', ADMIN_TOKEN)
    await Promise.all([alice.synced, bob.synced])
    // the API's copy first: only the search itself is left for the duplicates request
    expect((await api(url, '/contacts?limit=1')).status).toBe(200)

    let answered = false
    let sent!: () => void
    const out = new Promise<void>((resolve) => (sent = resolve))
    const duplicates = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${url}/api/v1/contacts/duplicates?limit=500`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => { body += chunk })
        res.on('end', () => {
          answered = true
          resolve({ status: res.statusCode ?? 0, body })
        })
      })
      req.on('finish', sent)
      req.on('error', reject)
      req.end()
    })
    // asked only once the request is out: a search on the event loop (this test's loop too)
    // would be answered before the relay reads anything sent after it
    await out

    const health = await fetch(`${url}/healthz`)
    expect(health.status).toBe(200)
    expect(answered).toBe(false)

    const id = createRecord(alice.doc, { 'companies.name': 'Made while the duplicates are searched' }, { createdBy: 'alice' }, 'ui')
    await waitFor(() => readRow(bob.doc, id) !== undefined, 'the edit at the other client')
    expect(answered).toBe(false)

    const answer = await duplicates
    expect(answer.status).toBe(200)
    const expected = expectedAnswer(readLiveRows(doc))
    expect(JSON.parse(answer.body)).toEqual({ data: expected.slice(0, 500), total: expected.length, next_cursor: expected.length > 500 ? '500' : null })
  })
})

describe.runIf(process.platform === 'linux')('the duplicates process (Linux: read in /proc)', () => {
  it('runs every thread of its own below the relay, V8\'s garbage collection threads included', async () => {
    const { dataDir, doc } = seededContacts(300)
    const relay = await startTestRelay({ dataDir, apiRateLimit: null, duplicatesInlineBelowRows: 0 })
    scope.cleanups.push(() => relay.close())
    const expected = expectedAnswer(readLiveRows(doc))
    expect(await allPages(relay.url, 500)).toEqual({ data: expected, total: expected.length })

    const [pid, ...more] = duplicatesProcesses()
    expect(pid, 'a duplicates process of this relay').toBeDefined()
    expect(more).toEqual([])
    const tasks = readdirSync(`/proc/${pid}/task`)
    // a Node process: its main thread, V8's platform threads (where its heap is collected), libuv's
    expect(tasks.length).toBeGreaterThan(4)
    // field 19 of stat is the nice value (10, or more if the relay itself runs niced)
    for (const tid of tasks) expect(Number(statFields(`/proc/${pid}/task/${tid}/stat`)[16]), `thread ${tid}`).toBeGreaterThanOrEqual(10)
  })

  it('ends once its copy went unused for duplicatesKeepMs (its memory goes back to the system), and the next search reads the copy again with what was stored meanwhile', async () => {
    const { dataDir, doc, ids } = seededContacts(300)
    const relay = await startTestRelay({ dataDir, apiRateLimit: null, duplicatesInlineBelowRows: 0, duplicatesKeepMs: 300 })
    scope.cleanups.push(() => relay.close())
    const expected = expectedAnswer(readLiveRows(doc))
    expect(await allPages(relay.url, 500)).toEqual({ data: expected, total: expected.length })
    const [first] = duplicatesProcesses()
    expect(first).toBeDefined()

    await waitFor(() => duplicatesProcesses().length === 0, 'the duplicates process to end', 10_000)

    // stored while no process keeps a copy: the next one reads it from the file
    const lone = ids[5]!
    const patched = await api(relay.url, `/contacts/${lone}`, { method: 'PATCH', body: { email: 'Person0@example.com' } })
    expect(patched.status, JSON.stringify(patched.body)).toBe(200)
    updateCell(doc, lone, 'contacts.email', 'Person0@example.com', 'test')
    const afterPatch = expectedAnswer(readLiveRows(doc))
    expect(afterPatch).not.toEqual(expected)
    expect(await allPages(relay.url, 500)).toEqual({ data: afterPatch, total: afterPatch.length })
    const [second] = duplicatesProcesses()
    expect(second).toBeDefined()
    expect(second).not.toBe(first)
  })
})
