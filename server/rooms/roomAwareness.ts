import * as encoding from 'lib0/encoding'
import { MAX_AWARENESS_ENTRIES, type AwarenessEntry } from './parseClientMessage'

const NULL_STATE = 'null'

/** Who sets presence: one connection, acting for one member. */
export interface AwarenessOwner {
  readonly member: { readonly id: string }
}

/**
 * A room's awareness (presence) states as JSON text, without y-protocols' Awareness (which
 * needs a Y.Doc). Mirrors its clock rule so late joiners get the newest state of each client.
 * Each client id belongs to one connection (see `ownEntries`), so the room holds at most one
 * state per connection and forgets it when that connection goes.
 */
export class RoomAwareness {
  private readonly entries = new Map<number, { clock: number; state: string }>()
  private readonly ownerOf = new Map<number, AwarenessOwner>()
  private readonly clientOf = new Map<AwarenessOwner, number>()

  /**
   * The entries `owner` may set. A connection speaks for one client: the first id it announces
   * becomes its own, unless another member's connection holds it (the same member's is taken
   * over: a tab reconnecting before its old socket timed out). Entries for other ids are dropped
   * rather than refused, because a stock y-websocket client sends back every state it receives
   * (its awareness `update` handler ignores the origin): closing it would close everyone.
   */
  ownEntries(owner: AwarenessOwner, entries: readonly AwarenessEntry[]): AwarenessEntry[] {
    let clientId = this.clientOf.get(owner)
    if (clientId === undefined) {
      const first = entries[0]
      if (!first) return []
      const holder = this.ownerOf.get(first.clientId)
      if (holder && holder.member.id !== owner.member.id) return []
      if (holder) this.clientOf.delete(holder)
      clientId = first.clientId
      this.ownerOf.set(clientId, owner)
      this.clientOf.set(owner, clientId)
    }
    return entries.filter((entry) => entry.clientId === clientId)
  }

  apply(updates: readonly AwarenessEntry[]): void {
    for (const { clientId, clock, state } of updates) {
      const current = this.entries.get(clientId)
      const currentClock = current?.clock ?? 0
      const removesLive = clock === currentClock && state === NULL_STATE && current !== undefined && current.state !== NULL_STATE
      if (current === undefined || currentClock < clock || removesLive) this.entries.set(clientId, { clock, state })
    }
  }

  /**
   * The owner's connection is gone: forgets its client (as y-protocols' removeAwarenessStates
   * does for others); the update announcing it left, or null when it showed nothing.
   */
  release(owner: AwarenessOwner): Uint8Array | null {
    const clientId = this.clientOf.get(owner)
    if (clientId === undefined) return null
    this.clientOf.delete(owner)
    this.ownerOf.delete(clientId)
    const current = this.entries.get(clientId)
    this.entries.delete(clientId)
    if (!current || current.state === NULL_STATE) return null
    return encodeAwarenessUpdate([{ clientId, clock: current.clock + 1, state: NULL_STATE }])
  }

  /**
   * Every live state, for a client that just joined; null when nobody is present. At most
   * MAX_AWARENESS_ENTRIES, so the newcomer's stock client can send them all back unrefused.
   */
  encodeLiveStates(): Uint8Array | null {
    const live: AwarenessEntry[] = []
    for (const [clientId, { clock, state }] of this.entries) {
      if (live.length === MAX_AWARENESS_ENTRIES) break
      if (state !== NULL_STATE) live.push({ clientId, clock, state })
    }
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
