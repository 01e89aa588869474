import { isRowSnapshot, type RowSnapshot } from './workerProtocol'

interface BootRead { entity: string; snapshot: Promise<unknown> }

/**
 * The row snapshot index.html started reading (in a tiny worker, from IndexedDB `kanso:meta`)
 * before the app's code had loaded, if it is for `entityId`; taken once. Undefined when there is
 * none to take (another list, or already taken): the workspace worker then sends it.
 */
export function takeBootSnapshot(entityId: string): Promise<RowSnapshot | null> | undefined {
  const scope = globalThis as { __kansoBoot?: BootRead }
  const boot = scope.__kansoBoot
  if (!boot || boot.entity !== entityId) return undefined
  delete scope.__kansoBoot
  return boot.snapshot.then((s) => (isRowSnapshot(s) ? s : null), () => null)
}

/** The rows of a snapshot's (or a loaded document's) ASCII JSON bytes. */
export function decodeRows<T>(bytes: Uint8Array): T {
  return JSON.parse(new TextDecoder().decode(bytes)) as T
}
