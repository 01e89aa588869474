import { nameFieldIds } from '../nameFieldIds'
import { liveFields, type EntityDef, type FieldDef } from '../schema'

/**
 * How search reads a field: `text` its string (text, long text, email, URL), `phone` also its
 * digits, `select` its option's name, `multiSelect` each name, `link` the names of the records it
 * points to (a contact is found by its company's name). Numbers, money, dates, checkboxes and
 * members are not searched.
 */
export type SearchMode = 'text' | 'phone' | 'select' | 'multiSelect' | 'link'

export interface SearchField {
  def: FieldDef
  mode: SearchMode
  /** Part of the record's name (nameFieldIds): ranked above other fields of the same match. */
  name: boolean
}

const MODES: Partial<Record<FieldDef['type'], SearchMode>> = {
  text: 'text', longText: 'text', email: 'text', url: 'text', phone: 'phone', select: 'select', multiSelect: 'multiSelect', link: 'link',
}

/** The entity's searched fields, in field order. */
export function searchFields(entity: EntityDef): SearchField[] {
  const names = new Set(nameFieldIds(entity))
  const fields: SearchField[] = []
  for (const def of liveFields(entity)) {
    const mode = MODES[def.type]
    if (mode && (mode !== 'link' || def.linkEntity)) fields.push({ def, mode, name: names.has(def.id) })
  }
  return fields
}
