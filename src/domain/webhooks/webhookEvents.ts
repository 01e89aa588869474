import { encodeApiValue } from '../api/apiRecordCodec'
import { liveFields, type EntityDef, type Row } from '../schema'

/*
 * Outgoing webhooks (issue 13): what one stored update did to one record, as events. The relay
 * diffs each record's row before and after every update it stores, so a change fires once, when
 * it reaches the relay, whether it was made online, offline or through the API.
 */

export const WEBHOOK_EVENTS = ['record.created', 'record.updated', 'record.deleted', 'deal.stage_changed'] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

export function isWebhookEvent(value: unknown): value is WebhookEvent {
  return (WEBHOOK_EVENTS as readonly unknown[]).includes(value)
}

/** A field's value before and after, as the API shows it. */
export interface FieldChange { from: unknown; to: unknown }

/** The changed fields by API key; `deleted_at` too when a record was deleted or restored. */
export type FieldChanges = Record<string, FieldChange>

export interface RecordEvent {
  event: WebhookEvent
  recordId: string
  changes: FieldChanges
}

/** The entity and field whose changes are `deal.stage_changed`. */
export const DEAL_ENTITY_KEY = 'deals'
export const DEAL_STAGE_KEY = 'stage'

/** A record the API shows: created, not soft-deleted. */
export function isLiveRow(row: Row | undefined): boolean {
  return row !== undefined && row.createdAt !== '' && row.deletedAt === undefined
}

/**
 * The events of one record for one stored update. A new record is `record.created` (its filled
 * fields from null); a soft delete `record.deleted` (`deleted_at` from null); a restore is
 * `record.updated` with `deleted_at` from its deletion time to null (the record is back, as it
 * was, and an integration that mirrors records needs no fifth event for it); an edit of live
 * fields `record.updated`, plus `deal.stage_changed` when a deal's stage changed. Edits of a
 * deleted record, or of fields the API does not show, fire nothing.
 */
export function recordEvents(entity: EntityDef, before: Row | undefined, after: Row | undefined): RecordEvent[] {
  const wasLive = isLiveRow(before)
  const isLive = isLiveRow(after)
  if (!wasLive && after && isLive) {
    if (before?.deletedAt !== undefined && before.createdAt !== '') {
      return [{ event: 'record.updated', recordId: after.id, changes: { ...fieldChanges(entity, before, after), deleted_at: { from: before.deletedAt, to: null } } }]
    }
    return [{ event: 'record.created', recordId: after.id, changes: fieldChanges(entity, undefined, after) }]
  }
  if (before && wasLive && !isLive) {
    return [{ event: 'record.deleted', recordId: before.id, changes: { deleted_at: { from: null, to: after?.deletedAt ?? null } } }]
  }
  if (!before || !after || !wasLive || !isLive) return []
  const changes = fieldChanges(entity, before, after)
  if (Object.keys(changes).length === 0) return []
  const events: RecordEvent[] = [{ event: 'record.updated', recordId: after.id, changes }]
  const stage = changes[DEAL_STAGE_KEY]
  if (entity.key === DEAL_ENTITY_KEY && stage) events.push({ event: 'deal.stage_changed', recordId: after.id, changes })
  return events
}

/** Live fields whose API value differs, by API key; a missing `before` counts every filled field. */
export function fieldChanges(entity: EntityDef, before: Row | undefined, after: Row): FieldChanges {
  const changes: FieldChanges = {}
  for (const field of liveFields(entity)) {
    const from = before ? encodeApiValue(field, before.values[field.id]) : encodeApiValue(field, undefined)
    const to = encodeApiValue(field, after.values[field.id])
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field.key] = { from, to }
  }
  return changes
}
