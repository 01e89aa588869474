import { describe, expect, it } from 'vitest'
import type { Row } from '../schema'
import type { RecordChange, Rule, RuleCondition } from './rule'
import { testRow, testRule, testWorkspace } from './rules.testkit'
import { runRules } from './runRules'

const NOW = '2026-12-06T10:00:00.000Z'
const created = (entity: string, row: Row): RecordChange => ({ entity, recordId: row.id, before: null, after: row })
const edited = (entity: string, before: Row, values: Row['values']): RecordChange =>
  ({ entity, recordId: before.id, before, after: { ...before, values: { ...before.values, ...values } } })

/** A workspace holding the records, and runRules over the changes (the records after them stored too). */
function run(rules: Rule[], changes: RecordChange[], setup?: (w: ReturnType<typeof testWorkspace>) => void) {
  const w = testWorkspace()
  setup?.(w)
  for (const c of changes) w.put(c.entity, c.after)
  return { plan: runRules(rules, changes, w.ctx), w }
}

const lead = testRow('lead1', { 'leads.title': 'Website enquiry', 'leads.source': 'Website', 'leads.owner': 'bob', 'leads.status': 'New' })
const deal = testRow('deal1', {
  'deals.title': 'Big order', 'deals.pipeline': 'sales', 'deals.stage': 'sales.new', 'deals.amount': { amount: 250_000, currency: 'EUR' },
  'deals.close_date': '2026-12-24', 'deals.owner': 'carl',
})
const call = testRow('act1', { 'activities.type': 'call', 'activities.subject': 'Call', 'activities.done': false, 'activities.owner': 'bob', 'activities.related_deal': 'deal1', 'activities.related_lead': 'lead1' })
const notifyOwner = [{ kind: 'notify', member: 'owner', message: 'fired' }] as Rule['actions']

