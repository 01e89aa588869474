import { isRealDate } from './calendarDate'
import { normalizeSpaces } from './normalizeSpaces'
import { parseDateText, type DateReading } from './parseDateText'
import { zonedTimeToUtc, type LocalDateTime } from './zonedTimeToUtc'

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)? ?(Z|[+-]\d{2}(?::?\d{2})?)?$/i
// Date, then time after a space, ", " or "T": `27.11.2026 14:05`, `11/27/2026, 2:05 PM`.
const DATE_THEN_TIME = /^(.+?)(?:,? |T)(\d{1,2}(?::\d{2}){0,2}(?:[.,]\d{1,9})? ?(?:[ap]\.? ?m\.?)?)$/i
const TIME = /^(\d{1,2})(?::(\d{2}))?(?::(\d{2})(?:[.,](\d{1,9}))?)? ?(?:([ap])\.? ?m\.?)?$/i

interface TimeOfDay { hour: number; minute: number; second: number; millisecond: number }

/** `14:05`, `14:05:30.250`, `2:05 PM`, `2 pm`, `12:30 a.m.`; hours alone only with am/pm. */
export function parseTimeText(text: string): TimeOfDay | undefined {
  const m = TIME.exec(text)
  if (!m) return undefined
  const [, h = '', min, sec, frac, period] = m
  if (min === undefined && !period) return undefined
  let hour = Number(h)
  const minute = Number(min ?? 0)
  const second = Number(sec ?? 0)
  if (period) {
    if (hour < 1 || hour > 12) return undefined
    hour = (hour % 12) + (period.toLowerCase() === 'p' ? 12 : 0)
  }
  if (hour > 23 || minute > 59 || second > 59) return undefined
  return { hour, minute, second, millisecond: Number((frac ?? '').slice(0, 3).padEnd(3, '0')) }
}

/** `Z`, `+02:00`, `+0200`, `-05` → minutes east of UTC. */
function offsetMinutes(zone: string): number | undefined {
  if (zone.toUpperCase() === 'Z') return 0
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)
  if (!m) return undefined
  const hours = Number(m[2])
  const minutes = Number(m[3] ?? 0)
  if (hours > 23 || minutes > 59) return undefined
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes)
}

/** A date-time text read as an instant (epoch ms), or why not: the date's reason, or the time's. */
export type DateTimeReading =
  | { ok: true; ms: number; hasTime: boolean }
  | Exclude<DateReading, { ok: true }>
  | { ok: false; reason: 'noSuchTime'; time: string }
  | { ok: false; reason: 'badOffset' }

/**
 * Date and time → epoch ms. ISO with `Z` or an offset is an instant; a time without offset, or a
 * date alone (midnight), is wall-clock time in `timeZone`. The date part follows parseDateText's
 * rules (dots are day.month.year); a text that is not a real moment says why.
 */
export function parseDateTimeText(input: string, locale: string, timeZone: string): DateTimeReading {
  const text = normalizeSpaces(input)
  const iso = ISO.exec(text)
  if (iso) {
    const [, y, mo, d, h, mi, s, frac, zone] = iso
    const local: LocalDateTime = {
      year: Number(y), month: Number(mo), day: Number(d), hour: Number(h), minute: Number(mi),
      second: Number(s ?? 0), millisecond: Number((frac ?? '').slice(0, 3).padEnd(3, '0')),
    }
    const date = parseDateText(`${y}-${mo}-${d}`, locale)
    if (!date.ok) return date
    if (!isRealDate(local) || local.hour > 23 || local.minute > 59 || local.second > 59) {
      return { ok: false, reason: 'noSuchTime', time: `${h}:${mi}${s === undefined ? '' : `:${s}`}` }
    }
    if (zone === undefined) return { ok: true, ms: zonedTimeToUtc(local, timeZone), hasTime: true }
    const offset = offsetMinutes(zone)
    if (offset === undefined) return { ok: false, reason: 'badOffset' }
    return { ok: true, ms: zonedTimeToUtc(local, 'UTC') - offset * 60_000, hasTime: true }
  }
  const dateOnly = parseDateText(text, locale)
  if (dateOnly.ok) {
    return { ok: true, ms: zonedTimeToUtc({ ...dateOnly.date, hour: 0, minute: 0, second: 0, millisecond: 0 }, timeZone), hasTime: false }
  }
  const split = DATE_THEN_TIME.exec(text)
  if (!split) return dateOnly
  const date = parseDateText(split[1] ?? '', locale)
  if (!date.ok) return date
  const time = parseTimeText(split[2] ?? '')
  if (!time) return { ok: false, reason: 'noSuchTime', time: split[2] ?? '' }
  return { ok: true, ms: zonedTimeToUtc({ ...date.date, ...time }, timeZone), hasTime: true }
}
