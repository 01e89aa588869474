import { describe, expect, it } from 'vitest'
import { ruleTestSchema } from '../../domain/rules/rules.testkit'
import type { Rule, RuleAction } from '../../domain/rules/rule'
import { validateRule } from '../../domain/rules/validateRule'
import { defaultAction, defaultTrigger, newRuleDraft, ruleEntities, triggerKindsOf, TRIGGER_LABELS } from './ruleDrafts'

const schema = ruleTestSchema()
const NOW = new Date('2026-12-06T10:00:00.000Z')
const valid = (rule: Rule) => {
  const v = validateRule(rule, schema, ['ann', 'bob'])
  return v.ok ? [] : v.errors.map((e) => `${e.path}: ${e.message}`)
}

describe('rule drafts: what the editor starts from is a rule validateRule accepts once its words are typed', () => {
  it('a new rule needs only its name and the activity\'s subject', () => {
    const draft = newRuleDraft(schema, 'ann', NOW)
    expect(valid(draft).map((e) => e.split(':')[0])).toEqual(['name', 'actions[0].subject'])
    const action = draft.actions[0] as Extract<RuleAction, { kind: 'createActivity' }>
    expect(valid({ ...draft, name: 'Call them', actions: [{ ...action, subject: 'Call the customer' }] })).toEqual([])
  })

  it('every trigger each list offers starts valid', () => {
    const base = { ...newRuleDraft(schema, 'ann', NOW), name: 'x', actions: [{ kind: 'notify', member: 'ann', message: 'hi' } as RuleAction] }
    const offered: string[] = []
    for (const entity of ruleEntities(schema)) {
      for (const kind of triggerKindsOf(entity, schema)) {
        offered.push(`${entity.key} ${TRIGGER_LABELS[kind]}`)
        expect(valid({ ...base, trigger: defaultTrigger(kind, entity, schema) }), `${entity.key} ${kind}`).toEqual([])
      }
    }
    expect(offered).toContain('deals enters a stage')
    expect(offered).toContain('activities is completed')
    expect(offered).toContain('deals reaches a date')
    expect(offered).not.toContain('activities has had no activity')
  })

  it('every action starts valid once its words and members are filled in', () => {
    const leads = ruleEntities(schema).find((e) => e.key === 'leads')!
    const base = { ...newRuleDraft(schema, 'ann', NOW), name: 'x' }
    const filled = (a: RuleAction): RuleAction => {
      switch (a.kind) {
        case 'createActivity': return { ...a, subject: 'Call' }
        case 'notify': return { ...a, message: 'Look' }
        case 'assignOwner': return { ...a, assignee: { kind: 'roundRobin', members: ['ann', 'bob'] } }
        case 'webhook': return { ...a, url: 'https://example.com/hook' }
        case 'setField': return { ...a, value: 'Lead title' }
        default: return a
      }
    }
    for (const kind of ['createActivity', 'setField', 'assignOwner', 'moveStage', 'notify', 'webhook'] as const) {
      const action = filled(defaultAction(kind, leads, schema))
      const trigger = kind === 'moveStage' ? defaultTrigger('stageEntered', ruleEntities(schema).find((e) => e.key === 'deals')!, schema) : base.trigger
      expect(valid({ ...base, trigger, actions: [action] }), kind).toEqual([])
    }
  })
})
