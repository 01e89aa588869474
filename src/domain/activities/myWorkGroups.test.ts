import { describe, expect, test } from 'vitest'
import { activities, activityRow } from './activityRows.testkit'
import { myWorkGroups, RECENTLY_DONE_DAYS } from './myWorkGroups'

const ids = (rows: { id: string }[]) => rows.map((r) => r.id)

describe('myWorkGroups', () => {
  test('sorts the member\'s open activities into overdue, today and upcoming in UTC, and leaves others\' out', () => {
    const now = Date.parse('2026-06-10T12:00:00Z')
    const rows = [
      activityRow('late', { owner: 'ann', due: '2026-06-10T11:59:00.000Z', done: false }),
      activityRow('older', { owner: 'ann', due: '2026-06-01T09:00:00.000Z' }),
      activityRow('soon', { owner: 'ann', due: '2026-06-10T12:00:00.000Z' }),
      activityRow('evening', { owner: 'ann', due: '2026-06-10T23:59:00.000Z' }),
      activityRow('tomorrow', { owner: 'ann', due: '2026-06-11T00:00:00.000Z' }),
      activityRow('undated', { owner: 'ann' }),
      activityRow('bobs', { owner: 'bob', due: '2026-06-10T13:00:00.000Z' }),
      { ...activityRow('deleted', { owner: 'ann', due: '2026-06-10T13:00:00.000Z' }), deletedAt: '2026-06-09T00:00:00.000Z' },
    ]
    const g = myWorkGroups(rows, activities, 'ann', now, 'UTC')
    expect(ids(g.overdue)).toEqual(['older', 'late'])
    expect(ids(g.today)).toEqual(['soon', 'evening'])
    expect(ids(g.upcoming)).toEqual(['tomorrow', 'undated'])
    expect(g.done).toEqual([])
  })

  test('"today" is the member\'s day in their time zone: 23:30 in Tokyo is already tomorrow', () => {
    const now = Date.parse('2026-06-10T12:00:00Z') // 21:00 in Tokyo
    const rows = [
      activityRow('tokyoTonight', { owner: 'ann', due: '2026-06-10T14:30:00.000Z' }), // 23:30 Tokyo
      activityRow('tokyoTomorrow', { owner: 'ann', due: '2026-06-10T15:30:00.000Z' }), // 00:30 Tokyo next day
    ]
    const tokyo = myWorkGroups(rows, activities, 'ann', now, 'Asia/Tokyo')
    expect(ids(tokyo.today)).toEqual(['tokyoTonight'])
    expect(ids(tokyo.upcoming)).toEqual(['tokyoTomorrow'])
    expect(ids(myWorkGroups(rows, activities, 'ann', now, 'UTC').today)).toEqual(['tokyoTonight', 'tokyoTomorrow'])
  })

  test('on the spring DST day (23 hours) today ends at the next local midnight, not 24 hours after the last', () => {
    // Berlin, 29 March 2026: 02:00 → 03:00; the day runs 28 Mar 23:00Z … 29 Mar 22:00Z
    const now = Date.parse('2026-03-29T08:00:00Z') // 10:00 CEST
    const rows = [
      activityRow('lateEvening', { owner: 'ann', due: '2026-03-29T21:30:00.000Z' }), // 23:30 CEST
      activityRow('afterMidnight', { owner: 'ann', due: '2026-03-29T22:30:00.000Z' }), // 00:30 on the 30th
    ]
    const g = myWorkGroups(rows, activities, 'ann', now, 'Europe/Berlin')
    expect(ids(g.today)).toEqual(['lateEvening'])
    expect(ids(g.upcoming)).toEqual(['afterMidnight'])
  })

  test('on the autumn DST day (25 hours) 23:30 local is still today', () => {
    // Berlin, 25 October 2026: 03:00 → 02:00; the day runs 24 Oct 22:00Z … 25 Oct 23:00Z
    const now = Date.parse('2026-10-25T08:00:00Z')
    const rows = [activityRow('late', { owner: 'ann', due: '2026-10-25T22:30:00.000Z' })] // 23:30 CET
    expect(ids(myWorkGroups(rows, activities, 'ann', now, 'Europe/Berlin').today)).toEqual(['late'])
  })

  test('recently done: by when it was done, newest first, within the last days; older ones drop out', () => {
    const now = Date.parse('2026-06-10T12:00:00Z')
    const rows = [
      activityRow('doneMorning', { owner: 'ann', done: true, done_at: '2026-06-10T08:00:00.000Z', due: '2026-06-01T09:00:00.000Z' }),
      activityRow('doneNoon', { owner: 'ann', done: true, done_at: '2026-06-10T11:00:00.000Z' }),
      activityRow('doneInGrid', { owner: 'ann', done: true, due: '2026-06-09T09:00:00.000Z' }), // no done_at: its due
      activityRow('longAgo', { owner: 'ann', done: true, done_at: new Date(now - (RECENTLY_DONE_DAYS + 1) * 86_400_000).toISOString() }),
    ]
    expect(ids(myWorkGroups(rows, activities, 'ann', now, 'UTC').done)).toEqual(['doneNoon', 'doneMorning', 'doneInGrid'])
  })
})
