import type { EntityStore } from '../crdt/entityStore'
import type { LocalHistory } from '../crdt/localHistory'
import type { RecordBatch } from '../crdt/recordBatch'
import { randomId } from '../crdt/randomId'
import type { Row, RowPatch } from '../domain/schema'
import type { EntityIntent } from './workerProtocol'

/** The rest of a snapshot's rows, parsed a slice at a time after the first (see rowSlices). */
export interface RowsToCome {
  /** Rows in the whole snapshot, the first slice included. */
  total: number
  slices: Iterator<Row[]>
  /** Resolves when the next slice may be parsed (the page has had its turn). */
  pause: () => Promise<void>
  /** Tells the source the rest is wanted now (EntityStore.loadRest); absent: it comes unasked. */
  ask?: () => void
}

/** Sends the holder of the document (the workspace worker) a question for deleted rows; its answer goes to takeDeletedRows. */
export type AskDeletedRows = (ask: number, ids: string[] | null) => void

/**
 * The page's side of an entity whose document lives in the workspace worker: a plain copy of
 * the live rows (painted from the snapshot first), updated by the worker's patches. Edits are
 * applied to the copy at once (so the grid repaints without waiting) and sent as intents; the
 * worker's patches that follow are authoritative.
 *
 * A big snapshot is painted from its first slice of rows; the rest follow in later tasks
 * (`complete` resolves after the last), so no single task parses them all. Meanwhile `count`
 * includes the rows still to come, and the worker's patches wait until every row is in.
 */
export class RemoteEntityStore implements EntityStore {
  private rowsById = new Map<string, Row>()
  private listeners = new Set<(patch: RowPatch, local: boolean) => void>()
  private undoState = { canUndo: false, canRedo: false }
  private historyListeners = new Set<() => void>()
  /** Rows of the snapshot not parsed yet, while it is parsed. */
  private toCome = 0
  /** The worker's patches that came while the snapshot was parsed, applied after its last row. */
  private held: (() => void)[] = []
  /** True from construction with rows to come until the held patches have been applied. */
  private loading = false
  private destroyed = false
  readonly history: LocalHistory
  readonly complete: Promise<void>
  private askRest?: () => void
  /** Rows this copy saw deleted, and deleted rows the worker told of: what links to them show. */
  private deleted = new Map<string, Row>()
  private deletedAsks = new Map<number, (rows: Row[]) => void>()
  private lastAsk = 0

