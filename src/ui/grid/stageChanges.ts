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
  /** Asks why a deal was lost (LostReasonDialog); null: the person cancelled, and the edit is not made. */
  askLostReason: (deal: Row, stageName: string) => Promise<string | null>
}

/**
 * A stage edit's changes with what goes along: at once when nothing has to be asked (or `ask` is
 * false), else once the lost reason is given — null when it was not (the edit is dropped).
 */
export interface StageChanges {
  (changes: CellChange[], ask: false): CellChange[]
  (changes: CellChange[], ask?: boolean): CellChange[] | Promise<CellChange[] | null>
}

/**
 * What the grid writes along with a stage edit (stageHistory.ts): each deal's stage change entry
 * with this member and this device's time (kept as made, also offline), its new pipeline, and
 * the lost reason asked for when the deal moves to a lost stage. Returns the changes to write
 * as one transaction: at once, or — while a lost reason is asked for — a promise of them, null
 * when the person cancelled.
 */
export function makeStageChanges(o: StageChangeOptions): StageChanges {
  function withStageChanges(changes: CellChange[], ask: false): CellChange[]
  function withStageChanges(changes: CellChange[], ask?: boolean): CellChange[] | Promise<CellChange[] | null>
  function withStageChanges(changes: CellChange[], ask = true): CellChange[] | Promise<CellChange[] | null> {
    const entity = o.entity()
    const fields = stageFieldsOf(entity)
    if (!fields || !changes.some((c) => c.fieldId === fields.stage.id)) return changes
    const byRecord = new Map<string, Record<string, FieldValue>>()
    for (const c of changes) byRecord.set(c.recordId, { ...byRecord.get(c.recordId), [c.fieldId]: c.value })
    const out = [...changes]
    const now = new Date()
    const unexplained: { recordId: string; deal: Row; stageName: string }[] = []
    for (const [recordId, values] of byRecord) {
      const before = o.row(recordId)
      const plan = planStageEdit(entity, o.pipelines(), before, values, o.memberId, now, randomId(12))
      for (const [fieldId, value] of Object.entries(plan.extra)) out.push({ recordId, fieldId, value: value as FieldValue })
      if (ask && plan.lostWithoutReason && before) {
        unexplained.push({ recordId, deal: before, stageName: findStage(o.pipelines(), String(values[fields.stage.id]))?.stage.name ?? '' })
      }
    }
    const lostReason = fields.lostReason
    if (!unexplained.length || !lostReason) return out
    // one question per lost deal, in turn; a cancel drops the whole edit
    return (async () => {
      for (const { recordId, deal, stageName } of unexplained) {
        const reason = (await o.askLostReason(deal, stageName))?.trim()
        if (!reason) return null
        out.push({ recordId, fieldId: lostReason.id, value: reason })
      }
      return out
    })()
  }
  return withStageChanges
}
