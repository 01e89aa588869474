import { randomId } from '../../src/crdt/randomId'
import { planStageEdit } from '../../src/domain/pipelines/stageHistory'
import type { EntityDef, FieldValue, Row } from '../../src/domain/schema'
import { readStoredSchema } from '../http/readStoredSchema'
import type { RelayStorage } from '../storage/relayStorage'
import { problem } from './problem'

/**
 * An API write of a deal's stage, like the grid's: the stage change is kept with the relay's
 * time and the caller (a `stage@…` entry in the same update), the deal follows its new stage's
 * pipeline, and a move to a lost stage needs `lost_reason` (in the body or already on the deal):
 * without one the write is refused with a problem naming `lost_reason`, since an API client
 * has no prompt to answer.
 */
export function withStageEdit(storage: RelayStorage, entity: EntityDef, before: Row | undefined, values: Record<string, FieldValue>, by: string, now = new Date()): Record<string, FieldValue> {
  if (!entity.fields.some((f) => f.choicesFrom === 'stages' && f.id in values)) return values
  const { pipelines = [] } = readStoredSchema(storage)
  const plan = planStageEdit(entity, pipelines, before, values, by, now, randomId(12))
  if (plan.lostWithoutReason) {
    const message = 'a deal moved to a lost stage needs a lost_reason (send it with the stage)'
    throw problem(422, `the ${entity.singular.toLowerCase()} was not saved: ${message}`, [{ field: 'lost_reason', message }])
  }
  return { ...values, ...(plan.extra as Record<string, FieldValue>) }
}
