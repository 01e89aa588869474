import type { RowSnapshot, RowSnapshotHead } from '../sync/workerProtocol'

/**
 * The page to the boot worker: `read` the snapshot of this list (once), then `rest` when the
 * page wants the whole snapshot (its first rows are on screen, or a sort or search needs every row).
 */
export type BootRequest = { type: 'read'; entity: string; token: string | null } | { type: 'rest' }

/** The boot worker to the page: the head (first rows and count) first, then the whole snapshot; each null when there is none. */
export type BootReply = { head: RowSnapshotHead | null } | { full: RowSnapshot | null }

/** What the boot script leaves on `window` for the app to take over (src/sync/bootSnapshot.ts). */
export interface BootRead {
  entity: string
  head: Promise<RowSnapshotHead | null>
  snapshot: Promise<RowSnapshot | null>
  /** `GET /api/schema` on a first visit (no schema on this device), else null. */
  schema: Promise<unknown> | null
  rest(): void
}

/** `GET /api/me` asked on a first visit (nobody known on this device); src/ui/session/bootMe.ts takes it over. */
export interface BootMe { token: string; response: Promise<Response> }

export interface BootGlobals { __kansoBoot?: BootRead; __kansoBootMe?: BootMe }
