import { unneutralised } from '../csvCell'
import { parseFieldInput, type ParseContext } from '../parseFieldInput'
import { matchKey } from '../normalizeSpaces'
import { liveFields, type EntityDef, type FieldDef, type FieldValue, type Row } from '../schema'
import type { ImportRow } from './importRow'

export const DEDUPE_BY = ['email', 'phone', 'name'] as const
export type DedupeBy = typeof DEDUPE_BY[number]
export const ON_DUPLICATE = ['skip', 'update', 'create'] as const
export type OnDuplicate = typeof ON_DUPLICATE[number]

/** A refused cell, by the field's API key, and why (parseFieldInput's words). */
export interface ImportFieldError { field: string; message: string }

export type ImportDecision =
  | { kind: 'create'; row: number; id: string; values: Record<string, FieldValue> }
  | { kind: 'update'; row: number; id: string; values: Record<string, FieldValue> }
  | { kind: 'skip' }
  | { kind: 'reject'; row: number; errors: ImportFieldError[] }

export interface ImportPlanOptions {
  entity: EntityDef
  /** The field each column fills (matchImportColumns). */
  columns: readonly (FieldDef | null)[]
  parse: ParseContext
  /** The entity's live rows now, for duplicates. */
  existing: Iterable<Row>
  dedupe?: DedupeBy
  onDuplicate: OnDuplicate
  /** The id a created record gets. */
  newId: () => string
}

/** Why a dedupe cannot be done on this entity (no email field to compare by). */
export class ImportDedupeError extends Error {
  constructor(readonly by: DedupeBy, message: string) {
    super(message)
    this.name = 'ImportDedupeError'
  }
}

/**
 * Decides each imported row in file order: its cells read by the grid's parsers (parseFieldInput:
 * `1 234,50 €`, `27.11.2026`, phones, options, members, links by name); a row with any refused
 * cell — or a required field left empty on a new record — is refused whole with every problem.
 * With `dedupe`, a row whose email, normalised phone or name matches a live record, or an earlier
 * row of the same file, is a duplicate: skipped, written over that record (its empty cells leave
 * the fields as they are), or created anyway, as `onDuplicate` says.
 */
export class ImportPlanner {
  private readonly keyOf: ((values: Record<string, FieldValue>) => string | null) | null
  private readonly known = new Map<string, string>()

  constructor(private readonly options: ImportPlanOptions) {
    this.keyOf = options.dedupe ? dedupeKey(options.entity, options.dedupe) : null
    if (this.keyOf) {
      for (const row of options.existing) {
        if (row.deletedAt !== undefined) continue
        const key = this.keyOf(row.values)
        if (key !== null && !this.known.has(key)) this.known.set(key, row.id)
      }
    }
  }

  plan(row: ImportRow): ImportDecision {
    const { columns, parse, entity } = this.options
    const values: Record<string, FieldValue> = {}
    const errors: ImportFieldError[] = []
    columns.forEach((field, i) => {
      // a cell an export neutralised ('=…, '+49 …) reads as what was exported
      const text = unneutralised(row.cells[i] ?? '')
      if (!field || text.trim() === '') return
      const read = parseFieldInput(field, text, parse)
      if (read.ok) values[field.id] = read.value
      else errors.push({ field: field.key, message: read.error })
    })
    if (errors.length) return { kind: 'reject', row: row.row, errors }
    const key = this.keyOf?.(values) ?? null
    const duplicateOf = key === null ? undefined : this.known.get(key)
    if (duplicateOf !== undefined && this.options.onDuplicate === 'skip') return { kind: 'skip' }
    if (duplicateOf !== undefined && this.options.onDuplicate === 'update') return { kind: 'update', row: row.row, id: duplicateOf, values }
    const missing = liveFields(entity).filter((f) => f.required && (values[f.id] === undefined || values[f.id] === null))
    if (missing.length) return { kind: 'reject', row: row.row, errors: missing.map((f) => ({ field: f.key, message: `${f.label} is required` })) }
    const id = this.options.newId()
    if (key !== null && duplicateOf === undefined) this.known.set(key, id)
    return { kind: 'create', row: row.row, id, values }
  }
}

/** What a record is compared by: its email, its phone's digits (stored normalised, +E.164), or its name ignoring case and spacing. */
function dedupeKey(entity: EntityDef, by: DedupeBy): (values: Record<string, FieldValue>) => string | null {
  const fields = liveFields(entity)
  const pick = (type: FieldDef['type']) => fields.find((f) => f.type === type && f.key === type) ?? fields.find((f) => f.type === type)
  if (by === 'email' || by === 'phone') {
    const field = pick(by)
    if (!field) throw new ImportDedupeError(by, `${entity.label} has no ${by} field to find duplicates by (dedupe=name compares names)`)
    return (values) => {
      const value = values[field.id]
      if (typeof value !== 'string' || value === '') return null
      return by === 'email' ? value.toLowerCase() : value.replace(/[^\d+]/g, '')
    }
  }
  const first = fields.find((f) => f.key === 'first_name')
  const last = fields.find((f) => f.key === 'last_name')
  const primary = fields.find((f) => f.id === entity.primaryField)
  return (values) => {
    const parts = first && last ? [values[first.id], values[last.id]] : [primary ? values[primary.id] : undefined]
    const name = parts.filter((v): v is string => typeof v === 'string' && v.trim() !== '').join(' ')
    return name ? matchKey(name) : null
  }
}
