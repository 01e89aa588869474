import { utcToZonedTime, zonedTimeToUtc } from '../zonedTimeToUtc'

/*
 * Calendar arithmetic in a member's time zone: days are added on the wall clock, so "tomorrow
 * 9:00" stays 9:00 across a DST change and a DST day has 23 or 25 hours.
 */

/** The instant `days` calendar days after `utcMs`'s day in `timeZone`, at hour:minute on the wall clock. */
export function dayAt(utcMs: number, timeZone: string, days: number, hour: number, minute: number): number {
  const t = utcToZonedTime(utcMs, timeZone)
  const day = new Date(Date.UTC(t.year, t.month - 1, t.day + days))
  return zonedTimeToUtc({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour, minute, second: 0, millisecond: 0 }, timeZone)
}

/** The start (local midnight) of the day `days` after `utcMs`'s day in `timeZone`. */
export function startOfDay(utcMs: number, timeZone: string, days = 0): number {
  return dayAt(utcMs, timeZone, days, 0, 0)
}

/** The wall-clock hour and minute of an instant in `timeZone`. */
export function timeOfDay(utcMs: number, timeZone: string): { hour: number; minute: number } {
  const t = utcToZonedTime(utcMs, timeZone)
  return { hour: t.hour, minute: t.minute }
}
