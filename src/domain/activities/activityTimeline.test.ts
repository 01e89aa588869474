import { expect, test } from 'vitest'
import { historyTimeline, type ApiHistoryEntry, type TimelineGroup } from '../history/historyTimeline'
import { defaultSchema } from '../defaultSchema'
import { activityTimeline, keepDrawnEntries } from './activityTimeline'
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

test('read again, the timeline keeps the entries already drawn that read the same: an unchanged history draws nothing anew, a new edit only its group', () => {
  const companies = defaultSchema().entities.find((e) => e.key === 'companies')!
  // two members in turn, as the bench's 1,000 edits: one group per edit
  const edits = (n: number): ApiHistoryEntry[] => Array.from({ length: n }, (_, k) => ({
    at: new Date(Date.UTC(2026, 5, 1, 9, n - k)).toISOString(), member: { id: `m${(n - k) % 2}`, name: `M${(n - k) % 2}` }, field: 'name', from: `Acme ${n - k - 1}`, to: `Acme ${n - k}`, kind: 'set', via: 'api',
  }))
  const note = activityRow('note', {}, '2026-06-01T08:30:00.000Z')
  const timeline = (history: ApiHistoryEntry[], rows = [note]) => activityTimeline(rows, activities, historyTimeline(companies, history))
  const drawn = keepDrawnEntries([], timeline(edits(40)))
  expect(drawn).toHaveLength(41)
  // the relay's same answer (new objects, equal content): every entry is the one drawn
  const again = keepDrawnEntries(drawn, timeline(edits(40)))
  expect(again.every((e, k) => e === drawn[k])).toBe(true)
  // one edit more: a new group on top, the others kept though their keys (which count groups) moved
  const edited = keepDrawnEntries(drawn, timeline(edits(41)))
  expect(edited[0]!.kind).toBe('history')
  expect(drawn.includes(edited[0]!)).toBe(false)
  expect(edited.slice(1).every((e) => drawn.includes(e))).toBe(true)
  // an activity changed (a new row object): drawn again; the history still kept
  const changed = keepDrawnEntries(drawn, timeline(edits(40), [{ ...note, values: { ...note.values } }]))
  expect(changed.filter((e) => !drawn.includes(e)).map((e) => e.kind)).toEqual(['activity'])
})
