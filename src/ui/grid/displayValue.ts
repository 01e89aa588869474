import { formatFieldValue } from '../../domain/formatFieldValue'
import type { FieldDef, FieldValue } from '../../domain/schema'
import type { GridContext } from './gridContext'

/** The text a cell shows; links show the linked record's name instead of its id. */
export function displayValue(field: FieldDef, value: FieldValue | undefined, ctx: GridContext): string {
  if (field.type === 'link' && value != null && field.linkEntity) {
    const names = ctx.linkNames.get(field.linkEntity)
    // names not loaded yet (the linked list opens after this one's first rows): blank for a moment
    if (!names) return ''
    const ids = Array.isArray(value) ? value : [String(value)]
    return ids.map((id) => names.get(id) ?? '(unknown record)').join(', ')
  }
  return formatFieldValue(field, value, ctx.parseContext)
}

/** The text an editor starts with for a stored value (links as names, so they round-trip). */
export function linkEditText(field: FieldDef, value: FieldValue | undefined, ctx: GridContext): string {
  return displayValue(field, value, ctx)
}