describe('runRules: triggers', () => {
  it('"created" fires on a new record of its entity only', () => {
    const rule = testRule({ trigger: { kind: 'created', entity: 'leads' }, actions: notifyOwner })
    expect(run([rule], [created('leads', lead)]).plan.firings).toEqual([{ ruleId: rule.id, at: NOW, entity: 'leads', recordId: 'lead1' }])
    expect(run([rule], [edited('leads', lead, { 'leads.status': 'Contacted' })]).plan.firings).toEqual([])
    expect(run([rule], [created('deals', deal)]).plan.firings).toEqual([])
  })

  it('"field changes" fires on a change of the field, not on the same value or another field', () => {
    const rule = testRule({ trigger: { kind: 'fieldChanged', entity: 'leads', field: 'leads.status' }, actions: notifyOwner })
    expect(run([rule], [edited('leads', lead, { 'leads.status': 'Contacted' })]).plan.firings).toHaveLength(1)
    expect(run([rule], [edited('leads', lead, { 'leads.status': 'New' })]).plan.firings).toHaveLength(0)
    expect(run([rule], [edited('leads', lead, { 'leads.name': 'Ann' })]).plan.firings).toHaveLength(0)
    // money compares by amount and currency, empty is empty
    const amount = testRule({ trigger: { kind: 'fieldChanged', entity: 'deals', field: 'deals.amount' }, actions: notifyOwner })
    expect(run([amount], [edited('deals', deal, { 'deals.amount': { amount: 250_000, currency: 'EUR' } })]).plan.firings).toHaveLength(0)
    expect(run([amount], [edited('deals', deal, { 'deals.amount': { amount: 250_000, currency: 'USD' } })]).plan.firings).toHaveLength(1)
    const blank = testRow('lead2', { 'leads.name': '' })
    const name = testRule({ trigger: { kind: 'fieldChanged', entity: 'leads', field: 'leads.name' }, actions: notifyOwner })
    expect(run([name], [edited('leads', blank, { 'leads.name': null })]).plan.firings).toHaveLength(0)
  })

  it('"field changes to a value" fires when the field comes to equal it', () => {
    const rule = testRule({ trigger: { kind: 'fieldChanged', entity: 'leads', field: 'leads.status', to: 'Qualified' }, actions: notifyOwner })
    expect(run([rule], [edited('leads', lead, { 'leads.status': 'Qualified' })]).plan.firings).toHaveLength(1)
    expect(run([rule], [edited('leads', lead, { 'leads.status': 'Contacted' })]).plan.firings).toHaveLength(0)
    const qualified = testRow('lead3', { 'leads.status': 'Qualified', 'leads.owner': 'bob' })
    expect(run([rule], [edited('leads', qualified, { 'leads.name': 'x' })]).plan.firings).toHaveLength(0)
    // a record created with the value counts as changed from empty
    expect(run([rule], [created('leads', qualified)]).plan.firings).toHaveLength(1)
  })

  it('"enters a stage" fires when a deal moves into the stage (by id, a legacy name too), narrowed by pipeline', () => {
    const rule = testRule({ trigger: { kind: 'stageEntered', stage: 'sales.won' }, actions: notifyOwner })
    expect(run([rule], [edited('deals', deal, { 'deals.stage': 'sales.won' })]).plan.firings).toHaveLength(1)
    expect(run([rule], [edited('deals', deal, { 'deals.stage': 'Won' })]).plan.firings).toHaveLength(1)
    expect(run([rule], [edited('deals', deal, { 'deals.stage': 'sales.lost' })]).plan.firings).toHaveLength(0)
    const won = testRow('deal2', { 'deals.stage': 'sales.won', 'deals.owner': 'carl' })
    expect(run([rule], [edited('deals', won, { 'deals.title': 'x' })]).plan.firings).toHaveLength(0)
    expect(run([rule], [created('deals', won)]).plan.firings).toHaveLength(1)
    const otherPipeline = testRule({ trigger: { kind: 'stageEntered', stage: 'sales.won', pipeline: 'partners' }, actions: notifyOwner })
    expect(run([otherPipeline], [edited('deals', deal, { 'deals.stage': 'sales.won' })]).plan.firings).toHaveLength(0)
    const partners = testRule({ trigger: { kind: 'stageEntered', stage: 'partners.won', pipeline: 'partners' }, actions: notifyOwner })
    expect(run([partners], [edited('deals', deal, { 'deals.stage': 'partners.won' })]).plan.firings).toHaveLength(1)
  })

  it('"activity completed" fires when done becomes true, of the given type', () => {
    const any = testRule({ trigger: { kind: 'activityCompleted' }, actions: notifyOwner })
    const calls = testRule({ trigger: { kind: 'activityCompleted', activityType: 'call' }, actions: notifyOwner })
    const meetings = testRule({ trigger: { kind: 'activityCompleted', activityType: 'meeting' }, actions: notifyOwner })
    const done = run([any, calls, meetings], [edited('activities', call, { 'activities.done': true })]).plan
    expect(done.firings.map((f) => f.ruleId)).toEqual([any.id, calls.id])
    expect(run([any], [edited('activities', call, { 'activities.subject': 'x' })]).plan.firings).toHaveLength(0)
    const alreadyDone = { ...call, values: { ...call.values, 'activities.done': true } }
    expect(run([any], [edited('activities', alreadyDone, { 'activities.subject': 'x' })]).plan.firings).toHaveLength(0)
    // a call logged as done is completed
    expect(run([calls], [created('activities', alreadyDone)]).plan.firings).toHaveLength(1)
  })

  it('never fires a disabled, deleted or time-based rule', () => {
    const off = testRule({ enabled: false, trigger: { kind: 'created', entity: 'leads' }, actions: notifyOwner })
    const gone = testRule({ deletedAt: NOW, trigger: { kind: 'created', entity: 'leads' }, actions: notifyOwner })
    const timed = testRule({ trigger: { kind: 'noActivity', entity: 'leads', days: 0 }, actions: notifyOwner })
    expect(run([off, gone, timed], [created('leads', lead)]).plan).toEqual({ writes: [], notifications: [], webhooks: [], firings: [] })
  })
})

