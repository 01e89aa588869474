import { findStage } from '../pipelines/pipeline'
import { planStageEdit } from '../pipelines/stageHistory'
import { findEntity, type EntityDef, type FieldDef, type FieldValue, type Row, type WorkspaceSchema } from '../schema'
import { validateFieldValue } from '../validateFieldValue'
import { isEmptyCell } from '../views/viewFilter'
import { chooseAssignee } from './chooseAssignee'
import { MAX_RULE_DEPTH, type RecordChange, type Rule, type RuleAction, type RuleFiring } from './rule'
import { compileRuleConditions } from './ruleConditions'
import { activitiesEntity, activityFieldsOf, activityRelationFields, dealsOf, liveField, ownerFieldOf } from './ruleFields'
import { durationMs } from './ruleDuration'
import { compileChangeTrigger, sameFieldValue, type ChangeTest } from './ruleTriggers'
import type { RuleContext, RulePlan, RuleWrite } from './runRules'

/** A change waiting for the rules it triggers, with the rules whose firings made it (empty: the writer's own). */
export interface PendingChange { change: RecordChange; chain: readonly Rule[] }

interface Firing {
  rule: Rule
  entity: EntityDef
  recordId: string
  /** The rules that led here, this one last. */
  chain: readonly Rule[]
  seed: string
  next: PendingChange[]
}

type CreateWrite = Extract<RuleWrite, { kind: 'create' }>

// Compiled once per rule object and schema: the app and the relay keep their rule objects
// between edits, so a cell edit with 50 rules on tests 50 small functions and builds nothing.
const triggerCache = new WeakMap<Rule, { schema: WorkspaceSchema; test: ChangeTest }>()
const conditionCache = new WeakMap<Rule, { schema: WorkspaceSchema; entity: EntityDef; holds: (row: Row) => boolean }>()

function triggerOf(rule: Rule, schema: WorkspaceSchema): ChangeTest {
  const cached = triggerCache.get(rule)
  if (cached?.schema === schema) return cached.test
  const test = compileChangeTrigger(rule.trigger, schema)
  triggerCache.set(rule, { schema, test })
  return test
}

/** Whether the rule's conditions hold for the record (compiled once per rule, schema and entity). */
export function conditionsHold(rule: Rule, schema: WorkspaceSchema, entity: EntityDef, row: Row): boolean {
  if (rule.conditions.length === 0) return true
  let cached = conditionCache.get(rule)
  if (cached?.schema !== schema || cached.entity !== entity) {
    cached = { schema, entity, holds: compileRuleConditions(entity, rule.conditions) }
    conditionCache.set(rule, cached)
  }
  return cached.holds(row)
}

export function isActive(rule: Rule): boolean {
  return rule.enabled && !rule.deletedAt
}

function loopMessage(chain: readonly Rule[], rule: Rule): string {
  if (chain.every((r) => r.id === rule.id)) return `stopped: rule "${rule.name}" triggers itself (depth ${chain.length})`
  return `stopped: rules ${chain.map((r) => `"${r.name}"`).join(' → ')} trigger each other (depth ${chain.length})`
}

function dealLinkOf(entity: EntityDef, deals: EntityDef): FieldDef | undefined {
  return entity.fields.find((f) => f.type === 'link' && f.linkEntity === deals.id && !f.deletedAt)
}

const firstId = (value: FieldValue | undefined): string | undefined =>
  typeof value === 'string' && value !== '' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined

/**
 * Builds one plan: fires rules on records, keeps the plan's writes as an overlay over the
 * writer's records (so a later rule reads what an earlier one wrote), and runs the rules those
 * writes trigger, level by level, up to MAX_RULE_DEPTH.
 */
export class RulePlanner {
  readonly plan: RulePlan = { writes: [], notifications: [], webhooks: [], firings: [] }
  private readonly overlay = new Map<string, Row>()
  private readonly creates = new Map<string, CreateWrite>()
  private readonly firedHere = new Map<string, number>()
  private readonly triggered: Rule[]
  private readonly at: string
  private firings = 0
  private seed: string | undefined

  /**
   * `planSeed` starts the seeds of the ids this plan asks for, unique to the plan (the changes,
   * a timed firing's key); made when the first id is asked for, so a plan that creates nothing
   * does not pay for it.
   */
  constructor(rules: readonly Rule[], private readonly ctx: RuleContext, private readonly planSeed: () => string) {
    this.triggered = rules.filter((r) => isActive(r) && r.trigger.kind !== 'dateOffset' && r.trigger.kind !== 'noActivity')
    this.at = ctx.now.toISOString()
  }

  /** Reads the record as the plan has it: with this plan's writes, else as the writer has it. */
  read(entity: string, id: string): Row | undefined {
    return this.overlay.get(`${entity}\u0000${id}`) ?? this.ctx.row(entity, id)
  }

  /** The record as it stands after a change the writer already made (runRules' changes). */
  overlayRow(entity: string, row: Row): void {
    this.overlay.set(`${entity}\u0000${row.id}`, row)
  }

