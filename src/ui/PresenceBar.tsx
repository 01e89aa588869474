import { For, createSignal, onCleanup } from 'solid-js'
import type { WorkspaceSchema } from '../domain/schema'
import type { PeerPresence } from '../sync/presence'
import type { WorkspaceSession } from '../sync/workspaceSession'

/** Everyone connected right now, with their colour and where they are. */
export function PresenceBar(props: { session: WorkspaceSession; schema: WorkspaceSchema | null }) {
  const [peers, setPeers] = createSignal<PeerPresence[]>(props.session.presence.peers())
  onCleanup(props.session.presence.subscribe(setPeers))
  const where = (p: PeerPresence) => props.schema?.entities.find((e) => e.id === p.view)?.label ?? ''
  // one chip per member even if they have several tabs open
  const unique = () => [...new Map(peers().map((p) => [p.user.id, p])).values()]
  return (
    <div class="kanso-presence" aria-label="People here now" data-testid="presence">
      <For each={unique()}>
        {(p) => (
          <span class="kanso-presence-chip" style={{ 'border-color': p.user.color }} title={`${p.user.name}${where(p) ? ` · in ${where(p)}` : ''}`}>
            <span class="kanso-presence-dot" style={{ background: p.user.color }} />{p.user.name}
          </span>
        )}
      </For>
    </div>
  )
}