describe('runRules: conditions on the triggering record', () => {
  const fires = (conditions: RuleCondition[], row: Row = deal) =>
    run([testRule({ trigger: { kind: 'fieldChanged', entity: 'deals', field: 'deals.title' }, conditions, actions: notifyOwner })],
      [edited('deals', row, { 'deals.title': 'Renamed' })]).plan.firings.length === 1

  it('equals and not equals, with the field\'s value semantics', () => {
    expect(fires([{ field: 'deals.title', op: 'equals', value: 'renamed' }])).toBe(true)
    expect(fires([{ field: 'deals.stage', op: 'equals', value: 'sales.new' }])).toBe(true)
    expect(fires([{ field: 'deals.amount', op: 'equals', value: { amount: 250_000, currency: 'EUR' } }])).toBe(true)
    expect(fires([{ field: 'deals.amount', op: 'equals', value: 2500 }])).toBe(true)
    expect(fires([{ field: 'deals.amount', op: 'equals', value: { amount: 250_000, currency: 'USD' } }])).toBe(false)
    expect(fires([{ field: 'deals.stage', op: 'notEquals', value: 'sales.new' }])).toBe(false)
    expect(fires([{ field: 'deals.stage', op: 'notEquals', value: 'sales.won' }])).toBe(true)
  })

  it('contains, greater than, less than (money, dates)', () => {
    expect(fires([{ field: 'deals.title', op: 'contains', value: 'NAME' }])).toBe(true)
    expect(fires([{ field: 'deals.title', op: 'contains', value: 'order' }])).toBe(false)
    expect(fires([{ field: 'deals.amount', op: 'greaterThan', value: 2000 }])).toBe(true)
    expect(fires([{ field: 'deals.amount', op: 'greaterThan', value: 2500 }])).toBe(false)
    expect(fires([{ field: 'deals.amount', op: 'greaterThan', value: { amount: 100, currency: 'EUR' } }])).toBe(true)
    expect(fires([{ field: 'deals.amount', op: 'greaterThan', value: { amount: 100, currency: 'USD' } }])).toBe(false)
    expect(fires([{ field: 'deals.amount', op: 'lessThan', value: 3000 }])).toBe(true)
    expect(fires([{ field: 'deals.close_date', op: 'lessThan', value: '2026-12-25' }])).toBe(true)
    expect(fires([{ field: 'deals.close_date', op: 'lessThan', value: '2026-12-24' }])).toBe(false)
    expect(fires([{ field: 'deals.close_date', op: 'greaterThan', value: '2026-12-01' }])).toBe(true)
  })

  it('empty, not empty, in list, owner is; all of them must hold', () => {
    expect(fires([{ field: 'deals.lost_reason', op: 'empty' }])).toBe(true)
    expect(fires([{ field: 'deals.lost_reason', op: 'notEmpty' }])).toBe(false)
    expect(fires([{ field: 'deals.amount', op: 'notEmpty' }])).toBe(true)
    expect(fires([{ field: 'deals.stage', op: 'inList', value: ['sales.won', 'sales.new'] }])).toBe(true)
    expect(fires([{ field: 'deals.stage', op: 'inList', value: ['sales.won', 'sales.lost'] }])).toBe(false)
    expect(fires([{ field: 'deals.owner', op: 'ownerIs', value: 'carl' }])).toBe(true)
    expect(fires([{ field: '', op: 'ownerIs', value: 'carl' }])).toBe(true)
    expect(fires([{ field: 'deals.owner', op: 'ownerIs', value: 'bob' }])).toBe(false)
    expect(fires([{ field: 'deals.owner', op: 'ownerIs', value: 'carl' }, { field: 'deals.lost_reason', op: 'notEmpty' }])).toBe(false)
    // a condition on a field the deals no longer have stops the rule rather than widening it
    expect(fires([{ field: 'deals.gone', op: 'empty' }])).toBe(false)
  })
})

