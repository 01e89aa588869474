import { parsePhoneNumberFromString } from 'libphonenumber-js'
import { parseIsoDate } from './calendarDate'
import { countryName } from './countryName'
import { formatPhone } from './normalizePhone'
import { normalizeSpaces } from './normalizeSpaces'
import { parseFieldInput, type ParseContext } from './parseFieldInput'
import { safeLocale } from './safeLocale'
import type { FieldDef } from './schema'

/** What an editor shows under the text being typed: how it will be stored, or why it will not. */
export type InputReading = { ok: true; text: string } | { ok: false; error: string }

const TYPES_WITH_READING = new Set<FieldDef['type']>(['date', 'dateTime', 'phone'])
const formats = new Map<string, Intl.DateTimeFormat>()

function dateFormat(locale: string, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withTime}`
  let format = formats.get(key)
  if (!format) {
    // Month as a word and the weekday: 3 Dec and 12 Mar cannot be mistaken for each other.
    format = new Intl.DateTimeFormat(locale, {
      calendar: 'gregory', numberingSystem: 'latn', timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
      ...(withTime ? { hour: 'numeric', minute: '2-digit' } : {}),
    })
    formats.set(key, format)
  }
  return format
}

/**
 * How a date, date-time or phone being typed reads ("Thu, Dec 3, 2026, 3:00 PM",
 * "+49 30 1234567 · Germany"), so a misreading shows before Enter; undefined for other types
 * and for empty text.
 */
export function inputReading(field: FieldDef, input: string, ctx: ParseContext): InputReading | undefined {
  if (!TYPES_WITH_READING.has(field.type) || input.trim() === '') return undefined
  const parsed = parseFieldInput(field, input, ctx)
  if (!parsed.ok) return { ok: false, error: parsed.error }
  if (typeof parsed.value !== 'string') return undefined
  const locale = safeLocale(ctx.locale)
  if (field.type === 'date') {
    const date = parseIsoDate(parsed.value)
    return date && { ok: true, text: normalizeSpaces(dateFormat(locale, 'UTC', false).format(Date.UTC(date.year, date.month - 1, date.day))) }
  }
  if (field.type === 'dateTime') {
    return { ok: true, text: normalizeSpaces(dateFormat(locale, ctx.timeZone ?? 'UTC', true).format(Date.parse(parsed.value))) }
  }
  const country = parsePhoneNumberFromString(parsed.value.replace(/ ext\. \d+$/, ''))?.country
  const phone = formatPhone(parsed.value)
  return { ok: true, text: country ? `${phone} · ${countryName(country)}` : phone }
}
