import { describe, expect, it } from 'vitest'
import type { Row } from '../schema'
import type { Rule } from './rule'
import { ruleTestSchema, testRow, testRule, testWorkspace } from './rules.testkit'
import { dueTimedFirings, planTimedFiring, type TimedFiring } from './timedRules'

const notify = [{ kind: 'notify', member: 'owner', message: 'look' }] as Rule['actions']
const deal = (id: string, values: Row['values'], extra: Partial<Row> = {}) => testRow(id, { 'deals.owner': 'carl', 'deals.stage': 'sales.new', ...values }, extra)

function due(rules: Rule[], rows: Record<string, Row[]>, now: string, o: { timeZone?: string; last?: Record<string, string>; schema?: boolean } = {}): TimedFiring[] {
  return dueTimedFirings(rules, (entity) => rows[entity] ?? [], (_entity, id) => o.last?.[id] ?? null, new Date(now), o.timeZone ?? 'UTC', o.schema ? ruleTestSchema() : undefined)
}

describe('dueTimedFirings: a date N days before or after today', () => {
  const deals = [deal('d9', { 'deals.close_date': '2026-12-09' }), deal('d10', { 'deals.close_date': '2026-12-10' }), deal('d5', { 'deals.close_date': '2026-12-05' }), deal('none', {})]

  it('fires on the day the date is that far away, keyed by the date', () => {
    const before = testRule({ trigger: { kind: 'dateOffset', entity: 'deals', field: 'deals.close_date', days: -3 }, actions: notify })
    const after = testRule({ trigger: { kind: 'dateOffset', entity: 'deals', field: 'deals.close_date', days: 1 }, actions: notify })
    expect(due([before, after], { deals }, '2026-12-06T10:00:00.000Z')).toEqual([
      { ruleId: before.id, entity: 'deals', recordId: 'd9', triggerKey: '2026-12-09' },
      { ruleId: after.id, entity: 'deals', recordId: 'd5', triggerKey: '2026-12-05' },
    ])
  })

  it('reads "today" in the workspace\'s time zone, for dates and for date-times', () => {
    const today = testRule({ trigger: { kind: 'dateOffset', entity: 'deals', field: 'deals.close_date', days: 0 }, actions: notify })
    const late = [deal('d6', { 'deals.close_date': '2026-12-06' }), deal('d7', { 'deals.close_date': '2026-12-07' })]
    // 23:30 UTC on the 6th is already the 7th in Tokyo and still the 6th in Los Angeles
    expect(due([today], { deals: late }, '2026-12-06T23:30:00.000Z').map((f) => f.recordId)).toEqual(['d6'])
    expect(due([today], { deals: late }, '2026-12-06T23:30:00.000Z', { timeZone: 'Asia/Tokyo' }).map((f) => f.recordId)).toEqual(['d7'])
    expect(due([today], { deals: late }, '2026-12-07T05:00:00.000Z', { timeZone: 'America/Los_Angeles' }).map((f) => f.recordId)).toEqual(['d6'])

    const dueTomorrow = testRule({ trigger: { kind: 'dateOffset', entity: 'activities', field: 'activities.due', days: -1 }, actions: notify })
    const activities = [
      testRow('a1', { 'activities.due': '2026-12-07T14:59:59.999Z' }), // Tokyo: the 7th, 23:59
      testRow('a2', { 'activities.due': '2026-12-07T15:00:00.000Z' }), // Tokyo: the 8th, 00:00
      testRow('a3', { 'activities.due': '2026-12-07T00:30:00+09:00' }), // Tokyo: the 7th, written with an offset
      testRow('a4', { 'activities.due': '2026-12-06T14:59:59.000Z' }), // Tokyo: the 6th
    ]
    expect(due([dueTomorrow], { activities }, '2026-12-06T10:00:00.000Z', { timeZone: 'Asia/Tokyo' })).toEqual([
      { ruleId: dueTomorrow.id, entity: 'activities', recordId: 'a1', triggerKey: '2026-12-07T14:59:59.999Z' },
      { ruleId: dueTomorrow.id, entity: 'activities', recordId: 'a3', triggerKey: '2026-12-07T00:30:00+09:00' },
    ])
    // in UTC tomorrow's day ends at 24:00Z: a1 and a2 both, a3 (the 6th, 15:30Z) not
    expect(due([dueTomorrow], { activities }, '2026-12-06T10:00:00.000Z').map((f) => f.recordId)).toEqual(['a1', 'a2'])
  })

  it('a date moved to another day fires again (a new key), the same date does not (the relay holds its key)', () => {
    const rule = testRule({ trigger: { kind: 'dateOffset', entity: 'deals', field: 'deals.close_date', days: -1 }, actions: notify })
    const stored = new Set<string>()
    const pass = (rows: Row[], now: string) => due([rule], { deals: rows }, now).filter((f) => {
      const key = `${f.ruleId}|${f.recordId}|${f.triggerKey}`
      if (stored.has(key)) return false
      stored.add(key)
      return true
    })
    expect(pass([deal('d', { 'deals.close_date': '2026-12-07' })], '2026-12-06T08:00:00.000Z')).toHaveLength(1)
    expect(pass([deal('d', { 'deals.close_date': '2026-12-07' })], '2026-12-06T08:01:00.000Z')).toHaveLength(0)
    // moved out a day: due tomorrow, and fires then
    expect(pass([deal('d', { 'deals.close_date': '2026-12-08' })], '2026-12-06T08:02:00.000Z')).toHaveLength(0)
    expect(pass([deal('d', { 'deals.close_date': '2026-12-08' })], '2026-12-07T08:00:00.000Z')).toEqual([{ ruleId: rule.id, entity: 'deals', recordId: 'd', triggerKey: '2026-12-08' }])
  })

  it('skips disabled, deleted and change-triggered rules, deleted rows; with the schema, the conditions', () => {
    const rule = (o: Partial<Rule> = {}) => testRule({ trigger: { kind: 'dateOffset', entity: 'deals', field: 'deals.close_date', days: 0 }, actions: notify, ...o })
    const rows = { deals: [deal('live', { 'deals.close_date': '2026-12-06' }), deal('gone', { 'deals.close_date': '2026-12-06' }, { deletedAt: '2026-12-01T00:00:00.000Z' })] }
    expect(due([rule({ enabled: false }), rule({ deletedAt: '2026-12-02T00:00:00.000Z' }), testRule({ trigger: { kind: 'created', entity: 'deals' }, actions: notify })], rows, '2026-12-06T10:00:00.000Z')).toEqual([])
    expect(due([rule()], rows, '2026-12-06T10:00:00.000Z').map((f) => f.recordId)).toEqual(['live'])
    const onlyWon = rule({ conditions: [{ field: 'deals.stage', op: 'equals', value: 'sales.won' }] })
    expect(due([onlyWon], rows, '2026-12-06T10:00:00.000Z', { schema: true })).toEqual([])
    expect(due([onlyWon], rows, '2026-12-06T10:00:00.000Z')).toHaveLength(1)
    // a date rule on a field that is gone, or no date, is never due once the schema says so
    const onTitle = rule({ trigger: { kind: 'dateOffset', entity: 'deals', field: 'deals.title', days: 0 } })
    const titled = { deals: [deal('t', { 'deals.title': '2026-12-06' })] }
    expect(due([onTitle], titled, '2026-12-06T10:00:00.000Z', { schema: true })).toEqual([])
    expect(due([onTitle], titled, '2026-12-06T10:00:00.000Z')).toHaveLength(1)
  })
})

