import { readApiValue } from '../api/apiRecordCodec'
import type { StageChange } from '../pipelines/stageHistory'
import type { EntityDef, FieldDef, FieldValue } from '../schema'
import type { HistoryKind, HistoryVia } from './historyEntry'

/*
 * The record panel's timeline (issue 15): the relay's history of a record (GET
 * /api/v1/{entity}/{id}/history, values in the API's codec) as groups a person reads at a
 * glance — newest first, one group per member and minute — with each value back in its stored
 * form, so the panel formats it as the grid does and "Restore" writes exactly what was there.
 */

/** One entry as GET /api/v1/{entity}/{id}/history answers it (server/api/recordHistoryRoute.ts). */
export interface ApiHistoryEntry {
  at: string
  member: { id: string; name: string }
  /** The field's API key; null for created, deleted and restored. */
  field: string | null
  from: unknown
  to: unknown
  kind: HistoryKind
  via: HistoryVia
  /** Set on entries of a record merged into this one (the relay reads its history too): that record's id. */
  record?: string
}

export interface TimelineItem {
  kind: HistoryKind | 'stage'
  at: string
  /** The field, when the schema still has it (a removed field's entries keep its key as `fieldKey`). */
  field: FieldDef | null
  fieldKey: string | null
  /** Stored values (a stage change: stage ids); for a conflict, from = the value kept, to = the one that lost. */
  from: FieldValue | null
  to: FieldValue | null
  /** The record merged into this one that the entry is of; absent: this record's own. */
  record?: string
}

export interface TimelineGroup {
  /** Stable for a list: the first item's time, member and via. */
  key: string
  memberId: string
  memberName: string
  via: HistoryVia
  /** The group's minute, ISO (the newest item's time). */
  at: string
  items: TimelineItem[]
}

/**
 * Groups a record's history, newest first: consecutive entries of one member, through one way
 * in, within one minute are one group. A deal's stage changes (its `stage@` entries, written
 * with the move even offline) are kept as their own items in place of the relay's entries of the
 * stage field that say the same.
 */
export function historyTimeline(entity: EntityDef, entries: readonly ApiHistoryEntry[], stageChanges: readonly StageChange[] = [], stageFieldKey?: string): TimelineGroup[] {
  const byKey = new Map(entity.fields.map((f) => [f.key, f]))
  const stageTargets = new Set(stageChanges.map((c) => c.to))
  const items: { memberId: string; memberName: string; via: HistoryVia; item: TimelineItem }[] = []
  for (const e of entries) {
    const field = e.field === null ? null : byKey.get(e.field) ?? null
    if (e.kind === 'set' && stageFieldKey !== undefined && e.field === stageFieldKey && stageTargets.has(typeof e.to === 'string' ? e.to : null)) continue
    items.push({
      memberId: e.member.id, memberName: e.member.name, via: e.via,
      item: { kind: e.kind, at: e.at, field, fieldKey: e.field, from: storedValueOf(field, e.from), to: storedValueOf(field, e.to), ...(e.record ? { record: e.record } : {}) },
    })
  }
  // a stage change names its member by id: the relay's entries name them too
  const names = new Map(entries.map((e) => [e.member.id, e.member.name]))
  for (const c of stageChanges) {
    items.push({ memberId: c.by, memberName: names.get(c.by) ?? '', via: 'app', item: { kind: 'stage', at: c.at, field: null, fieldKey: stageFieldKey ?? null, from: c.from, to: c.to } })
  }
  // newest first; the relay's order (later appended first) for one time
  const order = new Map(items.map((x, k) => [x, k]))
  items.sort((a, b) => (a.item.at === b.item.at ? order.get(a)! - order.get(b)! : a.item.at < b.item.at ? 1 : -1))
  const groups: TimelineGroup[] = []
  for (const x of items) {
    const last = groups[groups.length - 1]
    if (last && last.memberId === x.memberId && last.via === x.via && minuteOf(last.at) === minuteOf(x.item.at)) {
      last.items.push(x.item)
      continue
    }
    groups.push({ key: `${x.item.at}\n${x.memberId}\n${x.via}\n${groups.length}`, memberId: x.memberId, memberName: x.memberName, via: x.via, at: x.item.at, items: [x.item] })
  }
  return groups
}

/**
 * Whether two groups read the same — one read of the relay's history against the next: the same
 * member, way in and minute, and items of the same kinds, fields (the schema's same field), times
 * and values.
 */
export function sameTimelineGroup(a: TimelineGroup, b: TimelineGroup): boolean {
  if (a === b) return true
  if (a.memberId !== b.memberId || a.memberName !== b.memberName || a.via !== b.via || a.at !== b.at || a.items.length !== b.items.length) return false
  return a.items.every((x, k) => {
    const y = b.items[k]!
    return x.kind === y.kind && x.at === y.at && x.field === y.field && x.fieldKey === y.fieldKey && x.record === y.record
      && sameValue(x.from, y.from) && sameValue(x.to, y.to)
  })
}

/** Values are plain JSON (money and link lists are objects and arrays). */
function sameValue(a: FieldValue | null, b: FieldValue | null): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b))
}

/** `2026-03-01T10:04` of an ISO instant (UTC minutes: a group never spans two of them). */
function minuteOf(iso: string): string {
  const t = Date.parse(iso)
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(0, 16)
}

/**
 * An API value of a history entry as the record stores it: money back in minor units, an empty
 * link list as no value; other values are stored as the API shows them.
 */
export function storedValueOf(field: FieldDef | null, raw: unknown): FieldValue | null {
  if (raw === null || raw === undefined) return null
  if (!field) return raw as FieldValue
  if (field.type === 'money' && typeof raw === 'object' && !Array.isArray(raw)) {
    const read = readApiValue(field, raw, { members: [] })
    return read.ok ? read.value : null
  }
  if (field.type === 'link' && Array.isArray(raw) && raw.length === 0) return null
  return raw as FieldValue
}
