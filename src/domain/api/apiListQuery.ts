import { currencyDigits } from '../currencyDigits'
import { liveFields, type EntityDef, type FieldDef, type FieldValue, type Money, type Row } from '../schema'
import { readApiValue, type ApiReadContext, type FieldProblem } from './apiRecordCodec'

/*
 * GET /api/v1/{entity}: which records, in which order, one page at a time.
 *   ?<key>=<value>          equal (several of one key: any of them; a list field: contains it); the
 *                           value is read like a typed cell (`?amount=1 234,50 €`, `?close_date=27.11.2026`,
 *                           `?owner=<member id or name>`); empty (`?email=`) matches empty cells;
 *                           a checkbox never written is false (`?done=false`)
 *   ?<key>[gt|gte|lt|lte]=  ranges, for number, money (major units), date, date-time, created_at, updated_at
 *   ?q=                     every word in some value (case-insensitive), like the grid's search
 *   ?sort=-amount,title     keys, `-` for descending; empty values last either way; ties by id
 *   ?limit=                 1–1000, default 50
 *   ?cursor=                from next_cursor: the last row's sort values and id (keyset, not an
 *                           offset), so rows inserted meanwhile shift nothing
 */

export const DEFAULT_LIMIT = 50
export const MAX_LIMIT = 1000
const RANGE_OPS = ['gt', 'gte', 'lt', 'lte'] as const
type RangeOp = (typeof RANGE_OPS)[number]
const META_KEYS = new Set(['id', 'created_at', 'updated_at'])
const RESERVED = new Set(['q', 'sort', 'limit', 'cursor'])
/**
 * Text sorts and compares by its first 200 characters (then by id): the sort keys travel in the
 * cursor, which must fit in a URL, and a long text holds up to 100k characters.
 */
const SORT_TEXT_CHARS = 200

/** A sortable, filterable column: a field, or one of the meta keys. */
interface Column { key: string; field: FieldDef | null }

type Key = string | number | null

interface Filter {
  column: Column
  /** Equal to any of these (stored values); null: the cell is empty. */
  equals?: FieldValue[]
  range?: { op: RangeOp; bound: Key }[]
}

export interface ListQuery {
  filters: Filter[]
  words: string[]
  /** The fields `q` searches: the live ones (a row also holds removed fields' values and entries beside its values, e.g. stage changes). */
  searchFields: FieldDef[]
  sort: { column: Column; desc: boolean }[]
  limit: number
  /** Sort values and id of the last row of the previous page. */
  after: { keys: Key[]; id: string } | null
  /** The `sort` parameter as given, which a cursor must have been made with. */
  sortText: string
  /** A saved view's conditions (compileViewFilter), ANDed with the parameters' filters. */
  where?: (row: Row) => boolean
}

export type ParsedListQuery = { ok: true; query: ListQuery } | { ok: false; errors: FieldProblem[] }

