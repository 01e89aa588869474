import type { TimelineGroup } from '../history/historyTimeline'
import type { Row } from '../schema'
import { doneTime } from './myWorkGroups'
import { dueMs, isDone, type ActivityFields } from './activityFields'

export type TimelineEntry =
  | { kind: 'activity'; key: string; at: number; row: Row }
  | { kind: 'history'; key: string; at: number; group: TimelineGroup }

/**
 * The record panel's one timeline: the activities related to the record and its history groups,
 * newest first. An activity stands at its due time (planned work sits above the past), a done
 * one at when it was done, one without either at its creation.
 */
export function activityTimeline(activities: Iterable<Row>, fields: ActivityFields, history: readonly TimelineGroup[]): TimelineEntry[] {
  const out: TimelineEntry[] = []
  for (const row of activities) {
    if (row.deletedAt) continue
    const at = isDone(fields, row) ? doneTime(fields, row) : dueMs(fields, row) ?? (Date.parse(row.createdAt) || 0)
    out.push({ kind: 'activity', key: `a:${row.id}`, at, row })
  }
  for (const group of history) out.push({ kind: 'history', key: `h:${group.key}`, at: Date.parse(group.at) || 0, group })
  // stable for equal times: activities before history, then by key
  return out.sort((a, b) => (b.at - a.at) || (a.kind === b.kind ? (a.key < b.key ? -1 : 1) : a.kind === 'activity' ? -1 : 1))
}
