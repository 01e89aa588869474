import type { EntityStore } from '../../crdt/entityStore'
import type { MergeCell, MergePlan } from '../../domain/duplicates/planMerge'
import type { Row } from '../../domain/schema'
import type { ConversionStep } from '../leads/conversionUndo'

/**
 * Writes a merge through the page's stores in the plan's order — the links in every list that
 * named a duplicate, then the survivor's values and the merge notes, then the duplicates to the
 * trash — one step each, returned for the grouped undo (conversionUndo): one Ctrl+Z takes the
 * whole merge back in every list.
 */
export function writeMerge(plan: MergePlan, entityId: string, storeOf: (entityId: string) => EntityStore): ConversionStep[] {
  const steps: ConversionStep[] = []
  const write = (store: EntityStore, cells: readonly MergeCell[]) => {
    if (!cells.length) return
    store.updateCells([...cells])
    const rows = [...new Set(cells.map((c) => c.recordId))].map((id) => store.row(id)).filter((r): r is Row => r !== undefined)
    steps.push({ store, rows })
  }
  for (const [id, cells] of plan.links) write(storeOf(id), cells)
  const own = storeOf(entityId)
  write(own, plan.notes)
  own.deleteRecords([...plan.trash])
  steps.push({ store: own, rows: [], removed: plan.trash })
  return steps
}
