import * as Y from 'yjs'
import { randomId } from '../src/crdt/randomId'
import { readSchema, seedDefaultSchema } from '../src/crdt/schemaDoc'
import { defaultPipeline } from '../src/domain/pipelines/pipeline'
import type { FieldValue, Row, WorkspaceSchema } from '../src/domain/schema'
import { seededRandom, type SeededRandom } from '../src/domain/seededRandom'
import type { RecordChange, Rule, RuleAction, RuleCondition, RuleTrigger } from '../src/domain/rules/rule'
import { runRules, type RuleContext } from '../src/domain/rules/runRules'
import { dueTimedFirings } from '../src/domain/rules/timedRules'
import { BUDGET_WORKSPACE, type WorkspaceCounts } from './generateWorkspace'
import { activityValues, companyValues, contactValues, dealValues } from './recordValues'
import { percentile } from './summarize'

export interface RulesBenchResult {
  rules: number
  editsPerRep: number
  /** B21, per repetition: p95 and p50 of runRules for one cell edit of a deal, 50 rules on, in ms. */
  editP95Ms: number[]
  editP50Ms: number[]
  /** The same edits with the rules as new objects each time (nothing compiled kept), p95 per repetition. */
  uncachedEditP95Ms: number[]
  /** Edits that fired at least one rule, and writes planned, over all repetitions. */
  editsFiring: number
  writesPlanned: number
  records: number
  timedRules: number
  /** B22, per repetition: one dueTimedFirings pass over every record, in ms. */
  timedPassMs: number[]
  /** Firings the pass found due (the relay then skips those whose key it holds). */
  dueFirings: number
}

const STAGES = defaultPipeline().stages.map((s) => s.id)
const MEMBERS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6']
const NOW = new Date('2026-12-06T10:00:00.000Z')
const DAY_MS = 86_400_000

function schemaAsRead(): WorkspaceSchema {
  const doc = new Y.Doc()
  seedDefaultSchema(doc)
  return readSchema(doc)
}

let ruleCount = 0
function rule(trigger: RuleTrigger, actions: RuleAction[], conditions: RuleCondition[] = []): Rule {
  ruleCount++
  return { id: `bench-rule-${ruleCount}`, name: `Bench rule ${ruleCount}`, enabled: true, trigger, conditions, actions, createdAt: NOW.toISOString(), createdBy: 'm1' }
}

const task = (subject: string): RuleAction => ({ kind: 'createActivity', activityType: 'task', subject, assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'days' } })
const tell: RuleAction = { kind: 'notify', member: 'owner', message: 'A rule fired' }

/**
 * 50 switched-on rules as a busy workspace might have them: created, field-changed (some to a
 * value), stage, activity and time-based triggers on every entity, most with conditions, most
 * of them not fired by a given deal edit; a deal edit fires one to three of them (more than in
 * life, where most edits fire none).
 */
