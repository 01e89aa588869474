import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createMember } from '../../server/auth/createMember'
import { CLOSE_LAYOUT_VIOLATION } from '../../server/closeCodes'
import {
  addNotifications, findRule, markNotificationRead, queueWebhooks, readNotifications, readRuns, recordFirings, rulesOf, runsOf, setRuleEnabled, writeRule,
} from '../../src/crdt/automationDoc'
import { AUTOMATION_DOC } from '../../src/crdt/docNames'
import type { Rule } from '../../src/domain/rules/rule'
import { ADMIN_TOKEN, makeTempDir, sleep, startTestRelay, useTestScope, waitFor, type TestClient } from './relayTestKit'

const scope = useTestScope()

const callNewLeads: Rule = {
  id: 'call-new-leads',
  name: 'Call new leads',
  enabled: false,
  trigger: { kind: 'created', entity: 'leads' },
  conditions: [],
  actions: [{ kind: 'createActivity', activityType: 'call', subject: 'Call the customer', assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'hours' } }],
  createdAt: '2026-12-01T00:00:00.000Z',
  createdBy: 'kanso',
}
const second: Rule = { ...callNewLeads, id: 'second-template', name: 'Second' }

function closedWith(c: TestClient): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    c.provider.on('connection-close', (event: { code: number; reason: string } | null) => {
      if (event && event.code !== 1000) resolve({ code: event.code, reason: event.reason })
    })
  })
}

async function team(dataDir = makeTempDir(), templates: readonly Rule[] = [callNewLeads]) {
  const relay = await startTestRelay({ dataDir, ruleTemplates: templates })
  scope.cleanups.push(() => relay.close())
  return relay
}

async function automationClient(syncUrl: string, token: string): Promise<TestClient> {
  const c = scope.client(syncUrl, AUTOMATION_DOC, token)
  await c.synced
  return c
}

/** A fresh client's view of what the relay stored. */
async function storedView(syncUrl: string): Promise<Y.Doc> {
  const c = await automationClient(syncUrl, ADMIN_TOKEN)
  return c.doc
}

const note = (member: string, id: string) => ({ id, member, message: 'New lead', entity: 'leads', recordId: 'l1', ruleId: 'call-new-leads', at: '2026-12-01T10:00:00.000Z' })

