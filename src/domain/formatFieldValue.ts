import { currencyDigits, minorUnitsToDecimal } from './currencyDigits'
import { parseIsoDate, toIsoDate } from './calendarDate'
import { formatLocaleDate } from './localeDateOrder'
import { normalizeSpaces } from './normalizeSpaces'
import { formatPhone } from './normalizePhone'
import { localeDecimalSeparator } from './parseDecimalText'
import { parseFieldInput, type ParseContext } from './parseFieldInput'
import { safeLocale } from './safeLocale'
import { utcToZonedTime } from './zonedTimeToUtc'
import type { FieldDef, FieldValue, Money } from './schema'
import { choiceLabelOf } from './pipelines/stageChoices'

const numberFormats = new Map<string, Intl.NumberFormat>()
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>()

function numberFormat(locale: string, currency?: string): Intl.NumberFormat {
  const key = `${locale}|${currency ?? ''}`
  let format = numberFormats.get(key)
  if (!format) {
    format = currency
      ? new Intl.NumberFormat(locale, { style: 'currency', currency, numberingSystem: 'latn' })
      : new Intl.NumberFormat(locale, { maximumFractionDigits: 20, numberingSystem: 'latn' })
    numberFormats.set(key, format)
  }
  return format
}

function dateTimeFormat(locale: string, timeZone: string, withSeconds: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withSeconds}`
  let format = dateTimeFormats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      calendar: 'gregory', numberingSystem: 'latn', timeZone,
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit',
      ...(withSeconds ? { second: '2-digit' } : {}),
    })
    dateTimeFormats.set(key, format)
  }
  return format
}

function isMoney(value: FieldValue): value is Money {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && Number.isSafeInteger(value.amount) && typeof value.currency === 'string' && /^[A-Z]{3}$/.test(value.currency)
}

function formatMoney(money: Money, locale: string): string {
  const decimal = minorUnitsToDecimal(money.amount, currencyDigits(money.currency)) as `${number}`
  return normalizeSpaces(numberFormat(locale, money.currency).format(decimal))
}

/**
 * Text for a value stored under a different field type (the type was changed after the fact):
 * shown as is rather than hidden, so nothing seems lost.
 */
function plainText(value: FieldValue, locale: string): string {
  if (value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number') return numberFormat(locale).format(value)
  if (typeof value === 'boolean') return value ? '✓' : ''
  if (Array.isArray(value)) return value.join(', ')
  return isMoney(value) ? formatMoney(value, locale) : ''
}

/** Stored value → display text for the grid/exports. */
export function formatFieldValue(field: FieldDef, value: FieldValue | undefined, ctx: ParseContext): string {
  if (value === null || value === undefined) return ''
  const locale = safeLocale(ctx.locale)
  switch (field.type) {
    case 'number':
      return typeof value === 'number' ? normalizeSpaces(numberFormat(locale).format(value)) : plainText(value, locale)
    case 'money':
      return isMoney(value) ? formatMoney(value, locale) : plainText(value, locale)
    case 'date': {
      const date = typeof value === 'string' ? parseIsoDate(value) : undefined
      return date ? formatLocaleDate(date, locale) : plainText(value, locale)
    }
    case 'dateTime': {
      const ms = typeof value === 'string' ? Date.parse(value) : NaN
      if (Number.isNaN(ms)) return plainText(value, locale)
      return normalizeSpaces(dateTimeFormat(locale, ctx.timeZone ?? 'UTC', false).format(ms))
    }
    case 'checkbox':
      return value === true ? '✓' : typeof value === 'boolean' ? '' : plainText(value, locale)
    case 'phone':
      return typeof value === 'string' ? formatPhone(value, ctx.defaultCountry) : plainText(value, locale)
    case 'member': {
      const member = typeof value === 'string' ? ctx.members?.find((m) => m.id === value) : undefined
      return member ? member.name : plainText(value, locale)
    }
    case 'select':
      // a pipeline or a stage shows its name, not the stored id
      return field.choices && typeof value === 'string' ? choiceLabelOf(field, value) : plainText(value, locale)
    default:
      return plainText(value, locale)
  }
}

/** JSON equality for stored values (plain JSON, money keys in a fixed order). */
function sameValue(a: FieldValue, b: FieldValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** Stored value → the text an editor should start with (round-trips through parseFieldInput). */
export function editTextFor(field: FieldDef, value: FieldValue | undefined, ctx: ParseContext): string {
  if (value === null || value === undefined) return ''
  const candidates = editCandidates(field, value, { ...ctx, locale: safeLocale(ctx.locale) })
  // The friendliest text that reads back to the same value; values that cannot round-trip (an
  // option since removed, a text with outer spaces) still show their closest text.
  return candidates.find((text) => {
    const parsed = parseFieldInput(field, text, ctx)
    return parsed.ok && sameValue(parsed.value, value)
  }) ?? candidates[0] ?? ''
}

function editCandidates(field: FieldDef, value: FieldValue, ctx: ParseContext): string[] {
  const { locale } = ctx
  switch (field.type) {
    case 'select':
      if (field.choices && typeof value === 'string') return [choiceLabelOf(field, value), value]
      break
    case 'number': {
      if (typeof value !== 'number') break
      // String() is the shortest text that reads back to the same double; only the mark is local.
      const text = String(value)
      return [text.replace('.', localeDecimalSeparator(locale)), text]
    }
    case 'money': {
      if (!isMoney(value)) break
      const decimal = minorUnitsToDecimal(value.amount, currencyDigits(value.currency))
      const local = decimal.replace('.', localeDecimalSeparator(locale))
      const suffix = value.currency === (field.currency ?? 'EUR') ? '' : ` ${value.currency}`
      return [`${local}${suffix}`, `${local} ${value.currency}`, `${decimal} ${value.currency}`]
    }
    case 'date': {
      const date = typeof value === 'string' ? parseIsoDate(value) : undefined
      if (!date) break
      return [formatLocaleDate(date, locale), toIsoDate(date)]
    }
    case 'dateTime':
      return typeof value === 'string' ? dateTimeCandidates(value, locale, ctx.timeZone ?? 'UTC') : []
    case 'checkbox': {
      if (typeof value !== 'boolean') break
      const german = /^de\b/i.test(locale)
      return [value ? (german ? 'ja' : 'yes') : (german ? 'nein' : 'no')]
    }
    case 'phone':
      return typeof value === 'string' ? [formatPhone(value, ctx.defaultCountry), value] : []
    case 'member': {
      if (typeof value !== 'string') break
      const member = ctx.members?.find((m) => m.id === value)
      return member ? [member.name, value] : [value]
    }
    default:
      break
  }
  return [plainText(value, locale)]
}

function dateTimeCandidates(value: string, locale: string, timeZone: string): string[] {
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) return [value]
  const { date, localeTime, clock } = dateTimeParts(ms, locale, timeZone)
  // Around a DST change a wall-clock time can name two instants; the UTC text is then exact.
  return [`${date} ${localeTime}`, `${date} ${clock}`, new Date(ms).toISOString()]
}

/**
 * An instant as the local date and the locale's time, seconds shown when not zero
 * (`11/27/2026 2:05:30 PM`): what the parsers read back to the same second, so exports use it.
 */
export function dateTimeText(ms: number, locale: string, timeZone: string): string {
  const { date, localeTime } = dateTimeParts(ms, safeLocale(locale), timeZone)
  return `${date} ${localeTime}`
}

function dateTimeParts(ms: number, locale: string, timeZone: string): { date: string; localeTime: string; clock: string } {
  const local = utcToZonedTime(ms, timeZone)
  const withSeconds = local.second !== 0
  const timeParts = dateTimeFormat(locale, timeZone, withSeconds).formatToParts(ms)
  const from = timeParts.findIndex((p) => p.type === 'hour')
  const pad = (n: number) => String(n).padStart(2, '0')
  return {
    date: formatLocaleDate(local, locale),
    localeTime: normalizeSpaces(timeParts.slice(from).map((p) => p.value).join('')),
    clock: `${pad(local.hour)}:${pad(local.minute)}${withSeconds ? `:${pad(local.second)}` : ''}`,
  }
}
