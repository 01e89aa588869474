import { currencyDigits } from '../currencyDigits'
import type { EntityDef, FieldDef, Money, Row } from '../schema'
import { isRelativePeriod, resolvePeriod, spanTest } from '../relativePeriod'
import type { ViewCondition } from './savedView'

/**
 * Who is looking: "is me" compares a member field with this member's id. A relative period
 * ("this month") is read at `now` (default: the current time) in `timeZone` (default UTC).
 */
export interface ViewFilterContext { memberId: string; now?: Date; timeZone?: string; weekStart?: number }

/** A field a condition may name and how a row's cell of it is read (a report's derived fields read more than `values`). */
export interface ConditionField { field: FieldDef; read?: (row: Row) => unknown }

/** A test of one cell's value; saved views and automation rules (src/domain/rules) build theirs from the same ones. */
export type CellTest = (cell: unknown) => boolean

/**
 * A view's conditions as one predicate over rows, all of them ANDed. Each condition is turned
 * into a test once (its value lower-cased, its bounds read), so filtering 100k rows calls a few
 * small functions per row and parses nothing. A condition on a field the entity no longer has
 * (removed since the view was saved) is skipped.
 */
export function compileViewFilter(entity: EntityDef, conditions: readonly ViewCondition[], ctx: ViewFilterContext): (row: Row) => boolean {
  const fields = new Map(entity.fields.map((f) => [f.id, { field: f }]))
  return compileConditions((id) => fields.get(id), conditions, ctx)
}

/** compileViewFilter over fields that `fieldOf` names, some of them read by their own `read`. */
export function compileConditions(fieldOf: (id: string) => ConditionField | undefined, conditions: readonly ViewCondition[], ctx: ViewFilterContext): (row: Row) => boolean {
  const tests: { fieldId: string; read: ((row: Row) => unknown) | undefined; test: CellTest }[] = []
  for (const condition of conditions) {
    const source = fieldOf(condition.field)
    if (!source || source.field.deletedAt) continue
    tests.push({ fieldId: source.field.id, read: source.read, test: cellTest(source.field, condition, ctx) })
  }
  if (tests.length === 0) return () => true
  if (tests.length === 1) {
    const { fieldId, read, test } = tests[0]!
    return read ? (row) => test(read(row)) : (row) => test(row.values[fieldId])
  }
  return (row) => {
    for (let i = 0; i < tests.length; i++) {
      const t = tests[i]!
      if (!t.test(t.read ? t.read(row) : row.values[t.fieldId])) return false
    }
    return true
  }
}

export function isEmptyCell(cell: unknown): boolean {
  return cell === null || cell === undefined || cell === '' || (Array.isArray(cell) && cell.length === 0)
}

function cellTest(field: FieldDef, c: ViewCondition, ctx: ViewFilterContext): CellTest {
  switch (c.op) {
    case 'empty': return emptyTest(field)
    case 'notEmpty': {
      const empty = emptyTest(field)
      return (cell) => !empty(cell)
    }
    case 'isMe': return holds(ctx.memberId)
    case 'contains': return containsTest(field, c.value)
    case 'equals': return equalsTest(field, c.value)
    case 'range': return rangeTest(field, c.from, c.to)
    case 'relative': return relativeTest(field, c.value, ctx)
  }
}

/** A date or date-time in a period named relative to now; anything else, or an unknown name, matches nothing. */
function relativeTest(field: FieldDef, value: unknown, ctx: ViewFilterContext): CellTest {
  if ((field.type !== 'date' && field.type !== 'dateTime') || !isRelativePeriod(value)) return () => false
  const clock = { now: ctx.now ?? new Date(), timeZone: ctx.timeZone ?? 'UTC', weekStart: ctx.weekStart }
  return spanTest(field.type, resolvePeriod(value, clock), clock)
}

/** An unticked box is empty; so are null, '' and an empty list. */
export function emptyTest(field: FieldDef): CellTest {
  return field.type === 'checkbox' ? (cell) => cell !== true : isEmptyCell
}

/** A single or list cell holding `id` (a member, a linked record, an option). */
export function holds(id: string): CellTest {
  return (cell) => cell === id || (Array.isArray(cell) && cell.includes(id))
}

export function containsTest(field: FieldDef, value: unknown): CellTest {
  if (field.type === 'multiSelect' || field.type === 'link' || field.type === 'member') {
    const wanted = Array.isArray(value) ? value.map(String) : [String(value)]
    return (cell) => wanted.every((w) => cell === w || (Array.isArray(cell) && cell.includes(w)))
  }
  const needle = String(value ?? '').toLowerCase()
  // a phone is also found by its digits, whatever spaces or dashes were typed ("30 1234" finds "+49301234567")
  const digits = field.type === 'phone' ? needle.replace(/\D/g, '') : ''
  return (cell) => {
    if (typeof cell !== 'string') return false
    if (cell.toLowerCase().includes(needle)) return true
    return digits.length > 0 && cell.replace(/\D/g, '').includes(digits)
  }
}

