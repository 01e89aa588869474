import { isRealDate, type CalendarDate } from './calendarDate'
import { localeDateOrder } from './localeDateOrder'
import { normalizeSpaces } from './normalizeSpaces'

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/
// An ISO timestamp pasted into a date column: the date as written is what was meant.
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i
// Three digit groups with '/', '.' or '-' (ko-KR writes "2026. 11. 27."), optional trailing dot.
const NUMERIC = /^(\d{1,4}) ?[./-] ?(\d{1,2}) ?[./-] ?(\d{1,4})\.?$/

/**
 * `2026-11-27`, or the locale's numeric order (`11/27/2026` en-US, `27.11.2026` de-DE); a leading
 * four-digit group is always year-month-day, two-digit years are 20xx. Undefined unless it is a
 * real calendar day.
 */
export function parseDateText(input: string, locale: string): CalendarDate | undefined {
  const text = normalizeSpaces(input)
  const iso = ISO.exec(text) ?? ISO_TIMESTAMP.exec(text)
  let date: CalendarDate | undefined
  if (iso) {
    date = { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) }
  } else {
    const m = NUMERIC.exec(text)
    if (!m) return undefined
    const groups = [m[1] ?? '', m[2] ?? '', m[3] ?? '']
    const order: string[] = (m[1] ?? '').length === 4 ? ['year', 'month', 'day'] : localeDateOrder(locale)
    const pick = (part: string) => groups[order.indexOf(part)] ?? ''
    const year = pick('year')
    if (year.length !== 2 && year.length !== 4) return undefined
    if (pick('month').length > 2 || pick('day').length > 2) return undefined
    date = { year: Number(year) + (year.length === 2 ? 2000 : 0), month: Number(pick('month')), day: Number(pick('day')) }
  }
  return isRealDate(date) ? date : undefined
}
