import type { CellChange } from '../crdt/recordDoc'

/**
 * The workspace epoch this device's copies belong to (server/backup/workspaceEpoch.ts on the
 * relay): kept in localStorage, sent as `?epoch=` on every sync connection. A restore gives the
 * workspace a new epoch and the relay closes connections of the old one with 4409: this device's
 * copies then hold state the restored workspace never saw (records made or deleted after the
 * backup), and merging them back would resurrect or duplicate records. So the device drops every
 * local copy and loads the workspace from the relay again; its unsent cell edits are set again
 * on the records the restored workspace has (cellsToCarry), as new edits.
 */
export const CLOSE_WORKSPACE_RESTORED = 4409

const epochKey = (storePrefix: string) => `${storePrefix}epoch`

export function readStoredEpoch(storePrefix: string): string | null {
  return typeof localStorage === 'undefined' ? null : localStorage.getItem(epochKey(storePrefix))
}

/** GET /api/v1/workspace/epoch, remembered for the next session; null when the relay cannot say. */
export async function learnEpoch(syncUrl: string, token: string, storePrefix: string): Promise<string | null> {
  const base = syncUrl.replace(/^ws/, 'http').replace(/\/sync\/?$/, '')
  const res = await fetch(`${base}/api/v1/workspace/epoch`, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(15_000) })
  if (!res.ok) return null
  const { epoch } = (await res.json()) as { epoch?: unknown }
  if (typeof epoch !== 'string' || !epoch) return null
  localStorage.setItem(epochKey(storePrefix), epoch)
  return epoch
}

const carriedKey = (storePrefix: string) => `${storePrefix}carried`

/** Unsent cells per entity id, kept across the reload after a restore until their documents have synced. */
export type CarriedCells = Record<string, CellChange[]>

export function readCarriedCells(storePrefix: string): CarriedCells {
  const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(carriedKey(storePrefix))
  return raw ? (JSON.parse(raw) as CarriedCells) : {}
}

export function saveCarriedCells(storePrefix: string, cells: CarriedCells): void {
  if (Object.keys(cells).length === 0) localStorage.removeItem(carriedKey(storePrefix))
  else localStorage.setItem(carriedKey(storePrefix), JSON.stringify(cells))
}

/**
 * The rule for edits a device had not synced when the workspace was restored: a cell is set again
 * only on a record the restored workspace has alive (`live`); cells of records it lacks — made
 * after the backup, here or elsewhere, or deleted in it — are dropped, so nothing comes back.
 */
export function cellsToCarry(cells: readonly CellChange[], live: (recordId: string) => boolean): CellChange[] {
  return cells.filter((c) => live(c.recordId))
}

/** Deletes this device's copies of the workspace: every IndexedDB database and localStorage entry named with `storePrefix`. */
export async function dropLocalWorkspace(storePrefix: string): Promise<void> {
  for (const key of Object.keys(localStorage)) if (key.startsWith(storePrefix)) localStorage.removeItem(key)
  const databases = await indexedDB.databases()
  await Promise.all(databases.filter((d) => d.name?.startsWith(storePrefix)).map((d) => new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(d.name as string)
    request.onsuccess = () => resolve()
    request.onerror = () => reject(request.error ?? new Error(`could not delete ${d.name}`))
    // another tab still has it open: it is deleted once that tab reloads too
    request.onblocked = () => resolve()
  })))
}
