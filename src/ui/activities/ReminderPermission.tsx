import { Show, createSignal } from 'solid-js'

/**
 * Browser notifications for due activities: asked only from this button (never on load, which
 * browsers penalise and people refuse), and said plainly when they are on or blocked.
 */
export function ReminderPermission() {
  const supported = typeof Notification !== 'undefined'
  const [permission, setPermission] = createSignal<NotificationPermission>(supported ? Notification.permission : 'denied')
  const ask = () => {
    void Notification.requestPermission().then(setPermission, (error: unknown) => console.warn('Kanso: could not ask for notifications', error))
  }
  return (
    <Show when={supported}>
      <Show when={permission() === 'default'} fallback={
        <span class="kanso-hint" data-testid="reminder-permission">{permission() === 'granted' ? 'Due activities also notify this browser.' : 'Browser notifications are blocked for Kanso; reminders show here only.'}</span>
      }>
        <button type="button" onClick={ask} data-testid="reminder-permission">Notify me when something is due</button>
      </Show>
    </Show>
  )
}
