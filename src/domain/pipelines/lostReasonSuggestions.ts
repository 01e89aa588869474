import type { EntityDef, Row } from '../schema'
import { stageFieldsOf } from './stageHistory'

/**
 * The lost reasons the workspace's deals already give, most used first (ties: the one first
 * seen), so a lost deal's reason is picked rather than typed anew and reports can group them.
 * Reasons that differ only in case or surrounding spaces count as one, written as first seen.
 */
export function lostReasonSuggestions(entity: EntityDef, rows: Iterable<Row>, limit = 8): string[] {
  const field = stageFieldsOf(entity)?.lostReason
  if (!field) return []
  const counts = new Map<string, { reason: string; count: number }>()
  for (const row of rows) {
    if (row.deletedAt) continue
    const value = row.values[field.id]
    if (typeof value !== 'string' || !value.trim()) continue
    const key = value.trim().toLocaleLowerCase()
    const seen = counts.get(key)
    if (seen) seen.count++
    else counts.set(key, { reason: value.trim(), count: 1 })
  }
  // Map keeps first-seen order and sort is stable: equal counts stay in that order
  return [...counts.values()].sort((a, b) => b.count - a.count).slice(0, limit).map((r) => r.reason)
}