  /** Runs the rules the changes trigger, then those the plan's writes trigger, until none fires or the depth limit. */
  settle(pending: PendingChange[]): void {
    let level = pending
    while (level.length > 0) {
      const next: PendingChange[] = []
      for (const { change, chain } of level) {
        for (const rule of this.triggered) {
          if (triggerOf(rule, this.ctx.schema)(change)) this.fire(rule, change.entity, change.recordId, chain, next)
        }
      }
      level = next
    }
  }

  /**
   * Fires the rule on the record if its conditions hold there; its writes' changes go to `next`.
   * Returns whether it fired (or was refused for the depth limit).
   */
  fire(rule: Rule, entityId: string, recordId: string, chain: readonly Rule[], next: PendingChange[]): boolean {
    const schema = this.ctx.schema
    const entity = findEntity(schema, entityId)
    const row = this.read(entityId, recordId)
    if (!entity || !row || row.deletedAt || row.purgedAt || !conditionsHold(rule, schema, entity, row)) return false
    const firing: RuleFiring = { ruleId: rule.id, at: this.at, entity: entity.id, recordId }
    if (chain.length >= MAX_RULE_DEPTH) {
      firing.error = loopMessage(chain, rule)
      this.plan.firings.push(firing)
      return true
    }
    const index = this.firings++
    const seed = `${rule.id}|${recordId}|${index}`
    const errors: string[] = []
    const here: Firing = { rule, entity, recordId, chain: [...chain, rule], seed, next }
    rule.actions.forEach((action, i) => {
      const error = this.act(action, { ...here, seed: `${seed}|${i}` })
      if (error) errors.push(error)
    })
    this.firedHere.set(rule.id, (this.firedHere.get(rule.id) ?? 0) + 1)
    if (errors.length) firing.error = errors.join('; ')
    this.plan.firings.push(firing)
    return true
  }

  /** An id for something a firing makes, from the plan's seed and the firing's place in it. */
  private newId(f: Firing, suffix = ''): string {
    this.seed ??= this.planSeed()
    return this.ctx.newId(`${this.seed}|${f.seed}${suffix}`)
  }

  /** Round robin's count: the rule's firings in every writer's log, plus this plan's earlier ones. */
  private firedCount(rule: Rule): number {
    return this.ctx.firedCount(rule.id) + (this.firedHere.get(rule.id) ?? 0)
  }

  private ownerOf(entity: EntityDef, row: Row): string | null {
    const field = ownerFieldOf(entity)
    const owner = field ? row.values[field.id] : null
    return typeof owner === 'string' && owner !== '' ? owner : null
  }

  /** Does one action; returns why it could not (nothing of it is then written). */
  private act(action: RuleAction, f: Firing): string | undefined {
    const row = this.read(f.entity.id, f.recordId)
    if (!row) return `the ${f.entity.singular.toLowerCase()} is gone`
    switch (action.kind) {
      case 'createActivity': return this.createActivity(action, f, row)
      case 'setField': {
        const field = liveField(f.entity, action.field)
        if (!field) return `no field "${action.field}" in ${f.entity.label}`
        const checked = validateFieldValue(field, action.value)
        if (!checked.ok) return checked.error
        return this.set(f.entity, row, { [field.id]: checked.value }, f)
      }
      case 'assignOwner': {
        const field = ownerFieldOf(f.entity)
        if (!field) return `${f.entity.label} have no owner field`
        const member = chooseAssignee(action.assignee, this.ownerOf(f.entity, row), this.firedCount(f.rule))
        if (member === null) return 'no member to assign'
        const checked = validateFieldValue(field, member)
        if (!checked.ok) return checked.error
        return this.set(f.entity, row, { [field.id]: checked.value }, f)
      }
      case 'moveStage': return this.moveStage(action.stage, f, row)
      case 'notify': {
        const member = action.member === 'owner' ? this.ownerOf(f.entity, row) : action.member
        if (!member) return `the ${f.entity.singular.toLowerCase()} has no owner to notify`
        this.plan.notifications.push({
          id: this.newId(f), member, message: action.message, entity: f.entity.id, recordId: f.recordId, ruleId: f.rule.id, at: this.at,
        })
        return undefined
      }
      case 'webhook':
        this.plan.webhooks.push({ id: this.newId(f), url: action.url, ruleId: f.rule.id, entity: f.entity.id, recordId: f.recordId, at: this.at })
        return undefined
    }
  }