function fiftyRules(): Rule[] {
  ruleCount = 0
  const rules: Rule[] = []
  for (const entity of ['leads', 'contacts', 'companies', 'deals', 'activities']) {
    rules.push(rule({ kind: 'created', entity }, [task(`New ${entity}`)]))
    rules.push(rule({ kind: 'created', entity }, [tell], [{ field: `${entity}.owner`, op: 'ownerIs', value: 'm2' }]))
  }
  const dealFields = ['title', 'amount', 'close_date', 'probability', 'owner', 'source', 'company', 'lost_reason']
  for (const [i, key] of dealFields.entries()) {
    rules.push(rule({ kind: 'fieldChanged', entity: 'deals', field: `deals.${key}` }, [i % 2 ? tell : task(`Check ${key}`)],
      [{ field: 'deals.amount', op: 'greaterThan', value: 5000 }, { field: 'deals.stage', op: 'notEquals', value: STAGES[6]! }]))
  }
  rules.push(rule({ kind: 'fieldChanged', entity: 'deals', field: 'deals.source', to: 'Website' }, [{ kind: 'setField', field: 'deals.probability', value: 30 }]))
  rules.push(rule({ kind: 'fieldChanged', entity: 'deals', field: 'deals.owner', to: 'm3' }, [tell]))
  rules.push(rule({ kind: 'fieldChanged', entity: 'deals', field: 'deals.probability' }, [tell], [{ field: 'deals.probability', op: 'greaterThan', value: 90 }]))
  rules.push(rule({ kind: 'fieldChanged', entity: 'deals', field: 'deals.title' }, [{ kind: 'webhook', url: 'https://hooks.example/deal' }], [{ field: 'deals.title', op: 'contains', value: 'renewal' }]))
  for (const stage of STAGES) {
    rules.push(rule({ kind: 'stageEntered', stage }, [task(`Entered ${stage}`), tell], [{ field: 'deals.source', op: 'inList', value: ['Website', 'Referral', 'Event'] }]))
  }
  for (const type of ['call', 'meeting', 'task', 'email', undefined]) {
    rules.push(rule({ kind: 'activityCompleted', activityType: type }, [type === 'call' ? { kind: 'moveStage', stage: STAGES[1]! } : tell]))
  }
  for (const entity of ['contacts', 'companies', 'leads']) {
    rules.push(rule({ kind: 'fieldChanged', entity, field: `${entity}.owner` }, [tell]))
  }
  rules.push(rule({ kind: 'fieldChanged', entity: 'leads', field: 'leads.status', to: 'Qualified' }, [task('Convert')]))
  rules.push(rule({ kind: 'fieldChanged', entity: 'leads', field: 'leads.source' }, [tell], [{ field: 'leads.source', op: 'equals', value: 'Event' }]))
  rules.push(rule({ kind: 'fieldChanged', entity: 'contacts', field: 'contacts.email' }, [{ kind: 'webhook', url: 'https://hooks.example/contact' }]))
  rules.push(rule({ kind: 'fieldChanged', entity: 'contacts', field: 'contacts.position', to: 'CEO' }, [task('Say hello')]))
  rules.push(rule({ kind: 'fieldChanged', entity: 'companies', field: 'companies.industry' }, [tell], [{ field: 'companies.industry', op: 'inList', value: ['Finance', 'Healthcare'] }]))
  rules.push(rule({ kind: 'fieldChanged', entity: 'activities', field: 'activities.due' }, [tell], [{ field: 'activities.done', op: 'empty' }]))
  rules.push(rule({ kind: 'fieldChanged', entity: 'activities', field: 'activities.owner' }, [tell]))
  rules.push(rule({ kind: 'fieldChanged', entity: 'deals', field: 'deals.amount' }, [{ kind: 'assignOwner', assignee: { kind: 'roundRobin', members: MEMBERS } }],
    [{ field: 'deals.amount', op: 'greaterThan', value: { amount: 1_500_000_00, currency: 'EUR' } }, { field: 'deals.owner', op: 'empty' }]))
  rules.push(rule({ kind: 'noActivity', entity: 'deals', days: 14 }, [task('Follow up')]))
  rules.push(rule({ kind: 'noActivity', entity: 'contacts', days: 60 }, [task('Get in touch')]))
  rules.push(rule({ kind: 'dateOffset', entity: 'deals', field: 'deals.close_date', days: -3 }, [tell]))
  rules.push(rule({ kind: 'dateOffset', entity: 'activities', field: 'activities.due', days: -1 }, [tell]))
  rules.push(rule({ kind: 'dateOffset', entity: 'deals', field: 'deals.close_date', days: 7 }, [task('Close or move the date')], [{ field: 'deals.stage', op: 'inList', value: STAGES.slice(0, 5) }]))
  if (rules.length !== 50) throw new Error(`the bench's rule set has ${rules.length} rules, not 50`)
  return rules
}

/** One cell edit of a deal, as the grid makes it: another value in one of its fields. */
function dealEdit(deal: Row, r: SeededRandom, index: number): Record<string, FieldValue> {
  switch (index % 7) {
    case 0: return { 'deals.title': `${deal.values['deals.title'] as string} ${index % 3 ? 'renewal' : 'x'}` }
    case 1: return { 'deals.amount': { amount: r.int(1, 2_000_000) * 100, currency: 'EUR' } }
    case 2: return { 'deals.stage': r.pick(STAGES.slice(0, 5)) }
    case 3: return { 'deals.probability': r.int(0, 100) }
    case 4: return { 'deals.owner': r.pick(MEMBERS) }
    case 5: return { 'deals.source': r.pick(['Website', 'Phone', 'Referral', 'Other']) }
    default: return { 'deals.close_date': new Date(NOW.getTime() + r.int(1, 200) * DAY_MS).toISOString().slice(0, 10) }
  }
}

function measureEdits(schema: WorkspaceSchema, rules: Rule[], o: { reps: number; editsPerRep: number }) {
  const r = seededRandom(21)
  const contactIds = Array.from({ length: 50 }, (_, i) => `contact${i}`)
  const companyIds = Array.from({ length: 20 }, (_, i) => `company${i}`)
  const deals = new Map<string, Row>()
  for (let i = 0; i < 200; i++) {
    const id = `deal${i}`
    deals.set(id, { id, values: dealValues(i, companyIds, contactIds, MEMBERS, r), createdAt: '2026-06-01T09:00:00.000Z', createdBy: 'm1' })
  }
  const ctx: RuleContext = {
    schema, now: NOW, writer: 'm1',
    row: (entity, id) => (entity === 'deals' ? deals.get(id) : undefined),
    firedCount: () => 0,
    newId: () => randomId(),
  }
  const ids = [...deals.keys()]
  let firing = 0
  let writes = 0
  const run = (n: number, rulesFor: () => Rule[]) => {
    const times: number[] = []
    for (let i = 0; i < n; i++) {
      const before = deals.get(ids[i % ids.length]!)!
      const after: Row = { ...before, values: { ...before.values, ...dealEdit(before, r, i) } }
      deals.set(after.id, after)
      const change: RecordChange = { entity: 'deals', recordId: after.id, before, after }
      const list = rulesFor()
      const t0 = performance.now()
      const plan = runRules(list, [change], ctx)
      times.push(performance.now() - t0)
      if (plan.firings.length) firing++
      writes += plan.writes.length
    }
    return times.sort((a, b) => a - b)
  }
  // warm-up: the first calls run in the interpreter
  run(500, () => rules)
  firing = 0
  writes = 0
  const editP95Ms: number[] = []
  const editP50Ms: number[] = []
  const uncachedEditP95Ms: number[] = []
  for (let rep = 0; rep < o.reps; rep++) {
    const times = run(o.editsPerRep, () => rules)
    editP95Ms.push(percentile(times, 0.95))
    editP50Ms.push(percentile(times, 0.5))
  }
  const counted = { firing, writes }
  for (let rep = 0; rep < o.reps; rep++) uncachedEditP95Ms.push(percentile(run(o.editsPerRep, () => rules.map((x) => ({ ...x }))), 0.95))
  return { editP95Ms, editP50Ms, uncachedEditP95Ms, editsFiring: counted.firing, writesPlanned: counted.writes }
}

