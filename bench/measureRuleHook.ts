import { makeCompactEntityStore, type CompactEntityDoc } from '../src/crdt/compactEntityStore'
import { CompactRecordStore } from '../src/crdt/compactRecordStore'
import type { EntityStore } from '../src/crdt/entityStore'
import type { RowPatch } from '../src/domain/schema'
import type { Rule, RuleAction, RuleTrigger } from '../src/domain/rules/rule'
import { ruleTestSchema } from '../src/domain/rules/rules.testkit'
import { seededRandom } from '../src/domain/seededRandom'
import { RuleWriter } from '../src/sync/ruleWriter'
import { percentile } from './summarize'

export interface RuleHookResult {
  records: number
  rules: number
  edits: number
  /** One cell edit applied by the worker's RuleWriter (ms): with the rules switched on, and with none. */
  withRules: { p50: number; p95: number }
  without: { p50: number; p95: number }
  /** Edits on which a rule fired (its writes then go into the edit's own batch). */
  fired: number
}

/** An entity document as the workspace worker holds one, minus IndexedDB and the socket (commits are dropped). */
class BenchDoc implements CompactEntityDoc {
  readonly store = new CompactRecordStore()
  commit(): void {}
  onRemotePatch(_listener: (patch: RowPatch) => void): () => void { return () => undefined }
}

/**
 * What the app's rule hook adds to a cell edit (issue 16: ≤ 1 ms p95 with 50 rules on): the
 * workspace worker's RuleWriter.apply of one `update` intent on a lead — the before/after rows,
 * runRules over 50 switched-on rules of every kind (two of which fire on some edits: a field set
 * in the same batch and a notification), the batch write — against the same edit with no rules,
 * on compact stores of `records` leads.
 */
export function measureRuleHook(o: { records: number; edits: number }): RuleHookResult {
  const schema = ruleTestSchema()
  const stores = new Map<string, EntityStore>()
  for (const id of ['leads', 'contacts', 'companies', 'deals', 'activities']) stores.set(id, makeCompactEntityStore(new BenchDoc(), id, 'ann'))
  const leads = stores.get('leads')!
  const random = seededRandom(21)
  const statuses = ['New', 'Contacted', 'Qualified']
  const ids: string[] = []
  for (let i = 0; i < o.records; i++) {
    ids.push(leads.createRecord({ 'leads.title': `Lead ${i}`, 'leads.status': statuses[i % 3]!, 'leads.owner': i % 2 ? 'ann' : 'bob', 'leads.source': 'Website' }))
  }
  const rules = fiftyRules()
  const effects = { fired: 0 }
  const writer = new RuleWriter({ memberId: 'ann', store: (id) => stores.get(id), effects: (e) => { effects.fired += e.firings.length ? 1 : 0 } })
  const run = (withRules: boolean) => {
    writer.setRules({ rules: withRules ? rules : [], schema, firedCounts: {} })
    const times: number[] = []
    for (let i = 0; i < o.edits; i++) {
      const recordId = ids[Math.floor(random.next() * ids.length)]!
      const started = performance.now()
      writer.apply('leads', { op: 'update', changes: [{ recordId, fieldId: 'leads.title', value: `Lead ${i} ${withRules ? 'r' : 'n'}` }] })
      times.push(performance.now() - started)
    }
    times.sort((a, b) => a - b)
    return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) }
  }
  // warm-up: both paths compiled before either is timed
  run(true)
  run(false)
  effects.fired = 0
  const withRules = run(true)
  const fired = effects.fired
  const without = run(false)
  return { records: o.records, rules: rules.length, edits: o.edits, withRules, without, fired }
}

