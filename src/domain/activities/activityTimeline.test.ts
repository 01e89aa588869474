import { expect, test } from 'vitest'
import type { TimelineGroup } from '../history/historyTimeline'
import { activityTimeline } from './activityTimeline'
import { activities, activityRow } from './activityRows.testkit'

const group = (key: string, at: string): TimelineGroup => ({ key, memberId: 'ann', memberName: 'Ann', via: 'app', at, items: [] })

test('activities and history groups make one list, newest first: planned at their due, done at when done, else at creation', () => {
  const entries = activityTimeline([
    activityRow('planned', { due: '2026-06-20T09:00:00.000Z' }),
    activityRow('doneCall', { done: true, done_at: '2026-06-05T10:00:00.000Z', due: '2026-06-01T09:00:00.000Z' }),
    activityRow('note', {}, '2026-06-03T08:00:00.000Z'),
    { ...activityRow('gone', { due: '2026-06-30T09:00:00.000Z' }), deletedAt: '2026-06-06T00:00:00.000Z' },
  ], activities, [group('edit', '2026-06-04T12:00:00.000Z'), group('created', '2026-06-01T00:00:00.000Z')])
  expect(entries.map((e) => e.key)).toEqual(['a:planned', 'a:doneCall', 'h:edit', 'a:note', 'h:created'])
})

test('at the same time an activity comes before the history it caused', () => {
  const at = '2026-06-04T12:00:00.000Z'
  const entries = activityTimeline([activityRow('a1', { done: true, done_at: at })], activities, [group('g1', at)])
  expect(entries.map((e) => e.kind)).toEqual(['activity', 'history'])
})
