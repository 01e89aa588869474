import type { Row } from '../schema'
import { dueMs, isDone, ownerOf, type ActivityFields } from './activityFields'

/**
 * The member's open activities that fall due in (since, now]: what a reminder shows once. A
 * snoozed one counts at its snooze time instead of its due. Oldest first.
 */
export function dueReminders(rows: Iterable<Row>, fields: ActivityFields, member: string, since: number, now: number, snoozed: ReadonlyMap<string, number> = new Map()): Row[] {
  const out: { at: number; row: Row }[] = []
  for (const row of rows) {
    if (row.deletedAt || isDone(fields, row) || ownerOf(fields, row) !== member) continue
    const at = snoozed.get(row.id) ?? dueMs(fields, row)
    if (at !== null && at > since && at <= now) out.push({ at, row })
  }
  return out.sort((a, b) => a.at - b.at).map((r) => r.row)
}

/** When the next of the member's open activities falls due after `now` (to wake a timer), or null. */
export function nextReminderAt(rows: Iterable<Row>, fields: ActivityFields, member: string, now: number, snoozed: ReadonlyMap<string, number> = new Map()): number | null {
  let next: number | null = null
  for (const row of rows) {
    if (row.deletedAt || isDone(fields, row) || ownerOf(fields, row) !== member) continue
    const at = snoozed.get(row.id) ?? dueMs(fields, row)
    if (at !== null && at > now && (next === null || at < next)) next = at
  }
  return next
}
