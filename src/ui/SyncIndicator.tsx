import { createSignal, onCleanup } from 'solid-js'
import type { WorkspaceSession, WorkspaceStatus } from '../sync/workspaceSession'

export function syncLabel(s: WorkspaceStatus): string {
  const changes = (n: number) => `${n} change${n === 1 ? '' : 's'}`
  switch (s.state) {
    case 'synced': return 'Everything is on the server'
    case 'offline': return s.pending ? `Offline · ${changes(s.pending)} saved here, not on the server yet` : 'Offline · all changes saved here'
    case 'connecting': return s.pending ? `Connecting… ${changes(s.pending)} not on the server yet` : 'Connecting…'
    case 'syncing': return s.pending ? `Syncing… ${changes(s.pending)} not on the server yet` : 'Syncing…'
    case 'refused':
      if (s.closeCode === 4401) return 'The relay refused this access link'
      if (s.closeCode === 1009) return 'A change is too large for the relay (KANSO_MAX_MESSAGE_BYTES); it stays saved here'
      return `The relay refused the connection (${s.closeCode ?? '?'})`
  }
}

/** Honest sync state: offline / syncing / everything on the server, and how much is pending. */
export function SyncIndicator(props: { session: WorkspaceSession }) {
  const [status, setStatus] = createSignal(props.session.status())
  onCleanup(props.session.onStatus(setStatus))
  return (
    <div class={`kanso-sync kanso-sync-${status().state}`} data-testid="sync-status" data-state={status().state}
      data-pending={status().pending} role="status" aria-live="polite">
      <span class="kanso-sync-dot" aria-hidden="true" />
      {syncLabel(status())}
    </div>
  )
}
