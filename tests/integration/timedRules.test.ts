import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readRuns, writeRule } from '../../src/crdt/automationDoc'
import { AUTOMATION_DOC } from '../../src/crdt/docNames'
import type { Rule } from '../../src/domain/rules/rule'
import { closesToday } from './ruleFixtures'
import { ADMIN_TOKEN, api, connectClient, makeTempDir, sleep, spawnRelay, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const scope = useTestScope()

const today = () => new Date().toISOString().slice(0, 10)

async function switchOn(syncUrl: string, rule: Rule): Promise<void> {
  const admin = connectClient(syncUrl, AUTOMATION_DOC, ADMIN_TOKEN)
  await admin.synced
  writeRule(admin.doc, rule)
  // stored once the relay's own copy would see it: a second client reads it back
  const reader = connectClient(syncUrl, AUTOMATION_DOC, ADMIN_TOKEN)
  await reader.synced
  await waitFor(() => reader.doc.getMap('rules').has(rule.id), 'the rule stored')
  admin.destroy()
  reader.destroy()
}

async function tasksOf(url: string, dealId: string): Promise<Array<{ subject: string; related_deal: string }>> {
  const res = await api(url, '/activities?limit=200')
  expect(res.status).toBe(200)
  return res.body.data.filter((a: { related_deal: string | null; subject: string }) => a.related_deal === dealId && a.subject === 'Close it today')
}

describe('time-based rules on the relay (issue 16)', () => {
  it('a pass fires a due rule once per record and trigger key, however often it runs, and logs it under the relay', async () => {
    const relay = await startTestRelay({ rulesIntervalMs: null, apiRateLimit: null })
    scope.cleanups.push(() => relay.close())
    await switchOn(relay.syncUrl, closesToday)
    const due = await api(relay.url, '/deals', { method: 'POST', body: { title: 'Due deal', close_date: today() } })
    const later = await api(relay.url, '/deals', { method: 'POST', body: { title: 'Later deal', close_date: '2099-01-01' } })
    expect(due.status).toBe(201)
    const first = await relay.automation.timed.run()
    expect(first).toMatchObject({ due: 1, fired: 1 })
    expect(first!.rows).toBeGreaterThanOrEqual(2)
    expect(await relay.automation.timed.run()).toMatchObject({ due: 0, fired: 0 })
    expect(await tasksOf(relay.url, due.body.id)).toHaveLength(1)
    expect(await tasksOf(relay.url, later.body.id)).toHaveLength(0)
    expect(relay.storage.ruleFired({ ruleId: 'closes-today', recordId: due.body.id, triggerKey: today() })).toBe(true)
    const reader = scope.client(relay.syncUrl, AUTOMATION_DOC, ADMIN_TOKEN)
    await reader.synced
    await waitFor(() => readRuns(reader.doc).get('closes-today')?.[0]?.count === 1, 'the firing logged')
  })

  it('a relay stopped after writing a firing but before keeping its key rewrites the same task at the next start, never a second', async () => {
    const dataDir = makeTempDir()
    const relay = await startTestRelay({ dataDir, rulesIntervalMs: null, apiRateLimit: null })
    await switchOn(relay.syncUrl, closesToday)
    const deal = (await api(relay.url, '/deals', { method: 'POST', body: { title: 'Due deal', close_date: today() } })).body
    expect(await relay.automation.timed.run()).toMatchObject({ fired: 1 })
    await relay.close()
    // what a kill between the write and the key leaves: the task stored, no key
    const db = new Database(join(dataDir, 'kanso.sqlite'))
    expect(db.prepare('DELETE FROM rule_firings').run().changes).toBe(1)
    db.close()

    const again = await startTestRelay({ dataDir, rulesIntervalMs: null, apiRateLimit: null })
    scope.cleanups.push(() => again.close())
    expect(await again.automation.timed.run()).toMatchObject({ due: 1, fired: 1 })
    expect(await tasksOf(again.url, deal.id)).toHaveLength(1)
    expect(again.storage.ruleFired({ ruleId: 'closes-today', recordId: deal.id, triggerKey: today() })).toBe(true)
  })

  it('a relay killed (SIGKILL) between the trigger and the pass fires at its next start, once', async () => {
    const dataDir = makeTempDir()
    const env = { KANSO_RULES_INTERVAL_MS: '3600000' }
    const first = await spawnRelay(dataDir, env)
    scope.cleanups.push(() => first.child.kill('SIGKILL'))
    const url = `http://127.0.0.1:${first.port}`
    await switchOn(`ws://127.0.0.1:${first.port}/sync`, closesToday)
    const deal = (await api(url, '/deals', { method: 'POST', body: { title: 'Due deal', close_date: today() } })).body
    first.child.kill('SIGKILL')
    await new Promise((resolve) => first.child.once('exit', resolve))

    const second = await spawnRelay(dataDir, env)
    scope.cleanups.push(() => second.child.kill('SIGKILL'))
    const secondUrl = `http://127.0.0.1:${second.port}`
    // the pass at start
    const deadline = Date.now() + 15_000
    while ((await tasksOf(secondUrl, deal.id)).length === 0) {
      if (Date.now() > deadline) throw new Error(`no task after the start pass:\n${second.output()}`)
      await sleep(200)
    }
    expect(await tasksOf(secondUrl, deal.id)).toHaveLength(1)
  })
})