  private createActivity(action: Extract<RuleAction, { kind: 'createActivity' }>, f: Firing, row: Row): string | undefined {
    const activities = activitiesEntity(this.ctx.schema)
    if (!activities) return 'the workspace has no activities'
    const fields = activityFieldsOf(activities)
    const wanted: [FieldDef | undefined, FieldValue][] = [
      [fields.type, action.activityType],
      [fields.subject, action.subject],
      [fields.due, new Date(this.ctx.now.getTime() + durationMs(action.dueIn)).toISOString()],
      [fields.done, false],
      [fields.owner, chooseAssignee(action.assignee, this.ownerOf(f.entity, row) ?? this.ctx.member ?? null, this.firedCount(f.rule))],
    ]
    const relations = activityRelationFields(activities)
    if (f.entity.id === activities.id) {
      // an activity's follow-up belongs to what the activity belongs to
      for (const field of relations.values()) {
        if (!isEmptyCell(row.values[field.id])) wanted.push([field, row.values[field.id]!])
      }
    } else {
      const field = relations.get(f.entity.id)
      if (field) wanted.push([field, field.multiple ? [row.id] : row.id])
    }
    const values: Record<string, FieldValue> = {}
    for (const [field, value] of wanted) {
      if (!field) continue
      const checked = validateFieldValue(field, value)
      if (!checked.ok) return checked.error
      values[field.id] = checked.value
    }
    const id = this.newId(f)
    const write: CreateWrite = { kind: 'create', entity: activities.id, id, values, ruleId: f.rule.id }
    const created: Row = { id, values: { ...values }, createdAt: this.at, createdBy: this.ctx.writer }
    this.plan.writes.push(write)
    this.creates.set(`${activities.id}\u0000${id}`, write)
    this.overlayRow(activities.id, created)
    f.next.push({ change: { entity: activities.id, recordId: id, before: null, after: created }, chain: f.chain })
    return undefined
  }

  private moveStage(stage: string, f: Firing, row: Row): string | undefined {
    const deals = dealsOf(this.ctx.schema)
    if (!deals) return 'the workspace has no deals with stages'
    const found = findStage(this.ctx.schema.pipelines ?? [], stage)
    if (!found || found.stage.deletedAt || found.pipeline.deletedAt) return `no stage "${stage}"`
    const what = f.entity.singular.toLowerCase()
    const dealId = f.entity.id === deals.entity.id ? row.id : this.dealIdOf(f.entity, row, deals.entity)
    if (!dealId) return `the ${what} is not related to a deal`
    const deal = this.read(deals.entity.id, dealId)
    if (!deal || deal.deletedAt || deal.purgedAt) return `the ${what}'s deal ${dealId} is gone`
    return this.set(deals.entity, deal, { [deals.fields.stage.id]: stage }, f)
  }

  /**
   * The deal a record leads to: its own link to a deal (an activity's Deal, a lead's "Converted
   * to deal"), else for an activity the deal of a record it relates to — a call on a lead that
   * has been converted moves the lead's deal.
   */
  private dealIdOf(entity: EntityDef, row: Row, deals: EntityDef): string | undefined {
    const own = dealLinkOf(entity, deals)
    const id = own && firstId(row.values[own.id])
    if (id) return id
    const activities = activitiesEntity(this.ctx.schema)
    if (entity.id !== activities?.id) return undefined
    for (const [relatedEntityId, field] of activityRelationFields(entity)) {
      const relatedId = firstId(row.values[field.id])
      const relatedEntity = relatedId && findEntity(this.ctx.schema, relatedEntityId)
      const related = relatedEntity && this.read(relatedEntity.id, relatedId)
      const link = relatedEntity && dealLinkOf(relatedEntity, deals)
      const dealId = related && link && firstId(related.values[link.id])
      if (dealId) return dealId
    }
    return undefined
  }

  /**
   * Writes the values that differ from the record's (none: nothing, and nothing to trigger). A
   * stage change brings its stage entry and pipeline, as in the grid; a move to a lost stage
   * without a lost reason is refused, as the API refuses it (a rule cannot be asked why).
   */
  private set(entity: EntityDef, before: Row, values: Record<string, FieldValue>, f: Firing): string | undefined {
    const changed: Record<string, FieldValue> = {}
    let any = false
    for (const [fieldId, value] of Object.entries(values)) {
      if (sameFieldValue(before.values[fieldId], value)) continue
      changed[fieldId] = value
      any = true
    }
    if (!any) return undefined
    const deals = dealsOf(this.ctx.schema)
    if (deals?.entity.id === entity.id && deals.fields.stage.id in changed) {
      const stagePlan = planStageEdit(entity, this.ctx.schema.pipelines ?? [], before, changed, this.ctx.writer, this.ctx.now, this.newId(f, '|stage'))
      if (stagePlan.lostWithoutReason) return `${deals.fields.stage.label}: a deal moved to a lost stage needs a lost reason`
      Object.assign(changed, stagePlan.extra as Record<string, FieldValue>)
    }
    const key = `${entity.id}\u0000${before.id}`
    const after: Row = { ...before, values: { ...before.values, ...changed } }
    this.overlay.set(key, after)
    const created = this.creates.get(key)
    if (created) Object.assign(created.values, changed)
    else this.plan.writes.push({ kind: 'set', entity: entity.id, recordId: before.id, values: changed, ruleId: f.rule.id })
    f.next.push({ change: { entity: entity.id, recordId: before.id, before, after }, chain: f.chain })
    return undefined
  }
}
