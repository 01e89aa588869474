import { findStage } from '../pipelines/pipeline'
import type { EntityDef, WorkspaceSchema } from '../schema'
import { normalizeUrl } from '../normalizeUrl'
import type { Assignee, DurationUnit, Rule, RuleAction, RuleCondition, RuleDuration, RuleTrigger } from './rule'
import { activitiesEntity, activityFieldsOf, dealsOf, ownerFieldOf } from './ruleFields'
import {
  describeJson, entityOf, fieldOf, fieldValueOf, isObject, memberOf, onlyKeys, RuleProblems, text, wholeNumber, type RuleProblem,
} from './ruleValueChecks'
import { conditionOf } from './validateRuleCondition'

export const RULE_NAME_MAX = 80
export const RULE_CONDITIONS_MAX = 20
export const RULE_ACTIONS_MAX = 10
const SUBJECT_MAX = 200
const MESSAGE_MAX = 500
const ROUND_ROBIN_MAX = 100
const DAYS_MAX = 3650
const DURATION_MAX: Record<DurationUnit, number> = { minutes: DAYS_MAX * 1440, hours: DAYS_MAX * 24, days: DAYS_MAX }
const RULE_ID = /^[A-Za-z0-9_-]{1,64}$/
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/
const TRIGGER_KINDS = ['created', 'fieldChanged', 'stageEntered', 'activityCompleted', 'dateOffset', 'noActivity'] as const
const ACTION_KINDS = ['createActivity', 'setField', 'assignOwner', 'moveStage', 'notify', 'webhook'] as const

export type RuleValidation = { ok: true; rule: Rule } | { ok: false; errors: RuleProblem[] }

/**
 * A rule from outside (the API, the automation document) checked against the workspace: every
 * entity, field, stage, activity type and (when `members` is given) member it names exists, each
 * value fits its field as the API checks a record's value, durations and day counts are whole and
 * bounded, a time-based trigger names a date field, and there is at least one action. Refusals
 * name the path ("trigger.field", "actions[0].dueIn.amount") and the reason. Entities and fields
 * may be named by id or key; the rule returned holds ids and stored values.
 */
export function validateRule(raw: unknown, schema: WorkspaceSchema, members?: Iterable<string>): RuleValidation {
  const p = new RuleProblems()
  const known = members === undefined ? undefined : new Set(members)
  if (!isObject(raw)) return { ok: false, errors: [{ path: '', message: `expected a rule object, got ${describeJson(raw)}` }] }
  onlyKeys(p, '', raw, ['id', 'name', 'enabled', 'trigger', 'conditions', 'actions', 'createdAt', 'createdBy', 'updatedAt', 'deletedAt'])
  const id = typeof raw.id === 'string' && RULE_ID.test(raw.id) ? raw.id : p.add('id', `expected 1–64 letters, digits, _ or -, got ${describeJson(raw.id)}`)
  const name = text(p, 'name', raw.name, RULE_NAME_MAX)
  const enabled = typeof raw.enabled === 'boolean' ? raw.enabled : p.add('enabled', `expected true or false, got ${describeJson(raw.enabled)}`)
  const instant = (key: string, optional: boolean) => {
    const value = raw[key]
    if (optional && value === undefined) return undefined
    return typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value)) ? value : p.add(key, `expected an ISO time like 2026-12-06T10:00:00.000Z, got ${describeJson(value)}`)
  }
  const createdAt = instant('createdAt', false)
  const createdBy = text(p, 'createdBy', raw.createdBy, 128)
  const updatedAt = instant('updatedAt', true)
  const deletedAt = instant('deletedAt', true)

  const trigger = triggerOf(p, schema, raw.trigger)
  const entity = trigger && recordEntityOf(schema, trigger)
  let conditions: RuleCondition[] | undefined
  if (raw.conditions === undefined) conditions = []
  else if (!Array.isArray(raw.conditions)) p.add('conditions', `expected a list of conditions, got ${describeJson(raw.conditions)}`)
  else if (raw.conditions.length > RULE_CONDITIONS_MAX) p.add('conditions', `at most ${RULE_CONDITIONS_MAX} conditions`)
  else if (entity) conditions = raw.conditions.map((c, i) => conditionOf(p, `conditions[${i}]`, entity, c, known)).filter((c): c is RuleCondition => c !== undefined)
  let actions: RuleAction[] | undefined
  if (!Array.isArray(raw.actions)) p.add('actions', `expected a list of actions, got ${describeJson(raw.actions)}`)
  else if (raw.actions.length === 0) p.add('actions', 'a rule needs at least one action')
  else if (raw.actions.length > RULE_ACTIONS_MAX) p.add('actions', `at most ${RULE_ACTIONS_MAX} actions`)
  else if (entity) actions = raw.actions.map((a, i) => actionOf(p, `actions[${i}]`, schema, entity, a, known)).filter((a): a is RuleAction => a !== undefined)

  if (p.list.length > 0 || !trigger || !conditions || !actions) return { ok: false, errors: p.list }
  const rule: Rule = { id: id!, name: name!, enabled: enabled!, trigger, conditions, actions, createdAt: createdAt!, createdBy: createdBy! }
  if (updatedAt) rule.updatedAt = updatedAt
  if (deletedAt) rule.deletedAt = deletedAt
  return { ok: true, rule }
}