  constructor(readonly entityId: string, rows: Row[], private memberId: string, private send: (intent: EntityIntent) => void, rest?: RowsToCome, private askDeleted?: AskDeletedRows) {
    for (const r of rows) this.rowsById.set(r.id, r)
    if (rest) {
      this.toCome = Math.max(0, rest.total - rows.length)
      this.loading = true
      this.askRest = rest.ask
      this.complete = this.takeRest(rest)
    } else {
      this.complete = Promise.resolve()
    }
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

  /** Live rows, counting those of the snapshot still being parsed. */
  count(): number {
    return this.rowsById.size + this.toCome
  }

  loadRest(): void {
    const ask = this.askRest
    this.askRest = undefined
    if (ask && this.loading) ask()
  }

  /** True while rows of the snapshot are still being parsed (rows() has only the first ones). */
  isLoading(): boolean {
    return this.loading
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
    if (this.isLoading()) {
      this.held.push(() => this.applyPatch(patch, local))
      return
    }
    // the worker's view wins: an "added" row we already show optimistically is an update
    // rows that already look like this (the echo of an edit shown optimistically) are not
    // repainted a second time
    const fixed: RowPatch = { added: [], updated: [], removed: [] }
    for (const r of [...patch.added, ...patch.updated]) {
      const shown = this.rowsById.get(r.id)
      if (!shown) fixed.added.push(r)
      else if (!sameRow(shown, r)) fixed.updated.push(r)
      this.rowsById.set(r.id, r)
      this.deleted.delete(r.id)
    }
    for (const id of patch.removed) if (this.takeAway(id)) fixed.removed.push(id)
    this.emit(fixed, local)
  }

  replaceAll(rows: Row[]): void {
    if (this.isLoading()) {
      this.held.push(() => this.replaceAll(rows))
      return
    }
    const next = new Map(rows.map((r) => [r.id, r]))
    const patch: RowPatch = { added: [], updated: [], removed: [] }
    for (const r of rows) (this.rowsById.has(r.id) ? patch.updated : patch.added).push(r)
    for (const id of this.rowsById.keys()) if (!next.has(id)) patch.removed.push(id)
    for (const id of patch.removed) this.takeAway(id)
    for (const id of next.keys()) this.deleted.delete(id)
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
    const touched = this.applyChanges(changes)
    if (touched.length) this.emit({ added: [], updated: touched, removed: [] }, true)
    this.send({ op: 'update', changes })
  }

  updateCellsUntracked(changes: { recordId: string; fieldId: string; value: Row['values'][string] }[]): void {
    const touched = this.applyChanges(changes)
    if (touched.length) this.emit({ added: [], updated: touched, removed: [] }, true)
    this.send({ op: 'updateUntracked', changes })
  }

  writeBatch(batch: RecordBatch): void {
    const now = new Date().toISOString()
    const added: Row[] = []
    for (const c of batch.creates) {
      const values = Object.fromEntries(Object.entries(c.values).filter(([, v]) => v !== null && v !== undefined))
      const row: Row = { id: c.id, values, createdAt: now, createdBy: this.memberId }
      this.rowsById.set(c.id, row)
      added.push(row)
    }
    const createdIds = new Set(batch.creates.map((c) => c.id))
    const updated = this.applyChanges(batch.updates).filter((r) => !createdIds.has(r.id))
    this.emit({ added: added.map((r) => this.rowsById.get(r.id)!), updated, removed: [] }, true)
    this.send({ op: 'batch', batch })
  }

  /** Applies cell changes to the shown rows; returns the rows changed. */
  private applyChanges(changes: readonly { recordId: string; fieldId: string; value: Row['values'][string] }[]): Row[] {
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
    return [...touched.values()]
  }

  deleteRecords(ids: string[]): void {
    const removed = ids.filter((id) => this.takeAway(id))
    if (removed.length) this.emit({ added: [], updated: [], removed }, true)
    this.send({ op: 'delete', ids })
  }

  restoreRecords(ids: string[]): void {
    this.send({ op: 'restore', ids })
  }

  purgeRecords(ids: string[]): void {
    for (const id of ids) this.deleted.delete(id)
    this.send({ op: 'purge', ids })
  }

  /** Always the worker's answer: only its document holds every deleted record, and who deleted it. */
  trash(): Promise<Row[]> {
    const ask = this.askDeleted
    if (!ask) return Promise.resolve([])
    const n = ++this.lastAsk
    return new Promise((resolve) => {
      this.deletedAsks.set(n, (rows) => resolve(rows.filter((r) => !this.rowsById.has(r.id))))
      ask(n, null)
    })
  }

  /**
   * Rows this copy saw go (a delete here or a teammate's) answer at once; other ids (a reload,
   * a record deleted before this page opened) are asked of the worker, whose document keeps
   * deleted records. Live ids are never deleted ones.
   */
  deletedRows(ids: readonly string[]): Promise<Row[]> {
    const known: Row[] = []
    const unknown: string[] = []
    for (const id of ids) {
      const r = this.deleted.get(id)
      if (r) known.push(r)
      else if (!this.rowsById.has(id)) unknown.push(id)
    }
    const ask = this.askDeleted
    if (!unknown.length || !ask) return Promise.resolve(known)
    const n = ++this.lastAsk
    return new Promise((resolve) => {
      this.deletedAsks.set(n, (rows) => {
        // a restore that arrived before the answer wins: that record is live again
        const still = rows.filter((r) => !this.rowsById.has(r.id))
        for (const r of still) this.deleted.set(r.id, r)
        resolve([...known, ...still])
      })
      ask(n, unknown)
    })
  }

  /** The worker's answer to a deletedRows question. */
  takeDeletedRows(ask: number, rows: Row[]): void {
    const done = this.deletedAsks.get(ask)
    this.deletedAsks.delete(ask)
    done?.(rows)
  }

  /** Removes a row that is no longer live, kept as a deleted one; false if it was not shown. */
  private takeAway(id: string): boolean {
    const row = this.rowsById.get(id)
    if (!row) return false
    this.rowsById.delete(id)
    this.deleted.set(id, row)
    return true
  }

  destroy(): void {
    this.destroyed = true
    this.listeners.clear()
    this.historyListeners.clear()
  }

  private async takeRest(rest: RowsToCome): Promise<void> {
    const first = new Set(this.rowsById.keys())
    try {
      for (;;) {
        await rest.pause()
        if (this.destroyed) return
        const next = rest.slices.next()
        if (next.done) break
        for (const r of next.value) {
          // the rows painted first may come again (the head and the whole snapshot both start
          // with them): kept as they are now, edited or deleted here meanwhile
          if (first.has(r.id)) continue
          this.toCome = Math.max(0, this.toCome - 1)
          if (!this.rowsById.has(r.id)) this.rowsById.set(r.id, r)
        }
      }
    } catch (err) {
      // a damaged snapshot: the rows parsed so far stay; the loaded document brings the rest
      console.error(`kanso: could not read all of the ${this.entityId} snapshot`, err)
    } finally {
      this.toCome = 0
      const held = this.held
      this.held = []
      this.loading = false
      for (const h of held) h()
    }
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
