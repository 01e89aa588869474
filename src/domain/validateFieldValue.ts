import { parseIsoDate } from './calendarDate'
import { emptyValue, fieldError, quoted } from './fieldError'
import { matchOption } from './matchOption'
import { checkNumberRange, parseFieldInput, type ParseContext, type ParseResult } from './parseFieldInput'
import { parseDateTimeText } from './parseDateTimeText'
import type { FieldDef, FieldValue } from './schema'

/** Record ids as the CRDT layer makes them (nanoid-style), with room for imported ids. */
export const RECORD_ID = /^[A-Za-z0-9_-]{1,64}$/
// Member ids come from the relay's member list; no format beyond "one token" is promised.
const MEMBER_ID = /^[^\s\p{C}]{1,128}$/u
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i
const MONEY_EXAMPLE = '{"amount": 123450, "currency": "EUR"} for 1,234.50 EUR'
// Strings sent for numbers, money or checkboxes are read like typed input in a neutral locale.
const NEUTRAL: ParseContext = { locale: 'en-US' }

const ok = (value: FieldValue): ParseResult => ({ ok: true, value })

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'string') return `text ${quoted(value)}`
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function wrongType(field: FieldDef, expected: string, value: unknown): ParseResult {
  return fieldError(field, `expected ${expected}, got ${describe(value)}`)
}

/** Checks an already-typed JSON value (from the API, the wire, CSV after parsing) against the field type. */
export function validateFieldValue(field: FieldDef, value: unknown): ParseResult {
  if (value === null || value === undefined) return emptyValue(field)
  switch (field.type) {
    case 'text': case 'longText': case 'email': case 'phone': case 'url':
      return typeof value === 'string' ? parseFieldInput(field, value, NEUTRAL) : wrongType(field, 'text', value)
    case 'number': return validateNumber(field, value)
    case 'money': return validateMoney(field, value)
    case 'date': return validateDate(field, value)
    case 'dateTime': return validateDateTime(field, value)
    case 'select': return validateSelect(field, value)
    case 'multiSelect': return validateMultiSelect(field, value)
    case 'checkbox': return validateCheckbox(field, value)
    case 'link': return validateLink(field, value)
    case 'member': return validateMember(field, value)
    default: return fieldError(field, `has an unknown field type ${quoted(String((field as { type: unknown }).type))}`)
  }
}

function validateNumber(field: FieldDef, value: unknown): ParseResult {
  if (typeof value === 'string') return parseFieldInput(field, value, NEUTRAL)
  if (typeof value !== 'number') return wrongType(field, 'a number', value)
  if (!Number.isFinite(value)) return fieldError(field, `${value} is not a finite number (e.g. 1234.5)`)
  return checkNumberRange(field, value === 0 ? 0 : value, 'en-US')
}

function validateMoney(field: FieldDef, value: unknown): ParseResult {
  if (typeof value === 'string') return parseFieldInput(field, value, NEUTRAL)
  if (typeof value !== 'object' || Array.isArray(value)) return wrongType(field, `an amount like ${MONEY_EXAMPLE}`, value)
  const { amount, currency } = value as { amount?: unknown; currency?: unknown }
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) {
    return fieldError(field, `amount must be a whole number of minor units (cents), got ${describe(amount)} (${MONEY_EXAMPLE})`)
  }
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    return fieldError(field, `currency must be a three-letter ISO code, got ${describe(currency)} (${MONEY_EXAMPLE})`)
  }
  return ok({ amount: amount === 0 ? 0 : amount, currency })
}

function validateDate(field: FieldDef, value: unknown): ParseResult {
  if (typeof value !== 'string') return wrongType(field, 'a date like "2026-11-27"', value)
  if (value.trim() === '') return emptyValue(field)
  return parseIsoDate(value) ? ok(value) : fieldError(field, `${quoted(value)} is not a real date in the form YYYY-MM-DD (e.g. 2026-11-27)`)
}

function validateDateTime(field: FieldDef, value: unknown): ParseResult {
  if (typeof value !== 'string') return wrongType(field, 'a date-time like "2026-11-27T14:05:00.000Z"', value)
  if (value.trim() === '') return emptyValue(field)
  const reading = ISO_INSTANT.test(value.trim()) ? parseDateTimeText(value, 'en-US', 'UTC') : undefined
  if (!reading?.ok) return fieldError(field, `${quoted(value)} is not an ISO date-time with a time zone (e.g. 2026-11-27T14:05:00.000Z)`)
  return ok(new Date(reading.ms).toISOString())
}

function validateSelect(field: FieldDef, value: unknown): ParseResult {
  if (typeof value !== 'string') return wrongType(field, 'one of the options as text', value)
  return parseFieldInput(field, value, NEUTRAL)
}

function validateMultiSelect(field: FieldDef, value: unknown): ParseResult {
  if (typeof value === 'string') return parseFieldInput(field, value, NEUTRAL)
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return wrongType(field, 'a list of options', value)
  const chosen: string[] = []
  for (const item of value as string[]) {
    if (item.trim() === '') continue
    const option = matchOption(field.options ?? [], item)
    // Refused as a single select would be: the item is one option name, never a list to split.
    if (option === undefined) return parseFieldInput({ ...field, type: 'select' }, item, NEUTRAL)
    if (!chosen.includes(option)) chosen.push(option)
  }
  return chosen.length ? ok(chosen) : emptyValue(field)
}

function validateCheckbox(field: FieldDef, value: unknown): ParseResult {
  if (typeof value === 'boolean') return ok(value)
  if (value === 0 || value === 1) return ok(value === 1)
  if (typeof value === 'string') return parseFieldInput(field, value, NEUTRAL)
  return wrongType(field, 'true or false', value)
}

function badIds(field: FieldDef, ids: unknown[]): ParseResult | undefined {
  const bad = ids.find((id) => typeof id !== 'string' || !RECORD_ID.test(id))
  if (bad === undefined) return undefined
  return fieldError(field, `${describe(bad)} is not a record id (1–64 letters, digits, _ or -)`)
}

function validateLink(field: FieldDef, value: unknown): ParseResult {
  if (!field.multiple) {
    if (typeof value !== 'string') return wrongType(field, 'a record id', value)
    if (value.trim() === '') return emptyValue(field)
    return badIds(field, [value]) ?? ok(value)
  }
  const ids = typeof value === 'string' ? value.split(/[,;]/).map((id) => id.trim()).filter(Boolean) : value
  if (!Array.isArray(ids)) return wrongType(field, 'a list of record ids', value)
  const refusal = badIds(field, ids)
  if (refusal) return refusal
  const unique = [...new Set(ids as string[])]
  return unique.length ? ok(unique) : emptyValue(field)
}

function validateMember(field: FieldDef, value: unknown): ParseResult {
  if (typeof value !== 'string') return wrongType(field, 'a member id', value)
  if (value.trim() === '') return emptyValue(field)
  return MEMBER_ID.test(value) ? ok(value) : fieldError(field, `${quoted(value)} is not a member id`)
}
