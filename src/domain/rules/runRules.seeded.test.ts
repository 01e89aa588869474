import { describe, expect, it } from 'vitest'
import { defaultPipeline } from '../pipelines/pipeline'
import { STAGE_CHANGE_KEY } from '../pipelines/stageHistory'
import { findEntity, type FieldValue, type Row } from '../schema'
import { seededRandom, type SeededRandom } from '../seededRandom'
import { validateFieldValue } from '../validateFieldValue'
import { MAX_RULE_DEPTH, type RecordChange, type Rule, type RuleAction, type RuleTrigger } from './rule'
import { ruleTestSchema, testRow, testWorkspace } from './rules.testkit'
import { runRules } from './runRules'

const schema = ruleTestSchema()
const STAGES = defaultPipeline().stages.map((s) => s.id).filter((id) => id !== 'sales.lost')
const MEMBERS = ['ann', 'bob', 'carl']

function randomTrigger(r: SeededRandom): RuleTrigger {
  switch (r.int(0, 4)) {
    case 0: return { kind: 'created', entity: r.pick(['leads', 'deals', 'activities']) }
    case 1: return { kind: 'fieldChanged', entity: 'deals', field: r.pick(['deals.stage', 'deals.probability', 'deals.owner']) }
    case 2: return { kind: 'fieldChanged', entity: 'leads', field: 'leads.status', to: r.pick(['Contacted', 'Qualified']) }
    case 3: return { kind: 'stageEntered', stage: r.pick(STAGES) }
    default: return { kind: 'activityCompleted', activityType: r.next() < 0.5 ? 'call' : undefined }
  }
}

function randomAction(r: SeededRandom, trigger: RuleTrigger): RuleAction {
  const entity = trigger.kind === 'stageEntered' ? 'deals' : trigger.kind === 'activityCompleted' ? 'activities' : (trigger as { entity: string }).entity
  switch (r.int(0, 5)) {
    case 0: return { kind: 'createActivity', activityType: r.pick(['call', 'task']), subject: 'Next step', assignee: r.next() < 0.5 ? { kind: 'owner' } : { kind: 'roundRobin', members: MEMBERS }, dueIn: { amount: r.int(0, 48), unit: 'hours' } }
    case 1: return entity === 'leads' ? { kind: 'setField', field: 'leads.status', value: r.pick(['New', 'Contacted', 'Qualified']) }
      : entity === 'deals' ? { kind: 'setField', field: 'deals.probability', value: r.int(0, 100) }
        : { kind: 'setField', field: 'activities.notes', value: `note ${r.int(0, 3)}` }
    case 2: return { kind: 'assignOwner', assignee: { kind: 'roundRobin', members: MEMBERS } }
    case 3: return { kind: 'moveStage', stage: r.pick(STAGES) }
    case 4: return { kind: 'notify', member: r.next() < 0.5 ? 'owner' : r.pick(MEMBERS), message: 'hello' }
    default: return { kind: 'webhook', url: 'https://hooks.example/x' }
  }
}

function randomRules(r: SeededRandom): Rule[] {
  return Array.from({ length: r.int(1, 12) }, (_, i) => {
    const trigger = randomTrigger(r)
    return {
      id: `r${i}`, name: `R${i}`, enabled: r.next() < 0.9, trigger, conditions: [],
      actions: Array.from({ length: r.int(1, 3) }, () => randomAction(r, trigger)), createdAt: '2026-12-01T00:00:00.000Z', createdBy: 'ann',
    }
  })
}

/** Runs one seeded case: a workspace with a lead, a deal and a call on it, a random rule set and a random change. */
function runCase(seed: number) {
  const r = seededRandom(seed)
  const rules = randomRules(r)
  const w = testWorkspace()
  const lead = w.put('leads', testRow('lead1', { 'leads.status': 'New', 'leads.owner': 'bob', 'leads.converted_deal': 'deal1' }))
  const deal = w.put('deals', testRow('deal1', { 'deals.pipeline': 'sales', 'deals.stage': 'sales.new', 'deals.probability': 10, 'deals.owner': 'carl' }))
  const call = w.put('activities', testRow('act1', { 'activities.type': 'call', 'activities.done': false, 'activities.related_deal': 'deal1' }))
  const edit = (entity: string, row: Row, values: Record<string, FieldValue>): RecordChange => {
    const after = w.put(entity, { ...row, values: { ...row.values, ...values } })
    return { entity, recordId: row.id, before: row, after }
  }
  const change = r.pick([
    () => ({ entity: 'leads', recordId: 'lead2', before: null, after: w.put('leads', testRow('lead2', { 'leads.owner': 'ann' })) }),
    () => edit('leads', lead, { 'leads.status': r.pick(['Contacted', 'Qualified']) }),
    () => edit('deals', deal, { 'deals.stage': r.pick(STAGES) }),
    () => edit('activities', call, { 'activities.done': true }),
  ])()
  return { rules, plan: runRules(rules, [change], w.ctx), seeds: w.seeds }
}

describe('runRules over seeded random rule sets', () => {
  it('always ends, writes only values their fields accept, never fires deeper than MAX_RULE_DEPTH, and plans alike twice', () => {
    let writes = 0
    let stopped = 0
    for (let seed = 1; seed <= 300; seed++) {
      const { rules, plan, seeds } = runCase(seed)
      writes += plan.writes.length
      stopped += plan.firings.filter((f) => f.error?.startsWith('stopped')).length
      const again = runCase(seed)
      expect(again.plan, `seed ${seed}: the same inputs plan the same`).toEqual(plan)
      expect(again.seeds, `seed ${seed}`).toEqual(seeds)
      for (const write of plan.writes) {
        const entity = findEntity(schema, write.entity)!
        for (const [key, value] of Object.entries(write.values)) {
          if (STAGE_CHANGE_KEY.test(key)) continue
          const field = entity.fields.find((f) => f.id === key)
          expect(field, `seed ${seed}: ${key} is a field of ${write.entity}`).toBeDefined()
          expect(validateFieldValue(field!, value), `seed ${seed}: ${key}`).toEqual({ ok: true, value })
        }
      }
      for (const firing of plan.firings) {
        const rule = rules.find((x) => x.id === firing.ruleId)!
        expect(rule.enabled, `seed ${seed}: a disabled rule fired`).toBe(true)
        if (firing.error?.startsWith('stopped')) expect(firing.error, `seed ${seed}`).toMatch(new RegExp(`\\(depth ${MAX_RULE_DEPTH}\\)$`))
      }
      // a firing at each of at most MAX_RULE_DEPTH levels per action that writes: the plan stays small
      expect(plan.firings.length, `seed ${seed}`).toBeLessThan(2000)
    }
    // the cases do chain rules into the depth limit, not just fire one
    expect(writes).toBeGreaterThan(300)
    expect(stopped).toBeGreaterThan(10)
  })
})
