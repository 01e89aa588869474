import { zoneOffsetMs } from './zonedTimeToUtc'
import type { CalendarDate } from './calendarDate'

/*
 * Days as whole numbers (0 = 1970-01-01), so a report can bucket 100k dates with arithmetic
 * instead of a Date or an Intl call per value.
 */

export const DAY_MS = 86_400_000

/** The day number of a calendar date. */
export function dayNumber(date: CalendarDate): number {
  return Math.floor(Date.UTC(date.year, date.month - 1, date.day) / DAY_MS)
}

/** The day number of `YYYY-MM-DD` (not checked: the caller has a stored date). */
export function dayNumberOfIso(text: string): number {
  return Math.floor(Date.UTC(Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10))) / DAY_MS)
}

/** The calendar date of a day number (H. Hinnant's days_from_civil, reversed). */
export function dateOfDay(dayNo: number): CalendarDate {
  const z = dayNo + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

/** 1 = Monday … 7 = Sunday (day 0 was a Thursday). */
export function weekdayOfDay(dayNo: number): number {
  return ((((dayNo + 3) % 7) + 7) % 7) + 1
}

/** Per zone, each UTC day's offset (NaN: it changes that day); ~30 years of days before a zone's map starts again. */
const offsetsByZone = new Map<string, Map<number, number>>()
const OFFSET_DAYS_MAX = 11_000

/**
 * The day number in `timeZone` of an instant, for many instants: the zone's offset is looked up
 * once per UTC day (two Intl calls) and reused for every instant of that day, except on a day
 * whose offset changes (a DST switch), where each instant is looked up on its own.
 */
export function makeLocalDayOf(timeZone: string): (utcMs: number) => number {
  if (timeZone === 'UTC') return (utcMs) => Math.floor(utcMs / DAY_MS)
  // kept between calls: a dashboard runs its reports again on every edit
  let offsets = offsetsByZone.get(timeZone)
  if (!offsets || offsets.size > OFFSET_DAYS_MAX) {
    offsets = new Map()
    offsetsByZone.set(timeZone, offsets)
  }
  const known = offsets
  return (utcMs) => {
    const utcDay = Math.floor(utcMs / DAY_MS)
    let offset = known.get(utcDay)
    if (offset === undefined) {
      const atStart = zoneOffsetMs(utcDay * DAY_MS, timeZone)
      offset = atStart === zoneOffsetMs(utcDay * DAY_MS + DAY_MS - 1, timeZone) ? atStart : Number.NaN
      known.set(utcDay, offset)
    }
    if (Number.isNaN(offset)) offset = zoneOffsetMs(utcMs, timeZone)
    return Math.floor((utcMs + offset) / DAY_MS)
  }
}
