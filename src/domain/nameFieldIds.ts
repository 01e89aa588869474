import type { EntityDef } from './schema'
import { liveFields } from './schema'

/**
 * The fields a record's name is made of, in the entity's field order: its primary field, and for
 * people first and last name (recordTitle joins them). The grid pins these at the left, so typing
 * a new contact's first name and pressing Tab lands in its last name, as in the field order.
 */
export function nameFieldIds(entity: EntityDef): string[] {
  const fields = liveFields(entity)
  const person = fields.some((f) => f.key === 'first_name') && fields.some((f) => f.key === 'last_name')
  return fields
    .filter((f) => f.id === entity.primaryField || (person && (f.key === 'first_name' || f.key === 'last_name')))
    .map((f) => f.id)
}
