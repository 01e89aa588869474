import { formatFieldValue } from '../../domain/formatFieldValue'
import type { FieldDef, FieldValue } from '../../domain/schema'
import type { GridContext } from './gridContext'
import { memberNameOf } from '../session/memberDirectory'

/** Marks a link to a deleted record; undo of the delete brings the plain name back. */
export const DELETED_MARK = '(deleted) '

/** The text a cell shows; links show the linked record's name instead of its id. */
export function displayValue(field: FieldDef, value: FieldValue | undefined, ctx: GridContext): string {
  if (field.type === 'link' && value != null && field.linkEntity) {
    const names = ctx.linkNames.get(field.linkEntity)
    // names not loaded yet (the linked list opens after this one's first rows): blank for a moment
    if (!names) return ''
    const ids = Array.isArray(value) ? value : [String(value)]
    return ids.map((id) => {
      const name = names.get(id)
      if (name !== undefined) return name
      const deleted = ctx.deletedLinkName?.(field.linkEntity!, id)
      if (deleted === null) return ''
      return deleted === undefined ? '(unknown record)' : `${DELETED_MARK}${deleted}`
    }).join(', ')
  }
  // an id the member list lacks reads the list again: someone who joined after the page loaded
  if (field.type === 'member' && typeof value === 'string') return memberNameOf(ctx.parseContext.members ?? [], value) ?? formatFieldValue(field, value, ctx.parseContext)
  return formatFieldValue(field, value, ctx.parseContext)
}

/** The text an editor starts with for a stored value (links as names, so they round-trip). */
export function linkEditText(field: FieldDef, value: FieldValue | undefined, ctx: GridContext): string {
  return displayValue(field, value, ctx)
}
