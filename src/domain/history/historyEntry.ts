import type { FieldValue } from '../schema'

/*
 * The record history (issue 15): one entry per changed field, plus a record's creation, deletion
 * and restore, and the value that lost when two members set one cell while apart. The relay
 * derives the entries as it stores updates (server/history/) and keeps them beside the documents,
 * never in them, so opening a list reads no history.
 */

export const HISTORY_KINDS = ['set', 'created', 'deleted', 'restored', 'conflict', 'merged'] as const
export type HistoryKind = (typeof HISTORY_KINDS)[number]

/** How a change reached the relay: a member's app, or a write the relay made for the API, a form, a call, an import or itself. */
export const HISTORY_VIA = ['app', 'api', 'form', 'call', 'import', 'relay'] as const
export type HistoryVia = (typeof HISTORY_VIA)[number]

export interface HistoryEntry {
  entityId: string
  recordId: string
  /** ISO time of the edit: the writer's stamp, bounded by the relay's clock when it arrived. */
  at: string
  /** Member id (or the relay's own author, such as `relay:deal-lines`). */
  memberId: string
  memberName: string
  via: HistoryVia
  /** The field's id; null for created, deleted and restored. */
  fieldId: string | null
  /** Stored values (for a conflict: from = the value kept, to = the value that lost; merged: from = the merged record's id, to = the survivor's). */
  from: FieldValue | null
  to: FieldValue | null
  kind: HistoryKind
}

/**
 * A cell's mark that another value of it lost (`conflict@<field id>` in the record map): only the
 * relay writes it; a member picks a value (sets the cell) or dismisses it (removes the key).
 */
export interface ConflictMark {
  value: FieldValue
  /** Member id of whoever set the value that lost. */
  by: string
  at: string
}

export const CONFLICT_KEY_PREFIX = 'conflict@'

export function conflictKey(fieldId: string): string {
  return `${CONFLICT_KEY_PREFIX}${fieldId}`
}

export function isConflictMark(value: unknown): value is ConflictMark {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const v = value as Record<string, unknown>
  return 'value' in v && typeof v.by === 'string' && typeof v.at === 'string'
}
