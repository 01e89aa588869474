import type { EntityStore } from '../../crdt/entityStore'
import { dueMs, type ActivityFields } from '../../domain/activities/activityFields'
import { completionChanges, reopenChanges } from '../../domain/activities/completeActivity'
import { rescheduledDue, type Reschedule } from '../../domain/activities/rescheduleActivity'
import type { Row } from '../../domain/schema'

/*
 * My work's, the timeline's and the reminders' writes: each one `updateCells` on the activities'
 * store — the app's one write path, so it is one undo step, syncs like a grid edit, and the
 * automation sees "activity completed" as it does from the grid.
 */

export function markDone(store: EntityStore, fields: ActivityFields, row: Row, outcome?: string): void {
  store.updateCells(completionChanges(fields, row, Date.now(), outcome))
}

export function markNotDone(store: EntityStore, fields: ActivityFields, row: Row): void {
  store.updateCells(reopenChanges(fields, row))
}

export function reschedule(store: EntityStore, fields: ActivityFields, row: Row, move: Reschedule, timeZone: string): void {
  if (!fields.due) return
  store.updateCells([{ recordId: row.id, fieldId: fields.due.id, value: rescheduledDue(move, dueMs(fields, row), Date.now(), timeZone) }])
}
