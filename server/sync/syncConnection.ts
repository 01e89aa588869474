import type { WebSocket } from 'ws'
import type { Member } from '../auth/member'
import { CLOSE_INTERNAL_ERROR, CLOSE_MALFORMED } from '../closeCodes'
import type { RelayHooks } from '../relayHooks'
import type { RelayLogger } from '../relayLogger'
import { fitCloseReason } from './fitCloseReason'
import { encodeAwarenessMessage, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from './encodeServerMessage'
import { inspectUpdate } from './inspectUpdate'
import { MalformedMessageError } from './malformedMessageError'
import { MESSAGE_SYNC, parseClientMessage, SYNC_UPDATE, type ClientMessage } from './parseClientMessage'
import type { RoomPeer, SyncRoom } from './syncRoom'

export interface SyncConnectionOptions {
  logger: RelayLogger
  hooks: RelayHooks
  /** Debounce of the acknowledgement (our sync step 1) after storing a client's updates. */
  ackDelayMs: number
}

/** Closing a connection on purpose, with a close code, from inside message handling. */
class CloseConnection extends Error {
  constructor(readonly code: number, readonly reason: string) {
    super(reason)
  }
}

/** One authenticated websocket in one room, speaking the y-websocket protocol. */
export class SyncConnection implements RoomPeer {
  /** Cleared by the ping sweep, set again by a pong. */
  alive = true
  private closed = false
  private ackTimer: NodeJS.Timeout | null = null
  /** Awareness client ids this connection speaks for; removed for everyone when it closes. */
  private readonly awarenessClients = new Set<number>()

  constructor(
    readonly socket: WebSocket,
    readonly member: Member,
    readonly room: SyncRoom,
    private readonly options: SyncConnectionOptions,
  ) {}

  get isClosed(): boolean {
    return this.closed
  }

  /** Greets the client: our state vector (so it sends what we lack) and who else is here. */
  start(): void {
    this.send(encodeSyncStep1(this.room.stateVector()))
    const presence = this.room.awareness.encodeLiveStates()
    if (presence) this.send(encodeAwarenessMessage(presence))
  }

  send(message: Uint8Array): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return
    this.socket.send(message, { binary: true }, (error) => {
      if (error) this.options.logger.warn(`send to ${this.describe()} failed: ${error.message}`)
    })
  }

  handleMessage(data: Uint8Array, isBinary: boolean): void {
    if (this.closed) return
    try {
      if (!isBinary) throw new MalformedMessageError('text frame; the protocol is binary')
      this.dispatch(parseClientMessage(data), data)
    } catch (error) {
      if (error instanceof MalformedMessageError) {
        this.options.logger.warn(`malformed message from ${this.describe()}: ${error.message}; closing with ${CLOSE_MALFORMED}`)
        this.close(CLOSE_MALFORMED, `malformed message: ${error.message}`)
      } else if (error instanceof CloseConnection) {
        this.close(error.code, error.reason)
      } else {
        this.options.logger.error(`error handling a message from ${this.describe()}: ${(error as Error).stack ?? String(error)}`)
        this.close(CLOSE_INTERNAL_ERROR, 'internal error')
      }
    }
  }

  private dispatch(message: ClientMessage, raw: Uint8Array): void {
    switch (message.type) {
      case 'syncStep1':
        this.send(encodeSyncStep2(this.room.missingFor(message.stateVector, message.clocks)))
        return
      case 'syncStep2':
      case 'update':
        this.receiveUpdate(message.update, message.type === 'update' ? raw : null)
        return
      case 'awareness':
        for (const { clientId, state } of message.entries) {
          if (state === 'null') this.awarenessClients.delete(clientId)
          else this.awarenessClients.add(clientId)
        }
        this.room.awareness.apply(message.entries)
        // To everyone, the sender included, like the reference server: the echo of a client's
        // 15-second awareness renewal is what keeps its 30-second "no message" watchdog quiet
        // when it is alone in the room.
        this.room.broadcast(raw)
        return
      case 'queryAwareness': {
        const presence = this.room.awareness.encodeLiveStates()
        if (presence) this.send(encodeAwarenessMessage(presence))
        return
      }
    }
  }

  /** Validate, then store, then forward: nothing reaches another client before it is durable. */
  private receiveUpdate(update: Uint8Array, rawUpdateMessage: Uint8Array | null): void {
    const inspection = inspectUpdate(update)
    // Viewers read; their edits are dropped without a word (their UI should not offer any).
    if (this.member.role === 'viewer') return
    if (!this.room.isNew(inspection)) return
    let seq: number
    try {
      seq = this.room.store(update, inspection)
    } catch (error) {
      this.options.logger.error(`storing an update for "${this.room.name}" failed: ${(error as Error).message}`)
      throw new CloseConnection(CLOSE_INTERNAL_ERROR, 'storage failed; retry later')
    }
    const context = { documentName: this.room.name, member: this.member, update, seq }
    runHook(this.options.logger, 'afterStoreUpdate', () => this.options.hooks.afterStoreUpdate?.(context))
    // An `update` message can go out as it came in; a step 2 becomes an update for the others.
    const forward = rawUpdateMessage && rawUpdateMessage[0] === MESSAGE_SYNC && rawUpdateMessage[1] === SYNC_UPDATE ? rawUpdateMessage : encodeSyncUpdate(update)
    this.room.broadcast(forward, this)
    this.scheduleAck()
  }

  /** Our state vector after the client's writes: the client counts its unconfirmed changes from it. */
  private scheduleAck(): void {
    if (this.ackTimer) return
    this.ackTimer = setTimeout(() => {
      this.ackTimer = null
      this.send(encodeSyncStep1(this.room.stateVector()))
    }, this.options.ackDelayMs)
  }

  close(code: number, reason: string): void {
    if (this.closed) return
    this.closed = true
    this.clearAck()
    this.socket.close(code, fitCloseReason(reason))
  }

  /** Called once the socket is closed, however that happened. */
  detach(code: number, reason: string): void {
    this.closed = true
    this.clearAck()
    if (!this.room.peers.delete(this)) return
    const removal = this.room.awareness.remove(this.awarenessClients)
    if (removal) this.room.broadcast(encodeAwarenessMessage(removal))
    const context = { documentName: this.room.name, member: this.member, code, reason }
    runHook(this.options.logger, 'onDisconnect', () => this.options.hooks.onDisconnect?.(context))
  }

  describe(): string {
    return `member ${this.member.id} (${this.member.name}) on "${this.room.name}"`
  }

  private clearAck(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer)
    this.ackTimer = null
  }
}

export function runHook(logger: RelayLogger, name: string, hook: () => void): void {
  try {
    hook()
  } catch (error) {
    logger.error(`hook ${name} failed: ${(error as Error).stack ?? String(error)}`)
  }
}
