import type { StoredRow } from '../storage/relayStorage'
import type { BaseWire, FramedWire, PreparedDocument, TailWire } from './documentOps'
import type { LayoutKind, LayoutTaskInput, PackedAnalysis } from './layout/layoutGuard'
import type { PackedUpdates } from './packedUpdates'

/** What the main thread asks a document worker (docWorker.ts) to do. */
export type DocTask =
  /** Read the log (from `file`, or the rows given) and prepare it for a room (a computed state vector is returned, not stored). */
  | { kind: 'load'; name: string; file: string | null; rows: StoredRow[] | null; layout: LayoutKind['kind'] | null }
  /** diffUpdate of the base against a client's state vector, framed as sync step 2. */
  | { kind: 'diff'; update: Uint8Array; stateVector: Uint8Array }
  /** Validate a big incoming update and frame it for forwarding. */
  | { kind: 'inspect'; update: Uint8Array; layout: LayoutTaskInput | null }
  /** Merge base and tail into the new base (the caller stores it). */
  | { kind: 'merge'; base: Uint8Array | null; tail: PackedUpdates; upToSeq: number }
  /** Move the write-ahead log into the database, alongside the writer thread's commits. */
  | { kind: 'checkpoint'; file: string }

export interface DocTaskResults {
  /** `layoutIndex`: the places of the document's records (see LayoutGuard.adopt). */
  load: PreparedDocument & { lastSeq: number; layoutIndex?: Float64Array }
  diff: FramedWire
  inspect: { message: FramedWire; inspection: Float64Array; layout: PackedAnalysis | null }
  merge: BaseWire
  checkpoint: Record<string, never>
}

export type DocTaskResult<K extends DocTask['kind']> = DocTaskResults[K]

export interface DocWorkerRequest {
  id: number
  task: DocTask
}

export type DocWorkerReply =
  | { id: number; ok: true; result: DocTaskResults[DocTask['kind']] }
  /** `malformed`: the update could not be decoded (the client sent garbage). */
  | { id: number; ok: false; error: string; malformed: boolean }

export type { TailWire }
