import type { EntityStore } from '../crdt/entityStore'
import { randomId } from '../crdt/randomId'
import { RecordError, type CellChange } from '../crdt/recordDoc'
import type { RecordBatch } from '../crdt/recordBatch'
import type { RecordChange, Rule, RuleFiring } from '../domain/rules/rule'
import { runRules, type RulePlan, type RuleWrite } from '../domain/rules/runRules'
import { activitiesEntity, activityRelationFields, dealsOf } from '../domain/rules/ruleFields'
import type { FieldValue, Row, WorkspaceSchema } from '../domain/schema'
import { hashedId } from '../domain/hashedId'
import { LinkedUndo, type LinkedStep } from './linkedUndo'
import type { EntityIntent } from './workerProtocol'

/** What the page tells the writer about the rules (sent again whenever one of them changes). */
export interface RuleSetup {
  rules: Rule[]
  schema: WorkspaceSchema
  /** Firings so far per rule, every writer's logs added up (round robin's turn). */
  firedCounts: Record<string, number>
  timeZone?: string
}

/** What the rules did besides writing records: for the automation document, which the page holds. */
export interface RuleEffects {
  firings: RuleFiring[]
  notifications: RulePlan['notifications']
  webhooks: RulePlan['webhooks']
}

export interface RuleWriterOptions {
  memberId: string
  /** The entity stores this writer holds (loaded); undefined for one it does not. */
  store(entityId: string): EntityStore | undefined
  effects(effects: RuleEffects): void
  now?: () => Date
}

/*
 * The one place a member's own record changes are written (the workspace worker applies every
 * intent of the page through it: grid, panel, board, bulk edit, paste, conversion, My work) and
 * where the change-triggered rules run for them — never for changes received from others, which
 * reach the documents without an intent. A change with writes from rules becomes one batch in
 * its own document (one update, one undo step) with the rules' writes to that document; writes
 * to other documents are one batch each, grouped with it for undo (LinkedUndo). Undo and redo
 * run no rules: they take back or bring back the change together with what its rules did.
 */
export class RuleWriter {
  readonly undo = new LinkedUndo()
  private setup: RuleSetup | null = null
  private enabled: Rule[] = []
  private counted = new Map<string, number>()

  constructor(private opts: RuleWriterOptions) {}

  /** Null until the page has told the rules: intents wait until then, so none runs without them. */
  rulesKnown(): boolean {
    return this.setup !== null
  }

  setRules(setup: RuleSetup): void {
    this.setup = setup
    this.enabled = setup.rules.filter((r) => r.enabled && !r.deletedAt)
    // the page's counts include this writer's recorded firings; ours may be ahead until it has recorded the last ones
    for (const [id, n] of Object.entries(setup.firedCounts)) this.counted.set(id, Math.max(n, this.counted.get(id) ?? 0))
  }

  /** The entities the switched-on rules read or write besides the changed one: loaded before an intent is applied. */
  neededEntities(): string[] {
    const schema = this.setup?.schema
    if (!schema || !this.enabled.length) return []
    const needed = new Set<string>()
    const activities = activitiesEntity(schema)
    const deals = dealsOf(schema)?.entity.id
    // an activity's deal may be found through what it relates to (a call on a lead converted into the deal)
    const throughRelated = activities && deals
      ? [...activityRelationFields(activities).keys()].filter((id) => schema.entities.find((e) => e.id === id)?.fields.some((f) => !f.deletedAt && f.type === 'link' && f.linkEntity === deals))
      : []
    for (const rule of this.enabled) {
      // the changed record's own list is loaded already: a rule reads and writes elsewhere only through these
      const fromActivity = rule.trigger.kind === 'activityCompleted' || ('entity' in rule.trigger && rule.trigger.entity === activities?.id)
      for (const a of rule.actions) {
        if (a.kind === 'createActivity' && activities) needed.add(activities.id)
        if (a.kind === 'moveStage' && deals) {
          needed.add(deals)
          if (fromActivity) for (const id of throughRelated) needed.add(id)
        }
      }
    }
    return [...needed].filter((id) => schema.entities.some((e) => e.id === id))
  }

