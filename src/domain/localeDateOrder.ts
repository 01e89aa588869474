import { normalizeSpaces } from './normalizeSpaces'
import type { CalendarDate } from './calendarDate'

export type DatePart = 'year' | 'month' | 'day'

const orders = new Map<string, DatePart[]>()
const dateFormats = new Map<string, Intl.DateTimeFormat>()

/**
 * The locale's numeric date format, always Gregorian with Latin digits: a Thai or Arabic default
 * (Buddhist years, Arabic-Indic digits) would not read back through the parser.
 */
export function localeDateFormat(locale: string): Intl.DateTimeFormat {
  let format = dateFormats.get(locale)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { calendar: 'gregory', numberingSystem: 'latn', timeZone: 'UTC' })
    dateFormats.set(locale, format)
  }
  return format
}

/** Order of day, month and year in the locale's numeric dates: en-US M/D/Y, en-GB and de-DE D/M/Y, ja Y/M/D. */
export function localeDateOrder(locale: string): DatePart[] {
  let order = orders.get(locale)
  if (!order) {
    const parts = localeDateFormat(locale).formatToParts(Date.UTC(2026, 10, 27)).map((p) => p.type)
    order = parts.filter((t): t is DatePart => t === 'year' || t === 'month' || t === 'day')
    if (order.length !== 3) order = ['year', 'month', 'day']
    orders.set(locale, order)
  }
  return order
}

/** A date as the locale writes it numerically: 11/27/2026, 27/11/2026, 27.11.2026. */
export function formatLocaleDate(date: CalendarDate, locale: string): string {
  const utc = new Date(Date.UTC(2000, date.month - 1, date.day))
  utc.setUTCFullYear(date.year)
  return normalizeSpaces(localeDateFormat(locale).format(utc))
}
