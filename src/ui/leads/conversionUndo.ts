import type { EntityStore } from '../../crdt/entityStore'
import type { FieldValue, Row } from '../../domain/schema'

/** What a conversion (or a merge of duplicates) wrote in one store, as one step of that store's undo history. */
export interface ConversionStep {
  store: EntityStore
  /** The rows as written (a created record, the marked lead): their echoes are not another step. */
  rows: Row[]
  /** Records the step deleted (a merge's duplicates going to the trash): their removal is no other step either. */
  removed?: readonly string[]
}

export interface ConversionUndo {
  /** Remembers a conversion: one step in each store, in the order written. */
  record(steps: ConversionStep[]): void
  /**
   * Undoes the last conversion as one step — each store's last step, the lead's mark first —
   * when `store` is one of its stores and none of them has taken another step of this member
   * since. False otherwise: the caller undoes as usual.
   */
  undo(store: EntityStore): boolean
}

/*
 * A conversion writes four documents (contacts, companies, deals, leads), and each has its own
 * undo history, so Ctrl+Z in one list would take back one part. A merge of duplicates is grouped
 * the same way: the links it moved in other lists, the survivor's values, the trip to the trash. This groups the four steps for
 * the next Ctrl+Z in any of those lists, until this member edits one of them again (a local
 * change to other rows, or other values of these rows). Limits: redo goes list by list; the
 * group is this tab's (a reload forgets it, as it forgets the histories).
 */
const bySession = new WeakMap<object, ConversionUndo>()

/** The session's conversion undo (one per workspace session, so a list switch keeps it). */
export function conversionUndoOf(session: object): ConversionUndo {
  let undo = bySession.get(session)
  if (!undo) bySession.set(session, (undo = makeConversionUndo()))
  return undo
}

/**
 * Ctrl+Z (or ↶) in a view of `store` — a grid, the board: the session's last conversion as one
 * step when it wrote this store and nothing of this member's came after, else the store's last step.
 */
export function undoInView(session: object, store: EntityStore): void {
  if (!conversionUndoOf(session).undo(store)) store.history.undo()
}

export function makeConversionUndo(): ConversionUndo {
  let group: { steps: ConversionStep[]; stop: () => void } | null = null
  const forget = () => {
    group?.stop()
    group = null
  }
  return {
    record(steps) {
      forget()
      const written = new Map<string, Record<string, FieldValue>>()
      const removed = new Map<EntityStore, Set<string>>()
      for (const step of steps) {
        for (const row of step.rows) written.set(row.id, row.values)
        for (const id of step.removed ?? []) {
          let ids = removed.get(step.store)
          if (!ids) removed.set(step.store, (ids = new Set()))
          ids.add(id)
        }
      }
      const isEcho = (row: Row) => {
        const values = written.get(row.id)
        return values !== undefined && sameValues(values, row.values)
      }
      const stops = steps.map((step) => step.store.subscribe((patch, local) => {
        if (!local) return
        const gone = removed.get(step.store)
        if (!patch.removed.every((id) => gone?.has(id)) || ![...patch.added, ...patch.updated].every(isEcho)) forget()
      }))
      group = { steps, stop: () => stops.forEach((s) => s()) }
    },
    undo(store) {
      const steps = group?.steps
      if (!steps?.some((s) => s.store === store)) return false
      forget()
      for (const step of [...steps].reverse()) step.store.history.undo()
      return true
    },
  }
}

function sameValues(a: Record<string, FieldValue>, b: Record<string, FieldValue>): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]))
}
