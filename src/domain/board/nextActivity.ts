import { firstLink } from './boardColumns'
import type { EntityDef, Row } from '../schema'

/** The activity a deal's card names as next: its subject and when it is due. */
export interface NextActivity { id: string; subject: string; due: string }

/**
 * The earliest not-done activity with a due time linked to each record, by record id: an
 * activity counts for every record any of its link fields names (a deal, a contact, a company).
 * Built once over the activities, so each card is a look-up, not a scan.
 */
export function nextActivities(activities: EntityDef, rows: Iterable<Row>): Map<string, NextActivity> {
  const live = activities.fields.filter((f) => !f.deletedAt)
  const due = live.find((f) => f.key === 'due' && (f.type === 'dateTime' || f.type === 'date'))
  const done = live.find((f) => f.key === 'done' && f.type === 'checkbox')
  const subject = live.find((f) => f.id === activities.primaryField)
  const links = live.filter((f) => f.type === 'link')
  const next = new Map<string, NextActivity>()
  if (!due) return next
  for (const row of rows) {
    if (row.deletedAt || (done && row.values[done.id] === true)) continue
    const when = row.values[due.id]
    if (typeof when !== 'string' || !when) continue
    const at = new Date(when.length === 10 ? `${when}T00:00:00Z` : when).toISOString()
    const activity: NextActivity = { id: row.id, subject: subject && typeof row.values[subject.id] === 'string' ? String(row.values[subject.id]) : '', due: at }
    for (const f of links) {
      const v = row.values[f.id]
      const ids = typeof v === 'string' ? [v] : Array.isArray(v) ? v : []
      for (const id of ids) {
        const known = next.get(id)
        if (!known || activity.due < known.due || (activity.due === known.due && activity.id < known.id)) next.set(id, activity)
      }
    }
  }
  return next
}

/**
 * A deal's next activity: the earliest of those linked to the deal itself, and — when none is —
 * to its company or its contacts (calls and meetings are usually logged against the people).
 */
export function nextActivityOf(deal: Row, dealEntity: EntityDef, next: ReadonlyMap<string, NextActivity>): NextActivity | undefined {
  const own = next.get(deal.id)
  if (own) return own
  let best: NextActivity | undefined
  for (const f of dealEntity.fields) {
    if (f.deletedAt || f.type !== 'link' || (f.key !== 'company' && f.key !== 'contacts')) continue
    const v = deal.values[f.id]
    const ids = f.multiple && Array.isArray(v) ? v : [firstLink(v)].filter((x): x is string => x !== undefined)
    for (const id of ids) {
      const a = next.get(id)
      if (a && (!best || a.due < best.due)) best = a
    }
  }
  return best
}
