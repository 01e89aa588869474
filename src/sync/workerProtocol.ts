import type { FieldValue, RowPatch } from '../domain/schema'
import type { CellChange } from '../crdt/recordDoc'
import type { DocSyncStatus } from './syncedDoc'

/**
 * Messages between the page and the workspace worker, which owns the entity documents (decoding
 * them on the main thread would block it for seconds on a big workspace).
 */
export type EntityIntent =
  | { op: 'create'; id: string; values: Record<string, FieldValue> }
  | { op: 'update'; changes: CellChange[] }
  | { op: 'delete'; ids: string[] }
  | { op: 'restore'; ids: string[] }
  | { op: 'undo' }
  | { op: 'redo' }

export interface WorkerInit {
  type: 'init'
  memberId: string
  token: string
  syncUrl: string
  storePrefix: string
  online: boolean
}

export type ToWorker =
  | WorkerInit
  /** `paintedVersion`: the snapshot the page already shows, so only the difference is sent. */
  | { type: 'open'; entityId: string; paintedVersion: string | null }
  | { type: 'intent'; entityId: string; intent: EntityIntent }
  | { type: 'online'; online: boolean }

export type FromWorker =
  /** The document is loaded: either a patch against the painted snapshot, or all rows as JSON. */
  | { type: 'loaded'; entityId: string; patch: RowPatch | null; rowsJson: string | null }
  | { type: 'patch'; entityId: string; patch: RowPatch; local: boolean }
  | { type: 'history'; entityId: string; canUndo: boolean; canRedo: boolean }
  | { type: 'status'; docName: string; status: DocSyncStatus }
  | { type: 'failed'; entityId: string; message: string }

/** A materialized copy of an entity's live rows, painted before its document is decoded. */
export interface RowSnapshot { version: string; rowsJson: string }
