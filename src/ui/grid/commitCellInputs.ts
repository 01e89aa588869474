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
  /**
   * Entries naming a linked record typed before the linked list was loaded: committed like these
   * once its names are there (an entry made meanwhile in the same cell wins; its own is dropped).
   */
  waiting?: Promise<CommitOutcome>
}

/** Per context, the cells whose entry waits for a linked list: their latest entry's token. */
const waitingEntries = new WeakMap<GridContext, Map<string, object>>()

/**
 * The one way an entry reaches the store, for the grid and the phone's edit sheet alike: each
 * input goes through its field's parser (text) or check (a typed value); a refusal is kept with
 * its reason where every view of the list shows it, and the accepted values are written in one
 * `updateCells`.
 */
export function commitCellInputs(inputs: readonly CellInput[], ctx: GridContext, store: EntityStore): CommitOutcome {
  return commitNow(inputs, ctx, store, true)
}

/** `mayWait` false: a waiting entry's second turn, parsed with the names there are (a closed list's load never sets them). */
function commitNow(inputs: readonly CellInput[], ctx: GridContext, store: EntityStore, mayWait: boolean): CommitOutcome {
  const out: CommitOutcome = { saved: [], refused: [], fixed: [] }
  const waiting = waitingEntries.get(ctx) ?? new Map<string, object>()
  waitingEntries.set(ctx, waiting)
  const later: { input: CellInput; token: object }[] = []
  const loads = new Set<Promise<void>>()
  for (const input of inputs) {
    const { field, row, raw } = input
    const key = cellKey(row.id, field.id)
    waiting.delete(key) // a newer entry in a cell replaces one still waiting there
    const linkLoad = mayWait && field.type === 'link' && field.linkEntity && typeof raw === 'string' && raw.trim() !== ''
      ? ctx.whenLinkNames?.(field.linkEntity)
      : undefined
    if (linkLoad) {
      const token = {}
      waiting.set(key, token)
      later.push({ input, token })
      loads.add(linkLoad)
      continue
    }
    const result = typeof raw === 'string' || raw == null
      ? parseFieldInput(field, raw == null ? '' : raw, ctx.parseContext)
      : validateFieldValue(field, raw)
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
  if (later.length) {
    const commitLater = () => {
      const current = later.filter(({ input, token }) => waiting.get(cellKey(input.row.id, input.field.id)) === token)
      for (const { input } of current) waiting.delete(cellKey(input.row.id, input.field.id))
      return commitNow(current.map(({ input }) => input), ctx, store, false)
    }
    // a list that could not be opened leaves the entry refused (kept, with its text, to retry), not lost
    out.waiting = Promise.all(loads).then(commitLater, (error: unknown) => {
      console.warn('kanso: a linked list could not be opened for a link entry', error)
      return commitLater()
    })
  }
  return out
}