/** The entity of the record a trigger fires on: what conditions read and actions act on. */
export function recordEntityOf(schema: WorkspaceSchema, trigger: RuleTrigger): EntityDef | undefined {
  switch (trigger.kind) {
    case 'stageEntered': return dealsOf(schema)?.entity
    case 'activityCompleted': return activitiesEntity(schema)
    default: return schema.entities.find((e) => e.id === trigger.entity)
  }
}

function triggerOf(p: RuleProblems, schema: WorkspaceSchema, raw: unknown): RuleTrigger | undefined {
  if (!isObject(raw)) return p.add('trigger', `expected a trigger like {"kind": "created", "entity": "leads"}, got ${describeJson(raw)}`)
  const kind = raw.kind
  if (typeof kind !== 'string' || !(TRIGGER_KINDS as readonly string[]).includes(kind)) return p.add('trigger.kind', `expected one of ${TRIGGER_KINDS.join(', ')}, got ${describeJson(kind)}`)
  switch (kind as RuleTrigger['kind']) {
    case 'created': {
      onlyKeys(p, 'trigger', raw, ['kind', 'entity'])
      const entity = entityOf(p, 'trigger.entity', schema, raw.entity)
      return entity && { kind: 'created', entity: entity.id }
    }
    case 'fieldChanged': {
      onlyKeys(p, 'trigger', raw, ['kind', 'entity', 'field', 'to'])
      const entity = entityOf(p, 'trigger.entity', schema, raw.entity)
      const field = entity && fieldOf(p, 'trigger.field', entity, raw.field)
      if (!entity || !field) return undefined
      if (raw.to === undefined) return { kind: 'fieldChanged', entity: entity.id, field: field.id }
      const to = fieldValueOf(p, 'trigger.to', { ...field, required: false }, raw.to)
      if (to === null) return p.add('trigger.to', 'leave "to" out for any change of the field')
      return to === undefined ? undefined : { kind: 'fieldChanged', entity: entity.id, field: field.id, to }
    }
    case 'stageEntered': {
      onlyKeys(p, 'trigger', raw, ['kind', 'stage', 'pipeline'])
      if (!dealsOf(schema)) return p.add('trigger.kind', 'the workspace has no deals with stages')
      const stage = stageOf(p, 'trigger.stage', schema, raw.stage)
      if (stage === undefined) return undefined
      if (raw.pipeline === undefined) return { kind: 'stageEntered', stage }
      const pipeline = (schema.pipelines ?? []).find((x) => x.id === raw.pipeline && !x.deletedAt)
      if (!pipeline) return p.add('trigger.pipeline', `unknown pipeline ${describeJson(raw.pipeline)}`)
      if (!pipeline.stages.some((s) => s.id === stage)) return p.add('trigger.stage', `stage "${stage}" is not in the pipeline ${pipeline.name}`)
      return { kind: 'stageEntered', stage, pipeline: pipeline.id }
    }
    case 'activityCompleted': {
      onlyKeys(p, 'trigger', raw, ['kind', 'activityType'])
      const activities = activitiesEntity(schema)
      if (!activities) return p.add('trigger.kind', 'the workspace has no activities')
      if (raw.activityType === undefined) return { kind: 'activityCompleted' }
      const type = activityTypeOf(p, 'trigger.activityType', activities, raw.activityType)
      return type === undefined ? undefined : { kind: 'activityCompleted', activityType: type }
    }
    case 'dateOffset': {
      onlyKeys(p, 'trigger', raw, ['kind', 'entity', 'field', 'days'])
      const entity = entityOf(p, 'trigger.entity', schema, raw.entity)
      const field = entity && fieldOf(p, 'trigger.field', entity, raw.field)
      if (field && field.type !== 'date' && field.type !== 'dateTime') p.add('trigger.field', `${field.label} is not a date: a time-based trigger needs a date or date-time field`)
      const days = wholeNumber(p, 'trigger.days', raw.days, -DAYS_MAX, DAYS_MAX)
      if (!entity || !field || days === undefined || (field.type !== 'date' && field.type !== 'dateTime')) return undefined
      return { kind: 'dateOffset', entity: entity.id, field: field.id, days }
    }
    case 'noActivity': {
      onlyKeys(p, 'trigger', raw, ['kind', 'entity', 'days'])
      const entity = entityOf(p, 'trigger.entity', schema, raw.entity)
      const days = wholeNumber(p, 'trigger.days', raw.days, 1, DAYS_MAX)
      return entity && days !== undefined ? { kind: 'noActivity', entity: entity.id, days } : undefined
    }
  }
}

