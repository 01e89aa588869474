import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Rule, RuleFiring } from '../domain/rules/rule'
import {
  addNotifications, deleteRule, findRule, markNotificationRead, queueWebhooks, readNotifications, readOutbox, readRules, readRuns,
  recordFirings, removeFromOutbox, rulesOf, runsOf, seedRuleTemplates, setRuleEnabled, writeRule,
} from './automationDoc'

const template: Rule = {
  id: 'call-new-leads',
  name: 'Call new leads',
  enabled: false,
  trigger: { kind: 'created', entity: 'leads' },
  conditions: [],
  actions: [{ kind: 'createActivity', activityType: 'call', subject: 'Call the customer', assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'hours' } }],
  createdAt: '2026-12-01T00:00:00.000Z',
  createdBy: 'kanso',
}

const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}
const pair = () => {
  const a = new Y.Doc()
  const b = new Y.Doc()
  seedRuleTemplates(a, [template])
  sync(a, b)
  return [a, b] as const
}
const firing = (at: string, recordId: string, error?: string): RuleFiring => ({ ruleId: 'call-new-leads', at, entity: 'leads', recordId, ...(error ? { error } : {}) })

describe('the automation document', () => {
  it('reads back what it wrote, soft-deletes, and writes only the properties that changed', () => {
    const doc = new Y.Doc()
    writeRule(doc, template)
    expect(readRules(doc)).toEqual([template])
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    writeRule(doc, { ...template })
    expect(updates).toEqual([])
    writeRule(doc, { ...template, name: 'Ring them', updatedAt: '2026-12-02T00:00:00.000Z' })
    expect(findRule(doc, 'call-new-leads')).toMatchObject({ name: 'Ring them', updatedAt: '2026-12-02T00:00:00.000Z', trigger: template.trigger })
    deleteRule(doc, 'call-new-leads', '2026-12-03T00:00:00.000Z')
    expect(readRules(doc)[0]?.deletedAt).toBe('2026-12-03T00:00:00.000Z')
    expect(() => setRuleEnabled(doc, 'nope', true)).toThrow(/Unknown rule "nope"/)
  })

  it('skips an entry that is not a rule (any client can write one)', () => {
    const doc = new Y.Doc()
    const y = new Y.Map<unknown>()
    rulesOf(doc).set('broken', y)
    y.set('name', 'no trigger')
    expect(readRules(doc)).toEqual([])
  })

  it('enabled toggled on one document and actions edited on another: after merging both win', () => {
    const [a, b] = pair()
    setRuleEnabled(a, 'call-new-leads', true)
    const actions: Rule['actions'] = [{ kind: 'notify', member: 'owner', message: 'New lead' }]
    writeRule(b, { ...findRule(b, 'call-new-leads')!, actions })
    sync(a, b)
    for (const doc of [a, b]) expect(findRule(doc, 'call-new-leads')).toMatchObject({ enabled: true, actions })
  })

  it('two writers firing apart never lose a firing, and each keeps its newest five errors', () => {
    const [a, b] = pair()
    recordFirings(a, 'ann.dev1', [firing('2026-12-01T10:00:00.000Z', 'l1'), firing('2026-12-01T10:05:00.000Z', 'l2')])
    recordFirings(b, 'relay', [firing('2026-12-01T10:01:00.000Z', 'l3', 'no owner')])
    recordFirings(a, 'ann.dev1', [firing('2026-12-01T09:00:00.000Z', 'l0')])
    sync(a, b)
    for (const doc of [a, b]) {
      const logs = readRuns(doc).get('call-new-leads')!
      expect(logs.reduce((n, l) => n + l.count, 0)).toBe(4)
      expect(logs.find((l) => l.count === 3)).toMatchObject({ lastAt: '2026-12-01T10:05:00.000Z', lastRecord: { entity: 'leads', recordId: 'l2' }, errors: [] })
      expect(logs.find((l) => l.count === 1)?.errors).toEqual([{ at: '2026-12-01T10:01:00.000Z', message: 'no owner', recordId: 'l3' }])
    }
    expect([...runsOf(a).keys()].sort()).toEqual(['call-new-leads|ann.dev1', 'call-new-leads|relay'])
    recordFirings(b, 'relay', Array.from({ length: 7 }, (_, i) => firing(`2026-12-02T10:0${i}:00.000Z`, `e${i}`, `error ${i}`)))
    const relayLog = readRuns(b).get('call-new-leads')!.find((l) => l.count === 8)!
    expect(relayLog.errors.map((e) => e.message)).toEqual(['error 6', 'error 5', 'error 4', 'error 3', 'error 2'])
  })

  it("keeps each member's notifications apart, newest first, and marks one read", () => {
    const doc = new Y.Doc()
    const note = { id: 'n1', member: 'ann', message: 'New lead', entity: 'leads', recordId: 'l1', ruleId: 'call-new-leads', at: '2026-12-01T10:00:00.000Z' }
    addNotifications(doc, [note, { ...note, id: 'n2', at: '2026-12-01T11:00:00.000Z' }, { ...note, member: 'bob' }])
    expect(readNotifications(doc, 'ann').map((n) => n.id)).toEqual(['n2', 'n1'])
    expect(readNotifications(doc, 'bob')).toEqual([{ ...note, member: 'bob' }])
    markNotificationRead(doc, 'ann', 'n1', '2026-12-01T12:00:00.000Z')
    expect(readNotifications(doc, 'ann')[1]).toEqual({ ...note, readAt: '2026-12-01T12:00:00.000Z' })
    expect(readNotifications(doc, 'bob')[0]?.readAt).toBeUndefined()
  })

  it('queues webhooks once per id and removes the delivered ones', () => {
    const doc = new Y.Doc()
    const hook = { id: 'w1', url: 'https://example.test/hook', ruleId: 'r1', entity: 'leads', recordId: 'l1', at: '2026-12-01T10:00:00.000Z' }
    queueWebhooks(doc, [hook, { ...hook, id: 'w2', at: '2026-12-01T11:00:00.000Z' }])
    queueWebhooks(doc, [{ ...hook, url: 'https://example.test/other' }])
    expect(readOutbox(doc)).toEqual([hook, { ...hook, id: 'w2', at: '2026-12-01T11:00:00.000Z' }])
    removeFromOutbox(doc, ['w1', 'gone'])
    expect(readOutbox(doc).map((h) => h.id)).toEqual(['w2'])
  })

  it("seeds missing templates and never overwrites an admin's edit or removal", () => {
    const doc = new Y.Doc()
    expect(seedRuleTemplates(doc, [template])).toEqual(['call-new-leads'])
    setRuleEnabled(doc, 'call-new-leads', true)
    writeRule(doc, { ...findRule(doc, 'call-new-leads')!, name: 'Ours' })
    const second: Rule = { ...template, id: 'second', name: 'Second' }
    expect(seedRuleTemplates(doc, [template, second])).toEqual(['second'])
    expect(findRule(doc, 'call-new-leads')).toMatchObject({ name: 'Ours', enabled: true })
    deleteRule(doc, 'second', '2026-12-02T00:00:00.000Z')
    expect(seedRuleTemplates(doc, [template, second])).toEqual([])
    expect(findRule(doc, 'second')?.deletedAt).toBe('2026-12-02T00:00:00.000Z')
  })
})
