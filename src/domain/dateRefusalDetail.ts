import { MAX_YEAR, MIN_YEAR } from './calendarDate'
import type { DateOrder } from './parseDateText'
import type { DateTimeReading } from './parseDateTimeText'

const SEPARATOR_NAMES: Record<string, string> = { '/': 'slashes', '-': 'dashes', '.': 'dots' }
const monthNames = new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' })

/** Why a numeric date was read in the order it was: the part of a refusal that explains a misreading. */
function readAs(read: DateOrder, locale: string): string {
  const order = read.order.join(read.separator)
  if (read.by === 'leadingYear') return `a date starting with a four-digit year is read as ${order}`
  if (read.by === 'dots') return `a date with dots is read as ${order}`
  return `a date with ${SEPARATOR_NAMES[read.separator] ?? read.separator} is read as ${order} in ${locale}`
}

/**
 * Why a date or date-time text is not a real moment, in words ("February 2026 has 28 days"), or
 * undefined when it does not look like a date at all (the examples say enough then).
 */
export function dateRefusalDetail(reading: Exclude<DateTimeReading, { ok: true }>, locale: string): string | undefined {
  switch (reading.reason) {
    case 'notDate': return undefined
    case 'misplacedYear': return `${readAs(reading.read, locale)}, so the year is in the wrong place`
    case 'noSuchMonth': return `${readAs(reading.read, locale)}, and there is no month ${reading.month}`
    case 'noSuchDay': {
      const { year, month } = reading.date
      const days = new Date(Date.UTC(year, month, 0)).getUTCDate()
      return `${monthNames.format(Date.UTC(year, month - 1, 1))} ${year} has ${days} days`
    }
    case 'yearOutOfRange': return `the year must be between ${MIN_YEAR} and ${MAX_YEAR}`
    case 'noSuchTime': return `"${reading.time}" is not a time of day`
    case 'badOffset': return 'the time zone offset is not valid (use Z or +01:00)'
  }
}
