import { describe, expect, it } from 'vitest'
import type { RecordChange } from './rule'
import { RULE_TEMPLATES } from './ruleTemplates'
import { ruleTestSchema, testRow, testWorkspace } from './rules.testkit'
import { runRules } from './runRules'
import { validateRule } from './validateRule'

describe('RULE_TEMPLATES', () => {
  it('ships "Call new leads" first, every template off, ids fixed and unique, each valid in the default workspace', () => {
    expect(RULE_TEMPLATES[0]).toMatchObject({
      id: 'call-new-leads', name: 'Call new leads', trigger: { kind: 'created', entity: 'leads' },
      actions: [{ kind: 'createActivity', activityType: 'call', subject: 'Call the customer', assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'hours' } }],
    })
    expect(RULE_TEMPLATES.map((r) => r.id)).toEqual(['call-new-leads', 'call-done-moves-deal', 'deal-won-notify-owner', 'silent-deal-follow-up', 'close-date-reminder'])
    expect(RULE_TEMPLATES.every((r) => r.enabled === false)).toBe(true)
    const schema = ruleTestSchema()
    for (const template of RULE_TEMPLATES) expect(validateRule(template, schema), template.id).toEqual({ ok: true, rule: template })
  })

  it('switched on, the chain runs: a lead → a call for its owner in an hour; the call done (the lead converted) → its deal is Qualified', () => {
    const rules = RULE_TEMPLATES.map((r) => ({ ...r, enabled: true }))
    const w = testWorkspace()
    const lead = w.put('leads', testRow('lead1', { 'leads.title': 'From the website', 'leads.owner': 'bob' }))
    const first = runRules(rules, [{ entity: 'leads', recordId: 'lead1', before: null, after: lead }], w.ctx)
    expect(first.writes).toEqual([{
      kind: 'create', entity: 'activities', id: 'new1', ruleId: 'call-new-leads',
      values: { 'activities.type': 'call', 'activities.subject': 'Call the customer', 'activities.due': '2026-12-06T11:00:00.000Z', 'activities.done': false, 'activities.owner': 'bob', 'activities.related_lead': 'lead1' },
    }])
    const write = first.writes[0]!
    const call = w.put('activities', testRow('new1', write.values))
    w.put('leads', testRow('lead1', { ...lead.values, 'leads.converted_deal': 'deal1' }))
    w.put('deals', testRow('deal1', { 'deals.pipeline': 'sales', 'deals.stage': 'sales.new', 'deals.owner': 'bob' }))
    const done: RecordChange = { entity: 'activities', recordId: 'new1', before: call, after: { ...call, values: { ...call.values, 'activities.done': true } } }
    const second = runRules(rules, [done], w.ctx)
    expect(second.firings.map((f) => f.ruleId)).toEqual(['call-done-moves-deal'])
    expect(second.writes).toHaveLength(1)
    expect(second.writes[0]).toMatchObject({ kind: 'set', entity: 'deals', recordId: 'deal1', values: { 'deals.stage': 'sales.qualified' } })
  })
})
