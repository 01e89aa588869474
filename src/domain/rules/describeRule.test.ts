import { describe, expect, it } from 'vitest'
import { describeRule } from './describeRule'
import type { Rule } from './rule'
import { RULE_TEMPLATES } from './ruleTemplates'
import { ruleTestSchema, testRule } from './rules.testkit'

const schema = ruleTestSchema()
const names: Record<string, string> = { ann: 'Ann Lee', bob: 'Bob Roy', carl: 'Carl Mo' }
const say = (rule: Rule) => describeRule(rule, schema, (id) => names[id] ?? id)

describe('describeRule', () => {
  it('says the template "Call new leads" as the issue words it', () => {
    expect(say(RULE_TEMPLATES[0]!)).toEqual({ when: 'When a lead is created', if: null, then: ['Create a call “Call the customer” for the lead\'s owner, due in 1 hour'] })
    expect(say(RULE_TEMPLATES[1]!)).toEqual({ when: 'When a call is completed', if: null, then: ['Move the activity\'s deal to Qualified'] })
    expect(say(RULE_TEMPLATES[3]!)).toEqual({
      when: 'When a deal has had no activity for 14 days', if: 'If Stage is not Won and Stage is not Lost',
      then: ['Create a task “Follow up: no activity for 14 days” for the deal\'s owner, due in 1 day'],
    })
  })

  it('every trigger', () => {
    const when = (trigger: Rule['trigger']) => say(testRule({ trigger, actions: [{ kind: 'webhook', url: 'https://x.example' }] })).when
    expect(when({ kind: 'fieldChanged', entity: 'leads', field: 'leads.status' })).toBe('When a lead\'s Status changes')
    expect(when({ kind: 'fieldChanged', entity: 'leads', field: 'leads.status', to: 'Qualified' })).toBe('When a lead\'s Status changes to Qualified')
    expect(when({ kind: 'stageEntered', stage: 'sales.won' })).toBe('When a deal enters Won')
    expect(when({ kind: 'stageEntered', stage: 'partners.won' })).toBe('When a deal enters Won (Partners)')
    expect(when({ kind: 'stageEntered', stage: 'partners.won', pipeline: 'partners' })).toBe('When a deal enters Won in Partners')
    expect(when({ kind: 'activityCompleted' })).toBe('When an activity is completed')
    expect(when({ kind: 'activityCompleted', activityType: 'email' })).toBe('When an email is completed')
    expect(when({ kind: 'dateOffset', entity: 'deals', field: 'deals.close_date', days: -3 })).toBe('When a deal\'s Close date is in 3 days')
    expect(when({ kind: 'dateOffset', entity: 'deals', field: 'deals.close_date', days: 0 })).toBe('When a deal\'s Close date is today')
    expect(when({ kind: 'dateOffset', entity: 'activities', field: 'activities.due', days: 1 })).toBe('When an activity\'s Due was 1 day ago')
  })

  it('every condition, joined with and', () => {
    const rule = testRule({
      trigger: { kind: 'created', entity: 'deals' },
      conditions: [
        { field: 'deals.source', op: 'equals', value: 'Website' }, { field: 'deals.title', op: 'contains', value: 'renewal' },
        { field: 'deals.amount', op: 'greaterThan', value: 1000 }, { field: 'deals.close_date', op: 'lessThan', value: '2026-12-31' },
        { field: 'deals.lost_reason', op: 'empty' }, { field: 'deals.company', op: 'notEmpty' },
        { field: 'deals.stage', op: 'inList', value: ['sales.new', 'sales.qualified', 'sales.proposal'] }, { field: 'deals.owner', op: 'ownerIs', value: 'ann' },
        { field: 'deals.amount', op: 'lessThan', value: { amount: 500_000, currency: 'EUR' } }, { field: 'deals.source', op: 'notEquals', value: 'Other' },
      ],
      actions: [{ kind: 'webhook', url: 'https://x.example' }],
    })
    expect(say(rule).if).toBe('If Source is Website and Title contains “renewal” and Amount is more than 1,000 and Close date is before 12/31/2026' +
      ' and Lost reason is empty and Company is not empty and Stage is New, Qualified, or Proposal and the owner is Ann Lee' +
      ' and Amount is less than €5,000.00 and Source is not Other')
  })

  it('every action', () => {
    const rule = testRule({
      trigger: { kind: 'created', entity: 'leads' },
      actions: [
        { kind: 'createActivity', activityType: 'email', subject: 'Welcome', assignee: { kind: 'roundRobin', members: ['ann', 'bob', 'carl'] }, dueIn: { amount: 30, unit: 'minutes' } },
        { kind: 'createActivity', activityType: 'meeting', subject: 'Demo', assignee: { kind: 'member', member: 'bob' }, dueIn: { amount: 2, unit: 'days' } },
        { kind: 'setField', field: 'leads.status', value: 'Contacted' }, { kind: 'setField', field: 'leads.source', value: null },
        { kind: 'assignOwner', assignee: { kind: 'roundRobin', members: ['ann', 'bob'] } },
        { kind: 'moveStage', stage: 'sales.proposal' },
        { kind: 'notify', member: 'owner', message: 'A new lead' }, { kind: 'notify', member: 'carl', message: 'FYI' },
        { kind: 'webhook', url: 'https://hooks.example/lead' },
      ],
    })
    expect(say(rule).then).toEqual([
      'Create an email “Welcome” for Ann Lee, Bob Roy, or Carl Mo in turn, due in 30 minutes',
      'Create a meeting “Demo” for Bob Roy, due in 2 days',
      'Set Status to Contacted', 'Empty Source',
      'Assign the lead to Ann Lee or Bob Roy in turn',
      'Move the lead\'s deal to Proposal',
      'Notify the lead\'s owner: “A new lead”', 'Notify Carl Mo: “FYI”',
      'Call the webhook https://hooks.example/lead',
    ])
  })
})
