import { For, Show, createResource, createSignal, onCleanup } from 'solid-js'
import type { WorkspaceSchema } from '../../domain/schema'
import { WEBHOOK_EVENTS } from '../../domain/webhooks/webhookEvents'
import type { RelayApi, WebhookDeliveryInfo, WebhookInfo } from '../session/relayApi'

const EVENT_LABELS: Record<string, string> = {
  'record.created': 'Record created',
  'record.updated': 'Record updated',
  'record.deleted': 'Record deleted',
  'deal.stage_changed': 'Deal stage changed',
}

/** Deliveries change on their own (retries): the list is read again this often while the tab is open. */
const REFRESH_MS = 5000

function deliveryStatus(d: WebhookDeliveryInfo): string {
  const answer = d.response_status !== null ? `HTTP ${d.response_status}` : d.error ?? ''
  if (d.status === 'delivered') return `Delivered · ${answer}`
  if (d.status === 'failed') return `Failed after ${d.attempts} attempts · ${answer}`
  if (d.attempts === 0) return 'Queued'
  return `Retrying ${d.next_attempt_at ? new Date(d.next_attempt_at).toLocaleTimeString() : ''} · ${answer}`
}

/** Settings → Webhooks: admins subscribe URLs to record events and see the latest deliveries with the receivers' answers. */
export function WebhooksView(props: { api: RelayApi; schema: WorkspaceSchema | null }) {
  const [hooks, { refetch: refetchHooks }] = createResource(() => props.api.webhooks())
  const [deliveries, { refetch: refetchDeliveries }] = createResource(() => props.api.webhookDeliveries(50))
  const timer = setInterval(() => void refetchDeliveries(), REFRESH_MS)
  onCleanup(() => clearInterval(timer))

  const [url, setUrl] = createSignal('')
  const [events, setEvents] = createSignal<string[]>(['record.created', 'record.updated'])
  const [entity, setEntity] = createSignal('')
  const [created, setCreated] = createSignal<{ url: string; secret: string } | null>(null)
  const [error, setError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)

  const entities = () => [...(props.schema?.entities ?? [])].sort((a, b) => a.order - b.order)
  const entityLabel = (key: string | null) => (key === null ? 'All records' : entities().find((e) => e.key === key)?.label ?? key)
  const hookUrl = (id: string) => hooks()?.find((h) => h.id === id)?.url ?? id
  const toggle = (event: string, on: boolean) => setEvents((list) => (on ? [...list, event] : list.filter((e) => e !== event)))

  const add = async (e: Event) => {
    e.preventDefault()
    setError(null)
    setBusy(true)
    try {
      const res = await props.api.createWebhook({ url: url().trim(), events: WEBHOOK_EVENTS.filter((ev) => events().includes(ev)), ...(entity() ? { entity: entity() } : {}) })
      setCreated({ url: res.url, secret: res.secret })
      setUrl('')
      await refetchHooks()
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }
  const remove = async (hook: WebhookInfo) => {
    if (!confirm(`Delete the webhook to ${hook.url}? Its queued deliveries are dropped.`)) return
    try {
      await props.api.deleteWebhook(hook.id)
      await refetchHooks()
      await refetchDeliveries()
    } catch (err) {
      setError((err as Error).message)
    }
  }

  return (
    <section class="kanso-api kanso-webhooks" aria-label="Webhooks">
      <div class="kanso-members">
        <form class="kanso-invite" onSubmit={add}>
          <h2>Add a webhook</h2>
          <p class="kanso-hint">Kanso posts each change to this URL as JSON, signed in the <code>Kanso-Signature</code> header with the webhook’s secret, and retries for a day when the receiver fails.</p>
          <label>URL<input type="url" value={url()} onInput={(e) => setUrl(e.currentTarget.value)} required placeholder="https://example.com/kanso-hook" /></label>
          <fieldset class="kanso-webhook-events">
            <legend>Events</legend>
            <For each={[...WEBHOOK_EVENTS]}>
              {(event) => (
                <label><input type="checkbox" checked={events().includes(event)} onChange={(e) => toggle(event, e.currentTarget.checked)} />{EVENT_LABELS[event]}</label>
              )}
            </For>
          </fieldset>
          <label>Records
            <select value={entity()} onChange={(e) => setEntity(e.currentTarget.value)}>
              <option value="">All records</option>
              <For each={entities()}>{(e) => <option value={e.key}>{e.label}</option>}</For>
            </select>
          </label>
          <button type="submit" class="kanso-primary" disabled={busy() || events().length === 0}>Add webhook</button>
          <Show when={error()}><p class="kanso-form-error" role="alert">{error()}</p></Show>
          <Show when={created()}>
            {(c) => (
              <div class="kanso-invite-link" data-testid="new-webhook-secret">
                <p>The signing secret for {c().url}. It is shown only once: put it into the receiver now.</p>
                <input readOnly value={c().secret} onFocus={(e) => e.currentTarget.select()} aria-label="Webhook signing secret" />
              </div>
            )}
          </Show>
        </form>
        <div>
          <table class="kanso-table" aria-label="Webhooks">
            <thead><tr><th>URL</th><th>Events</th><th>Records</th><th>Created</th><th /></tr></thead>
            <tbody>
              <For each={hooks() ?? []} fallback={<tr><td colSpan={5} class="kanso-hint">No webhooks yet. Add one to tell another system about new and changed records.</td></tr>}>
                {(hook) => (
                  <tr>
                    <td class="kanso-webhook-url">{hook.url}</td>
                    <td>{hook.events.map((e) => EVENT_LABELS[e] ?? e).join(', ')}</td>
                    <td>{entityLabel(hook.entity)}</td>
                    <td>{new Date(hook.created_at).toLocaleDateString()}</td>
                    <td><button type="button" class="kanso-danger" onClick={() => void remove(hook)}>Delete</button></td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </div>
      <div class="kanso-api-examples">
        <div class="kanso-api-examples-head">
          <h2>Recent deliveries</h2>
          <button type="button" onClick={() => void refetchDeliveries()}>Refresh</button>
        </div>
        <table class="kanso-table" aria-label="Recent deliveries">
          <thead><tr><th>Time</th><th>Event</th><th>Webhook</th><th>Status</th><th>Response</th></tr></thead>
          <tbody>
            <For each={deliveries() ?? []} fallback={<tr><td colSpan={5} class="kanso-hint">No deliveries yet. They appear here as records change.</td></tr>}>
              {(d) => (
                <tr data-status={d.status}>
                  <td>{new Date(d.created_at).toLocaleString()}</td>
                  <td>{EVENT_LABELS[d.event] ?? d.event}</td>
                  <td class="kanso-webhook-url">{hookUrl(d.webhook_id)}</td>
                  <td class={`kanso-delivery-${d.status}`}>{deliveryStatus(d)}</td>
                  <td class="kanso-webhook-response" title={d.response_body ?? ''}>{d.response_body ?? ''}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  )
}
