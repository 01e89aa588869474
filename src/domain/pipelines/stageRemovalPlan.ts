import type { EntityDef, FieldValue, Row } from '../schema'
import { choiceIdOf } from './stageChoices'
import { findStage, type Pipeline } from './pipeline'
import { planStageEdit } from './stageHistory'

/** One value to write to one deal (a field id, or a stage change's `stage@…` key). */
export interface DealWrite { recordId: string; fieldId: string; value: FieldValue }

export class StageRemovalError extends Error {}

/**
 * Before a stage is removed, its deals move to the stage the admin picked: each deal's stage,
 * its pipeline when the target is in another one, and a stage change entry (so time in stage
 * stays right). Written by the caller as one transaction over the deals document.
 */
export function stageRemovalPlan(deals: EntityDef, pipelines: readonly Pipeline[], rows: readonly Row[], removed: string, target: string,
  by: string, now: Date, newChangeId: () => string): DealWrite[] {
  if (removed === target) throw new StageRemovalError('Pick another stage for its deals')
  const to = findStage(pipelines, target)
  if (!to || to.stage.deletedAt || to.pipeline.deletedAt) throw new StageRemovalError(`There is no stage "${target}" to move the deals to`)
  const stage = deals.fields.find((f) => f.choicesFrom === 'stages' && !f.deletedAt)
  if (!stage) throw new StageRemovalError('Deals have no stage field')
  const writes: DealWrite[] = []
  for (const row of rows) {
    if (row.deletedAt || choiceIdOf(stage, row.values[stage.id]) !== removed) continue
    const values = { [stage.id]: target }
    writes.push({ recordId: row.id, fieldId: stage.id, value: target })
    const plan = planStageEdit(deals, pipelines, row, values, by, now, newChangeId())
    for (const [fieldId, value] of Object.entries(plan.extra)) writes.push({ recordId: row.id, fieldId, value: value as FieldValue })
  }
  return writes
}

/** How many live deals sit in a stage (shown before removing it). */
export function dealsInStage(deals: EntityDef, rows: readonly Row[], stageId: string): number {
  const stage = deals.fields.find((f) => f.choicesFrom === 'stages' && !f.deletedAt)
  if (!stage) return 0
  return rows.filter((r) => !r.deletedAt && choiceIdOf(stage, r.values[stage.id]) === stageId).length
}
