import type { Duplex } from 'node:stream'
import type { WebSocket } from 'ws'
import type { Member } from '../auth/member'
import { CLOSE_INTERNAL_ERROR, CLOSE_LAYOUT_VIOLATION, CLOSE_MALFORMED } from '../closeCodes'
import { logSafe } from '../logSafe'
import type { RelayHooks } from '../relayHooks'
import type { RelayLogger } from '../relayLogger'
import { fromWire } from './documentOps'
import type { DocWorkerPool } from './docWorkerPool'
import { encodeAwarenessMessage, encodeSyncStep1 } from './encodeServerMessage'
import { frameSyncMessage, payloadOf } from './frameMessage'
import { fitCloseReason } from './fitCloseReason'
import { decodeIncoming, inspectDecoded, unpackInspection, type UpdateInspection } from './inspectUpdate'
import { admitLayout, LayoutViolationError, type HeldUpdateOwner } from './layout/admitLayout'
import { unpackAnalysis, verdictOf, type Verdict } from './layout/layoutGuard'
import { MalformedMessageError } from './malformedMessageError'
import { MESSAGE_SYNC, parseClientMessage, SYNC_UPDATE, type ClientMessage } from './parseClientMessage'
import { encodeAwarenessUpdate } from './roomAwareness'
import { stampPresenceUser } from './stampPresenceUser'
import { DEFAULT_MAIN_THREAD_LIMITS, type MainThreadLimits, type RoomPeer, type SyncRoom } from './syncRoom'
import type { PendingWrite, UpdateWriter, WriteOwner } from './updateWriter'

export interface SyncConnectionOptions {
  logger: RelayLogger
  hooks: RelayHooks
  /** Debounce of the acknowledgement (our sync step 1) after storing a client's updates. */
  ackDelayMs: number
  /**
   * Least time between two acknowledgements to one connection: a client editing without pause
   * gets one every `ackIntervalMs` instead of one per debounce (each makes it encode and send
   * its delete set back).
   */
  ackIntervalMs: number
  /**
   * Whether this connection asked for acknowledgements (`?acks=1`: the Kanso app, which counts
   * its unsynced changes from them). A stock y-websocket client does not use them and answers
   * each with a sync step 2 of its whole delete set (an encode over its document, every second
   * while it edits): it gets none, as from the reference server.
   */
  acknowledge: boolean
  writer: UpdateWriter
  pool: DocWorkerPool
  limits?: MainThreadLimits
}

/** Closing a connection on purpose, with a close code, from inside message handling. */
class CloseConnection extends Error {
  constructor(readonly code: number, readonly reason: string) {
    super(reason)
  }
}

const SEND_OPTIONS = { binary: true } as const
let nextPingSlot = 0
/**
 * Messages above this size go out as websocket fragments of FRAGMENT_BYTES, each sent once the
 * previous one reached the kernel: one write of an 18 MB document copies megabytes into the
 * socket in one go and stalls the event loop for tens of milliseconds.
 */
const FRAGMENT_ABOVE_BYTES = 1024 * 1024
const FRAGMENT_BYTES = 256 * 1024

/** The buffer behind `bytes` when `bytes` is all of it (so it can be moved to a worker). */
function ownedBuffer(bytes: Uint8Array): ArrayBuffer | null {
  const buffer = bytes.buffer
  return buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength ? buffer : null
}

/**
 * One authenticated websocket in one room, speaking the y-websocket protocol. Messages are
 * handled strictly in order: when one needs a worker (a big update to validate, a diff of a
 * big document), later ones wait for it.
 */
