import { randomId } from '../../crdt/randomId'
import { navEntities } from '../../domain/navEntities'
import { livePipelines, liveStages } from '../../domain/pipelines/pipeline'
import { activitiesEntity, dealsOf, ownerFieldOf } from '../../domain/rules/ruleFields'
import type { RuleAction, Rule, RuleCondition, RuleTrigger } from '../../domain/rules/rule'
import { liveFields, type EntityDef, type FieldDef, type WorkspaceSchema } from '../../domain/schema'

/*
 * What the rule editor's pickers offer and start from: the parts of a sentence a rule is made of,
 * each kind with a first value that already makes sense (a new rule's first draft is one
 * validateRule accepts once its subject is typed), read from the schema.
 */

export type TriggerKind = RuleTrigger['kind']
export type ActionKind = RuleAction['kind']

export const TRIGGER_LABELS: Record<TriggerKind, string> = {
  created: 'is created',
  fieldChanged: 'has a field changed',
  stageEntered: 'enters a stage',
  activityCompleted: 'is completed',
  dateOffset: 'reaches a date',
  noActivity: 'has had no activity',
}

export const ACTION_LABELS: Record<ActionKind, string> = {
  createActivity: 'create an activity',
  setField: 'set a field',
  assignOwner: 'assign the owner',
  moveStage: 'move the deal to a stage',
  notify: 'notify a member',
  webhook: 'call a webhook',
}

export const CONDITION_LABELS: Record<RuleCondition['op'], string> = {
  equals: 'is', notEquals: 'is not', contains: 'contains', greaterThan: 'is more than', lessThan: 'is less than',
  empty: 'is empty', notEmpty: 'is not empty', inList: 'is one of', ownerIs: 'is owned by',
}

/** The entities a rule can start from: the lists the navigation shows. */
export function ruleEntities(schema: WorkspaceSchema): EntityDef[] {
  return navEntities(schema.entities)
}

/** The entity a trigger is about (a stage: the deals; a completed activity: the activities). */
export function triggerEntity(trigger: RuleTrigger, schema: WorkspaceSchema): EntityDef | undefined {
  if (trigger.kind === 'stageEntered') return dealsOf(schema)?.entity
  if (trigger.kind === 'activityCompleted') return activitiesEntity(schema)
  return schema.entities.find((e) => e.id === trigger.entity)
}

export function dateFields(entity: EntityDef): FieldDef[] {
  return liveFields(entity).filter((f) => f.type === 'date' || f.type === 'dateTime')
}

/** The trigger kinds an entity offers, in the order the picker lists them. */
export function triggerKindsOf(entity: EntityDef, schema: WorkspaceSchema): TriggerKind[] {
  const kinds: TriggerKind[] = ['created', 'fieldChanged']
  if (dealsOf(schema)?.entity.id === entity.id) kinds.push('stageEntered')
  if (activitiesEntity(schema)?.id === entity.id) kinds.push('activityCompleted')
  if (dateFields(entity).length) kinds.push('dateOffset')
  if (activitiesEntity(schema)?.id !== entity.id) kinds.push('noActivity')
  return kinds
}

/** The fields a condition or a set can name (the record's own values; links and long texts too). */
export function ruleFields(entity: EntityDef): FieldDef[] {
  return liveFields(entity).sort((a, b) => a.order - b.order)
}

export function stagesOf(schema: WorkspaceSchema): { id: string; label: string }[] {
  const pipelines = livePipelines(schema.pipelines ?? [])
  return pipelines.flatMap((p) => liveStages(p).map((s) => ({ id: s.id, label: pipelines.length > 1 ? `${p.name} · ${s.name}` : s.name })))
}

export function activityTypesOf(schema: WorkspaceSchema): string[] {
  const activities = activitiesEntity(schema)
  return activities?.fields.find((f) => f.key === 'type' && !f.deletedAt)?.options ?? []
}

export function defaultTrigger(kind: TriggerKind, entity: EntityDef, schema: WorkspaceSchema): RuleTrigger {
  switch (kind) {
    case 'created': return { kind, entity: entity.id }
    case 'fieldChanged': return { kind, entity: entity.id, field: ruleFields(entity)[0]?.id ?? '' }
    case 'stageEntered': return { kind, stage: stagesOf(schema)[0]?.id ?? '' }
    case 'activityCompleted': return { kind }
    case 'dateOffset': return { kind, entity: entity.id, field: dateFields(entity)[0]?.id ?? '', days: -1 }
    case 'noActivity': return { kind, entity: entity.id, days: 14 }
  }
}

export function defaultAction(kind: ActionKind, entity: EntityDef | undefined, schema: WorkspaceSchema): RuleAction {
  switch (kind) {
    case 'createActivity': return { kind, activityType: activityTypesOf(schema)[0] ?? 'task', subject: '', assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'days' } }
    case 'setField': return { kind, field: (entity && ruleFields(entity)[0]?.id) ?? '', value: null }
    case 'assignOwner': return { kind, assignee: { kind: 'roundRobin', members: [] } }
    case 'moveStage': return { kind, stage: stagesOf(schema)[0]?.id ?? '' }
    case 'notify': return { kind, member: 'owner', message: '' }
    case 'webhook': return { kind, url: 'https://' }
  }
}

export function defaultCondition(entity: EntityDef): RuleCondition {
  return { field: ruleFields(entity)[0]?.id ?? '', op: 'notEmpty' }
}

/** A new rule's first draft: when a record of the first list is created, create a task for its owner. */
export function newRuleDraft(schema: WorkspaceSchema, memberId: string, now: Date): Rule {
  const entity = ruleEntities(schema)[0]
  return {
    id: randomId(), name: '', enabled: true,
    trigger: entity ? defaultTrigger('created', entity, schema) : { kind: 'created', entity: '' },
    conditions: [],
    actions: [defaultAction('createActivity', entity, schema)],
    createdAt: now.toISOString(), createdBy: memberId,
  }
}

/** Whether a condition's operator needs a value (empty / not empty do not). */
export function conditionTakesValue(op: RuleCondition['op']): boolean {
  return op !== 'empty' && op !== 'notEmpty'
}

/** The owner field of the trigger's entity: what `ownerIs` tests. */
export function ownerFieldId(entity: EntityDef | undefined): string | undefined {
  return entity ? ownerFieldOf(entity)?.id : undefined
}
