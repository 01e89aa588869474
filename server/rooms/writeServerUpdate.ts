import type { Member } from '../auth/member'
import type { RelayHooks } from '../relayHooks'
import type { RelayLogger } from '../relayLogger'
import { frameSyncMessage } from './frameMessage'
import { decodeIncoming, inspectDecoded } from './inspectUpdate'
import { logSafe } from '../logSafe'
import { admitLayout, LayoutViolationError, type HeldUpdateOwner } from './layout/admitLayout'
import { MESSAGE_SYNC, SYNC_UPDATE } from './parseClientMessage'
import { runHook } from './syncConnection'
import type { SyncRoom } from './syncRoom'
import type { UpdateWriter } from './updateWriter'

/**
 * Where a stored update came from, for the afterStoreUpdate hook (the record history says how a
 * change was made): a connection ('sync'), or a write the relay made for the REST API, a web form,
 * a call, an import or itself (a value it keeps following, a conflict mark).
 */
export type UpdateOrigin = 'sync' | 'api' | 'form' | 'call' | 'import' | 'relay'

/** Why a server-side write was not stored. */
export type ServerUpdateFailure =
  /** The document's room could not be loaded (storage could not be read). */
  | 'room'
  /** The update hangs off items the room does not have: the caller's copy disagrees with the room. */
  | 'missing-items'
  /** The update breaks the document's layout: a bug in what built it. */
  | 'layout'
  /** Storage refused the write. */
  | 'storage'

/** A server-side write the room could not take (nothing stored), and why. */
export class ServerUpdateError extends Error {
  constructor(readonly reason: ServerUpdateFailure, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ServerUpdateError'
  }

  /** Worth trying again: storage may work again, a copy read again agrees with the room. */
  get transient(): boolean {
    return this.reason !== 'layout'
  }
}

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
 * and forwarded; rejects with a ServerUpdateError (nothing stored, the failure logged with its
 * stack) when the room cannot load, the layout refuses it or storage fails.
 */
export async function writeServerUpdate(deps: ServerUpdateDeps, name: string, update: Uint8Array, member: Member, origin: UpdateOrigin): Promise<void> {
  // Every failure is logged here once, with the stack of its cause: callers answer their
  // requests (a 503 to try again) and must not need the relay's log to be told apart.
  const fail = (reason: ServerUpdateFailure, message: string, cause?: unknown): ServerUpdateError => {
    const error = new ServerUpdateError(reason, message, { cause })
    const stack = cause instanceof Error ? (cause.stack ?? cause.message) : (error.stack ?? message)
    deps.logger.error(`server write (${origin}) to "${logSafe(name)}" failed (${reason}): ${logSafe(message, 500)}: ${stack}`)
    return error
  }
  const room = deps.useRoom(name)
  try {
    try {
      await room.ready
    } catch (error) {
      throw fail('room', 'its room could not be loaded', error)
    }
    const decoded = decodeIncoming(update)
    const inspection = inspectDecoded(decoded)
    if (!room.isNew(inspection)) return
    const framed = frameSyncMessage(MESSAGE_SYNC, SYNC_UPDATE, update, false)
    let admitted: boolean
    const heldBy: HeldUpdateOwner = { retryHeld() {}, askForMissing() {} }
    try {
      // built from what the room stored, so it never waits for missing items: a hold is an error
      admitted = admitLayout(room.layout, name, room.layout?.check(decoded.structs, 'relay') ?? null, inspection, heldBy, framed.message)
    } catch (error) {
      if (error instanceof LayoutViolationError) throw fail('layout', error.message, error)
      throw error
    }
    if (!admitted) {
      room.layout?.forget(heldBy)
      throw fail('missing-items', 'the update hangs off items the relay does not have')
    }
    await new Promise<void>((resolve, reject) => {
      deps.writer.enqueue({
        room,
        inspection,
        ...framed,
        owner: {
          stored(write, seq) {
            // Durable from here on: the caller is told so even if keeping or forwarding it throws
            // (UpdateWriter logs that), rather than waiting for an answer that never comes.
            try {
              room.applyStored({ seq, message: write.message, update: write.update }, write.inspection)
              const hook = deps.hooks.afterStoreUpdate
              if (hook) runHook(deps.logger, 'afterStoreUpdate', () => hook({ documentName: name, member, update: write.update, seq, origin }))
              room.broadcast(write.message)
            } finally {
              resolve()
            }
          },
          storeFailed(_write, error) {
            reject(fail('storage', 'storage refused it', error))
          },
        },
      })
    })
  } finally {
    deps.releaseRoom(room)
  }
}
