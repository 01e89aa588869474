import { countLabel } from '../countLabel'
import type { EntityDef, FieldValue } from '../schema'

/** A bulk edit: one field set to one value (null: emptied) on many records. */
export interface BulkEdit { fieldId: string; value: FieldValue | null; recordIds: readonly string[] }

/**
 * The question asked before a bulk edit is written, naming the field, the value and the count:
 * "Set Stage to Won on 50 deals?", "Clear Phone on 3 contacts?".
 */
export function bulkEditQuestion(entity: Pick<EntityDef, 'label' | 'singular'>, fieldLabel: string, valueText: string, count: number, locale: string): string {
  const rows = countLabel(count, entity, locale)
  return valueText.trim() ? `Set ${fieldLabel} to ${valueText} on ${rows}?` : `Clear ${fieldLabel} on ${rows}?`
}

/** "Delete 50 deals?": the question before a bulk delete. */
export function bulkDeleteQuestion(entity: Pick<EntityDef, 'label' | 'singular'>, count: number, locale: string): string {
  return `Delete ${countLabel(count, entity, locale)}?`
}

/**
 * The cell changes of a bulk edit, built `slice` records at a time: the caller waits a turn
 * between slices (and shows how far it got), so thousands of records never make one long task;
 * the changes are written afterwards in one update, one undo step.
 */
export function* bulkEditChanges(edit: BulkEdit, also: Readonly<Record<string, FieldValue>> = {}, slice = 2000): Generator<{ recordId: string; fieldId: string; value: FieldValue }[]> {
  const extra = Object.entries(also)
  for (let start = 0; start < edit.recordIds.length; start += slice) {
    const changes: { recordId: string; fieldId: string; value: FieldValue }[] = []
    for (const recordId of edit.recordIds.slice(start, start + slice)) {
      changes.push({ recordId, fieldId: edit.fieldId, value: edit.value })
      for (const [fieldId, value] of extra) changes.push({ recordId, fieldId, value })
    }
    yield changes
  }
}