/** The 100k workspace's rows (bench/recordValues, as generateWorkspace fills them), without building its documents. */
function workspaceRows(counts: WorkspaceCounts): { rows: Map<string, Row[]>; lastActivity: Map<string, string> } {
  const r = seededRandom(22)
  const make = (prefix: string, n: number, values: (i: number) => Record<string, FieldValue>): Row[] =>
    Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, values: values(i), createdAt: new Date(Date.UTC(2025, 0, 1) + r.int(0, 700) * DAY_MS).toISOString(), createdBy: 'm1' }))
  const companies = make('co', counts.companies, (i) => companyValues(i, MEMBERS, r))
  const companyIds = companies.map((c) => c.id)
  const contactFields = {
    first_name: 'contacts.first_name', last_name: 'contacts.last_name', email: 'contacts.email', phone: 'contacts.phone', company: 'contacts.company',
    position: 'contacts.position', owner: 'contacts.owner', city: 'contacts.city', score: 'contacts.score', budget: 'contacts.budget',
    last_contact: 'contacts.last_contact', vip: 'contacts.vip',
  }
  const contacts = make('ct', counts.contacts, (i) => contactValues(i, contactFields, companyIds, MEMBERS, r))
  const contactIds = contacts.map((c) => c.id)
  const deals = make('dl', counts.deals, (i) => dealValues(i, companyIds, contactIds, MEMBERS, r))
  const activities = make('ac', counts.activities, (i) => activityValues(i, contactIds, MEMBERS, r))
  // what the relay keeps up to date: each record's last activity created (or completed)
  const lastActivity = new Map<string, string>()
  for (const a of activities) {
    const related = a.values['activities.related'] as string
    const seen = lastActivity.get(related)
    if (seen === undefined || a.createdAt > seen) lastActivity.set(related, a.createdAt)
  }
  return { rows: new Map([['companies', companies], ['contacts', contacts], ['deals', deals], ['activities', activities]]), lastActivity }
}

function measureTimedPass(schema: WorkspaceSchema, rules: Rule[], reps: number, counts: WorkspaceCounts) {
  const { rows, lastActivity } = workspaceRows(counts)
  const timed = rules.filter((x) => x.trigger.kind === 'noActivity' || x.trigger.kind === 'dateOffset')
  const pass = () => dueTimedFirings(timed, (entity) => rows.get(entity) ?? [], (_entity, id) => lastActivity.get(id) ?? null, NOW, 'Europe/Berlin', schema)
  pass()
  pass()
  const timedPassMs: number[] = []
  let dueFirings = 0
  for (let rep = 0; rep < reps; rep++) {
    const t0 = performance.now()
    dueFirings = pass().length
    timedPassMs.push(performance.now() - t0)
  }
  return { records: [...rows.values()].reduce((n, list) => n + list.length, 0), timedRules: timed.length, timedPassMs, dueFirings }
}

/**
 * B21 and B22 (issue 16), in this Node process — the same pure engine the app's worker runs
 * after each of a member's edits and the relay's worker runs every minute. B21: runRules for one
 * cell edit of a deal with 50 rules on (mixed triggers, conditions; the edits fire some of them),
 * p95 of the edits per repetition. B22: dueTimedFirings over the 100k-record workspace's rows
 * (contacts, companies, deals, activities as the bench generates them) with the time-based rules
 * among the 50, the rules' conditions checked, the last activity of each record looked up in a map.
 */
export function measureRules(o: { reps: number; editsPerRep: number; counts?: WorkspaceCounts }): RulesBenchResult {
  const schema = schemaAsRead()
  const rules = fiftyRules()
  const edits = measureEdits(schema, rules, o)
  if (edits.editsFiring === 0) throw new Error('no edit fired a rule: the bench measures nothing')
  const timed = measureTimedPass(schema, rules, o.reps, o.counts ?? BUDGET_WORKSPACE)
  if (timed.dueFirings === 0) throw new Error('the time-based pass found nothing due: the bench measures nothing')
  return { rules: rules.length, editsPerRep: o.editsPerRep, ...edits, ...timed }
}