describe('the automation document on the relay (issue 16)', () => {
  it('a new workspace gets the templates switched off; a restart adds a new template and never overwrites an admin\'s edit', async () => {
    const dataDir = makeTempDir()
    const relay = await startTestRelay({ dataDir, ruleTemplates: [callNewLeads] })
    const admin = await automationClient(relay.syncUrl, ADMIN_TOKEN)
    expect(findRule(admin.doc, 'call-new-leads')).toEqual(callNewLeads)
    setRuleEnabled(admin.doc, 'call-new-leads', true)
    writeRule(admin.doc, { ...findRule(admin.doc, 'call-new-leads')!, name: 'Ring new leads' })
    await waitFor(() => relay.storage.loadDocument(AUTOMATION_DOC).length >= 3, 'the edits stored')
    admin.destroy()
    await relay.close()

    const again = await team(dataDir, [callNewLeads, second])
    expect(again.logger.lines.some((l) => l.includes('added the rule templates second-template'))).toBe(true)
    const doc = await storedView(again.syncUrl)
    expect(findRule(doc, 'call-new-leads')).toMatchObject({ name: 'Ring new leads', enabled: true })
    expect(findRule(doc, 'second-template')).toEqual(second)
  })

  it('admins write rules; editors only their own run logs, notifications and the outbox; a breaking update closes with 4422 and is not stored', async () => {
    const relay = await team()
    const ann = createMember(relay.storage, { name: 'Ann', role: 'editor' })
    const annClient = await automationClient(relay.syncUrl, ann.token)
    const firing = { ruleId: 'call-new-leads', at: '2026-12-01T10:00:00.000Z', entity: 'leads', recordId: 'l1' }
    recordFirings(annClient.doc, `${ann.member.id}.dev1`, [firing])
    recordFirings(annClient.doc, `${ann.member.id}.dev1`, [firing])
    addNotifications(annClient.doc, [note('bob', 'n1'), note(ann.member.id, 'n2')])
    markNotificationRead(annClient.doc, ann.member.id, 'n2', '2026-12-01T11:00:00.000Z')
    queueWebhooks(annClient.doc, [{ id: 'w1', url: 'https://example.test/hook', ruleId: 'call-new-leads', entity: 'leads', recordId: 'l1', at: firing.at }])
    let stored = await storedView(relay.syncUrl)
    await waitFor(() => readNotifications(stored, ann.member.id)[0]?.readAt !== undefined && readRuns(stored).get('call-new-leads')?.[0]?.count === 2, 'the editor\'s writes stored')
    expect(readNotifications(stored, 'bob')).toHaveLength(1)
    expect(annClient.provider.wsconnected).toBe(true)

    const refusals: Array<[string, (doc: Y.Doc) => void, RegExp]> = [
      ['switching a rule on', (doc) => setRuleEnabled(doc, 'call-new-leads', true), /a rule's entry "enabled" is a rule: admins change those, not a editor/],
      ['adding a rule', (doc) => writeRule(doc, { ...callNewLeads, id: 'mine' }), /rules\["mine"\] is a rule: admins change those/],
      ['removing a rule', (doc) => rulesOf(doc).delete('call-new-leads'), /deletes part of rules\["call-new-leads"\], which is a rule/],
      ['writing another member\'s run log', (doc) => recordFirings(doc, 'bob.dev1', [firing]), /runs\["call-new-leads\|bob.dev1"\] is another writer's run log/],
      ['a run log of the wrong shape', (doc) => runsOf(doc).set(`call-new-leads|${ann.member.id}.dev2`, { count: 'many' } as never), /expected a run log/],
    ]
    for (const [label, breakIt, reason] of refusals) {
      const c = await automationClient(relay.syncUrl, ann.token)
      const closed = closedWith(c)
      const before = relay.storage.lastSeq(AUTOMATION_DOC)
      breakIt(c.doc)
      const { code, reason: text } = await closed
      expect(code, label).toBe(CLOSE_LAYOUT_VIOLATION)
      expect(text, label).toMatch(/update breaks the layout of "automation"/)
      expect(text, label).toMatch(reason)
      expect(relay.storage.lastSeq(AUTOMATION_DOC), label).toBe(before)
      c.destroy()
    }
    stored = await storedView(relay.syncUrl)
    expect(findRule(stored, 'call-new-leads')).toEqual(callNewLeads)

    // an admin may; a value of the wrong shape closes the admin too
    const admin = await automationClient(relay.syncUrl, ADMIN_TOKEN)
    setRuleEnabled(admin.doc, 'call-new-leads', true)
    await waitFor(() => findRule(stored, 'call-new-leads')?.enabled === true, 'the admin\'s switch forwarded')
    const closed = closedWith(admin)
    rulesOf(admin.doc).get('call-new-leads')!.set('enabled', 'yes')
    expect((await closed).reason).toMatch(/a rule's entry "enabled" is a string, expected a value of that property/)
  })

  it("a viewer's writes are dropped: nothing stored, the viewer stays connected", async () => {
    const relay = await team()
    const vic = createMember(relay.storage, { name: 'Vic', role: 'viewer' })
    const viewer = await automationClient(relay.syncUrl, vic.token)
    const before = relay.storage.lastSeq(AUTOMATION_DOC)
    addNotifications(viewer.doc, [note(vic.member.id, 'n1')])
    setRuleEnabled(viewer.doc, 'call-new-leads', true)
    await sleep(300)
    expect(relay.storage.lastSeq(AUTOMATION_DOC)).toBe(before)
    expect(viewer.provider.wsconnected).toBe(true)
  })
})
