import { formatFieldValue } from '../formatFieldValue'
import { nameFieldIds } from '../nameFieldIds'
import type { ParseContext } from '../parseFieldInput'
import type { EntityDef, Row } from '../schema'
import { liveFields } from '../schema'

/** Where a record stands, in field order: a deal's stage and amount, an activity's type, due time and whether it is done. */
const STANDING = new Set(['select', 'money', 'date', 'dateTime', 'checkbox'])
const MAX_PARTS = 3

/**
 * The line under a related record's name in the record panel: first where it stands (its
 * selects, money, dates, ticked boxes, in field order — a pipeline's name excepted, it rarely
 * tells deals apart), then the picker's detail (`describeRecord`: city, email, company…) while
 * fewer than three parts are shown.
 */
export function relatedRowDetail(entity: EntityDef, row: Row, ctx: ParseContext, describedDetail: string): string {
  const names = new Set(nameFieldIds(entity))
  const parts: string[] = []
  for (const field of liveFields(entity)) {
    if (parts.length === MAX_PARTS) break
    if (names.has(field.id) || !STANDING.has(field.type) || field.choicesFrom === 'pipelines') continue
    const value = row.values[field.id]
    if (value == null || value === '' || value === false) continue
    const text = field.type === 'checkbox' ? field.label : formatFieldValue(field, value, ctx)
    if (text) parts.push(text)
  }
  for (const detail of describedDetail.split(' · ')) {
    if (parts.length === MAX_PARTS) break
    if (detail && !parts.includes(detail)) parts.push(detail)
  }
  return parts.join(' · ')
}
