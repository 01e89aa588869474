import { Show, createSignal, lazy, onCleanup, onMount } from 'solid-js'
import type { WorkspaceSchema } from '../../domain/schema'
import type { SchemaStore } from '../../crdt/schemaStore'
import type { RelayApi } from '../session/relayApi'
import { ApiView } from './ApiView'
import { WorkspaceSettingsView } from './WorkspaceSettingsView'
import { WebFormsView } from './WebFormsView'
import { WebhooksView } from './WebhooksView'
import { PipelinesView } from './PipelinesView'
import type { EntityStore } from '../../crdt/entityStore'
import type { Automation } from '../automation/createAutomation'
import type { MemberInfo } from '../session/relayApi'

type Tab = 'workspace' | 'pipelines' | 'automation' | 'api' | 'webhooks' | 'forms'

const tabOf = (path: string): Tab => {
  const part = path.replace(/^\/+/, '').split('/')[1]
  return part === 'pipelines' || part === 'automation' || part === 'api' || part === 'webhooks' || part === 'forms' ? part : 'workspace'
}
// the rule editor and its pickers come with the tab's first use (a chunk of their own)
const AutomationView = lazy(() => import('../automation/AutomationView').then((m) => ({ default: m.AutomationView })))

/** The tabs other members read (admins change them). */
const READABLE: ReadonlySet<Tab> = new Set(['workspace', 'automation'])

/**
 * Settings, one tab per part: /settings (workspace), /settings/pipelines, /settings/automation,
 * /settings/api, /settings/webhooks and /settings/forms. Admins change them; other members see
 * the workspace tab (the details their quotes and invoices print) and the automation rules,
 * read-only.
 */
export function SettingsView(props: {
  schema: WorkspaceSchema | null; store: SchemaStore; api: RelayApi; locale: string; deals: () => Promise<EntityStore>; memberId: string; admin: boolean
  automation: Automation; members: MemberInfo[]
}) {
  const [shownTab, setTab] = createSignal<Tab>(tabOf(location.pathname))
  const tab = () => (props.admin || READABLE.has(shownTab()) ? shownTab() : 'workspace')
  onMount(() => {
    const onPop = () => setTab(tabOf(location.pathname))
    window.addEventListener('popstate', onPop)
    onCleanup(() => window.removeEventListener('popstate', onPop))
  })
  const open = (to: Tab) => {
    history.pushState(null, '', to === 'workspace' ? '/settings' : `/settings/${to}`)
    setTab(to)
  }
  return (
    <div class="kanso-settings-frame">
      <nav class="kanso-tabs" aria-label="Settings">
        <a href="/settings" classList={{ active: tab() === 'workspace' }} onClick={(e) => { e.preventDefault(); open('workspace') }}>Workspace</a>
        <Show when={props.admin}>
          <a href="/settings/pipelines" classList={{ active: tab() === 'pipelines' }} onClick={(e) => { e.preventDefault(); open('pipelines') }}>Pipelines</a>
        </Show>
        <a href="/settings/automation" classList={{ active: tab() === 'automation' }} onClick={(e) => { e.preventDefault(); open('automation') }}>Automation</a>
        <Show when={props.admin}>
          <a href="/settings/api" classList={{ active: tab() === 'api' }} onClick={(e) => { e.preventDefault(); open('api') }}>API</a>
          <a href="/settings/webhooks" classList={{ active: tab() === 'webhooks' }} onClick={(e) => { e.preventDefault(); open('webhooks') }}>Webhooks</a>
          <a href="/settings/forms" classList={{ active: tab() === 'forms' }} onClick={(e) => { e.preventDefault(); open('forms') }}>Forms</a>
        </Show>
      </nav>
      <Show when={tab() === 'workspace'}>
        <WorkspaceSettingsView schema={props.schema} store={props.store} locale={props.locale} editable={props.admin} />
      </Show>
      <Show when={tab() === 'pipelines'}>
        <PipelinesView schema={props.schema} store={props.store} deals={props.deals} memberId={props.memberId} />
      </Show>
      <Show when={tab() === 'automation'}>
        <AutomationView automation={props.automation} schema={props.schema} members={props.members} memberId={props.memberId} admin={props.admin} locale={props.locale} />
      </Show>
      <Show when={tab() === 'forms'}>
        <WebFormsView schema={props.schema} store={props.store} baseUrl={location.origin} />
      </Show>
      <Show when={tab() === 'api'}>
        <ApiView api={props.api} schema={props.schema} baseUrl={location.origin} />
      </Show>
      <Show when={tab() === 'webhooks'}>
        <WebhooksView api={props.api} schema={props.schema} />
      </Show>
    </div>
  )
}
