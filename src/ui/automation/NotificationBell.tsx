import { For, Show, createEffect, createSignal, on, onCleanup, onMount } from 'solid-js'
import type { StoredNotification } from '../../crdt/automationDoc'
import type { WorkspaceSchema } from '../../domain/schema'
import type { RecordLinks } from '../panel/recordLinks'
import type { Automation } from './createAutomation'
import './automation.css'

const MOST_LISTED = 30

/**
 * The top bar's bell: the member's unread rule notifications ("notify" actions), each opening its
 * record's panel and marked read by it. Where the member allowed it (asked from a button here,
 * never on load), one that arrives while the page is in the background also shows as a browser
 * notification.
 */
export function NotificationBell(props: { automation: Automation; schema: WorkspaceSchema | null; records: RecordLinks }) {
  const [open, setOpen] = createSignal(false)
  const supported = typeof Notification !== 'undefined'
  const [permission, setPermission] = createSignal<NotificationPermission>(supported ? Notification.permission : 'denied')
  const unread = () => props.automation.unread()
  let root: HTMLDivElement | undefined

  const entityName = (id: string) => props.schema?.entities.find((e) => e.id === id)?.singular ?? id
  const openNote = (note: StoredNotification) => {
    props.automation.store.markRead(note.id)
    setOpen(false)
    if (note.recordId) props.records.open(note.entity, note.recordId)
  }
  const markAll = () => { for (const n of unread()) props.automation.store.markRead(n.id) }
  const ask = () => {
    void Notification.requestPermission().then(setPermission, (error: unknown) => console.warn('Kanso: could not ask for notifications', error))
  }

  // the ones there when the page opened are no news: only later arrivals pop up in the browser
  const seen = new Set(props.automation.notifications().map((n) => n.id))
  createEffect(on(unread, (list) => {
    for (const note of list) {
      if (seen.has(note.id)) continue
      seen.add(note.id)
      if (!supported || Notification.permission !== 'granted' || document.hasFocus()) continue
      const shown = new Notification(note.message, { body: `${entityName(note.entity)} · Kanso`, tag: `kanso-rule-${note.id}` })
      shown.onclick = () => { window.focus(); openNote(note); shown.close() }
    }
  }))

  onMount(() => {
    const away = (ev: MouseEvent) => { if (open() && root && !root.contains(ev.target as Node)) setOpen(false) }
    const escape = (ev: KeyboardEvent) => { if (ev.key === 'Escape' && open()) setOpen(false) }
    document.addEventListener('mousedown', away)
    document.addEventListener('keydown', escape)
    onCleanup(() => { document.removeEventListener('mousedown', away); document.removeEventListener('keydown', escape) })
  })

  const when = (at: string) => new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
  return (
    <div class="kanso-bell" ref={root}>
      <button type="button" class="kanso-bell-button" data-testid="notification-bell" aria-expanded={open()} aria-haspopup="true"
        aria-label={unread().length ? `Notifications: ${unread().length} unread` : 'Notifications'} onClick={() => setOpen(!open())}>
        <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
          <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
          <path d="M13.7 21a2 2 0 0 1-3.4 0" />
        </svg>
        <Show when={unread().length}>
          <span class="kanso-bell-count" data-testid="notification-count">{unread().length > 99 ? '99+' : unread().length}</span>
        </Show>
      </button>
      <Show when={open()}>
        <div class="kanso-bell-panel" role="dialog" aria-label="Notifications">
          <div class="kanso-bell-head">
            <strong>Notifications</strong>
            <Show when={unread().length > 1}>
              <button type="button" class="kanso-link-button" onClick={markAll}>Mark all read</button>
            </Show>
          </div>
          <Show when={unread().length} fallback={<p class="kanso-bell-empty">Nothing new. When a rule in Settings → Automation notifies you, it shows here.</p>}>
            <ul class="kanso-bell-list">
              <For each={unread().slice(0, MOST_LISTED)}>
                {(note) => (
                  <li>
                    <button type="button" class="kanso-bell-item" data-testid="notification-item" onClick={() => openNote(note)}>
                      <span class="kanso-bell-message">{note.message}</span>
                      <span class="kanso-bell-meta">{entityName(note.entity)} · {when(note.at)}</span>
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
          <Show when={supported}>
            <div class="kanso-bell-foot">
              <Show when={permission() === 'default'} fallback={
                <span class="kanso-hint">{permission() === 'granted' ? 'New ones also show as browser notifications.' : 'Browser notifications are blocked for Kanso; they show here only.'}</span>
              }>
                <button type="button" onClick={ask} data-testid="notification-permission">Also notify me in this browser</button>
              </Show>
            </div>
          </Show>
        </div>
      </Show>
    </div>
  )
}
