import { describe, expect, it } from 'vitest'
import { ruleTestSchema } from './rules.testkit'
import { validateRule } from './validateRule'

const schema = ruleTestSchema()
const members = ['ann', 'bob', 'carl']
const base = {
  id: 'r1', name: 'Website leads', enabled: true, createdAt: '2026-12-06T10:00:00.000Z', createdBy: 'ann',
  trigger: { kind: 'created', entity: 'leads' }, conditions: [], actions: [{ kind: 'notify', member: 'owner', message: 'New lead' }],
}
const errors = (rule: Record<string, unknown>) => {
  const result = validateRule({ ...base, ...rule }, schema, members)
  return result.ok ? [] : result.errors
}

describe('validateRule', () => {
  it('accepts a full rule and returns it with ids and stored values (keys read as ids)', () => {
    const result = validateRule({
      ...base,
      trigger: { kind: 'fieldChanged', entity: 'leads', field: 'status', to: 'qualified' },
      conditions: [
        { field: 'source', op: 'inList', value: ['website', 'Phone'] },
        { field: '', op: 'ownerIs', value: 'bob' },
        { field: 'leads.email', op: 'notEmpty' },
      ],
      actions: [
        { kind: 'createActivity', activityType: 'call', subject: ' Call the customer ', assignee: { kind: 'roundRobin', members: ['ann', 'bob'] }, dueIn: { amount: 90, unit: 'minutes' } },
        { kind: 'setField', field: 'status', value: 'contacted' },
        { kind: 'assignOwner', assignee: { kind: 'member', member: 'carl' } },
        { kind: 'webhook', url: 'hooks.example/lead' },
      ],
    }, schema, members)
    expect(result).toEqual({
      ok: true,
      rule: {
        ...base,
        trigger: { kind: 'fieldChanged', entity: 'leads', field: 'leads.status', to: 'Qualified' },
        conditions: [
          { field: 'leads.source', op: 'inList', value: ['Website', 'Phone'] },
          { field: 'leads.owner', op: 'ownerIs', value: 'bob' },
          { field: 'leads.email', op: 'notEmpty' },
        ],
        actions: [
          { kind: 'createActivity', activityType: 'call', subject: 'Call the customer', assignee: { kind: 'roundRobin', members: ['ann', 'bob'] }, dueIn: { amount: 90, unit: 'minutes' } },
          { kind: 'setField', field: 'leads.status', value: 'Contacted' },
          { kind: 'assignOwner', assignee: { kind: 'member', member: 'carl' } },
          { kind: 'webhook', url: 'https://hooks.example/lead' },
        ],
      },
    })
  })

  it('names an unknown entity, field, stage, pipeline, activity type and member', () => {
    expect(errors({ trigger: { kind: 'created', entity: 'unicorns' } })).toEqual([{ path: 'trigger.entity', message: 'unknown entity "unicorns" (entities: leads, contacts, companies, deals, products, activities, deal_lines)' }])
    expect(errors({ trigger: { kind: 'fieldChanged', entity: 'leads', field: 'x' } })).toEqual([{ path: 'trigger.field', message: 'no field "x" in leads' }])
    expect(errors({ trigger: { kind: 'stageEntered', stage: 'sales.nowhere' } })).toEqual([{ path: 'trigger.stage', message: 'unknown stage "sales.nowhere"' }])
    expect(errors({ trigger: { kind: 'stageEntered', stage: 'sales.won', pipeline: 'partners' } })).toEqual([{ path: 'trigger.stage', message: 'stage "sales.won" is not in the pipeline Partners' }])
    expect(errors({ trigger: { kind: 'activityCompleted', activityType: 'fax' } })[0]).toMatchObject({ path: 'trigger.activityType', message: expect.stringMatching(/^Type: "fax" is not one of the options/) })
    expect(errors({ actions: [{ kind: 'notify', member: 'zoe', message: 'hi' }] })).toEqual([{ path: 'actions[0].member', message: 'unknown member "zoe"' }])
    expect(errors({ actions: [{ kind: 'assignOwner', assignee: { kind: 'roundRobin', members: ['ann', 'zoe'] } }] })).toEqual([{ path: 'actions[0].assignee.members[1]', message: 'unknown member "zoe"' }])
    expect(errors({ conditions: [{ field: 'leads.nope', op: 'empty' }] })).toEqual([{ path: 'conditions[0].field', message: 'no field "leads.nope" in leads' }])
    expect(errors({ actions: [{ kind: 'moveStage', stage: 'sales.gone' }], trigger: { kind: 'created', entity: 'deals' } })).toEqual([{ path: 'actions[0].stage', message: 'unknown stage "sales.gone"' }])
    // without the member list, any member id is taken
    expect(validateRule({ ...base, actions: [{ kind: 'notify', member: 'zoe', message: 'hi' }] }, schema).ok).toBe(true)
  })

  it('refuses a value of the wrong type for its field, in a trigger, a condition or an action', () => {
    expect(errors({ trigger: { kind: 'fieldChanged', entity: 'deals', field: 'amount', to: 'lots' } })[0]).toMatchObject({ path: 'trigger.to', message: expect.stringMatching(/^Amount: /) })
    expect(errors({ trigger: { kind: 'created', entity: 'deals' }, actions: [{ kind: 'setField', field: 'probability', value: 140 }] })[0]).toMatchObject({ path: 'actions[0].value', message: expect.stringMatching(/^Probability %: /) })
    expect(errors({ trigger: { kind: 'created', entity: 'deals' }, actions: [{ kind: 'setField', field: 'close_date', value: '2026-02-30' }] })).toEqual([{ path: 'actions[0].value', message: 'Close date: "2026-02-30" is not a real date in the form YYYY-MM-DD (e.g. 2026-11-27)' }])
    expect(errors({ trigger: { kind: 'created', entity: 'deals' }, conditions: [{ field: 'amount', op: 'greaterThan', value: 'big' }] })[0]!.path).toBe('conditions[0].value')
    expect(errors({ conditions: [{ field: 'title', op: 'greaterThan', value: 'a' }] })).toEqual([{ path: 'conditions[0].op', message: 'Title has no order: greaterThan compares numbers, money, dates and date-times' }])
    expect(errors({ conditions: [{ field: 'source', op: 'equals', value: 'Fax' }] })[0]!.path).toBe('conditions[0].value')
    expect(errors({ conditions: [{ field: 'source', op: 'inList', value: ['Website', 'Fax'] }] })[0]!.path).toBe('conditions[0].value[1]')
    expect(errors({ conditions: [{ field: 'source', op: 'equals' }] })).toEqual([{ path: 'conditions[0].value', message: 'Source: give a value (or use "empty")' }])
    expect(errors({ conditions: [{ field: 'source', op: 'resembles', value: 'x' }] })[0]!.path).toBe('conditions[0].op')
    expect(errors({ conditions: [{ field: 'owner', op: 'ownerIs', value: 'me' }] })).toEqual([{ path: 'conditions[0].value', message: 'a rule has no "me": name the member' }])
  })

  it('refuses no actions, a bad duration, a time-based trigger on a field that is not a date, and a bad shape', () => {
    expect(errors({ actions: [] })).toEqual([{ path: 'actions', message: 'a rule needs at least one action' }])
    expect(errors({ actions: undefined })).toEqual([{ path: 'actions', message: 'expected a list of actions, got nothing' }])
    const activity = (dueIn: unknown) => errors({ actions: [{ kind: 'createActivity', activityType: 'call', subject: 'Call', assignee: { kind: 'owner' }, dueIn }] })
    expect(activity({ amount: 1.5, unit: 'hours' })).toEqual([{ path: 'actions[0].dueIn.amount', message: 'expected a whole number, got 1.5' }])
    expect(activity({ amount: -1, unit: 'days' })).toEqual([{ path: 'actions[0].dueIn.amount', message: 'must be between 0 and 3650, got -1' }])
    expect(activity({ amount: 1, unit: 'weeks' })).toEqual([{ path: 'actions[0].dueIn.unit', message: 'expected minutes, hours or days, got text "weeks"' }])
    expect(errors({ trigger: { kind: 'dateOffset', entity: 'deals', field: 'title', days: 3 } })).toEqual([{ path: 'trigger.field', message: 'Title is not a date: a time-based trigger needs a date or date-time field' }])
    expect(errors({ trigger: { kind: 'dateOffset', entity: 'deals', field: 'close_date', days: 0.5 } })).toEqual([{ path: 'trigger.days', message: 'expected a whole number, got 0.5' }])
    expect(errors({ trigger: { kind: 'noActivity', entity: 'deals', days: 0 } })).toEqual([{ path: 'trigger.days', message: 'must be between 1 and 3650, got 0' }])
    expect(errors({ trigger: { kind: 'sometimes' } })[0]!.path).toBe('trigger.kind')
    expect(errors({ trigger: { kind: 'created', entity: 'leads', field: 'x' } })).toEqual([{ path: 'trigger.field', message: 'unknown property "field" (expected kind, entity)' }])
    expect(errors({ id: 'a b', name: '' }).map((e) => e.path)).toEqual(['id', 'name'])
    expect(errors({ actions: [{ kind: 'webhook', url: 'javascript:alert(1)' }] })[0]!.path).toBe('actions[0].url')
    expect(errors({ trigger: { kind: 'created', entity: 'products' }, actions: [{ kind: 'moveStage', stage: 'sales.won' }] })).toEqual([{ path: 'actions[0].kind', message: 'products are not deals and link to none: there is no deal to move' }])
    expect(errors({ trigger: { kind: 'created', entity: 'products' }, actions: [{ kind: 'assignOwner', assignee: { kind: 'member', member: 'ann' } }] })).toEqual([{ path: 'actions[0].kind', message: 'products have no owner field' }])
    expect(validateRule('rule', schema)).toEqual({ ok: false, errors: [{ path: '', message: 'expected a rule object, got text "rule"' }] })
  })
})
