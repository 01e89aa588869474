import type { EntityStore } from '../crdt/entityStore'
import type { LocalHistory } from '../crdt/localHistory'
import { randomId } from '../crdt/randomId'
import type { Row, RowPatch } from '../domain/schema'
import type { EntityIntent } from './workerProtocol'

/**
 * The page's side of an entity whose document lives in the workspace worker: a plain copy of
 * the live rows (painted from the snapshot first), updated by the worker's patches. Edits are
 * applied to the copy at once (so the grid repaints without waiting) and sent as intents; the
 * worker's patches that follow are authoritative.
 */
export class RemoteEntityStore implements EntityStore {
  private rowsById = new Map<string, Row>()
  private listeners = new Set<(patch: RowPatch, local: boolean) => void>()
  private undoState = { canUndo: false, canRedo: false }
  private historyListeners = new Set<() => void>()
  readonly history: LocalHistory

  constructor(readonly entityId: string, rows: Row[], private memberId: string, private send: (intent: EntityIntent) => void) {
    for (const r of rows) this.rowsById.set(r.id, r)
    const origin = {}
    this.history = {
      origin,
      undo: () => { this.send({ op: 'undo' }); return this.undoState.canUndo },
      redo: () => { this.send({ op: 'redo' }); return this.undoState.canRedo },
      canUndo: () => this.undoState.canUndo,
      canRedo: () => this.undoState.canRedo,
      stopCapturing: () => undefined,
      onChange: (l) => { this.historyListeners.add(l); return () => this.historyListeners.delete(l) },
      destroy: () => this.historyListeners.clear(),
    }
  }

  rows(): Row[] {
    return [...this.rowsById.values()]
  }

  count(): number {
    return this.rowsById.size
  }

  row(id: string): Row | undefined {
    return this.rowsById.get(id)
  }

  subscribe(listener: (patch: RowPatch, local: boolean) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** A patch from the worker (or the rows of a freshly loaded document). */
  applyPatch(patch: RowPatch, local: boolean): void {
    // the worker's view wins: an "added" row we already show optimistically is an update
    // rows that already look like this (the echo of an edit shown optimistically) are not
    // repainted a second time
    const fixed: RowPatch = { added: [], updated: [], removed: [] }
    for (const r of [...patch.added, ...patch.updated]) {
      const shown = this.rowsById.get(r.id)
      if (!shown) fixed.added.push(r)
      else if (!sameRow(shown, r)) fixed.updated.push(r)
      this.rowsById.set(r.id, r)
    }
    for (const id of patch.removed) if (this.rowsById.delete(id)) fixed.removed.push(id)
    this.emit(fixed, local)
  }

  replaceAll(rows: Row[]): void {
    const next = new Map(rows.map((r) => [r.id, r]))
    const patch: RowPatch = { added: [], updated: [], removed: [] }
    for (const r of rows) (this.rowsById.has(r.id) ? patch.updated : patch.added).push(r)
    for (const id of this.rowsById.keys()) if (!next.has(id)) patch.removed.push(id)
    this.rowsById = next
    this.emit(patch, false)
  }

  setHistory(canUndo: boolean, canRedo: boolean): void {
    this.undoState = { canUndo, canRedo }
    this.historyListeners.forEach((l) => l())
  }

  createRecord(values: Record<string, Row['values'][string]> = {}, id = randomId()): string {
    const clean = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== undefined))
    const row: Row = { id, values: clean, createdAt: new Date().toISOString(), createdBy: this.memberId }
    this.rowsById.set(id, row)
    this.emit({ added: [row], updated: [], removed: [] }, true)
    this.send({ op: 'create', id, values: clean })
    return id
  }

  updateCells(changes: { recordId: string; fieldId: string; value: Row['values'][string] }[]): void {
    const touched = new Map<string, Row>()
    for (const c of changes) {
      const row = touched.get(c.recordId) ?? this.rowsById.get(c.recordId)
      if (!row) continue
      const values = { ...row.values }
      if (c.value === null || c.value === undefined) delete values[c.fieldId]
      else values[c.fieldId] = c.value
      touched.set(c.recordId, { ...row, values })
    }
    for (const r of touched.values()) this.rowsById.set(r.id, r)
    if (touched.size) this.emit({ added: [], updated: [...touched.values()], removed: [] }, true)
    this.send({ op: 'update', changes })
  }

  deleteRecords(ids: string[]): void {
    const removed = ids.filter((id) => this.rowsById.delete(id))
    if (removed.length) this.emit({ added: [], updated: [], removed }, true)
    this.send({ op: 'delete', ids })
  }

  restoreRecords(ids: string[]): void {
    this.send({ op: 'restore', ids })
  }

  destroy(): void {
    this.listeners.clear()
    this.historyListeners.clear()
  }

  private emit(patch: RowPatch, local: boolean): void {
    if (!patch.added.length && !patch.updated.length && !patch.removed.length) return
    for (const l of this.listeners) l(patch, local)
  }
}

function sameRow(a: Row, b: Row): boolean {
  if (a.createdAt !== b.createdAt || a.createdBy !== b.createdBy) return false
  const keys = Object.keys(a.values)
  if (keys.length !== Object.keys(b.values).length) return false
  for (const k of keys) {
    const x = a.values[k]
    const y = b.values[k]
    if (x === y) continue
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null || JSON.stringify(x) !== JSON.stringify(y)) return false
  }
  return true
}
