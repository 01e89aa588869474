import { describe, expect, it } from 'vitest'
import { addDays, addMonths, localeFirstDay, monthPage, weekdayOf } from './calendarMonth'

describe('calendar month math', () => {
  it('moves by days across months and years', () => {
    expect(addDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({ year: 2027, month: 1, day: 1 })
    expect(addDays({ year: 2028, month: 3, day: 1 }, -1)).toEqual({ year: 2028, month: 2, day: 29 })
    expect(addDays({ year: 2026, month: 12, day: 3 }, -7)).toEqual({ year: 2026, month: 11, day: 26 })
  })

  it('moves by months keeping the day, or the month\'s last day when it has fewer', () => {
    expect(addMonths({ year: 2026, month: 1, day: 31 }, 1)).toEqual({ year: 2026, month: 2, day: 28 })
    expect(addMonths({ year: 2028, month: 1, day: 31 }, 1)).toEqual({ year: 2028, month: 2, day: 29 })
    expect(addMonths({ year: 2026, month: 12, day: 15 }, 1)).toEqual({ year: 2027, month: 1, day: 15 })
    expect(addMonths({ year: 2026, month: 1, day: 15 }, -1)).toEqual({ year: 2025, month: 12, day: 15 })
    expect(addMonths({ year: 2026, month: 3, day: 31 }, -13)).toEqual({ year: 2025, month: 2, day: 28 })
  })

  it('counts weekdays from Monday (1) to Sunday (7)', () => {
    expect(weekdayOf({ year: 2026, month: 12, day: 3 })).toBe(4) // a Thursday
    expect(weekdayOf({ year: 2026, month: 11, day: 29 })).toBe(7)
  })

  it('lays out six whole weeks starting on the locale\'s first day', () => {
    const monday = monthPage(2026, 12, 1)
    expect(monday).toHaveLength(42)
    expect(monday[0]).toEqual({ date: { year: 2026, month: 11, day: 30 }, inMonth: false })
    expect(monday[1]).toEqual({ date: { year: 2026, month: 12, day: 1 }, inMonth: true })
    expect(monday.filter((d) => d.inMonth)).toHaveLength(31)
    const sunday = monthPage(2026, 12, 7)
    expect(sunday[0]!.date).toEqual({ year: 2026, month: 11, day: 29 })
    // a month starting on the first day of the week starts the page
    expect(monthPage(2026, 2, 7)[0]).toEqual({ date: { year: 2026, month: 2, day: 1 }, inMonth: true })
  })

  it('reads the first day of the week from the locale, Monday when unknown', () => {
    expect(localeFirstDay('de-DE')).toBe(1)
    expect(localeFirstDay('en-US')).toBe(7)
    expect(localeFirstDay('not a locale!')).toBe(1)
  })
})
