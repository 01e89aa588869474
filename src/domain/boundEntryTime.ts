import { DOCUMENT_ISSUE_KEY } from './deals/dealDocuments'
import { STAGE_CHANGE_KEY } from './pipelines/stageHistory'

/*
 * Entries written beside a record's values that say when something happened carry the writer's
 * clock as `at` (an offline edit keeps its own time). The relay bounds that clock when the entry
 * arrives: a time later than the relay's own clock, past a small skew, is a wrong clock, not the
 * future, and reports would trust it — so the relay writes the entry again with its arrival time,
 * and every client ends with that. Earlier times are kept as written (offline work).
 */

/** The `@`-entries whose `at` is a writer's clock, by key prefix (every new entry names its key in full). */
export const TIMED_ENTRIES: readonly { prefix: string; key: RegExp }[] = [
  { prefix: 'stage@', key: STAGE_CHANGE_KEY },
  { prefix: 'document@', key: DOCUMENT_ISSUE_KEY },
]

/** How far ahead of the relay's clock a writer's `at` may be before it counts as a wrong clock. */
export const MAX_CLOCK_AHEAD_MS = 2 * 60 * 1000

/** Whether a record-map key is an entry whose `at` the relay bounds. */
export function isTimedEntryKey(key: string): boolean {
  for (const entry of TIMED_ENTRIES) if (key.startsWith(entry.prefix) && entry.key.test(key)) return true
  return false
}

/**
 * A writer's time as the relay keeps it, the one rule for entries and edit stamps alike: `at`
 * when it is no more than `aheadMs` later than the arrival at `arrivedAt`, else the arrival; an
 * absent or unreadable time (a stock client's edit) is the arrival too.
 */
export function boundWriterTime(at: string | undefined, arrivedAt: Date, aheadMs = MAX_CLOCK_AHEAD_MS): string {
  const t = at === undefined ? Number.NaN : Date.parse(at)
  return Number.isNaN(t) || t > arrivedAt.getTime() + aheadMs ? arrivedAt.toISOString() : new Date(t).toISOString()
}

/**
 * The entry as the relay keeps it when it arrived at `arrivedAt`: with `at` set to the arrival
 * time when the writer's `at` is more than `aheadMs` later than that; null when it stays as it is
 * (on time, in the past, or not an entry with an `at`).
 */
export function boundEntryTime(value: unknown, arrivedAt: Date, aheadMs = MAX_CLOCK_AHEAD_MS): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const entry = value as Record<string, unknown>
  if (typeof entry.at !== 'string') return null
  const at = Date.parse(entry.at)
  if (Number.isNaN(at) || at <= arrivedAt.getTime() + aheadMs) return null
  return { ...entry, at: arrivedAt.toISOString() }
}
