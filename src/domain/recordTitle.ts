import { formatFieldValue } from './formatFieldValue'
import type { EntityDef, Row } from './schema'

/**
 * The name a record goes by in links, panels and messages: "first last" for people, otherwise
 * the entity's primary field; "Untitled <singular>" when that is empty.
 */
export function recordTitle(entity: EntityDef, row: Row): string {
  const first = entity.fields.find((f) => f.key === 'first_name' && !f.deletedAt)
  const last = entity.fields.find((f) => f.key === 'last_name' && !f.deletedAt)
  if (first && last) {
    const name = [row.values[first.id], row.values[last.id]].filter((v) => typeof v === 'string' && v.trim()).join(' ')
    if (name) return name
  }
  const primary = entity.fields.find((f) => f.id === entity.primaryField)
  const value = primary ? row.values[primary.id] : undefined
  const text = primary && value != null ? formatFieldValue(primary, value, { locale: 'en-US' }) : ''
  return text || `Untitled ${entity.singular.toLowerCase()}`
}
