import type { Awareness } from 'y-protocols/awareness'
import { memberColor } from './memberColor'

export interface PresenceCell { entityId: string; rowId: string; fieldId: string }
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
      if (clientId === awareness.clientID || !state.user) return
      out.push({ clientId, user: state.user as PresenceUser, view: state.view as string | undefined, cell: state.cell as PresenceCell | null | undefined })
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
