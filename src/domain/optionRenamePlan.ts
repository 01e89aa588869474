import { matchKey } from './normalizeSpaces'
import type { FieldDef, FieldValue, Row } from './schema'

/** One cell to rewrite (the shape of src/crdt's CellChange). */
export interface OptionValueChange { recordId: string; fieldId: string; value: FieldValue }

/**
 * The cells a renamed option rewrites: a select holding `from` gets `to`; a multi-select keeps
 * its order with `from` replaced (once, should it then hold `to` twice). Stored values are the
 * options' names (the API and CSV speak them), so a rename is a rewrite of every record that
 * holds it — applied as one edit, one undo step. Values are compared as the parser matches
 * options (case and spacing ignored), so an older spelling is renamed too.
 */
export function optionRenamePlan(field: FieldDef, rows: Iterable<Row>, from: string, to: string): OptionValueChange[] {
  const key = matchKey(from)
  const changes: OptionValueChange[] = []
  for (const row of rows) {
    const value = row.values[field.id]
    if (field.type === 'select') {
      if (typeof value === 'string' && matchKey(value) === key && value !== to) changes.push({ recordId: row.id, fieldId: field.id, value: to })
    } else if (field.type === 'multiSelect' && Array.isArray(value)) {
      if (!value.some((v) => matchKey(v) === key)) continue
      const next = [...new Set(value.map((v) => (matchKey(v) === key ? to : v)))]
      if (JSON.stringify(next) !== JSON.stringify(value)) changes.push({ recordId: row.id, fieldId: field.id, value: next })
    }
  }
  return changes
}