describe('runRules: actions', () => {
  it('creates an activity for the owner, due after the duration, related to the record by its entity\'s link', () => {
    const rule = testRule({
      trigger: { kind: 'created', entity: 'leads' },
      actions: [{ kind: 'createActivity', activityType: 'call', subject: 'Call the customer', assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'hours' } }],
    })
    const { plan, w } = run([rule], [created('leads', lead)])
    expect(plan.writes).toEqual([{
      kind: 'create', entity: 'activities', id: 'new1', ruleId: rule.id,
      values: {
        'activities.type': 'call', 'activities.subject': 'Call the customer', 'activities.due': '2026-12-06T11:00:00.000Z',
        'activities.done': false, 'activities.owner': 'bob', 'activities.related_lead': 'lead1',
      },
    }])
    expect(w.seeds[0]).toMatch(/lead1/)
    expect(plan.firings).toEqual([{ ruleId: rule.id, at: NOW, entity: 'leads', recordId: 'lead1' }])
    for (const [entity, link] of [['contacts', 'related'], ['companies', 'related_company'], ['deals', 'related_deal']]) {
      const r = testRule({ trigger: { kind: 'created', entity: entity! }, actions: [{ kind: 'createActivity', activityType: 'task', subject: 'x', assignee: { kind: 'member', member: 'dan' }, dueIn: { amount: 2, unit: 'days' } }] })
      const values = run([r], [created(entity!, testRow('rec', {}))]).plan.writes[0]!.values
      expect(values[`activities.${link}`], entity).toBe('rec')
      expect(values['activities.owner']).toBe('dan')
      expect(values['activities.due']).toBe('2026-12-08T10:00:00.000Z')
    }
  })

  it('an activity for the owner of a record without one goes to the member who made the change (the app), else to nobody (the relay)', () => {
    const rule = testRule({
      trigger: { kind: 'created', entity: 'leads' },
      actions: [{ kind: 'createActivity', activityType: 'call', subject: 'Call the customer', assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'hours' } }],
    })
    const typed = testRow('lead2', { 'leads.title': 'Typed in the grid' })
    const byMember = run([rule], [created('leads', typed)], (w) => { w.ctx.member = 'ann' }).plan.writes[0]!.values
    expect(byMember['activities.owner']).toBe('ann')
    const byRelay = run([rule], [created('leads', typed)]).plan.writes[0]!.values
    expect(byRelay['activities.owner'] ?? null).toBeNull()
    // a record's own owner comes first
    expect(run([rule], [created('leads', lead)], (w) => { w.ctx.member = 'ann' }).plan.writes[0]!.values['activities.owner']).toBe('bob')
  })

  it('seeds the ids of what a firing makes by the writer, the time and what the change wrote', () => {
    const rule = testRule({ trigger: { kind: 'fieldChanged', entity: 'leads', field: 'leads.status' }, actions: [{ kind: 'notify', member: 'owner', message: 'x' }] })
    const seedOf = (status: string) => run([rule], [edited('leads', lead, { 'leads.status': status })]).w.seeds
    expect(seedOf('Contacted')).toHaveLength(1)
    expect(seedOf('Contacted')).toEqual(seedOf('Contacted'))
    expect(seedOf('Contacted')).not.toEqual(seedOf('Qualified'))
  })

  it('an activity trigger\'s activity relates to what the completed activity relates to', () => {
    const rule = testRule({
      trigger: { kind: 'activityCompleted', activityType: 'call' },
      actions: [{ kind: 'createActivity', activityType: 'email', subject: 'Send the offer', assignee: { kind: 'owner' }, dueIn: { amount: 30, unit: 'minutes' } }],
    })
    const values = run([rule], [edited('activities', call, { 'activities.done': true })]).plan.writes[0]!.values
    expect(values).toMatchObject({ 'activities.related_deal': 'deal1', 'activities.related_lead': 'lead1', 'activities.owner': 'bob', 'activities.due': '2026-12-06T10:30:00.000Z' })
    expect(values['activities.related']).toBeUndefined()
  })

  it('an activity type the activities do not have is the firing\'s error, nothing created', () => {
    const rule = testRule({ trigger: { kind: 'created', entity: 'leads' }, actions: [{ kind: 'createActivity', activityType: 'fax', subject: 'x', assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'hours' } }] })
    const { plan } = run([rule], [created('leads', lead)])
    expect(plan.writes).toEqual([])
    expect(plan.firings[0]!.error).toMatch(/^Type: "fax" is not one of the options/)
  })

  it('sets a field with the value checked as the API checks it; a refused value is the error and writes nothing', () => {
    const ok = testRule({ trigger: { kind: 'created', entity: 'leads' }, actions: [{ kind: 'setField', field: 'leads.status', value: 'contacted' }] })
    expect(run([ok], [created('leads', lead)]).plan.writes).toEqual([{ kind: 'set', entity: 'leads', recordId: 'lead1', values: { 'leads.status': 'Contacted' }, ruleId: ok.id }])
    const bad = testRule({ trigger: { kind: 'created', entity: 'leads' }, actions: [{ kind: 'setField', field: 'leads.status', value: 'Maybe' }, { kind: 'notify', member: 'owner', message: 'hi' }] })
    const { plan } = run([bad], [created('leads', lead)])
    expect(plan.writes).toEqual([])
    expect(plan.firings[0]!.error).toBe('Status: "Maybe" is not one of the options (choose from New, Contacted, Qualified, Unqualified, Converted)')
    // the other actions still ran
    expect(plan.notifications).toHaveLength(1)
    const money = testRule({ trigger: { kind: 'created', entity: 'deals' }, actions: [{ kind: 'setField', field: 'deals.amount', value: { amount: 1.5, currency: 'EUR' } }] })
    expect(run([money], [created('deals', deal)]).plan.firings[0]!.error).toMatch(/^Amount: amount must be a whole number of minor units/)
  })

  it('assigns the owner: a fixed member, or round robin by the rule\'s firing count, including this plan\'s firings', () => {
    const fixed = testRule({ trigger: { kind: 'created', entity: 'leads' }, actions: [{ kind: 'assignOwner', assignee: { kind: 'member', member: 'dan' } }] })
    expect(run([fixed], [created('leads', lead)]).plan.writes[0]!.values).toEqual({ 'leads.owner': 'dan' })
    const robin = testRule({ trigger: { kind: 'created', entity: 'leads' }, actions: [{ kind: 'assignOwner', assignee: { kind: 'roundRobin', members: ['ann', 'bob', 'carl'] } }] })
    const leads = ['l1', 'l2', 'l3', 'l4'].map((id) => created('leads', testRow(id, {})))
    const owners = (count: number) => run([robin], leads, (w) => w.counts.set(robin.id, count)).plan.writes.map((x) => x.values['leads.owner'])
    expect(owners(0)).toEqual(['ann', 'bob', 'carl', 'ann'])
    expect(owners(7)).toEqual(['bob', 'carl', 'ann', 'bob'])
    // the activity's assignee too
    const calls = testRule({ trigger: { kind: 'created', entity: 'leads' }, actions: [{ kind: 'createActivity', activityType: 'call', subject: 'x', assignee: { kind: 'roundRobin', members: ['ann', 'bob'] }, dueIn: { amount: 1, unit: 'hours' } }] })
    expect(run([calls], leads, (w) => w.counts.set(calls.id, 1)).plan.writes.map((x) => x.values['activities.owner'])).toEqual(['bob', 'ann', 'bob', 'ann'])
  })

  it('moves a deal to a stage with its stage entry and pipeline; for an activity, the deal it relates to', () => {
    const rule = testRule({ trigger: { kind: 'activityCompleted', activityType: 'call' }, actions: [{ kind: 'moveStage', stage: 'partners.signed' }] })
    const { plan } = run([rule], [edited('activities', call, { 'activities.done': true })], (w) => w.put('deals', deal))
    expect(plan.writes).toHaveLength(1)
    const write = plan.writes[0]!
    expect(write).toMatchObject({ kind: 'set', entity: 'deals', recordId: 'deal1', ruleId: rule.id })
    expect(write.values['deals.stage']).toBe('partners.signed')
    expect(write.values['deals.pipeline']).toBe('partners')
    const entry = Object.entries(write.values).find(([key]) => key.startsWith('stage@'))
    expect(entry?.[1]).toEqual({ from: 'sales.new', to: 'partners.signed', at: NOW, by: 'ann' })
    // a call on a converted lead moves the lead's deal
    const onLead = testRow('act3', { 'activities.type': 'call', 'activities.done': false, 'activities.related_lead': 'lead5' })
    const converted = run([rule], [edited('activities', onLead, { 'activities.done': true })], (w) => {
      w.put('leads', testRow('lead5', { 'leads.converted_deal': 'deal1' }))
      w.put('deals', deal)
    }).plan
    expect(converted.writes.map((x) => [x.entity, x.kind === 'set' ? x.recordId : x.id, x.values['deals.stage']])).toEqual([['deals', 'deal1', 'partners.signed']])
    // no deal to move
    const lonely = testRow('act2', { 'activities.type': 'call', 'activities.done': false })
    expect(run([rule], [edited('activities', lonely, { 'activities.done': true })]).plan.firings[0]!.error).toBe('the activity is not related to a deal')
    const lost = testRule({ trigger: { kind: 'fieldChanged', entity: 'deals', field: 'deals.title' }, actions: [{ kind: 'moveStage', stage: 'sales.lost' }] })
    expect(run([lost], [edited('deals', deal, { 'deals.title': 'x' })]).plan.firings[0]!.error).toBe('Stage: a deal moved to a lost stage needs a lost reason')
    const nowhere = testRule({ trigger: { kind: 'fieldChanged', entity: 'deals', field: 'deals.title' }, actions: [{ kind: 'moveStage', stage: 'sales.nowhere' }] })
    expect(run([nowhere], [edited('deals', deal, { 'deals.title': 'x' })]).plan.firings[0]!.error).toBe('no stage "sales.nowhere"')
  })

  it('notifies a member or the record\'s owner, and queues a webhook', () => {
    const rule = testRule({
      trigger: { kind: 'stageEntered', stage: 'sales.won' },
      actions: [{ kind: 'notify', member: 'owner', message: 'Won!' }, { kind: 'notify', member: 'boss', message: 'A deal was won' }, { kind: 'webhook', url: 'https://hooks.example/won' }],
    })
    const { plan } = run([rule], [edited('deals', deal, { 'deals.stage': 'sales.won' })])
    expect(plan.notifications).toEqual([
      { id: 'new1', member: 'carl', message: 'Won!', entity: 'deals', recordId: 'deal1', ruleId: rule.id, at: NOW },
      { id: 'new2', member: 'boss', message: 'A deal was won', entity: 'deals', recordId: 'deal1', ruleId: rule.id, at: NOW },
    ])
    expect(plan.webhooks).toEqual([{ id: 'new3', url: 'https://hooks.example/won', ruleId: rule.id, entity: 'deals', recordId: 'deal1', at: NOW }])
    const ownerless = testRow('deal9', { 'deals.stage': 'sales.new' })
    expect(run([rule], [edited('deals', ownerless, { 'deals.stage': 'sales.won' })]).plan.firings[0]!.error).toBe('the deal has no owner to notify')
  })
})