/** Reads the query string against the entity's fields; every bad parameter is named. */
export function parseListQuery(entity: EntityDef, params: URLSearchParams, ctx: ApiReadContext): ParsedListQuery {
  const errors: FieldProblem[] = []
  const fields = new Map(liveFields(entity).map((f) => [f.key, f]))
  const column = (key: string): Column | undefined => (META_KEYS.has(key) ? { key, field: null } : fields.has(key) ? { key, field: fields.get(key)! } : undefined)
  const unknownColumn = (param: string, key: string) =>
    errors.push({ field: param, message: `${entity.label} has no field "${key}" (fields: ${[...fields.keys(), ...META_KEYS].join(', ')})` })

  const filters = new Map<string, Filter>()
  for (const [param, value] of params) {
    if (RESERVED.has(param)) continue
    const match = /^([^[\]]+)(?:\[([a-z]+)\])?$/.exec(param)
    const col = match && column(match[1]!)
    if (!match || !col) {
      unknownColumn(param, match?.[1] ?? param)
      continue
    }
    const filter = filters.get(col.key) ?? { column: col }
    filters.set(col.key, filter)
    const op = match[2]
    if (op === undefined || op === 'eq') {
      const read = equalityValue(col, value, ctx)
      if (read.ok) (filter.equals ??= []).push(read.value)
      else errors.push({ field: param, message: read.error })
      continue
    }
    if (!(RANGE_OPS as readonly string[]).includes(op)) {
      errors.push({ field: param, message: `unknown operator "${op}" (use ${[...RANGE_OPS, 'eq'].join(', ')})` })
      continue
    }
    if (!rangeable(col)) {
      errors.push({ field: param, message: `${col.key} is ${col.field ? `a ${col.field.type}` : 'an id'} field: ranges work on numbers, money, dates and date-times` })
      continue
    }
    const bound = rangeBound(col, value, ctx)
    if (bound.ok) (filter.range ??= []).push({ op: op as RangeOp, bound: bound.key })
    else errors.push({ field: param, message: bound.error })
  }

  const sortText = params.get('sort') ?? ''
  const sort: ListQuery['sort'] = []
  for (const part of sortText.split(',').map((s) => s.trim()).filter(Boolean)) {
    const desc = part.startsWith('-')
    const key = desc || part.startsWith('+') ? part.slice(1) : part
    const col = column(key)
    if (col) sort.push({ column: col, desc })
    else errors.push({ field: 'sort', message: `cannot sort by "${key}": ${entity.label} has no such field (fields: ${[...fields.keys(), ...META_KEYS].join(', ')})` })
  }
  if (sort.length === 0) sort.push({ column: { key: 'created_at', field: null }, desc: false })

  let limit = DEFAULT_LIMIT
  const limitText = params.get('limit')
  if (limitText !== null) {
    limit = /^\d+$/.test(limitText) ? Number(limitText) : NaN
    if (!(limit >= 1 && limit <= MAX_LIMIT)) errors.push({ field: 'limit', message: `limit must be a whole number from 1 to ${MAX_LIMIT}, got "${limitText}"` })
  }

  let after: ListQuery['after'] = null
  const cursor = params.get('cursor')
  if (cursor) {
    const decoded = decodeCursor(cursor)
    if (!decoded) errors.push({ field: 'cursor', message: 'not a cursor this API made (pass next_cursor as it came)' })
    else if (decoded.sort !== sortText || decoded.keys.length !== sort.length) errors.push({ field: 'cursor', message: 'the cursor belongs to another sort order: keep the same sort while paging' })
    else after = { keys: decoded.keys, id: decoded.id }
  }

  const words = (params.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  if (errors.length) return { ok: false, errors }
  return { ok: true, query: { filters: [...filters.values()], words, searchFields: [...fields.values()], sort, limit, after, sortText } }
}

function rangeable(col: Column): boolean {
  if (!col.field) return col.key !== 'id'
  return col.field.type === 'number' || col.field.type === 'money' || col.field.type === 'date' || col.field.type === 'dateTime'
}

function equalityValue(col: Column, text: string, ctx: ApiReadContext): { ok: true; value: FieldValue } | { ok: false; error: string } {
  if (text.trim() === '') return { ok: true, value: null }
  if (!col.field) {
    if (col.key === 'id') return { ok: true, value: text }
    const iso = instant(text)
    return iso === null ? { ok: false, error: `${col.key}: "${text}" is not an ISO 8601 date-time` } : { ok: true, value: iso }
  }
  // a filter value is one item of a list field, read like the field's single value
  const single: FieldDef = { ...col.field, required: false, ...(col.field.type === 'multiSelect' ? { type: 'select' } : {}), ...(col.field.type === 'link' ? { multiple: false } : {}) }
  const read = readApiValue(single, text, ctx)
  return read.ok ? read : { ok: false, error: read.error }
}

function rangeBound(col: Column, text: string, ctx: ApiReadContext): { ok: true; key: Key } | { ok: false; error: string } {
  if (!col.field) {
    const iso = instant(text)
    return iso === null ? { ok: false, error: `${col.key}: "${text}" is not an ISO 8601 date-time` } : { ok: true, key: iso }
  }
  if (col.field.type === 'money') {
    // a bound is an amount in major units (the currency of a cell is not compared)
    const amount = Number(text)
    if (text.trim() !== '' && Number.isFinite(amount)) return { ok: true, key: amount }
  }
  const read = readApiValue({ ...col.field, required: false }, text, ctx)
  if (!read.ok) return read
  if (read.value === null) return { ok: false, error: `${col.key}: a range needs a value` }
  return { ok: true, key: sortKey(col.field, read.value) }
}

function instant(text: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/i.test(text.trim())) return null
  const ms = Date.parse(text.trim())
  return Number.isNaN(ms) ? null : new Date(ms).toISOString()
}