  /**
   * `key`: the intent's key when it was stored on this device (made before its document had
   * loaded). Another tab's worker loading that document may apply it too (it applies what closed
   * tabs left); the ids of what the rules create then derive from the key, so both write the same
   * records, which merge into one, instead of two calls for one lead.
   * `undoGroup`: the steps this write makes join that group (LinkedUndo.join), so a change written
   * in several intents (an import's batches) is one undo step with all its rules did.
   */
  apply(entityId: string, intent: EntityIntent, key: string | null = null, undoGroup?: LinkedStep[]): void {
    const store = this.opts.store(entityId)
    if (!store) throw new Error(`no store for ${entityId}`)
    this.undo.watch(store)
    if (intent.op === 'undo') return this.undo.undo(entityId)
    if (intent.op === 'redo') return this.undo.redo(entityId)
    const changes = this.enabled.length ? changesOf(store, intent, this.opts.memberId, this.now()) : []
    const plan = changes.length ? this.plan(changes, key) : null
    if (!plan?.writes.length) {
      const step = this.undo.track(entityId, () => write(store, intent))
      if (undoGroup && step) this.undo.join(undoGroup, [step])
      if (plan) this.report(plan, plan.firings)
      return
    }
    const firings = plan.firings.map((f) => ({ ...f }))
    const failed = (writes: RuleWrite[], err: RecordError) => {
      const rules = new Set(writes.map((w) => w.ruleId))
      for (const f of firings) if (rules.has(f.ruleId) && f.error === undefined) f.error = `could not write: ${err.message}`
    }
    const byEntity = batchesOf(plan.writes)
    const own = byEntity.get(entityId)
    byEntity.delete(entityId)
    const steps: LinkedStep[] = []
    const first = this.undo.track(entityId, () => {
      if (!own) return write(store, intent)
      try {
        store.writeBatch(merged(intent, own.batch))
      } catch (err) {
        // the member's change stands even when a rule's write to it is refused
        if (!(err instanceof RecordError)) throw err
        failed(own.writes, err)
        write(store, intent)
      }
    })
    if (first) steps.push(first)
    for (const [other, { batch, writes }] of byEntity) {
      const target = this.opts.store(other)
      if (!target) {
        failed(writes, new RecordError(`the ${other} list is not loaded on this device`))
        continue
      }
      this.undo.watch(target)
      try {
        const step = this.undo.track(other, () => target.writeBatch(batch))
        if (step) steps.push(step)
      } catch (err) {
        if (!(err instanceof RecordError)) throw err
        failed(writes, err)
      }
    }
    if (undoGroup) this.undo.join(undoGroup, steps)
    else this.undo.group(steps)
    this.report(plan, firings)
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date()
  }

  private plan(changes: RecordChange[], key: string | null): RulePlan {
    const setup = this.setup!
    let made = 0
    return runRules(this.enabled, changes, {
      schema: setup.schema,
      now: this.now(),
      timeZone: setup.timeZone,
      writer: this.opts.memberId,
      member: this.opts.memberId,
      row: (entity, id) => this.opts.store(entity)?.row(id),
      firedCount: (ruleId) => this.counted.get(ruleId) ?? 0,
      newId: () => (key ? hashedId(`${key}|${made++}`) : randomId()),
    })
  }

  private report(plan: RulePlan, firings: RuleFiring[]): void {
    for (const f of firings) this.counted.set(f.ruleId, (this.counted.get(f.ruleId) ?? 0) + 1)
    if (firings.length || plan.notifications.length || plan.webhooks.length) {
      this.opts.effects({ firings, notifications: plan.notifications, webhooks: plan.webhooks })
    }
  }
}

/** Writes an intent as it came (no rule wrote anything with it). */
function write(store: EntityStore, intent: EntityIntent): void {
  switch (intent.op) {
    case 'create': store.createRecord(intent.values, intent.id); break
    case 'update': store.updateCells(intent.changes); break
    case 'updateUntracked': store.updateCellsUntracked(intent.changes); break
    case 'batch': store.writeBatch(intent.batch); break
    case 'delete': store.deleteRecords(intent.ids); break
    case 'restore': store.restoreRecords(intent.ids); break
    case 'purge': store.purgeRecords(intent.ids); break
    case 'undo': store.history.undo(); break
    case 'redo': store.history.redo(); break
  }
}