describe('dueTimedFirings: no activity for N days', () => {
  const rule = testRule({ trigger: { kind: 'noActivity', entity: 'deals', days: 14 }, actions: notify })
  const rows = { deals: [deal('quiet', {}, { createdAt: '2026-11-01T09:00:00.000Z' }), deal('busy', {}, { createdAt: '2026-11-01T09:00:00.000Z' }), deal('new', {}, { createdAt: '2026-12-01T09:00:00.000Z' })] }

  it('fires when the last activity (else the creation) is older than N days, keyed by that time', () => {
    const last = { quiet: '2026-11-20T12:00:00.000Z', busy: '2026-12-03T12:00:00.000Z' }
    expect(due([rule], rows, '2026-12-06T10:00:00.000Z', { last })).toEqual([{ ruleId: rule.id, entity: 'deals', recordId: 'quiet', triggerKey: '2026-11-20T12:00:00.000Z' }])
    expect(due([rule], rows, '2026-12-06T10:00:00.000Z').map((f) => [f.recordId, f.triggerKey])).toEqual([['quiet', '2026-11-01T09:00:00.000Z'], ['busy', '2026-11-01T09:00:00.000Z']])
    // 14 days to the millisecond are not yet more than 14 days
    expect(due([rule], rows, '2026-12-04T12:00:00.000Z', { last })).toEqual([])
    expect(due([rule], rows, '2026-12-04T12:00:00.001Z', { last }).map((f) => f.recordId)).toEqual(['quiet'])
    // a time written in another form is read as a time, not compared as text
    const offset = { quiet: '2026-11-20T13:00:00+01:00', busy: '2026-11-20T12:00:00.001+00:00' }
    expect(due([rule], rows, '2026-12-04T12:00:00.001Z', { last: offset }).map((f) => f.recordId)).toEqual(['quiet'])
  })
})

