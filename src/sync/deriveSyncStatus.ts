import type { DocSyncState, DocSyncStatus } from './syncedDoc'
import { pendingChanges } from './pendingChanges'
import { ownVector } from './syncVectors'

export interface SyncFacts {
  /** The locally stored state is loaded. */
  loaded: boolean
  wantOnline: boolean
  socket: 'closed' | 'connecting' | 'open'
  /** The relay's first sync step 2 arrived on this connection. */
  synced: boolean
  /** This document's state vector. */
  local: Map<number, number>
  /** The relay's last state vector (its ack), if it ever sent one. */
  serverVector: Map<number, number> | null
  /** Yjs client ids this browser wrote with. */
  ownClients: Set<number>
}

/**
 * The honest status of a synced document (SyncedDoc, CompactSyncedDoc): `pending` counts this
 * browser's changes the relay's last state vector does not cover; before the relay has ever told
 * us what it holds, everything local is unconfirmed.
 */
export function deriveSyncStatus(f: SyncFacts): DocSyncStatus {
  const local = ownVector(f.local, f.ownClients)
  const pending = pendingChanges(local, f.serverVector ?? new Map())
  let state: DocSyncState
  if (!f.loaded) state = f.wantOnline ? 'connecting' : 'offline'
  else if (!f.wantOnline || f.socket === 'closed') state = 'offline'
  else if (f.socket === 'connecting') state = 'connecting'
  else state = f.synced && f.serverVector && pending === 0 ? 'synced' : 'syncing'
  return { state, pending }
}
