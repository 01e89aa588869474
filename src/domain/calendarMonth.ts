import type { CalendarDate } from './calendarDate'
import { isRealDate } from './calendarDate'

/** A day of a month's calendar page; days of the months around it fill the first and last week. */
export interface CalendarDay { date: CalendarDate; inMonth: boolean }

const DAY_MS = 86_400_000

function toUtcMs({ year, month, day }: CalendarDate): number {
  const d = new Date(0)
  d.setUTCFullYear(year, month - 1, day)
  return d.getTime()
}

function fromUtcMs(ms: number): CalendarDate {
  const d = new Date(ms)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromUtcMs(toUtcMs(date) + days * DAY_MS)
}

/** The same day `months` later; a day the month lacks becomes its last (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const index = date.year * 12 + (date.month - 1) + months
  const year = Math.floor(index / 12)
  const month = index - year * 12 + 1
  let day = date.day
  while (day > 28 && !isRealDate({ year, month, day })) day--
  return { year, month, day }
}

/** 1 = Monday … 7 = Sunday, as Intl's week info counts. */
export function weekdayOf(date: CalendarDate): number {
  const sundayFirst = new Date(toUtcMs(date)).getUTCDay()
  return sundayFirst === 0 ? 7 : sundayFirst
}

/**
 * A month's page: whole weeks starting on `firstDay` (1 = Monday … 7 = Sunday), always six of
 * them so the page keeps its height from month to month.
 */
export function monthPage(year: number, month: number, firstDay: number): CalendarDay[] {
  const first = { year, month, day: 1 }
  const lead = (weekdayOf(first) - firstDay + 7) % 7
  const start = addDays(first, -lead)
  return Array.from({ length: 42 }, (_, i) => {
    const date = addDays(start, i)
    return { date, inMonth: date.month === month && date.year === year }
  })
}

export function sameDay(a: CalendarDate, b: CalendarDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day
}

/**
 * The first day of the week where `locale` lives (en-US: Sunday, de-DE: Monday), from Intl's
 * week info; Monday (ISO 8601) when the platform does not know it.
 */
export function localeFirstDay(locale: string): number {
  try {
    const loc = new Intl.Locale(locale) as Intl.Locale & { getWeekInfo?: () => { firstDay: number }; weekInfo?: { firstDay: number } }
    const info = loc.getWeekInfo?.() ?? loc.weekInfo
    const day = info?.firstDay
    return typeof day === 'number' && day >= 1 && day <= 7 ? day : 1
  } catch (error) {
    if (error instanceof RangeError) return 1 // a malformed locale tag: ISO weeks
    throw error
  }
}
