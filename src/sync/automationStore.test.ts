import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { recordFirings } from '../crdt/automationDoc'
import { RULE_TEMPLATES } from '../domain/rules/ruleTemplates'
import { makeAutomationStore } from './automationStore'

const AT = '2026-12-06T10:00:00.000Z'
const note = (id: string, member: string, at = AT) => ({ id, member, message: `Note ${id}`, entity: 'leads', recordId: 'lead1', ruleId: 'notify-owner', at })

describe('automation store: the automation document as one member\'s app reads and writes it', () => {
  it('records the rules\' effects: firings in this writer\'s own log, notifications for their members, webhooks for the relay', () => {
    const doc = new Y.Doc()
    const ann = makeAutomationStore(doc, 'ann', 'ann.dev1', () => new Date(AT))
    ann.record({
      firings: [{ ruleId: 'call-new-leads', at: AT, entity: 'leads', recordId: 'lead1' }, { ruleId: 'call-new-leads', at: AT, entity: 'leads', recordId: 'lead2', error: 'no owner' }],
      notifications: [note('n1', 'ann'), note('n2', 'bob')],
      webhooks: [{ id: 'w1', url: 'https://example.com/hook', ruleId: 'hook', entity: 'leads', recordId: 'lead1', at: AT }],
    })
    // another device of the same member, and the relay, keep logs of their own: the counts add up
    recordFirings(doc, 'ann.dev2', [{ ruleId: 'call-new-leads', at: '2026-12-06T11:00:00.000Z', entity: 'leads', recordId: 'lead3' }])
    recordFirings(doc, 'relay', [{ ruleId: 'call-new-leads', at: '2026-12-06T09:00:00.000Z', entity: 'leads', recordId: 'lead0' }])
    const log = ann.runs().get('call-new-leads')!
    expect(log.count).toBe(4)
    expect(log.lastAt).toBe('2026-12-06T11:00:00.000Z')
    expect(log.errors.map((e) => e.message)).toEqual(['no owner'])
    expect([...doc.getMap('runs').keys()].sort()).toEqual(['call-new-leads|ann.dev1', 'call-new-leads|ann.dev2', 'call-new-leads|relay'])
    expect(ann.notifications().map((n) => n.id)).toEqual(['n1'])
    expect(makeAutomationStore(doc, 'bob', 'bob.dev9').notifications().map((n) => n.id)).toEqual(['n2'])
    expect(doc.getMap('outbox').get('w1')).toMatchObject({ url: 'https://example.com/hook' })
  })

  it('marks a notification read for its member only, and tells its listeners once per turn', async () => {
    const doc = new Y.Doc()
    const ann = makeAutomationStore(doc, 'ann', 'ann.dev1', () => new Date('2026-12-06T12:00:00.000Z'))
    let heard = 0
    ann.subscribe(() => heard++)
    ann.record({ firings: [], notifications: [note('n1', 'ann'), note('n2', 'ann', '2026-12-06T10:05:00.000Z')], webhooks: [] })
    ann.markRead('n1')
    await Promise.resolve()
    expect(heard).toBe(1)
    expect(ann.notifications().map((n) => [n.id, n.readAt ?? null])).toEqual([['n2', null], ['n1', '2026-12-06T12:00:00.000Z']])
  })

  it('writes, switches and soft-deletes rules; a deleted rule stays readable with its time', () => {
    const doc = new Y.Doc()
    const admin = makeAutomationStore(doc, 'adm', 'adm.dev1', () => new Date(AT))
    const template = RULE_TEMPLATES[0]!
    admin.writeRule(template)
    expect(admin.rules()).toEqual([{ ...template, updatedAt: AT }])
    admin.setRuleEnabled(template.id, true)
    expect(admin.rules()[0]!.enabled).toBe(true)
    admin.deleteRule(template.id)
    expect(admin.rules()[0]!.deletedAt).toBe(AT)
  })
})
