import * as Y from 'yjs'
import type { Row, RowPatch } from '../domain/schema'
import { CompactHistory } from './compactHistory'
import type { CompactRecordStore, KeyItem, LocalChange } from './compactRecordStore'
import { trashRows } from '../domain/records/trashRows'
import { deletedOf, type EntityStore } from './entityStore'
import type { RecordBatch } from './recordBatch'
import { randomId } from './randomId'
import { RecordError } from './recordDoc'
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
    updateCellsUntracked(changes) {
      perform(store.updateCells(changes))
    },
    writeBatch(batch) {
      const [change, tracked] = batchChange(store, batch, actorId)
      history.push(perform(change), tracked)
    },
    deleteRecords(ids) {
      history.push(perform(store.deleteRecords(ids, new Date(), actorId)))
    },
    restoreRecords(ids) {
      history.push(perform(store.restoreRecords(ids)))
    },
    // the compact store keeps a deleted record's row (with its deletedAt) until it is restored
    deletedRows: (ids) => Promise.resolve(deletedOf(ids, (id) => store.row(id))),
    trash: () => Promise.resolve(trashRows(store.allRows())),
    // not an undo step: what is purged is meant to be gone
    purgeRecords(ids) {
      perform(store.purgeRecords(ids))
    },
    history,
    destroy() {
      stopRemote()
      history.destroy()
      listeners.clear()
    },
  }
}

/**
 * A batch as one LocalChange (one update to store and send, one undo step) and the items its
 * undo deletes: every item written except the creates' `$createdBy`, as for a single create.
 * The store writes each create and the updates on its own; their updates are merged here.
 */
function batchChange(store: CompactRecordStore, batch: RecordBatch, actorId: string): [LocalChange, KeyItem[]] {
  // checked before the first write: a batch that fails half-way would leave the store ahead of what was stored and sent
  const added = new Set<string>()
  for (const c of batch.creates) {
    if (store.row(c.id) || added.has(c.id)) throw new RecordError(`Record "${c.id}" already exists`)
    added.add(c.id)
  }
  for (const u of batch.updates) {
    if (!added.has(u.recordId) && !store.row(u.recordId)) throw new RecordError(`Unknown record "${u.recordId}"`)
    if (u.fieldId.startsWith('$')) throw new RecordError(`"${u.fieldId}" is not a field`)
  }
  const parts: LocalChange[] = []
  const now = new Date()
  // many creates as one update (createRecords): one per record, merged after, cost an import's
  // batch of 2000 records ~10× more (each kept and merged in the store, then merged again here)
  if (batch.creates.length === 1) parts.push(store.createRecord(batch.creates[0]!.values, { createdBy: actorId, id: batch.creates[0]!.id, now }))
  else if (batch.creates.length) parts.push(store.createRecords(batch.creates, { createdBy: actorId, now }))
  if (batch.updates.length) parts.push(store.updateCells(batch.updates))
  const written = parts.flatMap((p) => p.written)
  const updated = new Set(written.map((w) => w.recordId).filter((id) => !added.has(id)))
  const rowsOf = (ids: Set<string>) => [...ids].map((id) => store.row(id)).filter((r): r is Row => !!r && !r.deletedAt)
  const patch: RowPatch = { added: rowsOf(added), updated: rowsOf(updated), removed: [] }
  const change: LocalChange = {
    update: parts.length === 1 ? parts[0]!.update : Y.mergeUpdates(parts.map((p) => p.update)),
    patch,
    written,
    replaced: parts.flatMap((p) => p.replaced),
  }
  return [change, written.filter((w) => w.key !== META_CREATED_BY)]
}