/** The value a cell sorts and compares by: numbers, money in major units, text lower-cased. */
function sortKey(field: FieldDef, value: FieldValue | undefined): Key {
  if (value === null || value === undefined) return null
  switch (field.type) {
    case 'number': return typeof value === 'number' ? value : null
    case 'money': {
      const money = value as Money
      return money.amount / 10 ** currencyDigits(money.currency)
    }
    case 'checkbox': return value === true ? 1 : 0
    case 'date': case 'dateTime': return String(value)
    default: {
      const first = Array.isArray(value) ? value[0] : value
      return first === undefined ? null : String(first).slice(0, SORT_TEXT_CHARS).toLowerCase()
    }
  }
}

/** What a list reads of each row besides its values. */
export interface RowTimes { updatedAt(row: Row): string }

function columnKey(col: Column, row: Row, times: RowTimes): Key {
  if (col.field) return sortKey(col.field, row.values[col.field.id])
  if (col.key === 'created_at') return row.createdAt
  if (col.key === 'updated_at') return times.updatedAt(row)
  return row.id
}

function compareKeys(a: Key, b: Key): number {
  if (a === b) return 0
  // empty last, in both directions
  if (a === null) return 1
  if (b === null) return -1
  return a < b ? -1 : 1
}

export interface ListPage { rows: Row[]; nextCursor: string | null }

/**
 * One page of `rows` for `query`: filter, then keep the first `limit` after the cursor in sort
 * order (a bounded insertion, not a sort of every match). Pure; `rows` are the live rows.
 */
export function runListQuery(rows: Iterable<Row>, query: ListQuery, times: RowTimes): ListPage {
  const { limit, after } = query
  const { keysOf, compare } = rowOrder(query, times)
  const best: { row: Row; keys: Key[] }[] = []
  const keep = limit + 1
  for (const row of rows) {
    if (!matches(row, query, times)) continue
    const keys = keysOf(row)
    if (after && compare(keys, row.id, after.keys, after.id) <= 0) continue
    if (best.length === keep && compare(keys, row.id, best[keep - 1]!.keys, best[keep - 1]!.row.id) >= 0) continue
    let lo = 0
    let hi = best.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (compare(best[mid]!.keys, best[mid]!.row.id, keys, row.id) < 0) lo = mid + 1
      else hi = mid
    }
    best.splice(lo, 0, { row, keys })
    if (best.length > keep) best.pop()
  }
  const page = best.slice(0, limit)
  const last = page.at(-1)
  const nextCursor = best.length > limit && last ? encodeCursor({ sort: query.sortText, keys: last.keys, id: last.row.id }) : null
  return { rows: page.map((p) => p.row), nextCursor }
}

/** A row's sort keys, and the list's order of two rows by their keys, then their ids. */
function rowOrder(query: ListQuery, times: RowTimes) {
  const { sort } = query
  const keysOf = (row: Row) => sort.map((s) => columnKey(s.column, row, times))
  const compare = (a: Key[], aId: string, b: Key[], bId: string): number => {
    for (let i = 0; i < sort.length; i++) {
      const c = compareKeys(a[i]!, b[i]!)
      if (c !== 0) return sort[i]!.desc && a[i] !== null && b[i] !== null ? -c : c
    }
    return aId < bId ? -1 : aId > bId ? 1 : 0
  }
  return { keysOf, compare }
}

/**
 * Every row `query` matches, in its order, without pages (an export: GET /{entity}/export). The
 * filter runs `sliceRows` rows at a time with `turn()` between, and the sort in pieces too, so a
 * 100k-row list does not hold a relay's event loop.
 */
export async function allListRows(rows: readonly Row[], query: ListQuery, times: RowTimes, turn: () => Promise<void>, sliceRows = 5000): Promise<Row[]> {
  const { keysOf, compare } = rowOrder(query, times)
  const kept: { row: Row; keys: Key[] }[] = []
  for (let i = 0; i < rows.length; i += sliceRows) {
    for (let j = i; j < Math.min(rows.length, i + sliceRows); j++) {
      const row = rows[j]!
      if (matches(row, query, times)) kept.push({ row, keys: keysOf(row) })
    }
    await turn()
  }
  const sorted = await sortInSlices(kept, (a, b) => compare(a.keys, a.row.id, b.keys, b.row.id), turn)
  return sorted.map((k) => k.row)
}

/** Items sorted per run of this many before the runs are merged. */
const SORT_RUN = 4096
/** Items merged between two turns. */
const MERGE_SLICE = 32_768

/**
 * A merge sort that lets other work run between pieces: runs of SORT_RUN sorted one at a time,
 * then merged pairwise MERGE_SLICE items at a time (sorting 100k rows in one step held a relay's
 * loop ~80 ms). Stable, like Array.prototype.sort.
 */