export class SyncConnection implements RoomPeer, WriteOwner, HeldUpdateOwner {
  /** Cleared by the ping sweep, set again by a pong. */
  alive = true
  /** Which tick of the ping sweep pings this connection (connections in order of arrival). */
  readonly pingSlot = nextPingSlot++
  private closed = false
  private ackTimer: NodeJS.Timeout | null = null
  private lastAckAt = -Infinity
  /** Messages that arrived while an earlier one was still being handled off-thread. */
  private backlog: Array<[Uint8Array, boolean]> = []
  private waiting = false
  private readonly limits: MainThreadLimits
  /** Messages waiting for a fragmented one to finish (its fragments must not interleave). */
  private sendQueue: Uint8Array[] | null = null
  private readonly onSent = (error?: Error) => {
    if (error) this.options.logger.warn(`send to ${this.describe()} failed: ${error.message}`)
  }

  constructor(
    readonly socket: WebSocket,
    readonly member: Member,
    readonly room: SyncRoom,
    private readonly options: SyncConnectionOptions,
    /** The socket under `socket`, corked while a batch of stored updates is forwarded (see CorkedSends). */
    private readonly transport: Duplex | null = null,
  ) {
    this.limits = options.limits ?? DEFAULT_MAIN_THREAD_LIMITS
  }

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
    if (this.sendQueue) {
      this.sendQueue.push(message)
      return
    }
    if (message.byteLength > FRAGMENT_ABOVE_BYTES) {
      this.sendQueue = []
      this.sendFragment(message, 0)
      return
    }
    if (this.transport) this.options.writer.sends.cork(this.transport)
    // No completion callback: a failed send also errors and closes the socket, which is logged.
    this.socket.send(message, SEND_OPTIONS)
  }

  private sendFragment(message: Uint8Array, offset: number): void {
    const end = Math.min(message.byteLength, offset + FRAGMENT_BYTES)
    const fin = end === message.byteLength
    this.socket.send(message.subarray(offset, end), { binary: true, fin }, (error) => {
      if (error || this.closed || this.socket.readyState !== this.socket.OPEN) {
        this.onSent(error)
        this.sendQueue = null
        return
      }
      if (!fin) {
        this.sendFragment(message, end)
        return
      }
      const waiting = this.sendQueue ?? []
      this.sendQueue = null
      for (const next of waiting) this.send(next)
    })
  }

  handleMessage(data: Uint8Array, isBinary: boolean): void {
    if (this.closed) return
    if (this.waiting) {
      this.backlog.push([data, isBinary])
      return
    }
    this.process(data, isBinary)
  }

  private process(data: Uint8Array, isBinary: boolean): void {
    try {
      if (!isBinary) throw new MalformedMessageError('text frame; the protocol is binary')
      const later = this.dispatch(parseClientMessage(data), data)
      if (!later) return
      this.waiting = true
      later.then(
        () => this.resume(),
        (error: unknown) => {
          this.fail(error)
          this.resume()
        },
      )
    } catch (error) {
      this.fail(error)
    }
  }

  private resume(): void {
    this.waiting = false
    let next = 0
    while (!this.waiting && !this.closed && next < this.backlog.length) {
      const [data, isBinary] = this.backlog[next++] as [Uint8Array, boolean]
      this.process(data, isBinary)
    }
    this.backlog = this.closed ? [] : this.backlog.slice(next)
  }

  private fail(error: unknown): void {
    if (error instanceof MalformedMessageError) {
      this.options.logger.warn(`malformed message from ${this.describe()}: ${error.message}; closing with ${CLOSE_MALFORMED}`)
      this.close(CLOSE_MALFORMED, `malformed message: ${error.message}`)
    } else if (error instanceof LayoutViolationError) {
      this.options.logger.warn(`${error.message}; closing ${this.describe()} with ${CLOSE_LAYOUT_VIOLATION}`)
      this.close(CLOSE_LAYOUT_VIOLATION, error.message)
    } else if (error instanceof CloseConnection) {
      this.close(error.code, error.reason)
    } else {
      this.options.logger.error(`error handling a message from ${this.describe()}: ${(error as Error).stack ?? String(error)}`)
      this.close(CLOSE_INTERNAL_ERROR, 'internal error')
    }
  }

  /** Handles one message; returns a promise when the rest of the work happens off-thread. */
  private dispatch(message: ClientMessage, raw: Uint8Array): Promise<void> | void {
    switch (message.type) {
      case 'syncStep1': {
        const answer = this.room.answerSyncStep1(message.stateVector, message.clocks)
        if (Array.isArray(answer)) {
          for (const reply of answer) this.send(reply)
          return
        }
        return answer.then((replies) => {
          for (const reply of replies) this.send(reply)
        })
      }
      case 'syncStep2':
      case 'update':
        if (message.update.byteLength > this.limits.updateBytes) return this.receiveBigUpdate(message.update, raw)
        this.receiveUpdate(message.update, message.type === 'update' ? raw : null)
        return
      case 'awareness': {
        // Only the connection's own client, named and coloured as its member (see ownEntries).
        const own = this.room.awareness.ownEntries(this, message.entries).map((entry) => stampPresenceUser(entry, this.member))
        if (own.length === 0) return
        this.room.awareness.apply(own)
        // To everyone, the sender included, like the reference server: the echo of a client's
        // 15-second awareness renewal is what keeps its 30-second "no message" watchdog quiet
        // when it is alone in the room.
        this.room.broadcast(encodeAwarenessMessage(encodeAwarenessUpdate(own)))
        return
      }
      case 'queryAwareness': {
        const presence = this.room.awareness.encodeLiveStates()
        if (presence) this.send(encodeAwarenessMessage(presence))
        return
      }
    }
  }

  /**
   * Validate, then store, then forward: nothing reaches another client before it is durable.
   * Small updates are validated here and stored with the others of this socket read (UpdateWriter).
   */
  private receiveUpdate(update: Uint8Array, rawUpdateMessage: Uint8Array | null): void {
    const decoded = decodeIncoming(update)
    const inspection = inspectDecoded(decoded)
    // Viewers read; their edits are dropped without a word (their UI should not offer any) —
    // except their own personal saved views, which the schema's layout lets them alone write.
    if (this.member.role === 'viewer' && !this.isViewersOwnView(decoded.structs, inspection)) return
    if (!this.room.isNew(inspection)) return
    // An `update` message can go out as it came in; a step 2 becomes an update for the others.
    // Either way one copy, which the room keeps (the socket's buffer may be much bigger).
    const framed =
      rawUpdateMessage && rawUpdateMessage[0] === MESSAGE_SYNC && rawUpdateMessage[1] === SYNC_UPDATE
        ? payloadOf(this.room.keepCopy(rawUpdateMessage), update.byteLength)
        : frameSyncMessage(MESSAGE_SYNC, SYNC_UPDATE, update, false)
    if (!this.admit(this.room.layout?.check(decoded.structs, 'client', this.member, inspection.deletes) ?? null, inspection, framed.message)) return
    this.options.writer.enqueue({ room: this.room, inspection, owner: this, ...framed })
  }

  /** A big update: validated by a worker while later messages wait, then stored like the others. */
  private async receiveBigUpdate(update: Uint8Array, raw: Uint8Array): Promise<void> {
    const { pool, writer } = this.options
    // Move the socket's buffer to the worker instead of copying it, when it holds only this message.
    const owned = ownedBuffer(raw)
    const guard = this.room.layout
    const layout = guard?.taskInput() ?? null
    const checked = await pool.run({ kind: 'inspect', update, layout }, owned ? [owned] : [])
    // Stored even when the client has gone meanwhile, like a small update already queued.
    if (this.member.role === 'viewer') return
    const framed = fromWire(checked.message)
    const inspection = unpackInspection(checked.inspection)
    if (!this.room.isNew(inspection)) return
    // The schema document is small and kept whole by its guard: checked here, not in the worker.
    const verdict = checked.layout ? verdictOf(unpackAnalysis(checked.layout)) : (guard?.check(decodeIncoming(framed.update).structs, 'client', this.member, inspection.deletes) ?? null)
    if (!this.admit(verdict, inspection, framed.message)) return
    await new Promise<void>((resolve) => {
      const owner: WriteOwner = {
        stored: (write, seq) => {
          this.stored(write, seq)
          resolve()
        },
        afterStored: (write, seq) => this.afterStored(write, seq),
        storeFailed: (write, error) => {
          this.storeFailed(write, error)
          resolve()
        },
      }
      writer.enqueue({ room: this.room, inspection, owner, ...framed })
    })
  }

  /** A viewer's update of the schema that writes nothing but their own personal views (see schemaLayout). */
  private isViewersOwnView(structs: ReturnType<typeof decodeIncoming>['structs'], inspection: UpdateInspection): boolean {
    const guard = this.room.layout
    return guard?.layoutKind.kind === 'schema' && !('violation' in guard.check(structs, 'client', this.member))
      && guard.deletesOnlyWritableViews(inspection.deletes, this.member)
  }

  /** Applies the layout check (see admitLayout): a held update comes back as `message` once it can be checked. */
  private admit(verdict: Verdict | null, inspection: UpdateInspection, message: Uint8Array): boolean {
    return admitLayout(this.room.layout, this.room.name, verdict, inspection, this, message)
  }

  /** A held update can be checked now (see admitLayout). */
  retryHeld(message: Uint8Array): void {
    this.handleMessage(message, true)
  }

  /** Our state vector, so the client sends what a held update of its hangs off. */
  askForMissing(): void {
    this.send(encodeSyncStep1(this.room.stateVector()))
  }

  /** The update is durable: keep it, forward it, acknowledge. */
  stored(write: PendingWrite, seq: number): void {
    const { room, message } = write
    room.applyStored({ seq, message, update: write.update }, write.inspection)
    room.broadcast(message, this)
    this.scheduleAck()
  }

  /** Once the writer's batch went out: the hook (the API's copies, the history, rules — no client waits for them). */
  afterStored(write: PendingWrite, seq: number): void {
    const hook = this.options.hooks.afterStoreUpdate
    if (hook) runHook(this.options.logger, 'afterStoreUpdate', () => hook({ documentName: write.room.name, member: this.member, update: write.update, seq, origin: 'sync' }))
  }

  storeFailed(write: PendingWrite, error: Error): void {
    this.options.logger.error(`storing an update for "${write.room.name}" failed: ${error.message}`)
    this.close(CLOSE_INTERNAL_ERROR, 'storage failed; retry later')
  }

  /** Our state vector after the client's writes: the client counts its unconfirmed changes from it. */
  private scheduleAck(): void {
    if (this.ackTimer || this.closed || !this.options.acknowledge) return
    const { ackDelayMs, ackIntervalMs } = this.options
    const delay = Math.max(ackDelayMs, this.lastAckAt + ackIntervalMs - performance.now())
    this.ackTimer = setTimeout(() => {
      this.ackTimer = null
      this.lastAckAt = performance.now()
      this.send(encodeSyncStep1(this.room.stateVector()))
    }, delay)
  }

  close(code: number, reason: string): void {
    if (this.closed) return
    this.closed = true
    this.clearAck()
    this.backlog = []
    this.sendQueue = null
    this.socket.close(code, fitCloseReason(reason))
  }

  /** Called once the socket is closed, however that happened. */
  detach(code: number, reason: string): void {
    this.closed = true
    this.clearAck()
    this.backlog = []
    this.room.layout?.forget(this)
    if (!this.room.peers.delete(this)) return
    const removal = this.room.awareness.release(this)
    if (removal) this.room.broadcast(encodeAwarenessMessage(removal))
    const context = { documentName: this.room.name, member: this.member, code, reason }
    runHook(this.options.logger, 'onDisconnect', () => this.options.hooks.onDisconnect?.(context))
  }

  describe(): string {
    return `member ${logSafe(this.member.id)} (${logSafe(this.member.name)}) on "${this.room.name}"`
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
