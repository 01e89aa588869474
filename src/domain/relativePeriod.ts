import { instantMs } from './instantMs'
import { addMonths } from './calendarMonth'
import { toIsoDate } from './calendarDate'
import { dateOfDay, dayNumber, makeLocalDayOf, weekdayOfDay } from './localDays'
import { zonedTimeToUtc } from './zonedTimeToUtc'

/**
 * Periods named relative to today ("this month", "last quarter", "last 30 days"), read in the
 * workspace's time zone: a saved filter or report keeps the name, so it shows this month's
 * records next month too. `past` and `future` are open-ended: before / after now (an overdue
 * activity is due in the past). Besides these names, `last<N>Days` (the N days ending today) and
 * `next<N>Days` (the N days starting today), N from 1 to DAYS_MAX.
 */
export const RELATIVE_PERIODS = [
  'today', 'yesterday', 'tomorrow', 'thisWeek', 'lastWeek', 'nextWeek', 'thisMonth', 'lastMonth', 'nextMonth',
  'thisQuarter', 'lastQuarter', 'nextQuarter', 'thisYear', 'lastYear', 'nextYear',
  'last7Days', 'last30Days', 'last90Days', 'next7Days', 'next30Days', 'next90Days', 'last12Months', 'past', 'future',
] as const
export type NamedPeriod = (typeof RELATIVE_PERIODS)[number]
export type RelativePeriod = NamedPeriod | `last${number}Days` | `next${number}Days`

/** The longest "last/next N days": ten years. */
export const DAYS_MAX = 3660
const N_DAYS = /^(last|next)([1-9][0-9]{0,3})Days$/

/** `last<N>Days` / `next<N>Days` as its direction and N; null for anything else. */
export function nDaysOf(value: unknown): { direction: 'last' | 'next'; days: number } | null {
  if (typeof value !== 'string') return null
  const m = N_DAYS.exec(value)
  if (!m || Number(m[2]) > DAYS_MAX) return null
  return { direction: m[1] as 'last' | 'next', days: Number(m[2]) }
}

export function isRelativePeriod(value: unknown): value is RelativePeriod {
  return (RELATIVE_PERIODS as readonly unknown[]).includes(value) || nDaysOf(value) !== null
}

/** Where "now" is: the instant, the time zone its days are read in, and the first day of a week (1 = Monday … 7 = Sunday). */
export interface PeriodClock { now: Date; timeZone: string; weekStart?: number }

/**
 * A span of whole days (day numbers, both inclusive), and how it steps back to the period before:
 * by `months` whole months (calendar periods), else by its length in days. `past`/`future` are
 * open spans bounded by now itself (`beforeMs` / `afterMs`).
 */
export interface DaySpan {
  from: number
  to: number
  months?: number
  /** Open spans: the instant now, which `past` ends before and `future` starts after. */
  beforeMs?: number
  afterMs?: number
}

/** The days a relative period covers at `clock`. */
export function resolvePeriod(period: RelativePeriod, clock: PeriodClock): DaySpan {
  const today = makeLocalDayOf(clock.timeZone)(clock.now.getTime())
  const date = dateOfDay(today)
  const month = (back: number, length: number): DaySpan => {
    const first = addMonths({ year: date.year, month: date.month, day: 1 }, -back)
    return { from: dayNumber(first), to: dayNumber(addMonths(first, length)) - 1, months: length }
  }
  const quarterBack = (date.month - 1) % 3
  const nDays = nDaysOf(period)
  if (nDays) return nDays.direction === 'last' ? { from: today - nDays.days + 1, to: today } : { from: today, to: today + nDays.days - 1 }
  switch (period as NamedPeriod) {
    case 'today': return { from: today, to: today }
    case 'yesterday': return { from: today - 1, to: today - 1 }
    case 'tomorrow': return { from: today + 1, to: today + 1 }
    case 'thisWeek': case 'lastWeek': case 'nextWeek': {
      const start = today - ((weekdayOfDay(today) - (clock.weekStart ?? 1) + 7) % 7) + (period === 'lastWeek' ? -7 : period === 'nextWeek' ? 7 : 0)
      return { from: start, to: start + 6 }
    }
    case 'thisMonth': return month(0, 1)
    case 'lastMonth': return month(1, 1)
    case 'nextMonth': return month(-1, 1)
    case 'thisQuarter': return month(quarterBack, 3)
    case 'lastQuarter': return month(quarterBack + 3, 3)
    case 'nextQuarter': return month(quarterBack - 3, 3)
    case 'thisYear': return month(date.month - 1, 12)
    case 'lastYear': return month(date.month - 1 + 12, 12)
    case 'nextYear': return month(date.month - 1 - 12, 12)
    case 'last12Months': return month(11, 12)
    case 'past': return { from: -Infinity, to: Infinity, beforeMs: clock.now.getTime() }
    case 'future': return { from: -Infinity, to: Infinity, afterMs: clock.now.getTime() }
    // the N-days forms (last7Days, next30Days, …) were resolved above
    default: throw new RelativePeriodError(`"${period}" is not a relative period`)
  }
}

