import type { WorkspaceSchema } from '../domain/schema'
import { isRowSnapshot, isRowSnapshotHead, type RowSnapshot, type RowSnapshotHead } from './workerProtocol'

interface BootRead { entity: string; head?: Promise<unknown>; snapshot: Promise<unknown>; schema?: Promise<unknown> | null; rest?: () => void }

export interface BootSnapshot {
  /** The snapshot's first rows and count, read first; null when there is none (nothing stored, or an older device). */
  head: Promise<RowSnapshotHead | null>
  /**
   * The whole snapshot: this device's (the head's version), else the relay's; null when there is
   * none. After a head it is read once `readRest()` is called (or 5 s later).
   */
  full: Promise<RowSnapshot | null>
  /** Asks for the whole snapshot now: the first rows are on screen, or every row is needed. */
  readRest(): void
}

/**
 * The row snapshot index.html started reading (in a tiny worker, from IndexedDB `kanso:meta`)
 * before the app's code had loaded, if it is for `entityId`; taken once. Undefined when there is
 * none to take (another list, or already taken): the workspace worker then sends it.
 */
export function takeBootSnapshot(entityId: string): BootSnapshot | undefined {
  const scope = globalThis as { __kansoBoot?: BootRead }
  const boot = scope.__kansoBoot
  if (!boot || boot.entity !== entityId) return undefined
  delete scope.__kansoBoot
  return {
    head: (boot.head ?? Promise.resolve(null)).then((s) => (isRowSnapshotHead(s) ? s : null), () => null),
    full: boot.snapshot.then((s) => (isRowSnapshot(s) ? s : null), () => null),
    readRest: () => boot.rest?.(),
  }
}

/** The rows of a snapshot's (or a loaded document's) ASCII JSON bytes. */
export function decodeRows<T>(bytes: Uint8Array): T {
  return JSON.parse(new TextDecoder().decode(bytes)) as T
}

/**
 * The workspace schema index.html asked the relay for (`GET /api/schema`) on a first visit, when
 * this device had none; taken once. Null when it did not ask, it failed, or the answer is empty.
 */
export function takeBootSchema(): Promise<WorkspaceSchema | null> {
  const scope = globalThis as { __kansoBoot?: BootRead }
  const asked = scope.__kansoBoot?.schema
  if (!asked) return Promise.resolve(null)
  scope.__kansoBoot!.schema = null
  return asked.then((s) => {
    const schema = s as WorkspaceSchema | null
    return schema && Array.isArray(schema.entities) && schema.entities.length ? schema : null
  }, () => null)
}
