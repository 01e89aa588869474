import type { CalendarDate } from '../calendarDate'
import { utcToZonedTime } from '../zonedTimeToUtc'

/** The calendar day an instant falls on in `timeZone`. */
export function calendarDayOfMs(utcMs: number, timeZone: string): CalendarDate {
  const t = utcToZonedTime(utcMs, timeZone)
  return { year: t.year, month: t.month, day: t.day }
}
