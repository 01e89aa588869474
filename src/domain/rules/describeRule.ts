import { formatFieldValue } from '../formatFieldValue'
import { findStage } from '../pipelines/pipeline'
import { stageChoices } from '../pipelines/stageChoices'
import { findEntity, type EntityDef, type FieldDef, type FieldValue, type Money, type WorkspaceSchema } from '../schema'
import type { Assignee, RuleAction, RuleCondition, RuleDuration, RuleTrigger, Rule } from './rule'
import { conditionField } from './ruleConditions'
import { liveField, ownerFieldOf } from './ruleFields'
import { recordEntityOf } from './validateRule'

export interface RuleSentence { when: string; if: string | null; then: string[] }

const orList = new Intl.ListFormat('en', { type: 'disjunction' })
const numbers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 20 })

const article = (noun: string) => (/^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`)
const plural = (n: number, unit: string) => `${numbers.format(n)} ${unit}${n === 1 ? '' : 's'}`

export function describeDuration(d: RuleDuration): string {
  return plural(d.amount, d.unit.slice(0, -1))
}

/**
 * A rule as the sentence Settings → Automation shows: "When a lead is created" / "If Source is
 * Website" / "Create a call “Call the customer” for the lead's owner, due in 1 hour". Fields,
 * stages and members are named as people see them; something the workspace no longer has is
 * named by its id, so the rule still reads.
 */
export function describeRule(rule: Rule, schema: WorkspaceSchema, memberName: (id: string) => string): RuleSentence {
  const entity = recordEntityOf(schema, rule.trigger)
  const noun = entity?.singular.toLowerCase() ?? 'record'
  const say = new Sayer(schema, memberName)
  const conditions = entity ? rule.conditions.map((c) => say.condition(entity, c)) : []
  return {
    when: say.trigger(rule.trigger, noun),
    if: conditions.length ? `If ${conditions.join(' and ')}` : null,
    then: rule.actions.map((a) => say.action(a, entity, noun)),
  }
}

class Sayer {
  constructor(private schema: WorkspaceSchema, private memberName: (id: string) => string) {}

  stage(id: string): string {
    const choice = stageChoices(this.schema.pipelines ?? []).find((c) => c.id === id)
    return choice?.label ?? findStage(this.schema.pipelines ?? [], id)?.stage.name ?? id
  }

  value(field: FieldDef, value: FieldValue | undefined): string {
    if (value === null || value === undefined) return 'empty'
    if (field.type === 'member' && typeof value === 'string') return this.memberName(value)
    if (field.choicesFrom === 'stages' && typeof value === 'string') return this.stage(value)
    if (field.type === 'checkbox') return value === true ? 'ticked' : 'not ticked'
    if (field.type === 'money' && typeof value === 'number') return numbers.format(value)
    if (field.type === 'money' && typeof value === 'object' && !Array.isArray(value)) return formatFieldValue(field, value as Money, { locale: 'en-US' })
    if (Array.isArray(value)) return value.map((v) => this.value(field, v)).join(', ')
    return formatFieldValue(field, value, { locale: 'en-US' }) || String(value)
  }

  trigger(t: RuleTrigger, noun: string): string {
    const a = article(noun)
    switch (t.kind) {
      case 'created': return `When ${a} is created`
      case 'fieldChanged': {
        const field = this.field(t.entity, t.field)
        const label = field?.label ?? t.field
        return t.to === undefined ? `When ${a}'s ${label} changes` : `When ${a}'s ${label} changes to ${field ? this.value(field, t.to) : String(t.to)}`
      }
      case 'stageEntered': {
        const pipeline = t.pipeline === undefined ? undefined : this.schema.pipelines?.find((p) => p.id === t.pipeline)
        const stage = pipeline ? findStage([pipeline], t.stage)?.stage.name ?? t.stage : this.stage(t.stage)
        return `When ${a} enters ${stage}${pipeline ? ` in ${pipeline.name}` : ''}`
      }
      case 'activityCompleted': return `When ${article(t.activityType ?? 'activity')} is completed`
      case 'dateOffset': {
        const label = this.field(t.entity, t.field)?.label ?? t.field
        if (t.days === 0) return `When ${a}'s ${label} is today`
        return t.days < 0 ? `When ${a}'s ${label} is in ${plural(-t.days, 'day')}` : `When ${a}'s ${label} was ${plural(t.days, 'day')} ago`
      }
      case 'noActivity': return `When ${a} has had no activity for ${plural(t.days, 'day')}`
    }
  }

  condition(entity: EntityDef, c: RuleCondition): string {
    const field = conditionField(entity, c)
    if (c.op === 'ownerIs') {
      const who = this.memberName(String(c.value ?? ''))
      return !field || field.id === ownerFieldOf(entity)?.id ? `the owner is ${who}` : `${field.label} is ${who}`
    }
    const label = field?.label ?? c.field
    const value = (v: FieldValue | undefined) => (field ? this.value(field, v) : String(v))
    const dated = field?.type === 'date' || field?.type === 'dateTime'
    switch (c.op) {
      case 'equals': return `${label} is ${value(c.value)}`
      case 'notEquals': return `${label} is not ${value(c.value)}`
      case 'contains': return typeof c.value === 'string' && field && !['multiSelect', 'link', 'member'].includes(field.type)
        ? `${label} contains “${c.value}”` : `${label} contains ${value(c.value)}`
      case 'greaterThan': return `${label} is ${dated ? 'after' : 'more than'} ${value(c.value)}`
      case 'lessThan': return `${label} is ${dated ? 'before' : 'less than'} ${value(c.value)}`
      case 'empty': return `${label} is empty`
      case 'notEmpty': return `${label} is not empty`
      case 'inList': return `${label} is ${orList.format((Array.isArray(c.value) ? c.value : [c.value]).map((v) => value(v)))}`
    }
  }

  assignee(a: Assignee, noun: string): string {
    switch (a.kind) {
      case 'owner': return `the ${noun}'s owner`
      case 'member': return this.memberName(a.member)
      case 'roundRobin': return `${orList.format(a.members.map((m) => this.memberName(m)))} in turn`
    }
  }

  action(a: RuleAction, entity: EntityDef | undefined, noun: string): string {
    switch (a.kind) {
      case 'createActivity': return `Create ${article(a.activityType)} “${a.subject}” for ${this.assignee(a.assignee, noun)}, due in ${describeDuration(a.dueIn)}`
      case 'setField': {
        const field = entity && liveField(entity, a.field)
        if (a.value === null) return `Empty ${field?.label ?? a.field}`
        return `Set ${field?.label ?? a.field} to ${field ? this.value(field, a.value) : String(a.value)}`
      }
      case 'assignOwner': return `Assign the ${noun} to ${this.assignee(a.assignee, noun)}`
      case 'moveStage': return noun === 'deal' ? `Move the deal to ${this.stage(a.stage)}` : `Move the ${noun}'s deal to ${this.stage(a.stage)}`
      case 'notify': return `Notify ${a.member === 'owner' ? `the ${noun}'s owner` : this.memberName(a.member)}: “${a.message}”`
      case 'webhook': return `Call the webhook ${a.url}`
    }
  }

  private field(entityId: string, fieldId: string): FieldDef | undefined {
    const entity = findEntity(this.schema, entityId)
    return entity && liveField(entity, fieldId)
  }
}
