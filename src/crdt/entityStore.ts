import type * as Y from 'yjs'
import type { FieldValue, Row, RowPatch } from '../domain/schema'
import type { LocalHistory } from './localHistory'
import { makeLocalHistory } from './localHistory'
import type { RecordBatch } from './recordBatch'
import { writeRecordBatch } from './recordBatch'
import type { CellChange } from './recordDoc'
import { trashRows } from '../domain/records/trashRows'
import { createRecord, deleteRecords, observeRows, purgeRecords, readAllRows, readLiveRows, readRow, recordsOf, restoreRecords, updateCells } from './recordDoc'

/**
 * Intent-level access to one entity's records for a member: what the grid, the record panel and
 * the relay's API call. Plain rows in, plain patches out; Y types stay inside src/crdt.
 */
export interface EntityStore {
  readonly entityId: string
  rows(): Row[]
  /** Number of live rows. */
  count(): number
  row(id: string): Row | undefined
  /** `local` is true for this store's own edits (including its undo/redo). */
  subscribe(listener: (patch: RowPatch, local: boolean) => void): () => void
  createRecord(values?: Record<string, FieldValue>, id?: string): string
  updateCells(changes: CellChange[]): void
  /**
   * Sets cells outside this member's undo history (neither an undo step nor undone by one): for
   * entries written once and never taken back, such as a deal's issued document (`document@`).
   */
  updateCellsUntracked(changes: CellChange[]): void
  /** Creates records and sets cells as one change and one undo step (a paste, a fill down). */
  writeBatch(batch: RecordBatch): void
  /** Soft-deletes records (one undo step), noting this member as who deleted them. */
  deleteRecords(ids: string[]): void
  restoreRecords(ids: string[]): void
  /**
   * Purges records for good (recordDoc.purgeRecords): their values leave the document and they
   * leave the trash. Outside the undo history. The app offers it to admins only.
   */
  purgeRecords(ids: string[]): void
  /** The trash: soft-deleted records (not purged), newest deletion first. Asynchronous like deletedRows. */
  trash(): Promise<Row[]>
  /**
   * The soft-deleted records among `ids` (others are left out), for links to them: a contact
   * whose company was deleted shows "(deleted) Acme GmbH" after a reload and on every device,
   * not only in the tab that deleted it. Never part of rows() or of patches; asynchronous
   * because the page's copy asks the workspace worker, which holds the document.
   */
  deletedRows(ids: readonly string[]): Promise<Row[]>
  readonly history: LocalHistory
  destroy(): void
  /**
   * For a store that fills in after it is handed out (the page's copy of a big snapshot, parsed a
   * slice at a time): true while rows() holds only the first rows and count() counts the rest,
   * and `complete` resolves once every row is in. Absent: rows() always has every row.
   */
  isLoading?(): boolean
  readonly complete?: Promise<void>
  /**
   * Such a store reads the rest of its rows once asked: its first rows are on screen, or a sort,
   * a search or select-all needs every row. Asking again, or when complete, does nothing.
   */
  loadRest?(): void
}

export function makeEntityStore(doc: Y.Doc, entityId: string, actorId: string): EntityStore {
  const history = makeLocalHistory(recordsOf(doc))
  const origin = history.origin
  // this member's too, but not one the UndoManager tracks
  const untracked = {}
  const cleanups: (() => void)[] = []
  // Undo/redo transactions carry the UndoManager as origin; they are still this member's edits.
  const isLocal = (o: unknown) => o === origin || o === untracked || (typeof o === 'object' && o !== null && o.constructor?.name === 'UndoManager')
  return {
    entityId,
    rows: () => readLiveRows(doc),
    count: () => readLiveRows(doc).length,
    row: (id) => readRow(doc, id),
    subscribe(listener) {
      const stop = observeRows(doc, (patch, o) => listener(patch, isLocal(o)))
      cleanups.push(stop)
      return stop
    },
    createRecord(values = {}, id) {
      history.stopCapturing()
      return createRecord(doc, values, { createdBy: actorId, id }, origin)
    },
    updateCells(changes) {
      history.stopCapturing()
      updateCells(doc, changes, origin, new Date(), untracked)
    },
    updateCellsUntracked(changes) {
      history.stopCapturing()
      updateCells(doc, changes, untracked)
    },
    writeBatch(batch) {
      history.stopCapturing()
      writeRecordBatch(doc, batch, actorId, origin)
    },
    deleteRecords(ids) {
      history.stopCapturing()
      deleteRecords(doc, ids, origin, new Date(), actorId, untracked)
    },
    restoreRecords(ids) {
      history.stopCapturing()
      restoreRecords(doc, ids, origin)
    },
    purgeRecords(ids) {
      history.stopCapturing()
      purgeRecords(doc, ids, untracked)
    },
    deletedRows: (ids) => Promise.resolve(deletedOf(ids, (id) => readRow(doc, id))),
    trash: () => Promise.resolve(trashRows(readAllRows(doc))),
    history,
    destroy() {
      cleanups.forEach((c) => c())
      history.destroy()
    },
  }
}

/** The rows among `ids` that exist and are soft-deleted (an undone create is not a delete). */
export function deletedOf(ids: readonly string[], row: (id: string) => Row | undefined): Row[] {
  const rows: Row[] = []
  for (const id of ids) {
    const r = row(id)
    if (r?.deletedAt) rows.push(r)
  }
  return rows
}
