import { currencyDigits, minorUnitsToDecimal } from '../currencyDigits'
import { parseIsoDate } from '../calendarDate'
import { dateTimeText, formatFieldValue } from '../formatFieldValue'
import { normalizeSpaces } from '../normalizeSpaces'
import type { ParseContext } from '../parseFieldInput'
import { parseMoneyText } from '../parseMoneyText'
import { safeLocale } from '../safeLocale'
import { utcToZonedTime } from '../zonedTimeToUtc'
import { liveFields, type EntityDef, type FieldDef, type FieldValue, type Money, type Row } from '../schema'

/*
 * Exports (issue 18: a grid view as CSV or XLSX, and the plain export's CSVs) read as people
 * expect: money, dates, members and choices formatted as the grid shows them, phone numbers in +E.164, links as the linked
 * records' names with their ids in an extra column "<label> (id)". Each cell keeps its kind, so
 * a writer can keep numbers numbers: a number field is a number, an amount a number with its
 * currency (a numeric cell with a currency format in XLSX), a date a date. Only text cells are
 * neutralised against formula injection, by the writers (csvCell; XLSX strings are never formulas).
 * Every formatted value reads back through the import (parseFieldInput) to the same value.
 */

/** An amount: `text` as the grid shows it (or with the currency code where its symbol would not read back), `decimal` in major units. */
export interface ExportMoney { kind: 'money'; text: string; decimal: string; currency: string }
/** A date (`iso` YYYY-MM-DD) or an instant (`ms`), with the text the locale shows. */
export interface ExportDate { kind: 'date'; text: string; iso: string }
export interface ExportInstant { kind: 'instant'; text: string; ms: number; /** The wall clock in the export's time zone, as ms of a UTC date (a spreadsheet date has no zone). */ wallMs: number }

/** One exported cell: text (neutralised by the writer where it looks like a formula), a number, a yes/no, or empty. */
export type ExportCell = string | number | boolean | null | ExportMoney | ExportDate | ExportInstant

export interface ExportContext {
  parse: ParseContext
  /** A linked record's name, or undefined when it is gone (the id is written instead). */
  linkName(entityId: string, recordId: string): string | undefined
}

export interface ExportColumn {
  header: string
  cell(row: Row): ExportCell
}

export interface ExportColumnsOptions {
  /** The fields to export, in order (a view's visible columns); default: every live field in the entity's order. */
  fields?: readonly FieldDef[]
  /** Also the record's id (first) and creation time (last), as the plain export has them. */
  meta?: boolean
}

/** The exported columns of an entity: each field by its label, a link also as "<label> (id)". */
export function exportColumns(entity: EntityDef, ctx: ExportContext, options: ExportColumnsOptions = {}): ExportColumn[] {
  const fields = options.fields ?? [...liveFields(entity)].sort((a, b) => a.order - b.order)
  const columns: ExportColumn[] = []
  if (options.meta) columns.push({ header: 'id', cell: (row) => row.id })
  for (const field of fields) {
    if (field.type === 'link') {
      const target = field.linkEntity
      columns.push({ header: field.label, cell: (row) => linkedIds(row.values[field.id]).map((id) => (target && ctx.linkName(target, id)) || id).join(', ') || null })
      columns.push({ header: `${field.label} (id)`, cell: (row) => linkedIds(row.values[field.id]).join(', ') || null })
    } else {
      columns.push({ header: field.label, cell: field.type === 'date' ? dateColumn(field, ctx.parse) : (row) => exportCell(field, row.values[field.id], ctx.parse) })
    }
  }
  if (options.meta) columns.push({ header: 'Created at', cell: (row) => row.createdAt })
  return columns
}

/** A date column: the cells of one day share one cell (a list's dates repeat; formatting each costs ~8 µs). */
function dateColumn(field: FieldDef, parse: ParseContext): (row: Row) => ExportCell {
  const seen = new Map<FieldValue, ExportCell>()
  return (row) => {
    const value = row.values[field.id]
    let cell = seen.get(value ?? null)
    if (cell === undefined) {
      cell = exportCell(field, value, parse)
      if (seen.size < 50_000 && typeof value === 'string') seen.set(value, cell)
    }
    return cell
  }
}

const linkedIds = (value: FieldValue | undefined): string[] =>
  typeof value === 'string' && value ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []

const isMoney = (value: FieldValue): value is Money =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Number.isSafeInteger(value.amount) && /^[A-Z]{3}$/.test(value.currency)

/** One field's cell; a value stored under another type (the field's type changed) is written as the grid shows it. */
export function exportCell(field: FieldDef, value: FieldValue | undefined, parse: ParseContext): ExportCell {
  if (value === null || value === undefined) return null
  switch (field.type) {
    case 'number':
      if (typeof value === 'number') return Number.isFinite(value) ? value : null
      break
    case 'money':
      if (isMoney(value)) return exportMoney(value, parse.locale)
      break
    case 'checkbox':
      // an unticked box is written as such: `false` reads back as false, while an empty cell reads as never set
      if (typeof value === 'boolean') return value
      break
    case 'date': {
      const date = typeof value === 'string' ? parseIsoDate(value) : undefined
      if (date) return { kind: 'date', text: formatFieldValue(field, value, parse), iso: value as string }
      break
    }
    case 'dateTime': {
      const ms = typeof value === 'string' ? Date.parse(value) : NaN
      if (!Number.isNaN(ms)) return exportInstant(ms, parse)
      break
    }
    case 'phone':
      // as stored, +E.164 (`+493012345678`): unambiguous in any country, and formatting each number
      // with libphonenumber (~25 µs) was half the time of a 100k-contact export
      if (typeof value === 'string') return value
      break
    default:
      break
  }
  const text = formatFieldValue(field, value, parse)
  return text === '' ? null : text
}

function exportInstant(ms: number, parse: ParseContext): ExportInstant {
  const timeZone = parse.timeZone ?? 'UTC'
  const wall = utcToZonedTime(ms, timeZone)
  const wallMs = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second)
  return { kind: 'instant', text: dateTimeText(ms, parse.locale, timeZone), ms, wallMs }
}

const moneyFormats = new Map<string, { format: Intl.NumberFormat }>()

/**
 * An amount as the locale shows it (`€1,234.50`), unless that currency's symbol would not read
 * back to it (`CA$`, `CN¥`, or `$` for any dollar but the US one): then with its ISO code
 * (`CAD 1,234.50`), which always does. Decided once per locale and currency.
 */
function exportMoney(money: Money, locale: string): ExportMoney {
  const safe = safeLocale(locale)
  const key = `${safe}|${money.currency}`
  let entry = moneyFormats.get(key)
  if (!entry) {
    const symbol = new Intl.NumberFormat(safe, { style: 'currency', currency: money.currency, numberingSystem: 'latn' })
    const sample = -123456789
    const text = normalizeSpaces(symbol.format(minorUnitsToDecimal(sample, currencyDigits(money.currency)) as `${number}`))
    const read = parseMoneyText(text, money.currency === 'XXX' ? 'EUR' : 'XXX', safe)
    const readsBack = read.ok && read.value.currency === money.currency && read.value.amount === sample
    entry = { format: readsBack ? symbol : new Intl.NumberFormat(safe, { style: 'currency', currency: money.currency, currencyDisplay: 'code', numberingSystem: 'latn' }) }
    moneyFormats.set(key, entry)
  }
  const decimal = minorUnitsToDecimal(money.amount, currencyDigits(money.currency))
  return { kind: 'money', text: normalizeSpaces(entry.format.format(decimal as `${number}`)), decimal, currency: money.currency }
}
