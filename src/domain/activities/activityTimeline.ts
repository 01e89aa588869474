import { sameTimelineGroup, type TimelineGroup } from '../history/historyTimeline'
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

/**
 * The timeline computed again (the relay's history read again, an activity changed) with each
 * entry that reads as one already drawn replaced by that one, so the panel's list (keyed by entry)
 * redraws only what changed. A record opened again, its history unchanged since the tab last read
 * it, then draws nothing anew when the relay's answer comes in: drawing its 40 newest groups again
 * and removing the old ones cost the page's main thread 8–30 ms before the timeline showed.
 */
export function keepDrawnEntries(drawn: readonly TimelineEntry[], fresh: readonly TimelineEntry[]): TimelineEntry[] {
  if (!drawn.length) return [...fresh]
  const activities = new Map<Row, TimelineEntry>()
  const groups = new Map<string, TimelineEntry>()
  for (const e of drawn) {
    if (e.kind === 'activity') activities.set(e.row, e)
    else groups.set(groupSlot(e.group), e)
  }
  return fresh.map((e) => {
    const before = e.kind === 'activity' ? activities.get(e.row) : groups.get(groupSlot(e.group))
    if (!before || before.at !== e.at) return e
    if (e.kind === 'activity') return before
    return before.kind === 'history' && sameTimelineGroup(before.group, e.group) ? before : e
  })
}

/** A group's place in the history: its newest item's time, member and way in (its key also holds its index, which a newer group shifts). */
const groupSlot = (g: TimelineGroup) => `${g.at}\n${g.memberId}\n${g.via}`
