import type { Member } from '../auth/member'
import type { RelayHooks } from '../relayHooks'
import type { RelayLogger } from '../relayLogger'
import { frameSyncMessage } from './frameMessage'
import { decodeIncoming, inspectDecoded } from './inspectUpdate'
import { admitLayout } from './layout/admitLayout'
import { MESSAGE_SYNC, SYNC_UPDATE } from './parseClientMessage'
import { runHook } from './syncConnection'
import type { SyncRoom } from './syncRoom'
import type { UpdateWriter } from './updateWriter'

/** Where a stored update came from, for the afterStoreUpdate hook (history tells API writes apart). */
export type UpdateOrigin = 'sync' | 'api'

/** A server-side write the room could not take. */
export class ServerUpdateError extends Error {}

export interface ServerUpdateDeps {
  useRoom(name: string): SyncRoom
  releaseRoom(room: SyncRoom): void
  writer: UpdateWriter
  hooks: RelayHooks
  logger: RelayLogger
}

/**
 * Stores an update the relay made itself (an API write built through src/crdt) exactly like a
 * connection's: checked against the document's layout, written durably with the turn's other
 * updates, then kept by the room and broadcast to every client in it. Resolves once durable
 * and forwarded; rejects (nothing stored) when the layout refuses it or storage fails.
 */
export async function writeServerUpdate(deps: ServerUpdateDeps, name: string, update: Uint8Array, member: Member, origin: UpdateOrigin): Promise<void> {
  const room = deps.useRoom(name)
  try {
    await room.ready
    const decoded = decodeIncoming(update)
    const inspection = inspectDecoded(decoded)
    if (!room.isNew(inspection)) return
    const framed = frameSyncMessage(MESSAGE_SYNC, SYNC_UPDATE, update, false)
    // built from what the room stored, so it never waits for missing items: a hold is an error
    const admitted = admitLayout(room.layout, name, room.layout?.check(decoded.structs) ?? null, inspection, deps, () => {}, () => {})
    if (!admitted) {
      room.layout?.forget(deps)
      throw new ServerUpdateError(`the update to "${name}" hangs off items the relay does not have`)
    }
    await new Promise<void>((resolve, reject) => {
      deps.writer.enqueue({
        room,
        inspection,
        ...framed,
        owner: {
          stored(write, seq) {
            room.applyStored({ seq, message: write.message, update: write.update }, write.inspection)
            const hook = deps.hooks.afterStoreUpdate
            if (hook) runHook(deps.logger, 'afterStoreUpdate', () => hook({ documentName: name, member, update: write.update, seq, origin }))
            room.broadcast(write.message)
            resolve()
          },
          storeFailed(_write, error) {
            reject(error)
          },
        },
      })
    })
  } finally {
    deps.releaseRoom(room)
  }
}
