import { currencyDigits, isKnownCurrency, minorUnitsToDecimal } from '../currencyDigits'
import { parseFieldInput, type ParseContext } from '../parseFieldInput'
import { liveFields, type EntityDef, type FieldDef, type FieldValue, type Money, type Row } from '../schema'
import { validateFieldValue } from '../validateFieldValue'
import { choiceIdOf } from '../pipelines/stageChoices'

/*
 * REST API v1 records (issue 13): a record is a JSON object keyed by the fields' API keys plus
 * `id`, `created_at`, `updated_at`. Money travels in major units (`{ "amount": 1234.5,
 * "currency": "EUR" }`), dates as YYYY-MM-DD, date-times as ISO 8601 UTC, links as record ids
 * (a list when the field takes several), members as member ids. Strings are also read the way a
 * person types them into the grid (`"1 234,50 €"`, `"27.11.2026"`), through parseFieldInput.
 */

/** The keys every API record carries besides its fields; a body may not set them. */
export const RECORD_META_KEYS = ['id', 'created_at', 'updated_at'] as const

/** One refused field of a request body, by API key, and why. */
export interface FieldProblem { field: string; message: string }

export type DecodeResult = { ok: true; values: Record<string, FieldValue> } | { ok: false; errors: FieldProblem[] }

/** What reading a typed string needs besides the field (see ParseContext). */
export interface ApiReadContext {
  /** Locale for typed numbers and dates (the request's Accept-Language); en-US by default. */
  locale?: string
  workspaceCountry?: string
  members: readonly { id: string; name: string }[]
}

export type ApiRecord = Record<string, unknown>

/** The row as the API shows it; `updatedAt` is the relay's time of its last change. */
export function encodeApiRecord(entity: EntityDef, row: Row, updatedAt: string): ApiRecord {
  const record: ApiRecord = { id: row.id }
  for (const field of liveFields(entity)) record[field.key] = encodeApiValue(field, row.values[field.id])
  record.created_at = row.createdAt
  record.updated_at = updatedAt
  return record
}

export function encodeApiValue(field: FieldDef, value: FieldValue | undefined): unknown {
  if (value === undefined || value === null) return field.type === 'link' && field.multiple ? [] : null
  if (field.type === 'money' && typeof value === 'object' && !Array.isArray(value)) return moneyToMajor(value)
  if (field.type === 'link' && field.multiple && typeof value === 'string') return [value]
  // a pipeline or a stage is its id, also where a deal still holds the name from before pipelines
  if (field.choices && typeof value === 'string') return choiceIdOf(field, value) ?? value
  return value
}

function moneyToMajor(money: Money): { amount: number; currency: string } {
  return { amount: Number(minorUnitsToDecimal(money.amount, currencyDigits(money.currency))), currency: money.currency }
}

/**
 * A request body → stored values keyed by field id. Every field is checked before any answer,
 * so the refusal names each bad field; unknown keys and the read-only meta keys are refused by
 * name. `partial` (PATCH) leaves out fields the body does not name; a create checks `required`.
 */
export function decodeApiRecordBody(entity: EntityDef, body: Record<string, unknown>, ctx: ApiReadContext, partial: boolean): DecodeResult {
  const fields = liveFields(entity)
  const byKey = new Map(fields.map((f) => [f.key, f]))
  const errors: FieldProblem[] = []
  const values: Record<string, FieldValue> = {}
  for (const [key, raw] of Object.entries(body)) {
    if ((RECORD_META_KEYS as readonly string[]).includes(key)) {
      errors.push({ field: key, message: `${key} is set by the relay and cannot be written` })
      continue
    }
    const field = byKey.get(key)
    if (!field) {
      errors.push({ field: key, message: `${entity.label} has no field "${key}" (fields: ${fields.map((f) => f.key).join(', ')})` })
      continue
    }
    const read = readApiValue(field, raw, ctx)
    if (read.ok) values[field.id] = read.value
    else errors.push({ field: key, message: read.error })
  }
  if (!partial) {
    for (const field of fields) {
      if (field.required && (values[field.id] === undefined || values[field.id] === null) && !errors.some((e) => e.field === field.key)) {
        errors.push({ field: field.key, message: `${field.label} is required` })
      }
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, values }
}

type ReadResult = { ok: true; value: FieldValue } | { ok: false; error: string }

/** One JSON value of the API → the stored value, or why not. */
export function readApiValue(field: FieldDef, raw: unknown, ctx: ApiReadContext): ReadResult {
  if (typeof raw === 'string') return readTypedString(field, raw, ctx)
  if (field.type === 'money' && typeof raw === 'object' && raw !== null && !Array.isArray(raw)) return readMajorMoney(field, raw as Record<string, unknown>)
  if (field.type === 'money' && typeof raw === 'number') return readMajorMoney(field, { amount: raw })
  return validateFieldValue(field, raw)
}

function parseContext(ctx: ApiReadContext): ParseContext {
  return { locale: ctx.locale ?? 'en-US', workspaceCountry: ctx.workspaceCountry, timeZone: 'UTC', members: [...ctx.members] }
}

function readTypedString(field: FieldDef, text: string, ctx: ApiReadContext): ReadResult {
  switch (field.type) {
    // ids, as the record JSON holds them (a list may also come comma-separated)
    case 'link': return validateFieldValue(field, text)
    case 'member': {
      if (text.trim() === '') return validateFieldValue(field, null)
      // an id, or a member's name as typed in the grid
      return parseFieldInput(field, text, parseContext(ctx))
    }
    case 'dateTime': {
      const iso = validateFieldValue(field, text)
      return iso.ok ? iso : parseFieldInput(field, text, parseContext(ctx))
    }
    default: return parseFieldInput(field, text, parseContext(ctx))
  }
}

const MONEY_KEYS = new Set(['amount', 'currency'])

function readMajorMoney(field: FieldDef, raw: Record<string, unknown>): ReadResult {
  const label = field.label
  const extra = Object.keys(raw).find((k) => !MONEY_KEYS.has(k))
  if (extra !== undefined) return { ok: false, error: `${label}: unknown key "${extra}" in a money value (send {"amount": 1234.5, "currency": "EUR"})` }
  const currency = raw.currency ?? field.currency ?? 'EUR'
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency) || !isKnownCurrency(currency)) {
    return { ok: false, error: `${label}: currency must be a three-letter ISO 4217 code such as "EUR", got ${JSON.stringify(currency)}` }
  }
  const { amount } = raw
  if (amount === null || amount === undefined) return validateFieldValue(field, null)
  if (typeof amount !== 'number' || !Number.isFinite(amount)) {
    return { ok: false, error: `${label}: amount must be a number in major units (1234.5 for 1,234.50 ${currency}), got ${JSON.stringify(amount)}` }
  }
  const digits = currencyDigits(currency)
  const minor = Math.round(amount * 10 ** digits)
  // 0.1 + 0.2 style float noise is fine; a real extra decimal is not
  if (Math.abs(minor - amount * 10 ** digits) > 1e-6 * Math.max(1, Math.abs(minor))) {
    const allowed = digits === 0 ? 'no decimals' : `at most ${digits} decimal${digits === 1 ? '' : 's'}`
    return { ok: false, error: `${label}: ${amount} has more decimals than ${currency} allows (${allowed})` }
  }
  if (!Number.isSafeInteger(minor)) return { ok: false, error: `${label}: ${amount} is too large an amount of money` }
  return validateFieldValue(field, { amount: minor, currency })
}
