import { expect, test } from 'vitest'
import { formatDue } from './formatDue'

const now = Date.parse('2026-06-10T12:00:00Z')

test('says today, tomorrow and yesterday by the member\'s calendar day, else the weekday within a week, else the date', () => {
  expect(formatDue(Date.parse('2026-06-10T14:30:00Z'), now, 'UTC', 'en-US')).toBe('today 2:30 PM')
  expect(formatDue(Date.parse('2026-06-11T09:00:00Z'), now, 'UTC', 'en-US')).toBe('tomorrow 9:00 AM')
  expect(formatDue(Date.parse('2026-06-09T16:00:00Z'), now, 'UTC', 'en-US')).toBe('yesterday 4:00 PM')
  expect(formatDue(Date.parse('2026-06-13T09:00:00Z'), now, 'UTC', 'en-US')).toBe('Sat 9:00 AM')
  expect(formatDue(Date.parse('2026-07-01T09:00:00Z'), now, 'UTC', 'en-US')).toBe('Jul 1, 2026, 9:00 AM')
  // 23:30 UTC on the 10th is already the 11th in Tokyo
  expect(formatDue(Date.parse('2026-06-10T23:30:00Z'), now, 'Asia/Tokyo', 'en-US')).toBe('tomorrow 8:30 AM')
})
