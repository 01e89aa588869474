import type { Row } from '../schema'
import { dueMs, isDone, ownerOf, type ActivityFields } from './activityFields'
import { startOfDay } from './wallClock'

/** How far back "recently done" looks, and how many it lists at most. */
export const RECENTLY_DONE_DAYS = 7
export const RECENTLY_DONE_MAX = 50

export interface MyWorkGroups {
  /** Not done, due before now: the oldest first (the longest waiting leads). */
  overdue: Row[]
  /** Not done, due from now until the end of today in the member's time zone: soonest first. */
  today: Row[]
  /** Not done, due after today; then those without a due date (newest first). */
  upcoming: Row[]
  /** Done in the last RECENTLY_DONE_DAYS (by done_at, else due, else creation): newest first. */
  done: Row[]
}

/**
 * A member's work: their activities sorted into overdue, today, upcoming and recently done.
 * "Today" is the member's calendar day in `timeZone` (a DST change day has 23 or 25 hours).
 */
export function myWorkGroups(rows: Iterable<Row>, fields: ActivityFields, member: string, now: number, timeZone: string): MyWorkGroups {
  const endOfToday = startOfDay(now, timeZone, 1)
  const doneSince = startOfDay(now, timeZone, -RECENTLY_DONE_DAYS)
  const groups: MyWorkGroups = { overdue: [], today: [], upcoming: [], done: [] }
  const undated: Row[] = []
  const doneAt = new Map<string, number>()
  for (const row of rows) {
    if (row.deletedAt || ownerOf(fields, row) !== member) continue
    const due = dueMs(fields, row)
    if (isDone(fields, row)) {
      const at = doneTime(fields, row, due)
      if (at >= doneSince) { doneAt.set(row.id, at); groups.done.push(row) }
    } else if (due === null) undated.push(row)
    else if (due < now) groups.overdue.push(row)
    else if (due < endOfToday) groups.today.push(row)
    else groups.upcoming.push(row)
  }
  const byDue = (a: Row, b: Row) => (dueMs(fields, a)! - dueMs(fields, b)!) || compareIds(a, b)
  groups.overdue.sort(byDue)
  groups.today.sort(byDue)
  groups.upcoming.sort(byDue)
  undated.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : compareIds(a, b)))
  groups.upcoming.push(...undated)
  groups.done.sort((a, b) => (doneAt.get(b.id)! - doneAt.get(a.id)!) || compareIds(a, b))
  groups.done.splice(RECENTLY_DONE_MAX)
  return groups
}

/** When an activity was done: its done_at, else its due (marked done in the grid), else its creation. */
export function doneTime(fields: ActivityFields, row: Row, due = dueMs(fields, row)): number {
  const stamped = fields.doneAt ? row.values[fields.doneAt.id] : null
  const at = typeof stamped === 'string' ? Date.parse(stamped) : NaN
  if (!Number.isNaN(at)) return at
  return due ?? (Date.parse(row.createdAt) || 0)
}

function compareIds(a: Row, b: Row): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}
