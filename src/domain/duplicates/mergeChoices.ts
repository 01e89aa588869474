import type { EntityDef, FieldDef, FieldValue, Row } from '../schema'
import { liveFields } from '../schema'

/** Field id → the record whose value the survivor keeps. */
export type MergeChoices = Record<string, string>

const isEmpty = (value: FieldValue | undefined) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
const same = (a: FieldValue | undefined, b: FieldValue | undefined) => (isEmpty(a) && isEmpty(b)) || JSON.stringify(a) === JSON.stringify(b)

/** The fields a side-by-side review shows: every live field, in field order. */
export function reviewFields(entity: EntityDef): FieldDef[] {
  return liveFields(entity)
}

/** True when the records do not all hold the same value (empty counts as one value). */
export function valuesDiffer(field: FieldDef, rows: readonly Row[]): boolean {
  return rows.some((r) => !same(r.values[field.id], rows[0]?.values[field.id]))
}

/**
 * Where each value comes from at first: the survivor's own, unless it is empty and another record
 * has one (the oldest such record) — a merge then loses nothing anyone typed.
 */
export function initialChoices(entity: EntityDef, rows: readonly Row[], survivor: string): MergeChoices {
  const choices: MergeChoices = {}
  const first = rows.find((r) => r.id === survivor)
  for (const field of reviewFields(entity)) {
    const filled = isEmpty(first?.values[field.id]) ? rows.find((r) => !isEmpty(r.values[field.id])) : undefined
    choices[field.id] = filled?.id ?? survivor
  }
  return choices
}

/** The values the survivor takes: each field's chosen record's value, only where it differs from the survivor's. */
export function chosenValues(entity: EntityDef, rows: readonly Row[], survivor: string, choices: MergeChoices): Record<string, FieldValue> {
  const byId = new Map(rows.map((r) => [r.id, r]))
  const kept = byId.get(survivor)
  const values: Record<string, FieldValue> = {}
  for (const field of reviewFields(entity)) {
    const from = byId.get(choices[field.id] ?? survivor) ?? kept
    const value = from?.values[field.id] ?? null
    if (!same(value, kept?.values[field.id])) values[field.id] = value
  }
  return values
}