describe('planTimedFiring', () => {
  const task = testRule({
    name: 'Chase silent deals', trigger: { kind: 'noActivity', entity: 'deals', days: 14 },
    conditions: [{ field: 'deals.stage', op: 'notEquals', value: 'sales.won' }],
    actions: [{ kind: 'createActivity', activityType: 'task', subject: 'Follow up', assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'days' } }],
  })
  const firing: TimedFiring = { ruleId: task.id, entity: 'deals', recordId: 'd1', triggerKey: '2026-11-20T12:00:00.000Z' }

  it('plans the actions with ids seeded by the firing, so planning it again names the same records', () => {
    const first = testWorkspace({ writer: 'relay:rules' })
    first.put('deals', deal('d1', {}))
    const plan = planTimedFiring(task, firing, first.ctx)
    expect(plan.writes).toEqual([{
      kind: 'create', entity: 'activities', id: 'new1', ruleId: task.id,
      values: { 'activities.type': 'task', 'activities.subject': 'Follow up', 'activities.due': '2026-12-07T10:00:00.000Z', 'activities.done': false, 'activities.owner': 'carl', 'activities.related_deal': 'd1' },
    }])
    expect(plan.firings).toEqual([{ ruleId: task.id, at: '2026-12-06T10:00:00.000Z', entity: 'deals', recordId: 'd1' }])
    const again = testWorkspace({ writer: 'relay:rules', now: new Date('2026-12-06T10:05:00.000Z') })
    again.put('deals', deal('d1', {}))
    planTimedFiring(task, firing, again.ctx)
    expect(again.seeds).toEqual(first.seeds)
    expect(first.seeds[0]).toContain(firing.triggerKey)
  })

  it('runs the change-triggered rules its writes trigger', () => {
    const w = testWorkspace({ writer: 'relay:rules' })
    w.put('deals', deal('d1', {}))
    const tell = testRule({ trigger: { kind: 'created', entity: 'activities' }, actions: [{ kind: 'notify', member: 'boss', message: 'a task was made' }] })
    const plan = planTimedFiring(task, firing, w.ctx, [task, tell])
    expect(plan.firings.map((f) => [f.ruleId, f.entity])).toEqual([[task.id, 'deals'], [tell.id, 'activities']])
    expect(plan.notifications).toMatchObject([{ member: 'boss', entity: 'activities', recordId: 'new1' }])
  })

  it('plans nothing when the conditions no longer hold, the record is gone, or the rule is off', () => {
    const w = testWorkspace()
    w.put('deals', deal('d1', { 'deals.stage': 'sales.won' }))
    expect(planTimedFiring(task, firing, w.ctx).firings).toEqual([])
    expect(planTimedFiring(task, { ...firing, recordId: 'nope' }, w.ctx).firings).toEqual([])
    w.put('deals', deal('d1', {}))
    expect(planTimedFiring({ ...task, enabled: false }, firing, w.ctx).firings).toEqual([])
    expect(planTimedFiring(task, firing, w.ctx).firings).toHaveLength(1)
  })
})