export function equalsTest(field: FieldDef, value: unknown): CellTest {
  switch (field.type) {
    case 'checkbox': {
      const on = value === true
      return (cell) => (cell === true) === on
    }
    case 'money': {
      if (typeof value === 'number') {
        // an amount in major units, whatever the currency
        return (cell) => moneyMajor(cell) === value
      }
      const money = value as Money
      return (cell) => {
        const m = cell as Money | null | undefined
        return !!m && typeof m === 'object' && m.amount === money?.amount && m.currency === money?.currency
      }
    }
    case 'number': return (cell) => cell === value
    case 'multiSelect': case 'link': case 'member':
      return typeof value === 'string' ? holds(value) : (cell) => JSON.stringify(cell) === JSON.stringify(value)
    case 'dateTime': {
      // a date matches every time of that day (UTC, as stored); an instant matches itself
      const text = String(value)
      if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return (cell) => typeof cell === 'string' && cell.startsWith(text)
      const at = Date.parse(text)
      return (cell) => typeof cell === 'string' && Date.parse(cell) === at
    }
    case 'select': {
      // a list of options: any of them
      if (Array.isArray(value)) {
        const any = new Set(value)
        return (cell) => typeof cell === 'string' && any.has(cell)
      }
      return (cell) => cell === value
    }
    case 'date': return (cell) => cell === value
    default: {
      const wanted = String(value ?? '').trim().toLowerCase()
      return (cell) => typeof cell === 'string' && cell.trim().toLowerCase() === wanted
    }
  }
}

function moneyMajor(cell: unknown): number | null {
  if (!cell || typeof cell !== 'object') return null
  const m = cell as Partial<Money>
  if (typeof m.amount !== 'number' || typeof m.currency !== 'string') return null
  return m.amount / 10 ** currencyDigits(m.currency)
}

function rangeTest(field: FieldDef, from: number | string | undefined, to: number | string | undefined): CellTest {
  switch (field.type) {
    case 'number': case 'money': {
      const lo = typeof from === 'number' ? from : from === undefined ? -Infinity : Number(from)
      const hi = typeof to === 'number' ? to : to === undefined ? Infinity : Number(to)
      const read = field.type === 'money' ? moneyMajor : (cell: unknown) => (typeof cell === 'number' ? cell : null)
      return (cell) => {
        const n = read(cell)
        return n !== null && n >= lo && n <= hi
      }
    }
    case 'date': {
      const lo = from === undefined ? '' : String(from)
      const hi = to === undefined ? '\uffff' : String(to)
      return (cell) => typeof cell === 'string' && cell !== '' && cell >= lo && cell <= hi
    }
    case 'dateTime': {
      // a date bound covers its whole day: from its first instant, to its last
      const lo = from === undefined ? -Infinity : instantOf(String(from), 'start')
      const hi = to === undefined ? Infinity : instantOf(String(to), 'end')
      return (cell) => {
        if (typeof cell !== 'string') return false
        const at = Date.parse(cell)
        return !Number.isNaN(at) && at >= lo && at <= hi
      }
    }
    default: return () => false
  }
}

/**
 * Strictly after (`greaterThan`) or before (`lessThan`) a value, on the fields that have an order:
 * a number; money as an amount in major units whatever the currency (as a view's range), or as
 * `{ amount, currency }` against amounts of that currency only (there are no rates to convert);
 * a date; a date-time against an instant, or against a whole day (after its last instant, before
 * its first). Any other field, or an unreadable value, matches nothing.
 */
export function compareTest(field: FieldDef, op: 'greaterThan' | 'lessThan', value: unknown): CellTest {
  const after = op === 'greaterThan'
  const order = (a: number | string, b: number | string) => (after ? a > b : a < b)
  switch (field.type) {
    case 'number': {
      const bound = Number(value)
      if (value === null || value === '' || Number.isNaN(bound)) return () => false
      return (cell) => typeof cell === 'number' && order(cell, bound)
    }
    case 'money': {
      if (typeof value === 'number') {
        return (cell) => {
          const n = moneyMajor(cell)
          return n !== null && order(n, value)
        }
      }
      const bound = value as Partial<Money> | null
      if (!bound || typeof bound.amount !== 'number' || typeof bound.currency !== 'string') return () => false
      return (cell) => {
        const m = cell as Partial<Money> | null | undefined
        return !!m && typeof m === 'object' && m.currency === bound.currency && typeof m.amount === 'number' && order(m.amount, bound.amount!)
      }
    }
    case 'date': {
      if (typeof value !== 'string' || value === '') return () => false
      return (cell) => typeof cell === 'string' && cell !== '' && order(cell, value)
    }
    case 'dateTime': {
      if (typeof value !== 'string') return () => false
      const bound = instantOf(value, after ? 'end' : 'start')
      if (!Number.isFinite(bound)) return () => false
      return (cell) => {
        if (typeof cell !== 'string') return false
        const at = Date.parse(cell)
        return !Number.isNaN(at) && order(at, bound)
      }
    }
    default: return () => false
  }
}

function instantOf(text: string, edge: 'start' | 'end'): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return Date.parse(`${text}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`)
  const at = Date.parse(text)
  // an unreadable bound matches nothing rather than everything
  return Number.isNaN(at) ? (edge === 'start' ? Infinity : -Infinity) : at
}
