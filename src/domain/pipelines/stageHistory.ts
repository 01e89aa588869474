import type { EntityDef, FieldDef, FieldValue, Row } from '../schema'
import { choiceIdOf } from './stageChoices'
import { findStage, type Pipeline } from './pipeline'

/*
 * Every change of a deal's stage is kept beside the deal's values as its own entry,
 * `stage@<change id>` → { from, to, at, by }, written in the same transaction as the stage
 * edit by whoever makes it (grid, API, board). One entry per change, never a list: two
 * members moving one deal offline both keep their change, and undoing a move takes its entry
 * back with it. `at` is the writer's clock when the change was made (an offline edit keeps its
 * own time); `by` is the member.
 */

/** The record-map key of one stage change (not a field id: those have no `@`). */
export const STAGE_CHANGE_KEY = /^stage@[A-Za-z0-9_-]{1,40}$/
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:?\d{2})$/
const ID_MAX = 200

export interface StageChange {
  /** The stage id before the change (null: none, e.g. a new deal). */
  from: string | null
  to: string | null
  /** ISO instant the change was made, by the writer's clock. */
  at: string
  /** The member who made it. */
  by: string
}

const isId = (v: unknown) => v === null || (typeof v === 'string' && v.length <= ID_MAX)

/** Whether a stored value has the shape of a stage change (the relay's layout check). */
export function isStageChange(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const v = value as Record<string, unknown>
  return Object.keys(v).length === 4 && isId(v.from) && isId(v.to) && typeof v.at === 'string' && ISO_INSTANT.test(v.at) &&
    typeof v.by === 'string' && v.by.length <= ID_MAX
}

/** The deals' fields a stage edit involves (absent on other entities). */
export interface StageFields { stage: FieldDef; pipeline?: FieldDef; lostReason?: FieldDef }

export function stageFieldsOf(entity: EntityDef): StageFields | undefined {
  const live = entity.fields.filter((f) => !f.deletedAt)
  const stage = live.find((f) => f.choicesFrom === 'stages')
  if (!stage) return undefined
  return { stage, pipeline: live.find((f) => f.choicesFrom === 'pipelines'), lostReason: live.find((f) => f.key === 'lost_reason') }
}

export interface StageEditPlan {
  /** Values to write with the edit: the change's entry, and the deal's pipeline when the stage belongs to another one. */
  extra: Record<string, FieldValue | StageChange>
  /** The edit moves the deal to a lost stage and leaves it without a lost reason. */
  lostWithoutReason: boolean
}

/**
 * What a write of `values` (keyed by field id) to a deal (`before`, undefined for a new one)
 * adds: a stage change entry when the stage changes, the pipeline of the new stage, and whether
 * a lost reason is missing. `changeId` makes the entry's key (a random id from the caller).
 */
export function planStageEdit(entity: EntityDef, pipelines: readonly Pipeline[], before: Row | undefined, values: Readonly<Record<string, FieldValue>>,
  by: string, now: Date, changeId: string): StageEditPlan {
  const plan: StageEditPlan = { extra: {}, lostWithoutReason: false }
  const fields = stageFieldsOf(entity)
  if (!fields || !(fields.stage.id in values)) return plan
  const from = choiceIdOf(fields.stage, before?.values[fields.stage.id]) ?? null
  const to = choiceIdOf(fields.stage, values[fields.stage.id]) ?? null
  if (from === to) return plan
  plan.extra[`stage@${changeId}`] = { from, to, at: now.toISOString(), by }
  const found = to === null ? undefined : findStage(pipelines, to)
  if (found && fields.pipeline && !(fields.pipeline.id in values) && choiceIdOf(fields.pipeline, before?.values[fields.pipeline.id]) !== found.pipeline.id) {
    plan.extra[fields.pipeline.id] = found.pipeline.id
  }
  if (found?.stage.kind === 'lost' && fields.lostReason) {
    const reason = fields.lostReason.id in values ? values[fields.lostReason.id] : before?.values[fields.lostReason.id]
    plan.lostWithoutReason = typeof reason !== 'string' || reason.trim() === ''
  }
  return plan
}

/**
 * The stage changes a deal holds, oldest first (ties by key, so every reader orders them alike).
 * Reports read this for every deal of a workspace: the keys are walked without copying them, and
 * only `stage@` keys are tested further.
 */
export function stageChangesOf(row: Row): (StageChange & { key: string })[] {
  const changes: (StageChange & { key: string })[] = []
  const values = row.values as Record<string, unknown>
  for (const key in values) {
    if (!key.startsWith('stage@') || !STAGE_CHANGE_KEY.test(key)) continue
    const value = values[key]
    if (isStageChange(value)) {
      const v = value as StageChange
      changes.push({ from: v.from, to: v.to, at: v.at, by: v.by, key })
    }
  }
  if (changes.length > 1) changes.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.key.localeCompare(b.key)))
  return changes
}

export interface StageSpan { stage: string; from: string; to: string; ms: number }

/**
 * How long the deal sat in each stage, from its changes: a span from each change to the next
 * (the last one up to `until`), plus the time before the first change in its `from` stage since
 * the deal was created. Spans of one stage visited twice both count.
 */
export function stageHistory(row: Row, until: Date): StageSpan[] {
  const changes = stageChangesOf(row)
  const spans: StageSpan[] = []
  const end = until.toISOString()
  const span = (stage: string | null, from: string, to: string) => {
    if (stage === null) return
    const ms = Math.max(0, Date.parse(to) - Date.parse(from))
    spans.push({ stage, from, to, ms })
  }
  const first = changes[0]
  if (first && row.createdAt) span(first.from, row.createdAt, first.at)
  changes.forEach((change, i) => span(change.to, change.at, changes[i + 1]?.at ?? end))
  return spans
}

/** Total time in each stage (ms), by stage id. */
export function timeInStage(row: Row, until: Date): Record<string, number> {
  const totals: Record<string, number> = {}
  for (const s of stageHistory(row, until)) totals[s.stage] = (totals[s.stage] ?? 0) + s.ms
  return totals
}
