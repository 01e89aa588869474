import { instantMs } from '../instantMs'
import { STAGE_CHANGE_KEY, isStageChange, type StageChange } from '../pipelines/stageHistory'
import type { Row } from '../schema'

/**
 * A deal's stage changes as reports read them: in stageChangesOf's order (by `at`, ties by key),
 * their times parsed; the first `length` entries of each array are the deal's.
 */
export interface StageTimeline {
  readonly length: number
  readonly from: readonly (string | null)[]
  readonly to: readonly (string | null)[]
  readonly at: readonly string[]
  readonly ms: Float64Array
}

/**
 * Reads one deal's timeline after another into the same arrays: what a reader returns holds
 * until its next read. Reports keep what they learn of a deal (rowFacts) and read its changes
 * once per report; a timeline kept per Row object cost a WeakMap entry and five arrays per deal,
 * most of a first run's garbage over 100k deals.
 */
export function makeStageTimelineReader(): (row: Row) => StageTimeline {
  const from: (string | null)[] = []
  const to: (string | null)[] = []
  const at: string[] = []
  const keys: string[] = []
  let ms = new Float64Array(8)
  const timeline = { length: 0, from, to, at, ms }
  return (row) => {
    let n = 0
    const values = row.values as Record<string, unknown>
    for (const key in values) {
      if (!key.startsWith('stage@') || !STAGE_CHANGE_KEY.test(key)) continue
      const value = values[key]
      if (!isStageChange(value)) continue
      const change = value as StageChange
      // insertion in order: a deal has a handful of changes
      let i = n
      while (i > 0 && (at[i - 1]! > change.at || (at[i - 1] === change.at && keys[i - 1]!.localeCompare(key) > 0))) {
        from[i] = from[i - 1]!; to[i] = to[i - 1]!; at[i] = at[i - 1]!; keys[i] = keys[i - 1]!
        i--
      }
      from[i] = change.from; to[i] = change.to; at[i] = change.at; keys[i] = key
      n++
    }
    if (n > ms.length) { ms = new Float64Array(n * 2); timeline.ms = ms }
    for (let i = 0; i < n; i++) ms[i] = instantMs(at[i]!)
    timeline.length = n
    return timeline
  }
}

/**
 * When a deal last moved into `stage`: the `at` of the latest such change in stageTimeline's
 * order; null when its history holds none.
 */
export function lastChangeInto(row: Row, stage: string): string | null {
  let at: string | null = null, atKey = ''
  const values = row.values as Record<string, unknown>
  for (const key in values) {
    if (!key.startsWith('stage@')) continue
    const value = values[key] as StageChange | null
    // only a change into the stage is checked: most of a deal's changes are not
    if (typeof value !== 'object' || value === null || value.to !== stage || !STAGE_CHANGE_KEY.test(key) || !isStageChange(value)) continue
    const change = value
    if (at === null || change.at > at || (change.at === at && key.localeCompare(atKey) > 0)) { at = change.at; atKey = key }
  }
  return at
}
