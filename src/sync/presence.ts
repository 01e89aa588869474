import type { Awareness } from 'y-protocols/awareness'
import { memberColor } from '../domain/memberColor'
import { isPlainCssColor } from '../domain/plainCssColor'

export interface PresenceCell { entityId: string; rowId: string; fieldId: string }
/** A teammate as the relay vouches for them; `color` is always a plain CSS colour (see readPeerPresence). */
export interface PresenceUser { id: string; name: string; color: string }
export interface PeerPresence { clientId: number; user: PresenceUser; view?: string; cell?: PresenceCell | null }

/** Who is connected and which cell each one is on, over the y-websocket awareness channel. */
export interface Presence {
  peers(): PeerPresence[]
  subscribe(listener: (peers: PeerPresence[]) => void): () => void
  setView(entityId: string): void
  setCell(cell: PresenceCell | null): void
}

/** How long after a cursor move its cell is sent to teammates. */
export const CELL_SEND_DELAY_MS = 30

export function makePresence(awareness: Awareness, member: { id: string; name: string }): Presence {
  awareness.setLocalStateField('user', { id: member.id, name: member.name, color: memberColor(member.id) })
  const peers = (): PeerPresence[] => {
    const out: PeerPresence[] = []
    awareness.getStates().forEach((state, clientId) => {
      if (clientId === awareness.clientID) return
      const peer = readPeerPresence(clientId, state)
      if (peer) out.push(peer)
    })
    return out
  }
  // The cell follows the cursor: sent a moment after the move, so moving (or committing an edit
  // with Enter) does not also encode and send an awareness update before the grid repaints.
  let nextCell: PresenceCell | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  const sendCell = () => {
    timer = undefined
    awareness.setLocalStateField('cell', nextCell)
  }
  return {
    peers,
    subscribe(listener) {
      const handler = () => listener(peers())
      awareness.on('change', handler)
      return () => awareness.off('change', handler)
    },
    setView: (entityId) => awareness.setLocalStateField('view', entityId),
    setCell(cell) {
      nextCell = cell
      timer ??= setTimeout(sendCell, CELL_SEND_DELAY_MS)
    },
  }
}

const isString = (value: unknown): value is string => typeof value === 'string'

/**
 * A teammate's awareness state as the UI may use it, or null when it names nobody. The relay
 * stamps every state with its sender's member, but a state is still network input: the colour
 * goes into CSS, so only a plain colour passes (else the member's own), and a malformed view or
 * cell is left out.
 */
export function readPeerPresence(clientId: number, state: Record<string, unknown>): PeerPresence | null {
  const user = state.user as Partial<Record<keyof PresenceUser, unknown>> | null | undefined
  if (typeof user !== 'object' || user === null || !isString(user.id) || !isString(user.name)) return null
  const color = isPlainCssColor(user.color) ? user.color : memberColor(user.id)
  const cell = state.cell as Partial<Record<keyof PresenceCell, unknown>> | null | undefined
  const validCell = typeof cell === 'object' && cell !== null && isString(cell.entityId) && isString(cell.rowId) && isString(cell.fieldId)
  return {
    clientId,
    user: { id: user.id, name: user.name, color },
    view: isString(state.view) ? state.view : undefined,
    cell: validCell ? { entityId: cell.entityId as string, rowId: cell.rowId as string, fieldId: cell.fieldId as string } : null,
  }
}
