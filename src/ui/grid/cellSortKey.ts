import type { FieldDef, FieldValue, Money } from '../../domain/schema'
import { displayValue } from './displayValue'
import type { GridContext } from './gridContext'

export type SortKey = string | number | null

/** What a cell sorts by: amounts and numbers as numbers, dates as ISO text, the rest as the shown text. */
export function cellSortKey(field: FieldDef, value: FieldValue | undefined, ctx: GridContext): SortKey {
  if (value === null || value === undefined) return null
  if (field.type === 'money') return (value as Money).amount
  if (field.type === 'number') return value as number
  if (field.type === 'checkbox') return value ? 1 : 0
  if (field.type === 'date' || field.type === 'dateTime') return String(value)
  return displayValue(field, value, ctx).toLocaleLowerCase()
}

/** Ascending order; empty cells last. */
export function compareSortKeys(a: SortKey, b: SortKey): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  return a < b ? -1 : 1
}