function stageOf(p: RuleProblems, path: string, schema: WorkspaceSchema, raw: unknown): string | undefined {
  if (typeof raw !== 'string') return p.add(path, `expected a stage id, got ${describeJson(raw)}`)
  const found = findStage(schema.pipelines ?? [], raw)
  if (!found || found.stage.deletedAt || found.pipeline.deletedAt) return p.add(path, `unknown stage "${raw}"`)
  return found.stage.id
}

function activityTypeOf(p: RuleProblems, path: string, activities: EntityDef, raw: unknown): string | undefined {
  const field = activityFieldsOf(activities).type
  if (!field) return p.add(path, 'the activities have no type field')
  const type = fieldValueOf(p, path, { ...field, required: true }, raw)
  return typeof type === 'string' ? type : undefined
}

function durationOf(p: RuleProblems, path: string, raw: unknown): RuleDuration | undefined {
  if (!isObject(raw)) return p.add(path, `expected a duration like {"amount": 1, "unit": "hours"}, got ${describeJson(raw)}`)
  onlyKeys(p, path, raw, ['amount', 'unit'])
  const unit = raw.unit
  if (unit !== 'minutes' && unit !== 'hours' && unit !== 'days') return p.add(`${path}.unit`, `expected minutes, hours or days, got ${describeJson(unit)}`)
  const amount = wholeNumber(p, `${path}.amount`, raw.amount, 0, DURATION_MAX[unit])
  return amount === undefined ? undefined : { amount, unit }
}

function assigneeOf(p: RuleProblems, path: string, raw: unknown, members: ReadonlySet<string> | undefined, ownerAllowed: boolean): Assignee | undefined {
  if (!isObject(raw)) return p.add(path, `expected {"kind": "owner"}, {"kind": "member", "member": …} or {"kind": "roundRobin", "members": […]}, got ${describeJson(raw)}`)
  switch (raw.kind) {
    case 'owner':
      onlyKeys(p, path, raw, ['kind'])
      return ownerAllowed ? { kind: 'owner' } : p.add(`${path}.kind`, 'the record has no owner to assign to itself: name a member or round robin')
    case 'member': {
      onlyKeys(p, path, raw, ['kind', 'member'])
      const member = memberOf(p, `${path}.member`, raw.member, members)
      return member === undefined ? undefined : { kind: 'member', member }
    }
    case 'roundRobin': {
      onlyKeys(p, path, raw, ['kind', 'members'])
      const list = raw.members
      if (!Array.isArray(list) || list.length === 0) return p.add(`${path}.members`, `expected a list of member ids, got ${describeJson(list)}`)
      if (list.length > ROUND_ROBIN_MAX) return p.add(`${path}.members`, `at most ${ROUND_ROBIN_MAX} members`)
      const chosen = list.map((m, i) => memberOf(p, `${path}.members[${i}]`, m, members))
      if (chosen.some((m) => m === undefined)) return undefined
      if (new Set(chosen).size !== chosen.length) return p.add(`${path}.members`, 'a member is listed twice')
      return { kind: 'roundRobin', members: chosen as string[] }
    }
    default: return p.add(`${path}.kind`, `expected owner, member or roundRobin, got ${describeJson(raw.kind)}`)
  }
}

