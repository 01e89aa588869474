import { toIsoDate } from './calendarDate'
import { countryName } from './countryName'
import { dateRefusalDetail } from './dateRefusalDetail'
import { emptyValue, fieldError, listForMessage, quoted } from './fieldError'
import { formatLocaleDate } from './localeDateOrder'
import { matchMember } from './matchMember'
import { matchOption, splitOptions } from './matchOption'
import { normalizeEmail, EMAIL_MAX_LENGTH } from './normalizeEmail'
import { normalizePhone } from './normalizePhone'
import { normalizeUrl } from './normalizeUrl'
import { parseCheckboxText } from './parseCheckboxText'
import { parseDateText } from './parseDateText'
import { parseDateTimeText } from './parseDateTimeText'
import { decimalToNumber, parseDecimalText } from './parseDecimalText'
import { parseMoneyText } from './parseMoneyText'
import { choiceIdOf } from './pipelines/stageChoices'
import { safeLocale } from './safeLocale'
import { splitList } from './splitList'
import type { FieldDef, FieldValue } from './schema'

export interface ParseContext {
  /** The browser locale (`en-US`, `de-DE`, `en-GB`): date order and number separators. */
  locale: string
  /**
   * The member's country (the region of their locale, e.g. 'US' for en-US), tried first for
   * phone numbers typed without a country code; ISO 3166 alpha-2.
   */
  defaultCountry?: string
  /** The workspace's country (Settings), tried after the member's. */
  workspaceCountry?: string
  /** IANA zone for date-times typed without offset; default 'UTC'. An unknown zone throws RangeError, like Intl. */
  timeZone?: string
  /** For `member` fields: input may be a member's name (any case) or id. */
  members?: { id: string; name: string }[]
  /** For `link` fields: text → record id (or undefined); may also recognise an id. */
  /** A typed link target → its record id; `{ many }` when several records share the name (never picked silently). */
  resolveLink?: (entityId: string, text: string) => string | undefined | { many: number }
}

export type ParseResult = { ok: true; value: FieldValue } | { ok: false; error: string }

export const TEXT_MAX_LENGTH = 10_000
export const LONG_TEXT_MAX_LENGTH = 100_000
const NUMBER_EXAMPLE = 'e.g. 1,234.5 or 1 234,5'
const MONEY_EXAMPLE = 'e.g. 1,234.50 or 1 234,50'
const PHONE_EXAMPLE = 'e.g. +49 30 1234567 or (201) 555-0123'
const ADD_COUNTRY_CODE = 'add the country code, e.g. +1 201 555 0123 or +49 30 1234567'
const URL_EXAMPLE = 'e.g. example.com or https://example.com/page'
const EXAMPLE_DATE = { year: 2026, month: 11, day: 27 }

const ok = (value: FieldValue): ParseResult => ({ ok: true, value })

/** What a person typed (string) or pasted → stored value, or a refusal naming the field and the reason. */
export function parseFieldInput(field: FieldDef, input: string, ctx: ParseContext): ParseResult {
  if (input.trim() === '') return emptyValue(field)
  const locale = safeLocale(ctx.locale)
  switch (field.type) {
    case 'text': return parseText(field, input.trim(), TEXT_MAX_LENGTH)
    case 'longText': return parseText(field, input.replace(/\r\n?/g, '\n').replace(/^\s*\n/, '').trimEnd(), LONG_TEXT_MAX_LENGTH)
    case 'number': return parseNumber(field, input, locale)
    case 'money': return parseMoney(field, input, locale)
    case 'date': return parseDate(field, input, locale)
    case 'dateTime': return parseDateTime(field, input, locale, ctx.timeZone ?? 'UTC')
    case 'select': return parseSelect(field, input)
    case 'multiSelect': return parseMultiSelect(field, input)
    case 'checkbox': return parseCheckbox(field, input)
    case 'email': return parseEmail(field, input)
    case 'phone': return parsePhone(field, input, [ctx.defaultCountry, ctx.workspaceCountry])
    case 'url': return parseUrl(field, input)
    case 'link': return parseLink(field, input, ctx.resolveLink)
    case 'member': return parseMember(field, input, ctx.members ?? [])
  }
}

function parseText(field: FieldDef, text: string, max: number): ParseResult {
  if (text.length <= max) return ok(text)
  return fieldError(field, `text is too long (${text.length.toLocaleString('en-US')} characters; at most ${max.toLocaleString('en-US')})`)
}

