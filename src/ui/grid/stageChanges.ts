import type { CellChange } from '../../crdt/recordDoc'
import { randomId } from '../../crdt/randomId'
import { findStage, type Pipeline } from '../../domain/pipelines/pipeline'
import { planStageEdit, stageFieldsOf } from '../../domain/pipelines/stageHistory'
import type { EntityDef, FieldValue, Row } from '../../domain/schema'

export interface StageChangeOptions {
  entity: () => EntityDef
  pipelines: () => readonly Pipeline[]
  row: (id: string) => Row | undefined
  memberId: string
  /** Asks why a deal was lost; null: the person cancelled, and the edit is not made. */
  askLostReason: (deal: Row, stageName: string) => string | null
}

/**
 * What the grid writes along with a stage edit (stageHistory.ts): each deal's stage change entry
 * with this member and this device's time (kept as made, also offline), its new pipeline, and
 * the lost reason asked for when the deal moves to a lost stage. Returns the changes to write
 * as one transaction, or null when a lost reason was asked for and not given.
 */
export function makeStageChanges(o: StageChangeOptions): (changes: CellChange[], ask?: boolean) => CellChange[] | null {
  return (changes, ask = true) => {
    const entity = o.entity()
    const fields = stageFieldsOf(entity)
    if (!fields || !changes.some((c) => c.fieldId === fields.stage.id)) return changes
    const byRecord = new Map<string, Record<string, FieldValue>>()
    for (const c of changes) byRecord.set(c.recordId, { ...byRecord.get(c.recordId), [c.fieldId]: c.value })
    const out = [...changes]
    const now = new Date()
    for (const [recordId, values] of byRecord) {
      const before = o.row(recordId)
      const plan = planStageEdit(entity, o.pipelines(), before, values, o.memberId, now, randomId(12))
      for (const [fieldId, value] of Object.entries(plan.extra)) out.push({ recordId, fieldId, value: value as FieldValue })
      if (ask && plan.lostWithoutReason && fields.lostReason && before) {
        const stageName = findStage(o.pipelines(), String(values[fields.stage.id]))?.stage.name ?? ''
        const reason = o.askLostReason(before, stageName)?.trim()
        if (!reason) return null
        out.push({ recordId, fieldId: fields.lostReason.id, value: reason })
      }
    }
    return out
  }
}