export class RelativePeriodError extends Error {}

/** The span of `YYYY-MM-DD` dates, both inclusive; an open side stays open. */
export function spanOfDates(from: string | undefined, to: string | undefined): DaySpan {
  const day = (text: string | undefined, open: number) => (text === undefined ? open : dayNumber({ year: +text.slice(0, 4), month: +text.slice(5, 7), day: +text.slice(8, 10) }))
  return { from: day(from, -Infinity), to: day(to, Infinity) }
}

/** The period just before (last month for this month, the 30 days before for the last 30); null for an open span. */
export function previousSpan(span: DaySpan): DaySpan | null {
  if (!Number.isFinite(span.from) || !Number.isFinite(span.to)) return null
  if (span.months) {
    const first = addMonths(dateOfDay(span.from), -span.months)
    return { from: dayNumber(first), to: dayNumber(addMonths(first, span.months)) - 1, months: span.months }
  }
  const length = span.to - span.from + 1
  return { from: span.from - length, to: span.to - length }
}

/** The span as `YYYY-MM-DD` bounds (null where open), as a report states the period it covered. */
export function spanDates(span: DaySpan): { from: string | null; to: string | null } {
  return {
    from: Number.isFinite(span.from) ? toIsoDate(dateOfDay(span.from)) : null,
    to: Number.isFinite(span.to) ? toIsoDate(dateOfDay(span.to)) : null,
  }
}

/** The instants a span covers in `timeZone`: [startMs, endMs), from the first day's midnight to the midnight after the last. */
export function spanInstants(span: DaySpan, timeZone: string): { startMs: number; endMs: number } {
  const midnight = (dayNo: number) => {
    const d = dateOfDay(dayNo)
    return zonedTimeToUtc({ ...d, hour: 0, minute: 0, second: 0, millisecond: 0 }, timeZone)
  }
  return {
    startMs: Number.isFinite(span.from) ? midnight(span.from) : span.afterMs !== undefined ? span.afterMs + 1 : -Infinity,
    endMs: Number.isFinite(span.to) ? midnight(span.to + 1) : span.beforeMs ?? Infinity,
  }
}

/**
 * A test of a cell against a span: a date (`YYYY-MM-DD`) by its day, a date-time (ISO instant) by
 * its instant in `timeZone`. `past`/`future` compare a date with today.
 */
export function spanTest(type: 'date' | 'dateTime', span: DaySpan, clock: PeriodClock): (cell: unknown) => boolean {
  if (type === 'dateTime') {
    const { startMs, endMs } = spanInstants(span, clock.timeZone)
    return (cell) => {
      if (typeof cell !== 'string') return false
      const at = instantMs(cell)
      return at >= startMs && at < endMs
    }
  }
  const today = span.beforeMs !== undefined || span.afterMs !== undefined ? makeLocalDayOf(clock.timeZone)(clock.now.getTime()) : 0
  const lo = span.afterMs !== undefined ? toIsoDate(dateOfDay(today + 1)) : Number.isFinite(span.from) ? toIsoDate(dateOfDay(span.from)) : ''
  const hi = span.beforeMs !== undefined ? toIsoDate(dateOfDay(today - 1)) : Number.isFinite(span.to) ? toIsoDate(dateOfDay(span.to)) : '\uffff'
  return (cell) => typeof cell === 'string' && cell !== '' && cell >= lo && cell <= hi
}
