/** A wall-clock reading in some time zone. */
export interface LocalDateTime {
  year: number; month: number; day: number
  hour: number; minute: number; second: number; millisecond: number
}

const DAY_MS = 86_400_000
const zoneFormats = new Map<string, Intl.DateTimeFormat>()

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, calendar: 'gregory', numberingSystem: 'latn', hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    })
    zoneFormats.set(timeZone, format)
  }
  return format
}

function utcMsOf(t: LocalDateTime): number {
  const date = new Date(Date.UTC(2000, t.month - 1, t.day, t.hour, t.minute, t.second, t.millisecond))
  date.setUTCFullYear(t.year)
  return date.getTime()
}

/** The wall clock in `timeZone` at an instant. Throws RangeError for an unknown zone, like Intl. */
export function utcToZonedTime(utcMs: number, timeZone: string): LocalDateTime {
  if (timeZone === 'UTC') {
    // no zone to look up: the Date's own fields (formatToParts costs ~20 µs, a 100k-row export's dates add up)
    const d = new Date(utcMs)
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), millisecond: d.getUTCMilliseconds() }
  }
  const parts: Record<string, number> = {}
  for (const p of zoneFormat(timeZone).formatToParts(utcMs)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value)
  }
  return {
    year: parts.year ?? 0, month: parts.month ?? 1, day: parts.day ?? 1,
    hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0,
    millisecond: ((utcMs % 1000) + 1000) % 1000,
  }
}

/** How far `timeZone` is ahead of UTC at an instant, in ms (Berlin in winter: 3 600 000). */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
  return utcMsOf(utcToZonedTime(utcMs, timeZone)) - utcMs
}

/**
 * The instant a wall-clock reading in `timeZone` names, computed with Intl only. Like Temporal's
 * 'compatible' disambiguation: a time that occurs twice (autumn) takes the earlier instant, a time
 * skipped by a DST jump (spring) moves forward by the jump (02:30 → 03:30).
 */
export function zonedTimeToUtc(local: LocalDateTime, timeZone: string): number {
  const asUtc = utcMsOf(local)
  if (timeZone === 'UTC') return asUtc
  const before = zoneOffsetMs(asUtc - DAY_MS, timeZone)
  const after = zoneOffsetMs(asUtc + DAY_MS, timeZone)
  const candidates = [...new Set([before, after])]
    .map((offset) => asUtc - offset)
    .filter((utc) => zoneOffsetMs(utc, timeZone) === asUtc - utc)
  if (candidates.length > 0) return Math.min(...candidates)
  return asUtc - before
}
