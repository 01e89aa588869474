import { expect, test } from 'vitest'
import { rescheduledDue } from './rescheduleActivity'

const now = Date.parse('2026-06-10T12:34:56.789Z')

test('+1 h is an hour from now, to the minute, whatever the due said', () => {
  expect(rescheduledDue({ kind: 'hour' }, Date.parse('2026-06-01T09:00:00Z'), now, 'UTC')).toBe('2026-06-10T13:34:00.000Z')
})

test('tomorrow and next week keep the due\'s time of day; without a due, 9:00', () => {
  const due = Date.parse('2026-06-08T14:30:00Z')
  expect(rescheduledDue({ kind: 'tomorrow' }, due, now, 'UTC')).toBe('2026-06-11T14:30:00.000Z')
  expect(rescheduledDue({ kind: 'nextWeek' }, due, now, 'UTC')).toBe('2026-06-17T14:30:00.000Z')
  expect(rescheduledDue({ kind: 'tomorrow' }, null, now, 'UTC')).toBe('2026-06-11T09:00:00.000Z')
})

test('the wall clock holds across a DST change: Berlin 14:30 stays 14:30 from winter to summer time', () => {
  const saturday = Date.parse('2026-03-28T13:30:00Z') // 14:30 CET, the day before the change
  expect(rescheduledDue({ kind: 'tomorrow' }, saturday, saturday, 'Europe/Berlin')).toBe('2026-03-29T12:30:00.000Z') // 14:30 CEST
  expect(rescheduledDue({ kind: 'nextWeek' }, saturday, saturday, 'Europe/Berlin')).toBe('2026-04-04T12:30:00.000Z')
})

test('"tomorrow" is the member\'s tomorrow: late evening in New York is already the next day in UTC', () => {
  const evening = Date.parse('2026-06-11T02:00:00Z') // 22:00 on the 10th in New York
  expect(rescheduledDue({ kind: 'tomorrow' }, null, evening, 'America/New_York')).toBe('2026-06-11T13:00:00.000Z') // 11th, 9:00 EDT
})

test('a picked date keeps the time of day; a text that is no date is refused', () => {
  expect(rescheduledDue({ kind: 'date', date: '2026-07-01' }, Date.parse('2026-06-08T07:15:00Z'), now, 'UTC')).toBe('2026-07-01T07:15:00.000Z')
  expect(rescheduledDue({ kind: 'date', date: '2026-06-09' }, null, now, 'Europe/Berlin')).toBe('2026-06-09T07:00:00.000Z')
  expect(() => rescheduledDue({ kind: 'date', date: 'next friday' }, null, now, 'UTC')).toThrow(/not a date/)
})
