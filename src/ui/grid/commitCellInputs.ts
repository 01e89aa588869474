import type { EntityStore } from '../../crdt/entityStore'
import type { CellChange } from '../../crdt/recordDoc'
import { parseFieldInput } from '../../domain/parseFieldInput'
import type { FieldDef, Row } from '../../domain/schema'
import { validateFieldValue } from '../../domain/validateFieldValue'
import { cellKey, type GridContext } from './gridContext'

/** What a person entered in one cell: text as typed (or pasted), or a typed value (a ticked box). */
export interface CellInput { row: Row; field: FieldDef; raw: unknown }

export interface CommitOutcome {
  /** Accepted, written together as one change and one undo step. */
  saved: CellChange[]
  /** Refused, with the reason, and kept (`ctx.refused`) until fixed or dropped. */
  refused: { key: string; input: CellInput; message: string }[]
  /** Cells whose earlier refused entry this commit fixed. */
  fixed: string[]
  /** A deal moved to a lost stage: its edit waits for the reason, then resolves whether it was written. */
  asking?: Promise<boolean>
}

/**
 * The one way an entry reaches the store, for the grid and the phone's edit sheet alike: each
 * input goes through its field's parser (text) or check (a typed value); a refusal is kept with
 * its reason where every view of the list shows it, and the accepted values are written in one
 * `updateCells`.
 */
export function commitCellInputs(inputs: readonly CellInput[], ctx: GridContext, store: EntityStore): CommitOutcome {
  const out: CommitOutcome = { saved: [], refused: [], fixed: [] }
  for (const input of inputs) {
    const { field, row, raw } = input
    const result = typeof raw === 'string' || raw == null
      ? parseFieldInput(field, raw == null ? '' : raw, ctx.parseContext)
      : validateFieldValue(field, raw)
    const key = cellKey(row.id, field.id)
    if (!result.ok) {
      ctx.refused.set(key, { text: typeof raw === 'string' ? raw : String(raw), message: result.error })
      out.refused.push({ key, input, message: result.error })
      continue
    }
    if (ctx.refused.delete(key)) out.fixed.push(key)
    out.saved.push({ recordId: row.id, fieldId: field.id, value: result.value })
  }
  if (out.saved.length) {
    // a deal's stage edit brings its change entry (and, moving to a lost stage, the reason asked for)
    const writes = ctx.withStageChanges ? ctx.withStageChanges(out.saved) : out.saved
    if (Array.isArray(writes)) store.updateCells(writes)
    else {
      // written, as one change still, once the reason is given; nothing when the person cancels
      out.saved = []
      out.asking = writes.then((answered) => {
        if (answered) store.updateCells(answered)
        return answered !== null
      })
    }
  }
  return out
}
