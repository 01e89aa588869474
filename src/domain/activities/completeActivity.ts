import type { FieldValue, Row } from '../schema'
import type { ActivityFields } from './activityFields'

/** A cell write as the entity stores take it (src/crdt's CellChange). */
export interface ActivityChange { recordId: string; fieldId: string; value: FieldValue }

export const CALL_TYPE = 'call'

/** A call asks how it went before it is marked done (when the workspace keeps an outcome). */
export function asksOutcome(fields: ActivityFields, row: Row): boolean {
  return !!fields.outcome && !!fields.type && row.values[fields.type.id] === CALL_TYPE
}

/**
 * Marking an activity done: done, when (done_at, the member's clock) and for a call its outcome,
 * as one write, so one undo step takes it all back and the automation sees one completion.
 */
export function completionChanges(fields: ActivityFields, row: Row, now: number, outcome?: string): ActivityChange[] {
  if (!fields.done) throw new RangeError('done: the activities have no Done field')
  const changes: ActivityChange[] = [{ recordId: row.id, fieldId: fields.done.id, value: true }]
  if (fields.doneAt) changes.push({ recordId: row.id, fieldId: fields.doneAt.id, value: new Date(now).toISOString() })
  if (outcome !== undefined && fields.outcome) {
    if (fields.outcome.options && !fields.outcome.options.includes(outcome)) throw new RangeError(`outcome: "${outcome}" is not one of ${fields.outcome.options.join(', ')}`)
    changes.push({ recordId: row.id, fieldId: fields.outcome.id, value: outcome })
  }
  return changes
}

/** Taking a done mark back (from the done list): not done, no done time. */
export function reopenChanges(fields: ActivityFields, row: Row): ActivityChange[] {
  if (!fields.done) throw new RangeError('done: the activities have no Done field')
  const changes: ActivityChange[] = [{ recordId: row.id, fieldId: fields.done.id, value: false }]
  if (fields.doneAt) changes.push({ recordId: row.id, fieldId: fields.doneAt.id, value: null })
  return changes
}