function parseNumber(field: FieldDef, input: string, locale: string): ParseResult {
  const decimal = parseDecimalText(input.trim().replace(/\s*%$/, ''), locale)
  const value = decimal && decimalToNumber(decimal)
  if (value === undefined) return fieldError(field, `${quoted(input)} is not a number (${NUMBER_EXAMPLE})`)
  return checkNumberRange(field, value, locale)
}

/** A number field's `min` / `max` (e.g. a probability, 0–100): a value outside is refused, naming the range. */
export function checkNumberRange(field: FieldDef, value: number, locale: string): ParseResult {
  const { min, max } = field
  if ((min === undefined || value >= min) && (max === undefined || value <= max)) return ok(value)
  const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 20, numberingSystem: 'latn' })
  const range = min !== undefined && max !== undefined
    ? `between ${format.format(min)} and ${format.format(max)}`
    : min !== undefined ? `at least ${format.format(min)}` : `at most ${format.format(max ?? 0)}`
  return fieldError(field, `${format.format(value)} is out of range (must be ${range})`)
}

function parseMoney(field: FieldDef, input: string, locale: string): ParseResult {
  const money = parseMoneyText(input, field.currency ?? 'EUR', locale)
  if (money.ok) return ok(money.value)
  switch (money.reason) {
    case 'notMoney': return fieldError(field, `${quoted(input)} is not an amount of money (${MONEY_EXAMPLE})`)
    case 'twoCurrencies': return fieldError(field, `${quoted(input)} names two different currencies (${MONEY_EXAMPLE} or 99.90 USD)`)
    case 'tooManyDecimals': {
      const allowed = money.digits === 0 ? 'no decimals' : `at most ${money.digits} decimal${money.digits === 1 ? '' : 's'}`
      return fieldError(field, `${quoted(input)} has more decimals than ${money.currency} allows (${allowed}, e.g. ${moneyExample(money.digits, locale)})`)
    }
    case 'tooLarge': return fieldError(field, `${quoted(input)} is too large an amount of money (${MONEY_EXAMPLE})`)
  }
}

/** 1,234.50 / 1.234,50 / 1,234 (JPY): an amount the user's locale reads back. */
function moneyExample(digits: number, locale: string): string {
  const format = new Intl.NumberFormat(locale, { numberingSystem: 'latn', minimumFractionDigits: digits, maximumFractionDigits: digits })
  return format.format(Number(`1234.${'5'.padEnd(digits, '0').slice(0, digits)}`)).replace(/\s/g, ' ')
}

function parseDate(field: FieldDef, input: string, locale: string): ParseResult {
  const reading = parseDateText(input, locale)
  if (reading.ok) return ok(toIsoDate(reading.date))
  const detail = dateRefusalDetail(reading, locale)
  const example = `${toIsoDate(EXAMPLE_DATE)} or ${formatLocaleDate(EXAMPLE_DATE, locale)}`
  return fieldError(field, `${quoted(input)} is not a valid date${detail ? `: ${detail}` : ''} (use ${example})`)
}

function parseDateTime(field: FieldDef, input: string, locale: string, timeZone: string): ParseResult {
  const reading = parseDateTimeText(input, locale, timeZone)
  if (reading.ok) return ok(new Date(reading.ms).toISOString())
  const detail = dateRefusalDetail(reading, locale)
  const example = `${toIsoDate(EXAMPLE_DATE)} 14:05 or ${formatLocaleDate(EXAMPLE_DATE, locale)} 14:05`
  return fieldError(field, `${quoted(input)} is not a valid date and time${detail ? `: ${detail}` : ''} (use ${example})`)
}

function optionsHint(field: FieldDef): string {
  const options = field.options ?? []
  return options.length ? `choose from ${listForMessage(options)}` : 'this field has no options yet'
}

function parseSelect(field: FieldDef, input: string): ParseResult {
  if (field.choices) {
    // a pipeline or a stage: its name (as shown) or its id, stored as the id
    const id = choiceIdOf(field, input.trim())
    if (id !== undefined) return ok(id)
    return fieldError(field, `${quoted(input)} is not one of the options (${optionsHint(field)})`)
  }
  const option = matchOption(field.options ?? [], input)
  if (option !== undefined) return ok(option)
  return fieldError(field, `${quoted(input)} is not one of the options (${optionsHint(field)})`)
}

function parseMultiSelect(field: FieldDef, input: string): ParseResult {
  const { matched, unknown } = splitOptions(field.options ?? [], input)
  if (unknown.length > 0) {
    const names = unknown.map(quoted)
    const what = names.length === 1 ? `${names[0]} is not one of the options` : `${listForMessage(names, 5)} are not options`
    return fieldError(field, `${what} (${optionsHint(field)})`)
  }
  return matched.length ? ok(matched) : emptyValue(field)
}

