import type { UpdatePiece } from '../crdt/splitUpdate'

export interface UploadInPiecesOptions {
  /** Sends one piece: the first answers the relay's sync step 1 (a step 2), the others go as updates. */
  send(update: Uint8Array, first: boolean): void
  /** Bytes sent and not yet acknowledged before the next piece waits for an acknowledgement. */
  windowBytes: number
  /**
   * No acknowledgement for this long: one more piece goes out anyway (the relay may hold pieces
   * that hang off a later one), and once all are out the upload ends.
   */
  stallMs: number
  /** Every piece is out and acknowledged (or the wait for the rest stalled). */
  onDone(): void
}

/**
 * Sends what the relay lacks as pieces (splitUpdate), a window of them at a time, the next ones
 * as the relay's acknowledgements (its state vector) cover the earlier: the relay stores and
 * checks one piece after another instead of one message of many megabytes, its memory holds a
 * window at most, a member's byte budget is not overrun, and the pending count falls piece by piece.
 */
export class UploadInPieces {
  private readonly inFlight: { bytes: number; ends: Map<number, number> }[] = []
  private inFlightBytes = 0
  private sent = 0
  /** The piece to send next (read one ahead, so a stall knows whether any is left). */
  private upcoming: UpdatePiece | null = null
  private exhausted = false
  private stallTimer: ReturnType<typeof setTimeout> | null = null
  private stopped = false

  constructor(private readonly pieces: Iterator<UpdatePiece>, private readonly options: UploadInPiecesOptions) {}

  /** Pieces sent so far. */
  get piecesSent(): number {
    return this.sent
  }

  start(): void {
    this.readAhead()
    this.pump()
  }

  /**
   * The relay's state vector arrived. `moved`: it covers more than its previous one; when it did
   * not, the relay is asking for something it lacks, and gets the next piece.
   */
  acknowledge(relay: ReadonlyMap<number, number>, moved: boolean): void {
    if (this.stopped) return
    const before = this.inFlight.length
    for (let i = this.inFlight.length - 1; i >= 0; i--) {
      const piece = this.inFlight[i]!
      if (!covers(relay, piece.ends)) continue
      this.inFlightBytes -= piece.bytes
      this.inFlight.splice(i, 1)
    }
    if (this.inFlight.length < before) this.clearStall()
    if (!moved && !this.exhausted) this.sendNext()
    this.pump()
  }

  stop(): void {
    this.stopped = true
    this.clearStall()
  }

  private pump(): void {
    while (!this.stopped && !this.exhausted && this.inFlightBytes < this.options.windowBytes) this.sendNext()
    if (this.stopped) return
    if (this.exhausted && this.inFlight.length === 0) return this.finish()
    this.stallTimer ??= setTimeout(() => {
      this.stallTimer = null
      if (this.stopped) return
      if (this.exhausted) return this.finish()
      this.sendNext()
      this.pump()
    }, this.options.stallMs)
  }

  private sendNext(): void {
    if (!this.upcoming) return
    const { update, ends } = this.upcoming
    this.options.send(update, this.sent === 0)
    this.sent++
    this.inFlight.push({ bytes: update.byteLength, ends })
    this.inFlightBytes += update.byteLength
    this.readAhead()
  }

  private readAhead(): void {
    const next = this.pieces.next()
    this.upcoming = next.done ? null : next.value
    this.exhausted = next.done === true
  }

  private finish(): void {
    this.stop()
    this.options.onDone()
  }

  private clearStall(): void {
    if (this.stallTimer) clearTimeout(this.stallTimer)
    this.stallTimer = null
  }
}

function covers(relay: ReadonlyMap<number, number>, ends: ReadonlyMap<number, number>): boolean {
  for (const [client, clock] of ends) if ((relay.get(client) ?? 0) < clock) return false
  return true
}
