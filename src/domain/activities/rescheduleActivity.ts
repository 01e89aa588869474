import { calendarDayOfMs } from './calendarDayOfMs'
import { dayAt, timeOfDay } from './wallClock'

export type Reschedule =
  | { kind: 'hour' }
  | { kind: 'tomorrow' }
  | { kind: 'nextWeek' }
  /** A day picked by the member, `YYYY-MM-DD`. */
  | { kind: 'date'; date: string }

/** The time of day a new activity or one without a due time gets. */
export const DEFAULT_DUE_HOUR = 9

const HOUR_MS = 3_600_000

/**
 * The new due instant (ISO) of an activity moved by the member: +1 h is an hour from now (a
 * reminder that rang is put off, whatever its due said); tomorrow, next week and a date keep the
 * due's time of day on the wall clock of `timeZone` (9:00 without one), so 14:30 stays 14:30
 * across a DST change. Next week is seven days from today.
 */
export function rescheduledDue(move: Reschedule, due: number | null, now: number, timeZone: string): string {
  if (move.kind === 'hour') return new Date(Math.floor(now / 60_000) * 60_000 + HOUR_MS).toISOString()
  const { hour, minute } = due === null ? { hour: DEFAULT_DUE_HOUR, minute: 0 } : timeOfDay(due, timeZone)
  if (move.kind === 'tomorrow') return new Date(dayAt(now, timeZone, 1, hour, minute)).toISOString()
  if (move.kind === 'nextWeek') return new Date(dayAt(now, timeZone, 7, hour, minute)).toISOString()
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(move.date)
  if (!m) throw new RangeError(`not a date: "${move.date}" (YYYY-MM-DD)`)
  const today = calendarDayOfMs(now, timeZone)
  const days = Math.round((Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - Date.UTC(today.year, today.month - 1, today.day)) / 86_400_000)
  return new Date(dayAt(now, timeZone, days, hour, minute)).toISOString()
}