function parseCheckbox(field: FieldDef, input: string): ParseResult {
  const value = parseCheckboxText(input)
  if (value !== undefined) return ok(value)
  return fieldError(field, `${quoted(input)} is not yes or no (use yes/no, true/false, 1/0 or x)`)
}

function parseEmail(field: FieldDef, input: string): ParseResult {
  const email = normalizeEmail(input)
  if (email) return ok(email)
  if (input.trim().length > EMAIL_MAX_LENGTH) return fieldError(field, `${quoted(input)} is too long for an email address (at most ${EMAIL_MAX_LENGTH} characters)`)
  return fieldError(field, `${quoted(input)} is not an email address (expected name@example.com)`)
}

function parsePhone(field: FieldDef, input: string, countries: (string | undefined)[]): ParseResult {
  const phone = normalizePhone(input, countries)
  if (phone.ok) return ok(phone.value)
  switch (phone.reason) {
    case 'noCountry':
      return fieldError(field, `${quoted(input)} has no country code and no country is set for this workspace: ${ADD_COUNTRY_CODE} (admins set the workspace's country in Settings)`)
    case 'notInCountries': {
      const names = phone.countries.map((c) => countryName(c))
      return fieldError(field, `${quoted(input)} is not a phone number in ${names.join(' or ')}: ${ADD_COUNTRY_CODE}`)
    }
    case 'invalid':
      return fieldError(field, `${quoted(input)} is not a valid phone number with the country code +${phone.callingCode} (check the digits, ${PHONE_EXAMPLE})`)
    default: {
      const reason = {
        letters: 'is not a phone number: it contains letters',
        notPhone: 'is not a phone number',
        tooFewDigits: 'has too few digits for a phone number',
        tooManyDigits: 'has too many digits for a phone number',
      }[phone.reason]
      return fieldError(field, `${quoted(input)} ${reason} (${PHONE_EXAMPLE})`)
    }
  }
}

function parseUrl(field: FieldDef, input: string): ParseResult {
  const url = normalizeUrl(input)
  if (url.ok) return ok(url.value)
  switch (url.reason) {
    case 'scheme': return fieldError(field, `${quoted(input)} is a ${url.scheme}: link, which is not allowed (use https://…, mailto:, tel: or sip:)`)
    case 'tooLong': return fieldError(field, `${quoted(input)} is too long for a web address (at most 2,048 characters)`)
    case 'notUrl': return fieldError(field, `${quoted(input)} is not a web address (${URL_EXAMPLE})`)
  }
}

/** `companies` → `Companies`: the context knows entity ids, not their labels. */
function entityName(entityId: string | undefined): string {
  const id = entityId ?? 'linked'
  return id.charAt(0).toUpperCase() + id.slice(1)
}

function parseLink(field: FieldDef, input: string, resolveLink: ParseContext['resolveLink']): ParseResult {
  const parts = field.multiple ? splitList(input) : [input.trim()]
  const ids: string[] = []
  const missing: string[] = []
  for (const part of parts) {
    const id = resolveLink && field.linkEntity ? resolveLink(field.linkEntity, part) : undefined
    if (typeof id === 'object') {
      return fieldError(field, `${id.many} ${(field.linkEntity ?? 'records').toLowerCase()} are named \u201c${part}\u201d \u2014 pick one from the list`)
    }
    if (id === undefined) missing.push(quoted(part))
    else if (!ids.includes(id)) ids.push(id)
  }
  if (missing.length > 0) {
    const entity = entityName(field.linkEntity)
    const names = missing.length > 1 ? `${missing.slice(0, -1).join(', ')} or ${missing.at(-1)}` : missing[0]
    return fieldError(field, `no ${entity} record named ${names} (type a name as shown in ${entity})`)
  }
  if (!field.multiple) return ok(ids[0] ?? null)
  return ids.length ? ok(ids) : emptyValue(field)
}

function parseMember(field: FieldDef, input: string, members: { id: string; name: string }[]): ParseResult {
  const match = matchMember(members, input)
  if (match.ok) return ok(match.id)
  if (match.reason === 'ambiguous') return fieldError(field, `${quoted(input)} names several members (use the member's id)`)
  const names = members.map((m) => m.name)
  return fieldError(field, `no member named ${quoted(input)} (${names.length ? `members: ${listForMessage(names)}` : 'this workspace has no members yet'})`)
}
