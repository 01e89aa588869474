import { Show, createSignal, onCleanup, onMount } from 'solid-js'
import type { WorkspaceSchema } from '../../domain/schema'
import type { SchemaStore } from '../../crdt/schemaStore'
import type { RelayApi } from '../session/relayApi'
import { ApiView } from './ApiView'
import { WorkspaceSettingsView } from './WorkspaceSettingsView'

type Tab = 'workspace' | 'api'

const tabOf = (path: string): Tab => (path.replace(/^\/+/, '').split('/')[1] === 'api' ? 'api' : 'workspace')

/** Settings for admins, one tab per part: /settings (workspace) and /settings/api. */
export function SettingsView(props: { schema: WorkspaceSchema | null; store: SchemaStore; api: RelayApi; locale: string }) {
  const [tab, setTab] = createSignal<Tab>(tabOf(location.pathname))
  onMount(() => {
    const onPop = () => setTab(tabOf(location.pathname))
    window.addEventListener('popstate', onPop)
    onCleanup(() => window.removeEventListener('popstate', onPop))
  })
  const open = (to: Tab) => {
    history.pushState(null, '', to === 'api' ? '/settings/api' : '/settings')
    setTab(to)
  }
  return (
    <div class="kanso-settings-frame">
      <nav class="kanso-tabs" aria-label="Settings">
        <a href="/settings" classList={{ active: tab() === 'workspace' }} onClick={(e) => { e.preventDefault(); open('workspace') }}>Workspace</a>
        <a href="/settings/api" classList={{ active: tab() === 'api' }} onClick={(e) => { e.preventDefault(); open('api') }}>API</a>
      </nav>
      <Show when={tab() === 'workspace'}>
        <WorkspaceSettingsView schema={props.schema} store={props.store} locale={props.locale} />
      </Show>
      <Show when={tab() === 'api'}>
        <ApiView api={props.api} schema={props.schema} baseUrl={location.origin} />
      </Show>
    </div>
  )
}
