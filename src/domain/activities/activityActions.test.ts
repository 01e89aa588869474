import { expect, test } from 'vitest'
import { asksOutcome, completionChanges, reopenChanges } from './completeActivity'
import { dueReminders, nextReminderAt } from './dueReminders'
import { activities, activityRow } from './activityRows.testkit'
import { quickAddValues } from './quickAddActivity'

test('quick add: a task due tomorrow 9:00 on the member\'s clock, for the member, linked to the record', () => {
  const now = Date.parse('2026-06-10T20:00:00Z')
  expect(quickAddValues(activities, { subject: '  Send   the offer ', owner: 'ann', linkFieldId: 'activities.related_deal', recordId: 'd1' }, now, 'Europe/Berlin')).toEqual({
    'activities.related_deal': 'd1', 'activities.subject': 'Send the offer', 'activities.type': 'task',
    'activities.due': '2026-06-11T07:00:00.000Z', 'activities.owner': 'ann', 'activities.done': false,
  })
  expect(quickAddValues(activities, { subject: 'Call', type: 'call', due: '2026-06-10T21:00:00.000Z', owner: 'bob', linkFieldId: 'activities.related', recordId: 'c1' }, now, 'UTC'))
    .toMatchObject({ 'activities.related': 'c1', 'activities.type': 'call', 'activities.due': '2026-06-10T21:00:00.000Z', 'activities.owner': 'bob' })
  expect(() => quickAddValues(activities, { subject: ' ', owner: 'ann', linkFieldId: 'activities.related', recordId: 'c1' }, now, 'UTC')).toThrow(/subject/)
})

test('marking done writes done, its time and a call\'s outcome in one change list; a non-option outcome is refused', () => {
  const call = activityRow('a1', { type: 'call' })
  expect(asksOutcome(activities, call)).toBe(true)
  expect(asksOutcome(activities, activityRow('a2', { type: 'task' }))).toBe(false)
  expect(completionChanges(activities, call, Date.parse('2026-06-10T12:00:00Z'), 'connected')).toEqual([
    { recordId: 'a1', fieldId: 'activities.done', value: true },
    { recordId: 'a1', fieldId: 'activities.done_at', value: '2026-06-10T12:00:00.000Z' },
    { recordId: 'a1', fieldId: 'activities.outcome', value: 'connected' },
  ])
  expect(() => completionChanges(activities, call, 0, 'maybe')).toThrow(/outcome/)
  expect(reopenChanges(activities, call)).toEqual([
    { recordId: 'a1', fieldId: 'activities.done', value: false },
    { recordId: 'a1', fieldId: 'activities.done_at', value: null },
  ])
})

test('reminders: the member\'s open activities falling due since the last look, a snoozed one at its snooze time', () => {
  const rows = [
    activityRow('due', { owner: 'ann', due: '2026-06-10T12:00:00.000Z' }),
    activityRow('earlier', { owner: 'ann', due: '2026-06-10T11:00:00.000Z' }),
    activityRow('done', { owner: 'ann', due: '2026-06-10T12:00:00.000Z', done: true }),
    activityRow('bobs', { owner: 'bob', due: '2026-06-10T12:00:00.000Z' }),
    activityRow('snoozed', { owner: 'ann', due: '2026-06-10T12:00:00.000Z' }),
    activityRow('later', { owner: 'ann', due: '2026-06-10T13:00:00.000Z' }),
  ]
  const since = Date.parse('2026-06-10T11:30:00Z')
  const now = Date.parse('2026-06-10T12:00:30Z')
  const snoozed = new Map([['snoozed', Date.parse('2026-06-10T12:10:00Z')]])
  expect(dueReminders(rows, activities, 'ann', since, now, snoozed).map((r) => r.id)).toEqual(['due'])
  expect(nextReminderAt(rows, activities, 'ann', now, snoozed)).toBe(Date.parse('2026-06-10T12:10:00Z'))
  expect(dueReminders(rows, activities, 'ann', now, Date.parse('2026-06-10T12:10:00Z'), snoozed).map((r) => r.id)).toEqual(['snoozed'])
})
