import type { DealLineInput } from './dealTotals'
import { fieldByKey, type EntityDef, type FieldValue, type Money, type Row } from '../schema'

/** The `deal_lines` field a line's total reads, by API key (ids of custom entities differ). */
export const DEAL_LINE_KEYS = ['deal', 'product', 'name', 'quantity', 'unit', 'unit_price', 'discount_pct', 'tax_pct', 'tax_included'] as const

/** Field ids of the `deal_lines` entity by key; a key an admin removed is absent. */
export function dealLineFieldIds(entity: EntityDef): Partial<Record<(typeof DEAL_LINE_KEYS)[number], string>> {
  const ids: Partial<Record<(typeof DEAL_LINE_KEYS)[number], string>> = {}
  for (const key of DEAL_LINE_KEYS) {
    const field = fieldByKey(entity, key)
    if (field) ids[key] = field.id
  }
  return ids
}

/** The deal a line belongs to (its `deal` link), or undefined. */
export function lineDealId(row: Row, dealField: string | undefined): string | undefined {
  const value = dealField ? row.values[dealField] : undefined
  if (typeof value === 'string') return value
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined
}

/** Live `deal_lines` rows → what dealTotals adds up; a value of the wrong shape reads as empty. */
export function dealLineInputs(entity: EntityDef, rows: readonly Row[]): DealLineInput[] {
  const ids = dealLineFieldIds(entity)
  return rows.map((row) => ({
    id: row.id,
    quantity: numberOf(row.values[ids.quantity ?? '']),
    unitPrice: moneyOf(row.values[ids.unit_price ?? '']),
    discountPct: numberOf(row.values[ids.discount_pct ?? '']),
    taxPct: numberOf(row.values[ids.tax_pct ?? '']),
    taxIncluded: row.values[ids.tax_included ?? ''] === true,
  }))
}

function numberOf(value: FieldValue | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

function moneyOf(value: FieldValue | undefined): Money | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  return Number.isSafeInteger(value.amount) && typeof value.currency === 'string' ? value : null
}