async function sortInSlices<T>(items: T[], compare: (a: T, b: T) => number, turn: () => Promise<void>): Promise<T[]> {
  if (items.length <= SORT_RUN) return items.sort(compare)
  let runs: T[][] = []
  for (let i = 0; i < items.length; i += SORT_RUN) {
    runs.push(items.slice(i, i + SORT_RUN).sort(compare))
    await turn()
  }
  let moved = 0
  while (runs.length > 1) {
    const next: T[][] = []
    for (let r = 0; r < runs.length; r += 2) {
      const a = runs[r]!
      const b = runs[r + 1]
      if (!b) { next.push(a); continue }
      const out: T[] = new Array<T>(a.length + b.length)
      let i = 0
      let j = 0
      for (let k = 0; k < out.length; k++) {
        out[k] = j >= b.length || (i < a.length && compare(a[i]!, b[j]!) <= 0) ? a[i++]! : b[j++]!
        if (++moved % MERGE_SLICE === 0) await turn()
      }
      next.push(out)
    }
    runs = next
  }
  return runs[0]!
}

function matches(row: Row, query: ListQuery, times: RowTimes): boolean {
  if (query.where && !query.where(row)) return false
  for (const filter of query.filters) {
    const { column } = filter
    const value: unknown = column.field ? row.values[column.field.id] : columnKey(column, row, times)
    // an empty checkbox is an unticked one (the grid shows it so): `?done=false` finds the
    // activities a phone system or a rule created without writing `done`
    const cell = column.field?.type === 'checkbox' && (value === null || value === undefined) ? false : value
    if (filter.equals && !filter.equals.some((wanted) => equalsCell(cell, wanted))) return false
    if (filter.range) {
      const key = column.field ? sortKey(column.field, row.values[column.field.id]) : (value as Key)
      if (key === null) return false
      for (const { op, bound } of filter.range) {
        if (bound === null) return false
        if (op === 'gt' ? !(key > bound) : op === 'gte' ? !(key >= bound) : op === 'lt' ? !(key < bound) : !(key <= bound)) return false
      }
    }
  }
  return query.words.length === 0 || query.words.every((word) => someValueHas(row, word, query.searchFields))
}

function equalsCell(cell: unknown, wanted: FieldValue): boolean {
  if (wanted === null) return cell === null || cell === undefined || (Array.isArray(cell) && cell.length === 0)
  if (cell === null || cell === undefined) return false
  if (Array.isArray(cell)) return Array.isArray(wanted) ? wanted.every((w) => cell.includes(w)) : cell.includes(wanted)
  if (typeof wanted === 'string' && typeof cell === 'string') return cell === wanted || cell.toLowerCase() === wanted.toLowerCase()
  if (typeof wanted === 'object' && typeof cell === 'object') {
    const a = cell as Money
    const b = wanted as Money
    return a.amount === b.amount && a.currency === b.currency
  }
  return cell === wanted
}

function someValueHas(row: Row, word: string, fields: readonly FieldDef[]): boolean {
  for (const field of fields) {
    // link and member cells hold random ids, which a word would match by chance
    if (field.type === 'link' || field.type === 'member') continue
    const value: unknown = row.values[field.id]
    if (value === null || value === undefined) continue
    if (typeof value === 'string') {
      if (value.toLowerCase().includes(word)) return true
    } else if (Array.isArray(value)) {
      if (value.some((v) => typeof v === 'string' && v.toLowerCase().includes(word))) return true
    } else if (typeof value === 'object') {
      const money = value as Partial<Money>
      if (field.type === 'money' && typeof money.amount === 'number' && typeof money.currency === 'string'
        && `${money.amount / 10 ** currencyDigits(money.currency)} ${money.currency}`.toLowerCase().includes(word)) return true
    } else if (String(value).toLowerCase().includes(word)) {
      return true
    }
  }
  return false
}

interface CursorContent { sort: string; keys: Key[]; id: string }

export function encodeCursor(content: CursorContent): string {
  const bytes = new TextEncoder().encode(JSON.stringify([content.sort, content.keys, content.id]))
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function decodeCursor(text: string): CursorContent | null {
  let parsed: unknown
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))))
  } catch {
    // any garbage is simply not a cursor of ours
    return null
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return null
  const [sort, keys, id] = parsed as unknown[]
  if (typeof sort !== 'string' || typeof id !== 'string' || !Array.isArray(keys)) return null
  if (!keys.every((k) => k === null || typeof k === 'string' || typeof k === 'number')) return null
  return { sort, keys: keys as Key[], id }
}
