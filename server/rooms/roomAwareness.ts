import * as encoding from 'lib0/encoding'
import type { AwarenessEntry } from './parseClientMessage'

const NULL_STATE = 'null'

/**
 * A room's awareness (presence) states as JSON text, without y-protocols' Awareness (which
 * needs a Y.Doc). Mirrors its clock rule so late joiners get the newest state of each client.
 */
export class RoomAwareness {
  private readonly entries = new Map<number, { clock: number; state: string }>()

  apply(updates: readonly AwarenessEntry[]): void {
    for (const { clientId, clock, state } of updates) {
      const current = this.entries.get(clientId)
      const currentClock = current?.clock ?? 0
      const removesLive = clock === currentClock && state === NULL_STATE && current !== undefined && current.state !== NULL_STATE
      if (current === undefined || currentClock < clock || removesLive) this.entries.set(clientId, { clock, state })
    }
  }

  /** Marks the clients gone (as y-protocols' removeAwarenessStates does); the update to broadcast, or null. */
  remove(clientIds: Iterable<number>): Uint8Array | null {
    const removed: AwarenessEntry[] = []
    for (const clientId of clientIds) {
      const current = this.entries.get(clientId)
      if (!current || current.state === NULL_STATE) continue
      const entry = { clientId, clock: current.clock + 1, state: NULL_STATE }
      this.entries.set(clientId, { clock: entry.clock, state: NULL_STATE })
      removed.push(entry)
    }
    return removed.length > 0 ? encodeAwarenessUpdate(removed) : null
  }

  /** Every live state, for a client that just joined; null when nobody is present. */
  encodeLiveStates(): Uint8Array | null {
    const live: AwarenessEntry[] = []
    for (const [clientId, { clock, state }] of this.entries) if (state !== NULL_STATE) live.push({ clientId, clock, state })
    return live.length > 0 ? encodeAwarenessUpdate(live) : null
  }

  liveCount(): number {
    let count = 0
    for (const { state } of this.entries.values()) if (state !== NULL_STATE) count++
    return count
  }
}

export function encodeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId)
    encoding.writeVarUint(encoder, clock)
    encoding.writeVarString(encoder, state)
  }
  return encoding.toUint8Array(encoder)
}
