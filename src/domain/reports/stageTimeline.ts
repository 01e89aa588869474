import { instantMs } from '../instantMs'
import { STAGE_CHANGE_KEY, isStageChange, type StageChange } from '../pipelines/stageHistory'
import type { Row } from '../schema'

/**
 * A deal's stage changes as reports read them: in stageChangesOf's order (by `at`, ties by key),
 * their times parsed. Kept per Row object: a record's Row is replaced whenever it changes (the
 * stores hand out new rows in patches), so a dashboard running its reports again after an edit
 * reads only the edited deals' changes again.
 */
export interface StageTimeline {
  readonly length: number
  readonly from: readonly (string | null)[]
  readonly to: readonly (string | null)[]
  readonly at: readonly string[]
  readonly ms: Float64Array
}

const NONE: StageTimeline = { length: 0, from: [], to: [], at: [], ms: new Float64Array(0) }
const timelines = new WeakMap<Row, StageTimeline>()

export function stageTimeline(row: Row): StageTimeline {
  let timeline = timelines.get(row)
  if (!timeline) {
    timeline = readTimeline(row)
    timelines.set(row, timeline)
  }
  return timeline
}

function readTimeline(row: Row): StageTimeline {
  let from: (string | null)[] | null = null
  let to: (string | null)[] = []
  let at: string[] = []
  let keys: string[] = []
  const values = row.values as Record<string, unknown>
  for (const key in values) {
    if (!key.startsWith('stage@') || !STAGE_CHANGE_KEY.test(key)) continue
    const value = values[key]
    if (!isStageChange(value)) continue
    const change = value as StageChange
    if (!from) { from = []; to = []; at = []; keys = [] }
    // insertion in order: a deal has a handful of changes
    let i = from.length
    while (i > 0 && (at[i - 1]! > change.at || (at[i - 1] === change.at && keys[i - 1]!.localeCompare(key) > 0))) i--
    from.splice(i, 0, change.from)
    to.splice(i, 0, change.to)
    at.splice(i, 0, change.at)
    keys.splice(i, 0, key)
  }
  if (!from) return NONE
  const ms = new Float64Array(at.length)
  for (let i = 0; i < at.length; i++) ms[i] = instantMs(at[i]!)
  return { length: at.length, from, to, at, ms }
}
