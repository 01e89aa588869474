import { liveFields, type EntityDef, type FieldDef, type FieldValue, type Row } from '../schema'

/**
 * The activity fields My work, the record panel's timeline and the reminders read, found by
 * their API keys (public and never renamed), so a workspace whose ids differ still works; a
 * field an admin removed is simply absent.
 */
export interface ActivityFields {
  entity: EntityDef
  type?: FieldDef
  subject?: FieldDef
  due?: FieldDef
  done?: FieldDef
  doneAt?: FieldDef
  owner?: FieldDef
  outcome?: FieldDef
  /** The links to what the activity is about (lead, contact, company, deal, custom ones): every live link field. */
  related: FieldDef[]
}

export function activityFieldsOf(entity: EntityDef): ActivityFields {
  const live = liveFields(entity)
  const byKey = (key: string) => live.find((f) => f.key === key)
  return {
    entity,
    type: byKey('type'), subject: byKey('subject'), due: byKey('due'), done: byKey('done'),
    doneAt: byKey('done_at'), owner: byKey('owner'), outcome: byKey('outcome'),
    related: live.filter((f) => f.type === 'link' && !!f.linkEntity),
  }
}

/** One record an activity is about: the entity it lives in and its id. */
export interface ActivityLink { entityId: string; recordId: string }

/** Every record the activity links to, in field order (a call about a contact and its deal: both). */
export function activityLinks(fields: ActivityFields, row: Row): ActivityLink[] {
  const out: ActivityLink[] = []
  for (const f of fields.related) {
    for (const id of idsOf(row.values[f.id])) out.push({ entityId: f.linkEntity!, recordId: id })
  }
  return out
}

export function isDone(fields: ActivityFields, row: Row): boolean {
  return !!fields.done && row.values[fields.done.id] === true
}

/** The due instant in ms, or null for none or a value that is no date-time. */
export function dueMs(fields: ActivityFields, row: Row): number | null {
  const value = fields.due ? row.values[fields.due.id] : null
  if (typeof value !== 'string') return null
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? null : ms
}

export function ownerOf(fields: ActivityFields, row: Row): string | null {
  const value = fields.owner ? row.values[fields.owner.id] : null
  return typeof value === 'string' ? value : null
}

function idsOf(value: FieldValue | undefined): string[] {
  if (typeof value === 'string') return value ? [value] : []
  return Array.isArray(value) ? value : []
}
