import { instantMs } from '../instantMs'
import { dateOfDay, dayNumberOfIso, makeLocalDayOf } from '../localDays'
import { toIsoDate } from '../calendarDate'
import type { DateBucket } from './reportDefinition'

/**
 * Date buckets as whole numbers (a day number, weeks, months since year 0, …), so grouping 100k
 * dates compares numbers and a bucket's key (`2026-03-05`, `2026-W` as the week's first day,
 * `2026-03`, `2026-Q1`, `2026`) is written once per group. Date-times fall in the day they have
 * in the workspace's time zone; dates (`YYYY-MM-DD`) are days already.
 */
export interface DateBuckets {
  /** A cell's bucket; null when it holds no date. */
  indexOf(cell: unknown): number | null
  /** The bucket of a day number. */
  ofDay(dayNo: number): number
  keyOf(index: number): string
}

export function makeDateBuckets(type: 'date' | 'dateTime', bucket: DateBucket, timeZone: string, weekStart = 1): DateBuckets {
  // a day number whose weekday is weekStart (day 0 was a Thursday, 4)
  const weekBase = (weekStart - 4 + 7) % 7
  const ofDay = (day: number): number => {
    switch (bucket) {
      case 'day': return day
      case 'week': return Math.floor((day - weekBase) / 7)
      case 'month': { const d = dateOfDay(day); return d.year * 12 + d.month - 1 }
      case 'quarter': { const d = dateOfDay(day); return d.year * 4 + Math.floor((d.month - 1) / 3) }
      case 'year': return dateOfDay(day).year
    }
  }
  const localDay = makeLocalDayOf(timeZone)
  // a date field holds a few hundred distinct days: each is worked out once
  const dates = new Map<string, number>()
  const indexOf = type === 'date'
    ? (cell: unknown) => {
      if (typeof cell !== 'string' || cell.length !== 10) return null
      let index = dates.get(cell)
      if (index === undefined) {
        index = ofDay(dayNumberOfIso(cell))
        dates.set(cell, index)
      }
      return index
    }
    : (cell: unknown) => {
      if (typeof cell !== 'string') return null
      const at = instantMs(cell)
      return Number.isNaN(at) ? null : ofDay(localDay(at))
    }
  const pad = (n: number, width: number) => String(n).padStart(width, '0')
  const keyOf = (i: number): string => {
    switch (bucket) {
      case 'day': return toIsoDate(dateOfDay(i))
      case 'week': return toIsoDate(dateOfDay(i * 7 + weekBase))
      case 'month': { const y = Math.floor(i / 12); return `${pad(y, 4)}-${pad(i - y * 12 + 1, 2)}` }
      case 'quarter': { const y = Math.floor(i / 4); return `${pad(y, 4)}-Q${i - y * 4 + 1}` }
      case 'year': return pad(i, 4)
    }
  }
  return { indexOf, ofDay, keyOf }
}