function actionOf(p: RuleProblems, path: string, schema: WorkspaceSchema, entity: EntityDef, raw: unknown, members: ReadonlySet<string> | undefined): RuleAction | undefined {
  if (!isObject(raw)) return p.add(path, `expected an action like {"kind": "notify", "member": "owner", "message": "…"}, got ${describeJson(raw)}`)
  const kind = raw.kind
  if (typeof kind !== 'string' || !(ACTION_KINDS as readonly string[]).includes(kind)) return p.add(`${path}.kind`, `expected one of ${ACTION_KINDS.join(', ')}, got ${describeJson(kind)}`)
  const owner = ownerFieldOf(entity)
  switch (kind as RuleAction['kind']) {
    case 'createActivity': {
      onlyKeys(p, path, raw, ['kind', 'activityType', 'subject', 'assignee', 'dueIn'])
      const activities = activitiesEntity(schema)
      if (!activities) return p.add(`${path}.kind`, 'the workspace has no activities')
      const activityType = activityTypeOf(p, `${path}.activityType`, activities, raw.activityType)
      const subject = text(p, `${path}.subject`, raw.subject, SUBJECT_MAX)
      const assignee = assigneeOf(p, `${path}.assignee`, raw.assignee, members, owner !== undefined)
      const dueIn = durationOf(p, `${path}.dueIn`, raw.dueIn)
      if (activityType === undefined || subject === undefined || !assignee || !dueIn) return undefined
      return { kind: 'createActivity', activityType, subject, assignee, dueIn }
    }
    case 'setField': {
      onlyKeys(p, path, raw, ['kind', 'field', 'value'])
      const field = fieldOf(p, `${path}.field`, entity, raw.field)
      if (!field) return undefined
      if (!('value' in raw)) return p.add(`${path}.value`, 'expected the value to set (null empties the field)')
      const value = fieldValueOf(p, `${path}.value`, field, raw.value)
      return value === undefined ? undefined : { kind: 'setField', field: field.id, value }
    }
    case 'assignOwner': {
      onlyKeys(p, path, raw, ['kind', 'assignee'])
      if (!owner) return p.add(`${path}.kind`, `${entity.key} have no owner field`)
      const assignee = assigneeOf(p, `${path}.assignee`, raw.assignee, members, false)
      return assignee && { kind: 'assignOwner', assignee }
    }
    case 'moveStage': {
      onlyKeys(p, path, raw, ['kind', 'stage'])
      const deals = dealsOf(schema)
      if (!deals) return p.add(`${path}.kind`, 'the workspace has no deals with stages')
      const activities = activitiesEntity(schema)
      const reachesDeal = entity.id === deals.entity.id || entity.id === activities?.id ||
        entity.fields.some((f) => f.type === 'link' && f.linkEntity === deals.entity.id && !f.deletedAt)
      if (!reachesDeal) return p.add(`${path}.kind`, `${entity.key} are not deals and link to none: there is no deal to move`)
      const stage = stageOf(p, `${path}.stage`, schema, raw.stage)
      return stage === undefined ? undefined : { kind: 'moveStage', stage }
    }
    case 'notify': {
      onlyKeys(p, path, raw, ['kind', 'member', 'message'])
      const member = raw.member === 'owner'
        ? (owner ? 'owner' : p.add(`${path}.member`, `${entity.key} have no owner field: name a member`))
        : memberOf(p, `${path}.member`, raw.member, members)
      const message = text(p, `${path}.message`, raw.message, MESSAGE_MAX)
      return member === undefined || message === undefined ? undefined : { kind: 'notify', member, message }
    }
    case 'webhook': {
      onlyKeys(p, path, raw, ['kind', 'url'])
      const url = typeof raw.url === 'string' ? normalizeUrl(raw.url) : undefined
      if (!url?.ok || !/^https?:\/\//.test(url.value)) return p.add(`${path}.url`, `expected an http or https address, got ${describeJson(raw.url)}`)
      return { kind: 'webhook', url: url.value }
    }
  }
}

