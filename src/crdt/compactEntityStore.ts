import type { RowPatch } from '../domain/schema'
import { CompactHistory } from './compactHistory'
import type { CompactRecordStore, LocalChange } from './compactRecordStore'
import type { EntityStore } from './entityStore'
import { randomId } from './randomId'
import { META_CREATED_BY } from './recordTable'

/** An entity document held in a CompactRecordStore, with its storage and sync around it. */
export interface CompactEntityDoc {
  readonly store: CompactRecordStore
  /** Stores and sends the update of a local change already applied to `store`. */
  commit(change: LocalChange): void
  /** Patches of the remote updates the doc applies to `store`. */
  onRemotePatch(listener: (patch: RowPatch) => void): () => void
}

/**
 * makeEntityStore without a Y.Doc: the same rows, patches, errors and per-member undo. The
 * create step leaves out `$createdBy` like recordDoc's untracked shell, so undoing a create
 * hides the record and keeps a teammate's edit to it.
 */
export function makeCompactEntityStore(doc: CompactEntityDoc, entityId: string, actorId: string): EntityStore {
  const { store } = doc
  const listeners = new Set<(patch: RowPatch, local: boolean) => void>()
  const emit = (patch: RowPatch, local: boolean) => {
    if (patch.added.length || patch.updated.length || patch.removed.length) listeners.forEach((l) => l(patch, local))
  }
  const perform = (change: LocalChange): LocalChange => {
    // every change goes to the doc, which stores and sends it unless its update is empty
    doc.commit(change)
    emit(change.patch, true)
    return change
  }
  const history = new CompactHistory(store, (changes) => perform(store.writeKeys(changes)))
  const stopRemote = doc.onRemotePatch((patch) => emit(patch, false))
  return {
    entityId,
    rows: () => store.rows(),
    count: () => store.count(),
    row: (id) => store.row(id),
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    createRecord(values = {}, id) {
      const recordId = id ?? randomId()
      const change = perform(store.createRecord(values, { createdBy: actorId, id: recordId }))
      history.push(change, change.written.filter((w) => w.key !== META_CREATED_BY))
      return recordId
    },
    updateCells(changes) {
      history.push(perform(store.updateCells(changes)))
    },
    deleteRecords(ids) {
      history.push(perform(store.deleteRecords(ids)))
    },
    restoreRecords(ids) {
      history.push(perform(store.restoreRecords(ids)))
    },
    history,
    destroy() {
      stopRemote()
      history.destroy()
      listeners.clear()
    },
  }
}