describe('runRules: chains and loops', () => {
  it('the plan\'s writes trigger rules; a later rule reads the earlier rule\'s write; a set on a created record folds into the create', () => {
    const qualify = testRule({ name: 'Qualify', trigger: { kind: 'created', entity: 'leads' }, actions: [{ kind: 'setField', field: 'leads.status', value: 'Qualified' }] })
    const onQualified = testRule({
      name: 'Call qualified', trigger: { kind: 'fieldChanged', entity: 'leads', field: 'leads.status', to: 'Qualified' },
      conditions: [{ field: 'leads.status', op: 'equals', value: 'Qualified' }],
      actions: [{ kind: 'createActivity', activityType: 'call', subject: 'Call', assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'days' } }],
    })
    const mine = testRule({ name: 'Mine', trigger: { kind: 'created', entity: 'activities' }, actions: [{ kind: 'setField', field: 'activities.notes', value: 'made by a rule' }] })
    const { plan } = run([qualify, onQualified, mine], [created('leads', testRow('lead7', { 'leads.status': 'New', 'leads.owner': 'bob' }))])
    expect(plan.firings.map((f) => [f.ruleId, f.recordId, f.error])).toEqual([[qualify.id, 'lead7', undefined], [onQualified.id, 'lead7', undefined], [mine.id, 'new1', undefined]])
    expect(plan.writes.map((x) => x.kind)).toEqual(['set', 'create'])
    expect(plan.writes[1]!.values['activities.notes']).toBe('made by a rule')
  })

  it('two rules that trigger each other stop at depth 3 with the chain in the refused firing\'s error', () => {
    const a = testRule({ name: 'A', trigger: { kind: 'fieldChanged', entity: 'leads', field: 'leads.status', to: 'Contacted' }, actions: [{ kind: 'setField', field: 'leads.status', value: 'Qualified' }] })
    const b = testRule({ name: 'B', trigger: { kind: 'fieldChanged', entity: 'leads', field: 'leads.status', to: 'Qualified' }, actions: [{ kind: 'setField', field: 'leads.status', value: 'Contacted' }] })
    const { plan } = run([a, b], [edited('leads', lead, { 'leads.status': 'Contacted' })])
    expect(plan.firings.map((f) => f.ruleId)).toEqual([a.id, b.id, a.id, b.id])
    expect(plan.firings.slice(0, 3).every((f) => f.error === undefined)).toBe(true)
    expect(plan.firings[3]!.error).toBe('stopped: rules "A" → "B" → "A" trigger each other (depth 3)')
    expect(plan.writes.map((x) => x.values['leads.status'])).toEqual(['Qualified', 'Contacted', 'Qualified'])
  })

  it('a rule that triggers itself stops at depth 3', () => {
    const again = testRule({ name: 'Again', trigger: { kind: 'created', entity: 'activities' }, actions: [{ kind: 'createActivity', activityType: 'task', subject: 'More', assignee: { kind: 'member', member: 'ann' }, dueIn: { amount: 1, unit: 'days' } }] })
    const { plan } = run([again], [created('activities', call)])
    expect(plan.writes).toHaveLength(3)
    expect(new Set(plan.writes.map((x) => x.kind === 'create' && x.id)).size).toBe(3)
    expect(plan.firings.map((f) => f.error)).toEqual([undefined, undefined, undefined, 'stopped: rule "Again" triggers itself (depth 3)'])
  })

  it('a rule whose write changes nothing does not trigger again', () => {
    const reset = testRule({ trigger: { kind: 'fieldChanged', entity: 'leads', field: 'leads.status' }, actions: [{ kind: 'setField', field: 'leads.status', value: 'New' }] })
    const { plan } = run([reset], [edited('leads', lead, { 'leads.status': 'Contacted' })])
    expect(plan.writes).toHaveLength(1)
    expect(plan.firings.map((f) => f.error)).toEqual([undefined, undefined])
  })
})
