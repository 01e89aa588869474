import { choiceIdOf } from '../pipelines/stageChoices'
import { findStage } from '../pipelines/pipeline'
import { findEntity, type FieldDef, type FieldValue, type Money, type WorkspaceSchema } from '../schema'
import { equalsTest, isEmptyCell } from '../views/viewFilter'
import type { RecordChange, RuleTrigger } from './rule'
import { activitiesEntity, activityFieldsOf, dealsOf, liveField } from './ruleFields'

/** Whether a change fires a trigger. */
export type ChangeTest = (change: RecordChange) => boolean

const never: ChangeTest = () => false

/**
 * A change-triggered rule's trigger as a test of one record change, its fields and stage looked
 * up once. A record just created counts as changed from empty: a lead created with Status
 * "Qualified" fires "Status changes to Qualified", a deal created in a stage enters it, and a
 * call logged as done (created with Done ticked) is a completed activity. A trigger naming what
 * the schema no longer has never fires; time-based triggers never fire on a change.
 */
export function compileChangeTrigger(trigger: RuleTrigger, schema: WorkspaceSchema): ChangeTest {
  switch (trigger.kind) {
    case 'created': {
      const entity = findEntity(schema, trigger.entity)
      if (!entity) return never
      return (c) => c.before === null && c.entity === entity.id
    }
    case 'fieldChanged': {
      const entity = findEntity(schema, trigger.entity)
      const field = entity && liveField(entity, trigger.field)
      if (!entity || !field) return never
      const id = field.id
      if (trigger.to === undefined) return (c) => c.entity === entity.id && !sameFieldValue(c.before?.values[id], c.after.values[id])
      const reaches = equalsTest(field, trigger.to)
      return (c) => c.entity === entity.id && reaches(c.after.values[id]) && !reaches(c.before?.values[id] ?? null)
    }
    case 'stageEntered': {
      const deals = dealsOf(schema)
      const found = findStage(schema.pipelines ?? [], trigger.stage)
      if (!deals || !found || (trigger.pipeline !== undefined && found.pipeline.id !== trigger.pipeline)) return never
      const field = deals.fields.stage
      const stage = trigger.stage
      return (c) => c.entity === deals.entity.id && stageIdOf(field, c.after.values[field.id]) === stage &&
        stageIdOf(field, c.before?.values[field.id]) !== stage
    }
    case 'activityCompleted': {
      const activities = activitiesEntity(schema)
      const fields = activities && activityFieldsOf(activities)
      if (!activities || !fields?.done) return never
      const done = fields.done.id
      const ofType = trigger.activityType === undefined ? undefined : fields.type && equalsTest(fields.type, trigger.activityType)
      const typeId = fields.type?.id
      if (trigger.activityType !== undefined && !ofType) return never
      return (c) => c.entity === activities.id && c.after.values[done] === true && c.before?.values[done] !== true &&
        (!ofType || ofType(c.after.values[typeId!]))
    }
    case 'dateOffset': case 'noActivity': return never
  }
}

/** A stage select's value as a stage id (an older deal may hold the stage's name). */
export function stageIdOf(field: FieldDef, value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null
  return choiceIdOf(field, value) ?? value
}

/** Equal as stored values: empty is empty (null, '', []), lists item by item, money by amount and currency. */
export function sameFieldValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (a === b) return true
  const emptyA = isEmptyCell(a)
  if (emptyA || isEmptyCell(b)) return emptyA && isEmptyCell(b)
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => item === b[i])
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const x = a as Money
    const y = b as Money
    return x.amount === y.amount && x.currency === y.currency
  }
  return false
}
