import type { EntityDef, FieldValue, Row, RowPatch } from '../domain/schema'
import type { DuplicateGroup } from '../domain/duplicates/findDuplicates'
import type { RecordBatch } from '../crdt/recordBatch'
import type { CellChange } from '../crdt/recordDoc'
import type { DocSyncStatus } from './syncedDoc'
import type { RuleEffects, RuleSetup } from './ruleWriter'
import type { ImportEvent, ImportFileKind, ImportPlanRequest } from './importJob'

/**
 * Messages between the page and the workspace worker, which owns the entity documents (decoding
 * them on the main thread would block it for seconds on a big workspace).
 */
export type EntityIntent =
  | { op: 'create'; id: string; values: Record<string, FieldValue> }
  | { op: 'update'; changes: CellChange[] }
  /** Cells outside the member's undo history (EntityStore.updateCellsUntracked). */
  | { op: 'updateUntracked'; changes: CellChange[] }
  /** Creates and updates as one undo step (a paste, a fill down, a cleared range). */
  | { op: 'batch'; batch: RecordBatch }
  | { op: 'delete'; ids: string[] }
  | { op: 'restore'; ids: string[] }
  /** Purged for good, outside the undo history (EntityStore.purgeRecords). */
  | { op: 'purge'; ids: string[] }
  | { op: 'undo' }
  | { op: 'redo' }

export interface WorkerInit {
  type: 'init'
  memberId: string
  token: string
  syncUrl: string
  storePrefix: string
  online: boolean
  /** The workspace epoch of this device's copies (SyncedDocOptions.epoch). */
  epoch: string | null
}

export type ToWorker =
  | WorkerInit
  /**
   * `painted`: the snapshot the page already shows (index.html read it before the app loaded),
   * so only the difference is sent once the document has loaded; null: the page shows nothing
   * yet, and the worker sends a snapshot first (this device's, else the relay's).
   */
  | { type: 'open'; entityId: string; painted: RowSnapshot | null }
  /** The workspace epoch, learnt after the documents connected without one (a first visit). */
  | { type: 'epoch'; epoch: string }
  /** The workspace was restored: answer each open document's unsent cells (CompactSyncedDoc.unsentCells). */
  | { type: 'unsent' }
  /**
   * `key`: the page already wrote the intent to IndexedDB (`intents`) because the document had
   * not loaded yet; the worker deletes it once the intent is in the stored document.
   */
  | { type: 'intent'; entityId: string; intent: EntityIntent; key: string | null }
  | { type: 'online'; online: boolean }
  /**
   * Which of `ids` are soft-deleted records (EntityStore.deletedRows): asked when a link cell
   * meets an id the live rows lack, answered once the document has loaded. `ids` null: every
   * record in the trash (EntityStore.trash), newest deletion first.
   */
  | { type: 'deletedRows'; entityId: string; ask: number; ids: string[] | null }
  /**
   * The automation rules and what they read (the page holds the `automation` and `schema`
   * documents), sent once they are known and again on every change. The worker applies no
   * intent before the first: a change never escapes the rules that were switched on.
   */
  | { type: 'rules'; setup: RuleSetup }
  /**
   * The likely duplicates among an entity's live records (findDuplicates), worked out where the
   * rows are, once its document has loaded: over 100k contacts it takes most of a second.
   */
  | { type: 'duplicates'; entityId: string; ask: number; entity: EntityDef }
  /** An import of a file into a list (importJob.ts), its steps under one job number; the worker answers with `import` events. */
  | { type: 'import'; job: number; command: ImportCommand }

/** What the page asks of an import: read the header, plan every row, write, cancel, forget. */
export type ImportCommand =
  | { op: 'read'; file: Blob; kind: ImportFileKind }
  | { op: 'plan'; request: ImportPlanRequest }
  | { op: 'run' }
  | { op: 'cancel' }
  | { op: 'drop' }

export type FromWorker =
  | { type: 'unsent'; cells: Record<string, CellChange[]> }
  /** The stored row snapshot (ASCII JSON bytes, transferred), or none, for an entity opened without one painted. */
  | { type: 'snapshot'; entityId: string; snapshot: RowSnapshot | null }
  /** The document is loaded: either a patch against the painted snapshot, or all rows (ASCII JSON bytes, transferred). */
  | { type: 'loaded'; entityId: string; patch: RowPatch | null; rows: Uint8Array | null }
  | { type: 'patch'; entityId: string; patch: RowPatch; local: boolean }
  /** A local edit (intent) is durable in this browser's IndexedDB: in the document, or queued until it loads. */
  | { type: 'stored'; entityId: string }
  | { type: 'history'; entityId: string; canUndo: boolean; canRedo: boolean }
  | { type: 'status'; docName: string; status: DocSyncStatus }
  | { type: 'failed'; entityId: string; message: string }
  | { type: 'duplicates'; entityId: string; ask: number; groups: DuplicateGroup[] }
  /** The soft-deleted rows among the asked ids (the rest are live or unknown). */
  | { type: 'deletedRows'; entityId: string; ask: number; rows: Row[] }
  /** The rules fired for this member's change: their log entries, notifications and webhooks go into the automation document. */
  | ({ type: 'ruleEffects' } & RuleEffects)
  | { type: 'import'; job: number; event: ImportEvent }

/**
 * A materialized copy of an entity's live rows, painted before its document is decoded: the
 * rows as ASCII JSON (see asciiJson) in bytes, which IndexedDB and postMessage move far faster
 * than a string or objects (reading a 14 MB string blocked the page for ~0.4 s).
 */
export interface RowSnapshot { version: string; bytes: Uint8Array }

/**
 * The first rows of a snapshot, stored beside it (key `<entity>#head`, written in the same
 * transaction, same version) so that a page can paint them before it has read the whole
 * snapshot: reading 14 MB of contacts from IndexedDB took ~0.8 s at start-up here.
 */
export interface RowSnapshotHead extends RowSnapshot {
  /** Rows in the whole snapshot. */
  total: number
}

export const SNAPSHOT_HEAD_ROWS = 100

export function snapshotHeadKey(entityId: string): string {
  return `${entityId}#head`
}

export function isRowSnapshotHead(value: unknown): value is RowSnapshotHead {
  return isRowSnapshot(value) && typeof (value as Partial<RowSnapshotHead>).total === 'number'
}

export function isRowSnapshot(value: unknown): value is RowSnapshot {
  const v = value as Partial<RowSnapshot> | null | undefined
  return !!v && typeof v.version === 'string' && v.bytes instanceof Uint8Array
}
