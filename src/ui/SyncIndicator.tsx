import { Show, createSignal, onCleanup } from 'solid-js'
import type { WorkspaceSession, WorkspaceStatus } from '../sync/workspaceSession'
import type { RefusedInputs } from './grid/refusedInputs'

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

/** What the status says while refused entries wait: they are on no server and on no record. */
export function refusedLabel(count: number): string {
  return `${count} refused ${count === 1 ? 'entry' : 'entries'} not saved — fix or press Esc`
}

/** Honest sync state: offline / syncing / everything on the server, and how much is pending. */
export function SyncIndicator(props: { session: WorkspaceSession; refused?: RefusedInputs; onShowRefused?: () => void }) {
  const [status, setStatus] = createSignal(props.session.status())
  const [refused, setRefused] = createSignal(props.refused?.count() ?? 0)
  onCleanup(props.session.onStatus(setStatus))
  if (props.refused) {
    const r = props.refused
    onCleanup(r.subscribe(() => setRefused(r.count())))
  }
  return (
    <Show when={refused() > 0} fallback={
      <div class={`kanso-sync kanso-sync-${status().state}`} data-testid="sync-status" data-state={status().state}
        data-pending={status().pending} role="status" aria-live="polite">
        <span class="kanso-sync-dot" aria-hidden="true" />
        {syncLabel(status())}
      </div>
    }>
      <button type="button" class="kanso-sync kanso-sync-refused-input" data-testid="sync-status" data-state="refused-input"
        data-pending={status().pending} aria-live="polite" title="Go to the refused entry" onClick={() => props.onShowRefused?.()}>
        <span class="kanso-sync-dot" aria-hidden="true" />
        {refusedLabel(refused())}
      </button>
    </Show>
  )
}