/**
 * The records an intent creates or changes, before and after, as the rules see them. Only
 * creates and cell edits trigger rules; a delete, a restore, an issued document's entries and a
 * purge do not.
 */
export function changesOf(store: EntityStore, intent: EntityIntent, memberId: string, now: Date): RecordChange[] {
  const entity = store.entityId
  const created = (id: string, values: Record<string, FieldValue>): RecordChange => ({
    entity, recordId: id, before: null,
    after: { id, values: cleanValues(values), createdAt: now.toISOString(), createdBy: memberId },
  })
  switch (intent.op) {
    case 'create':
      return store.row(intent.id) ? [] : [created(intent.id, intent.values)]
    case 'update':
      return updatedRecords(store, intent.changes, new Map())
    case 'batch': {
      const creates = new Map<string, RecordChange>()
      for (const c of intent.batch.creates) if (!store.row(c.id)) creates.set(c.id, created(c.id, c.values))
      return [...creates.values(), ...updatedRecords(store, intent.batch.updates, creates)]
    }
    default:
      return []
  }
}

/** Cell edits grouped per record; edits of a record the same batch creates go into its create. */
function updatedRecords(store: EntityStore, changes: readonly CellChange[], creates: Map<string, RecordChange>): RecordChange[] {
  const byRecord = new Map<string, RecordChange>()
  for (const c of changes) {
    const create = creates.get(c.recordId)
    if (create) {
      setValue(create.after.values, c.fieldId, c.value)
      continue
    }
    let change = byRecord.get(c.recordId)
    if (!change) {
      const before = store.row(c.recordId)
      if (!before || before.deletedAt) continue
      change = { entity: store.entityId, recordId: c.recordId, before, after: { ...before, values: { ...before.values } } }
      byRecord.set(c.recordId, change)
    }
    setValue(change.after.values, c.fieldId, c.value)
  }
  return [...byRecord.values()].filter((c) => !sameValues(c.before!.values, c.after.values))
}

function setValue(values: Record<string, FieldValue>, fieldId: string, value: FieldValue | undefined): void {
  if (value === null || value === undefined) delete values[fieldId]
  else values[fieldId] = value
}

function cleanValues(values: Record<string, FieldValue>): Record<string, FieldValue> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== undefined))
}

function sameValues(a: Row['values'], b: Row['values']): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && JSON.stringify(a[k]) === JSON.stringify(b[k]))
}

/** The plan's writes as one batch per entity, in the order the entities were first written. */
function batchesOf(writes: readonly RuleWrite[]): Map<string, { batch: RecordBatch; writes: RuleWrite[] }> {
  const out = new Map<string, { batch: RecordBatch; writes: RuleWrite[] }>()
  for (const w of writes) {
    let entry = out.get(w.entity)
    if (!entry) out.set(w.entity, (entry = { batch: { creates: [], updates: [] }, writes: [] }))
    entry.writes.push(w)
    if (w.kind === 'create') entry.batch.creates.push({ id: w.id, values: w.values })
    else for (const [fieldId, value] of Object.entries(w.values)) entry.batch.updates.push({ recordId: w.recordId, fieldId, value })
  }
  return out
}

/** The member's intent and the rules' writes to the same document as one batch: one update, one undo step. */
function merged(intent: EntityIntent, rules: RecordBatch): RecordBatch {
  switch (intent.op) {
    case 'create': return { creates: [{ id: intent.id, values: intent.values }, ...rules.creates], updates: rules.updates }
    case 'update': return { creates: rules.creates, updates: [...intent.changes, ...rules.updates] }
    case 'batch': return { creates: [...intent.batch.creates, ...rules.creates], updates: [...intent.batch.updates, ...rules.updates] }
    default: throw new Error(`rules ran on a ${intent.op}`)
  }
}
