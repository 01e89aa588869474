import { describe, expect, test } from 'vitest'
import { toIsoDate } from './calendarDate'
import { formatLocaleDate } from './localeDateOrder'
import { parseDateText, type DateReading } from './parseDateText'
import { parseDateTimeText } from './parseDateTimeText'

function iso(reading: DateReading): string {
  if (!reading.ok) throw new Error(`expected a date, got ${JSON.stringify(reading)}`)
  return toIsoDate(reading.date)
}

// The rules: ISO always; dots are day.month.year; slashes and dashes follow the locale; a
// leading four-digit year is year-month-day; two-digit years are 20xx.
const CASES: Record<string, [input: string, expected: string][]> = {
  'en-US': [
    ['2026-12-03', '2026-12-03'], ['03.12.2026', '2026-12-03'], ['27.12.2026', '2026-12-27'], ['3.12.26', '2026-12-03'],
    ['03/12/2026', '2026-03-12'], ['12/27/2026', '2026-12-27'], ['12/27/26', '2026-12-27'], ['03-12-2026', '2026-03-12'],
    ['2026/12/03', '2026-12-03'], ['2026.12.03', '2026-12-03'],
  ],
  'en-GB': [
    ['2026-12-03', '2026-12-03'], ['03.12.2026', '2026-12-03'], ['03/12/2026', '2026-12-03'], ['27/12/26', '2026-12-27'],
    ['03-12-2026', '2026-12-03'], ['2026/12/03', '2026-12-03'],
  ],
  'de-DE': [
    ['2026-12-03', '2026-12-03'], ['03.12.2026', '2026-12-03'], ['3.12.26', '2026-12-03'], ['27.12.2026', '2026-12-27'],
    ['03/12/2026', '2026-12-03'], ['3. 12. 2026', '2026-12-03'],
  ],
  'ja-JP': [
    ['2026-12-03', '2026-12-03'], ['2026/12/03', '2026-12-03'], ['2026/12/3', '2026-12-03'], ['26/12/03', '2026-12-03'],
    ['03.12.2026', '2026-12-03'], ['2026.12.03', '2026-12-03'],
  ],
  'ru-RU': [
    ['2026-12-03', '2026-12-03'], ['03.12.2026', '2026-12-03'], ['27.12.26', '2026-12-27'], ['03/12/2026', '2026-12-03'],
  ],
}

describe.each(Object.keys(CASES))('%s', (locale) => {
  test.each(CASES[locale]!)('%j → %s', (input, expected) => {
    expect(iso(parseDateText(input, locale))).toBe(expected)
  })

  test('the locale’s own numeric dates read back to the same day', () => {
    for (const date of [{ year: 2026, month: 12, day: 3 }, { year: 2026, month: 1, day: 31 }, { year: 2028, month: 2, day: 29 }]) {
      expect(iso(parseDateText(formatLocaleDate(date, locale), locale))).toBe(toIsoDate(date))
    }
  })

  test('impossible days are refused with the reason', () => {
    expect(parseDateText('31.02.2026', locale)).toEqual({ ok: false, reason: 'noSuchDay', date: { year: 2026, month: 2, day: 31 }, read: { order: ['day', 'month', 'year'], separator: '.', by: 'dots' } })
    expect(parseDateText('2026-04-31', locale)).toMatchObject({ ok: false, reason: 'noSuchDay', date: { year: 2026, month: 4, day: 31 } })
    expect(parseDateText('29.02.2027', locale)).toMatchObject({ ok: false, reason: 'noSuchDay' })
    expect(parseDateText('12.27.2026', locale)).toMatchObject({ ok: false, reason: 'noSuchMonth', month: 27, read: { by: 'dots' } })
    expect(parseDateText('2026-13-01', locale)).toMatchObject({ ok: false, reason: 'noSuchMonth', month: 13 })
    expect(parseDateText('0999-01-01', locale)).toEqual({ ok: false, reason: 'yearOutOfRange', year: 999 })
    expect(parseDateText('next friday', locale)).toEqual({ ok: false, reason: 'notDate' })
    expect(parseDateText('03.12/2026', locale)).toEqual({ ok: false, reason: 'notDate' })
  })

  test('date-times: the date part follows the same rules, the time is wall-clock time in the zone', () => {
    const reading = parseDateTimeText('03.12.2026 15:00', locale, 'UTC')
    expect(reading).toEqual({ ok: true, ms: Date.UTC(2026, 11, 3, 15), hasTime: true })
    expect(parseDateTimeText('2026-12-03 15:00', locale, 'Europe/Moscow')).toEqual({ ok: true, ms: Date.UTC(2026, 11, 3, 12), hasTime: true })
    expect(parseDateTimeText('27.12.2026', locale, 'UTC')).toEqual({ ok: true, ms: Date.UTC(2026, 11, 27), hasTime: false })
    expect(parseDateTimeText('31.02.2026 15:00', locale, 'UTC')).toMatchObject({ ok: false, reason: 'noSuchDay' })
    expect(parseDateTimeText('03.12.2026 25:00', locale, 'UTC')).toEqual({ ok: false, reason: 'noSuchTime', time: '25:00' })
  })
})

test('slashes follow the locale: the same text is a different day in en-US and en-GB, a misplaced year in ja-JP', () => {
  expect(iso(parseDateText('03/12/2026', 'en-US'))).toBe('2026-03-12')
  expect(iso(parseDateText('03/12/2026', 'en-GB'))).toBe('2026-12-03')
  expect(parseDateText('03/12/2026', 'ja-JP')).toEqual({ ok: false, reason: 'misplacedYear', read: { order: ['year', 'month', 'day'], separator: '/', by: 'locale' } })
  expect(parseDateText('27/12/2026', 'en-US')).toMatchObject({ ok: false, reason: 'noSuchMonth', month: 27, read: { order: ['month', 'day', 'year'], by: 'locale' } })
})
