import { isRealDate, MAX_YEAR, MIN_YEAR, type CalendarDate } from './calendarDate'
import { localeDateOrder, type DatePart } from './localeDateOrder'
import { normalizeSpaces } from './normalizeSpaces'

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/
// An ISO timestamp pasted into a date column: the date as written is what was meant.
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i
// Three digit groups with one separator, '/', '.' or '-' (ko-KR writes "2026. 11. 27."), optional trailing dot.
const NUMERIC = /^(\d{1,4}) ?([./-]) ?(\d{1,4}) ?\2 ?(\d{1,4})\.?$/

export const YEAR_MONTH_DAY: DatePart[] = ['year', 'month', 'day']
const DAY_MONTH_YEAR: DatePart[] = ['day', 'month', 'year']

/**
 * How a numeric date was read: the parts' order, the separator, and what decided the order (a
 * leading four-digit year, dots, or the locale).
 */
export interface DateOrder { order: DatePart[]; separator: string; by: 'leadingYear' | 'dots' | 'locale' }

/** A date text read as a calendar day, or why not (the order it was read in, where one applied). */
export type DateReading =
  | { ok: true; date: CalendarDate }
  | { ok: false; reason: 'notDate' }
  | { ok: false; reason: 'misplacedYear'; read: DateOrder }
  | { ok: false; reason: 'noSuchMonth'; month: number; read: DateOrder }
  | { ok: false; reason: 'noSuchDay'; date: CalendarDate; read?: DateOrder }
  | { ok: false; reason: 'yearOutOfRange'; year: number }

/**
 * Which order a numeric date is in. A leading four-digit year is year-month-day everywhere; a
 * date with dots is day.month.year (no locale writes month.day.year with dots, and en-US people
 * type German or French dates that way); slashes and dashes follow the locale (11/27/2026 en-US,
 * 27/11/2026 en-GB, 2026/11/27 ja-JP).
 */
function orderOf(first: string, separator: string, locale: string): DateOrder {
  if (first.length === 4) return { order: YEAR_MONTH_DAY, separator, by: 'leadingYear' }
  if (separator === '.') return { order: DAY_MONTH_YEAR, separator, by: 'dots' }
  return { order: localeDateOrder(locale), separator, by: 'locale' }
}

/**
 * `2026-11-27`, `27.11.2026`, or the locale's numeric order with slashes or dashes; two-digit
 * years are 20xx. A text that is not a real calendar day says why.
 */
export function parseDateText(input: string, locale: string): DateReading {
  const text = normalizeSpaces(input)
  const iso = ISO.exec(text) ?? ISO_TIMESTAMP.exec(text)
  if (iso) return checkDate({ year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) })
  const m = NUMERIC.exec(text)
  if (!m) return { ok: false, reason: 'notDate' }
  const groups = [m[1] ?? '', m[3] ?? '', m[4] ?? '']
  const separator = m[2] ?? '/'
  const read = orderOf(groups[0] ?? '', separator, locale)
  const pick = (part: DatePart) => groups[read.order.indexOf(part)] ?? ''
  const year = pick('year')
  if ((year.length !== 2 && year.length !== 4) || pick('month').length > 2 || pick('day').length > 2) {
    return { ok: false, reason: 'misplacedYear', read }
  }
  const month = Number(pick('month'))
  if (month < 1 || month > 12) return { ok: false, reason: 'noSuchMonth', month, read }
  return checkDate({ year: Number(year) + (year.length === 2 ? 2000 : 0), month, day: Number(pick('day')) }, read)
}

function checkDate(date: CalendarDate, read?: DateOrder): DateReading {
  if (isRealDate(date)) return { ok: true, date }
  if (date.year < MIN_YEAR || date.year > MAX_YEAR) return { ok: false, reason: 'yearOutOfRange', year: date.year }
  if (date.month < 1 || date.month > 12) return { ok: false, reason: 'noSuchMonth', month: date.month, read: read ?? { order: YEAR_MONTH_DAY, separator: '-', by: 'leadingYear' } }
  return { ok: false, reason: 'noSuchDay', date, read }
}

/** `day.month.year`, `month/day/year`: the order a date was read in, for messages. */
export function describeDateOrder({ order, separator }: DateOrder): string {
  return order.join(separator)
}