/** 50 switched-on rules over the default workspace: every trigger kind, most of them about other lists or fields. */
function fiftyRules(): Rule[] {
  const task = (subject: string): RuleAction => ({ kind: 'createActivity', activityType: 'task', subject, assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'days' } })
  const triggers: RuleTrigger[] = []
  for (const status of ['Contacted', 'Qualified', 'Unqualified', 'Converted', 'New']) triggers.push({ kind: 'fieldChanged', entity: 'leads', field: 'leads.status', to: status })
  for (const field of ['leads.source', 'leads.owner', 'leads.email', 'leads.phone', 'leads.company_name']) triggers.push({ kind: 'fieldChanged', entity: 'leads', field })
  for (const entity of ['leads', 'contacts', 'companies', 'deals', 'activities']) triggers.push({ kind: 'created', entity }, { kind: 'created', entity })
  for (const stage of ['sales.new', 'sales.qualified', 'sales.proposal', 'sales.negotiation', 'sales.won']) triggers.push({ kind: 'stageEntered', stage }, { kind: 'stageEntered', stage })
  for (const activityType of ['call', 'meeting', 'task', 'email', undefined]) triggers.push(activityType ? { kind: 'activityCompleted', activityType } : { kind: 'activityCompleted' })
  for (let k = 0; k < 3; k++) triggers.push({ kind: 'fieldChanged', entity: 'deals', field: 'deals.amount' })
  for (const field of ['contacts.email', 'contacts.phone', 'contacts.owner', 'companies.industry', 'companies.owner', 'deals.owner', 'deals.close_date', 'deals.probability']) {
    triggers.push({ kind: 'fieldChanged', entity: field.split('.')[0]!, field })
  }
  triggers.push({ kind: 'dateOffset', entity: 'deals', field: 'deals.close_date', days: -3 }, { kind: 'noActivity', entity: 'leads', days: 14 })
  const rules: Rule[] = triggers.map((trigger, i) => ({
    id: `r${i}`, name: `Rule ${i}`, enabled: true, trigger,
    conditions: i % 2 ? [{ field: 'leads.source', op: 'equals', value: 'Website' }] : [],
    actions: [task(`Follow up ${i}`)], createdAt: '2026-12-01T00:00:00.000Z', createdBy: 'admin',
  }))
  // the two that fire on a title edit (for the owner Bob's leads): a field set in the edit's own batch, and a notification
  const bobs = [{ field: 'leads.owner', op: 'equals' as const, value: 'bob' }]
  rules.push(
    { id: 'fires-set', name: 'Retitled', enabled: true, trigger: { kind: 'fieldChanged', entity: 'leads', field: 'leads.title' }, conditions: bobs,
      actions: [{ kind: 'setField', field: 'leads.status', value: 'Contacted' }], createdAt: '2026-12-01T00:00:00.000Z', createdBy: 'admin' },
    { id: 'fires-notify', name: 'Tell the owner', enabled: true, trigger: { kind: 'fieldChanged', entity: 'leads', field: 'leads.title' }, conditions: bobs,
      actions: [{ kind: 'notify', member: 'owner', message: 'Your lead was renamed' }], createdAt: '2026-12-01T00:00:00.000Z', createdBy: 'admin' },
  )
  if (rules.length !== 50) throw new Error(`${rules.length} rules, not 50`)
  return rules
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = measureRuleHook({ records: Number(process.env.RECORDS ?? 10_000), edits: Number(process.env.EDITS ?? 2000) })
  const ms = (v: number) => v.toFixed(3)
  console.log(`rule hook, ${r.rules} rules on, ${r.records.toLocaleString('en')} leads, ${r.edits} cell edits (${r.fired} fired a rule)`)
  console.log(`  with rules: p50 ${ms(r.withRules.p50)} ms, p95 ${ms(r.withRules.p95)} ms`)
  console.log(`  no rules:   p50 ${ms(r.without.p50)} ms, p95 ${ms(r.without.p95)} ms`)
  console.log(`  added:      p50 ${ms(r.withRules.p50 - r.without.p50)} ms, p95 ${ms(r.withRules.p95 - r.without.p95)} ms (budget ≤ 1 ms p95)`)
}
