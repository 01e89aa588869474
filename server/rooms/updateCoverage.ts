import * as encoding from 'lib0/encoding'
import { addRanges, coversAll, type ClockRange } from './clockRanges'
import type { UpdateInspection } from './inspectUpdate'

/**
 * What a room's stored document is known to contain, without a Y.Doc: per client the
 * contiguous clock from 0 (the state vector), struct ranges stored beyond a gap, and the
 * deletions stored since the room was loaded. Used to answer "does this update add anything?"
 * so that a client's reply to our acknowledgement (its whole delete set) is not stored again.
 * It may under-report (then an update is stored twice, which Yjs tolerates) but never
 * over-reports, so nothing new is ever dropped. Every check and addition is linear in the
 * ranges involved: a big document's delete set has tens of thousands of them.
 */
export class UpdateCoverage {
  private readonly clocks: Map<number, number>
  private readonly beyondGap = new Map<number, ClockRange[]>()
  private readonly deleted = new Map<number, ClockRange[]>()
  private encoded: Uint8Array | null = null

  constructor(stateVector: ReadonlyMap<number, number> = new Map()) {
    this.clocks = new Map(stateVector)
  }

  /** True when the update holds a struct or a deletion not known to be stored. */
  addsSomething(update: UpdateInspection): boolean {
    for (const [client, ranges] of update.structs) {
      const clock = this.clocks.get(client) ?? 0
      const last = ranges[ranges.length - 1]
      if (!last || last[1] <= clock) continue
      const beyond = this.beyondGap.get(client)
      if (!beyond) return true
      const unknown: ClockRange[] = []
      for (const [start, end] of ranges) if (end > clock) unknown.push([Math.max(start, clock), end])
      if (!coversAll(beyond, unknown)) return true
    }
    for (const [client, ranges] of update.deletes) {
      if (!coversAll(this.deleted.get(client) ?? [], ranges)) return true
    }
    return false
  }

  /** Records a stored update. */
  add(update: UpdateInspection): void {
    for (const [client, ranges] of update.structs) {
      const beyond: ClockRange[] = []
      for (const [start, end] of ranges) {
        const clock = this.clocks.get(client) ?? 0
        if (start <= clock) {
          if (end > clock) this.advance(client, end)
        } else {
          beyond.push([start, end])
        }
      }
      if (beyond.length === 0) continue
      let known = this.beyondGap.get(client)
      if (!known) this.beyondGap.set(client, (known = []))
      addRanges(known, beyond)
    }
    for (const [client, ranges] of update.deletes) {
      let known = this.deleted.get(client)
      if (!known) this.deleted.set(client, (known = []))
      addRanges(known, ranges)
    }
  }

  private advance(client: number, end: number): void {
    let clock = end
    const beyond = this.beyondGap.get(client)
    let used = 0
    while (beyond && used < beyond.length && (beyond[used] as ClockRange)[0] <= clock) {
      clock = Math.max(clock, (beyond[used] as ClockRange)[1])
      used++
    }
    if (beyond && used > 0) beyond.splice(0, used)
    if (beyond && beyond.length === 0) this.beyondGap.delete(client)
    this.clocks.set(client, clock)
    this.encoded = null
  }

  stateVector(): ReadonlyMap<number, number> {
    return this.clocks
  }

  /** The state vector in Yjs encoding (as `Y.encodeStateVector` writes it), cached. */
  encodedStateVector(): Uint8Array {
    if (!this.encoded) {
      const encoder = encoding.createEncoder()
      const entries = [...this.clocks].filter(([, clock]) => clock > 0).sort((a, b) => b[0] - a[0])
      encoding.writeVarUint(encoder, entries.length)
      for (const [client, clock] of entries) {
        encoding.writeVarUint(encoder, client)
        encoding.writeVarUint(encoder, clock)
      }
      this.encoded = encoding.toUint8Array(encoder)
    }
    return this.encoded
  }
}
