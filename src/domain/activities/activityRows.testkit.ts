import { defaultSchema } from '../defaultSchema'
import type { FieldValue, Row } from '../schema'
import { activityFieldsOf } from './activityFields'

/** The default activities' fields and a row maker, for the tests beside them. */
export const activities = activityFieldsOf(defaultSchema().entities.find((e) => e.id === 'activities')!)

export function activityRow(id: string, values: Record<string, FieldValue>, createdAt = '2026-01-01T00:00:00.000Z'): Row {
  return { id, createdAt, createdBy: 'm1', values: Object.fromEntries(Object.entries(values).map(([k, v]) => [`activities.${k}`, v])) }
}
