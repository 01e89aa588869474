import type { FieldValue } from '../schema'
import type { ActivityFields } from './activityFields'
import { DEFAULT_DUE_HOUR } from './rescheduleActivity'
import { dayAt } from './wallClock'

export interface QuickAdd {
  subject: string
  /** One of the type field's options; `task` when not picked. */
  type?: string
  /** ISO instant; tomorrow at 9:00 in the member's time zone when not picked. */
  due?: string
  /** The member it is for (the one adding it, unless picked). */
  owner: string
  /** The link field pointing at the record the activity is added from, and that record. */
  linkFieldId: string
  recordId: string
}

export const QUICK_ADD_TYPE = 'task'

/** Tomorrow at 9:00 on the member's wall clock, ISO. */
export function tomorrowMorning(now: number, timeZone: string): string {
  return new Date(dayAt(now, timeZone, 1, DEFAULT_DUE_HOUR, 0)).toISOString()
}

/**
 * The values of an activity added from a record's panel in two keystrokes: a task due tomorrow
 * at 9:00 for the member, related to the record, unless type, due or owner were picked.
 * Refuses an empty subject (RangeError naming it).
 */
export function quickAddValues(fields: ActivityFields, add: QuickAdd, now: number, timeZone: string): Record<string, FieldValue> {
  const subject = add.subject.trim().replace(/\s+/g, ' ')
  if (!subject) throw new RangeError('subject: type what is to be done')
  const link = fields.related.find((f) => f.id === add.linkFieldId)
  if (!link) throw new RangeError(`no live link field ${add.linkFieldId} among the activities' fields`)
  const values: Record<string, FieldValue> = { [link.id]: link.multiple ? [add.recordId] : add.recordId }
  if (fields.subject) values[fields.subject.id] = subject
  if (fields.type) values[fields.type.id] = add.type ?? QUICK_ADD_TYPE
  if (fields.due) values[fields.due.id] = add.due ?? tomorrowMorning(now, timeZone)
  if (fields.owner) values[fields.owner.id] = add.owner
  if (fields.done) values[fields.done.id] = false
  return values
}
