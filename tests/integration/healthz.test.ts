import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ADMIN_TOKEN, sleep, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const { cleanups, client } = useTestScope()

/** SQLite's busy timeout in the relay (createSqliteStorage): what a blocking health write waited for. */
const BUSY_TIMEOUT_MS = 5000

interface Answer { status: number; ms: number; reason?: string }

async function getHealth(url: string): Promise<Answer> {
  const started = performance.now()
  const res = await fetch(`${url}/healthz`)
  const body = (await res.json()) as { ok: boolean; reason?: string }
  return { status: res.status, ms: performance.now() - started, reason: body.reason }
}

async function untilHealthy(url: string): Promise<void> {
  const deadline = Date.now() + 15_000
  for (let answer = await getHealth(url); answer.status !== 200; answer = await getHealth(url)) {
    if (Date.now() > deadline) throw new Error(`/healthz still answers ${answer.status}: ${answer.reason}`)
    await sleep(100)
  }
}

function addContact(doc: Y.Doc, id: string, name: string): void {
  const record = new Y.Map<unknown>()
  doc.getMap('records').set(id, record)
  record.set('contacts.first_name', name)
}

describe('GET /healthz', () => {
  it('is 200 {ok:true} on a relay that has just started', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const res = await fetch(`${relay.url}/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
  })

  it('with the database locked by another connection: answers at once (503 with SQLite\'s reason once the writer meets the lock), edits between clients are not held up, 200 again once the lock is gone', async () => {
    const relay = await startTestRelay({ sync: { startWorkers: true } })
    cleanups.push(() => relay.close())
    await untilHealthy(relay.url) // the writer thread is starting
    const a = client(relay.syncUrl, 'entity-contacts', ADMIN_TOKEN)
    const b = client(relay.syncUrl, 'entity-contacts', ADMIN_TOKEN)
    await Promise.all([a.synced, b.synced])

    // another writer holds SQLite's write lock (as a `sqlite3` shell in a transaction would)
    const locker = new Database(relay.dataFile as string)
    locker.exec('BEGIN IMMEDIATE')
    cleanups.push(() => {
      if (locker.inTransaction) locker.exec('ROLLBACK')
      locker.close()
    })

    const answers: Answer[] = []
    let asking = true
    const asker = (async () => {
      while (asking) {
        answers.push(await getHealth(relay.url))
        await sleep(20)
      }
    })()
    // edits a → b for longer than the busy timeout, while /healthz is asked again and again
    const editMs: number[] = []
    const until = performance.now() + BUSY_TIMEOUT_MS + 1500
    for (let i = 0; performance.now() < until; i++) {
      const started = performance.now()
      addContact(a.doc, `c${i}`, `Name ${i}`)
      await waitFor(() => b.doc.getMap('records').has(`c${i}`), `edit ${i} reaching the other client`, 10_000)
      editMs.push(performance.now() - started)
      await sleep(50)
    }
    await waitFor(() => answers.at(-1)?.status === 503 && /database is locked/.test(answers.at(-1)?.reason ?? ''), 'the writer reporting the lock', 10_000)
    asking = false
    await asker

    expect(Math.max(...editMs), 'slowest edit a → b (ms)').toBeLessThan(BUSY_TIMEOUT_MS / 2)
    expect(Math.max(...answers.map((x) => x.ms)), 'slowest /healthz answer (ms)').toBeLessThan(BUSY_TIMEOUT_MS / 2)
    expect(answers.length).toBeGreaterThan(20)
    for (const answer of answers) expect(answer.status === 200 || (answer.status === 503 && /^storage is not writable: /.test(answer.reason ?? '')), JSON.stringify(answer)).toBe(true)
    expect(answers.at(-1)?.reason).toBe('storage is not writable: database is locked')

    locker.exec('ROLLBACK')
    await untilHealthy(relay.url)
    // what was edited meanwhile is in SQLite now
    await waitFor(() => {
      const stored = new Y.Doc()
      for (const update of relay.storage.loadDocument('entity-contacts')) Y.applyUpdate(stored, update)
      return stored.getMap('records').size === editMs.length
    }, 'the edits made during the lock stored', 10_000)
  }, 40_000)
})
