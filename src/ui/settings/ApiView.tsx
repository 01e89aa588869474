import { For, Show, createMemo, createResource, createSignal } from 'solid-js'
import { apiExamples, defaultExampleEntity } from '../../domain/api/apiExamples'
import type { WorkspaceSchema } from '../../domain/schema'
import type { Role } from '../../sync/workspaceSession'
import type { ApiKeyInfo, RelayApi } from '../session/relayApi'

const KEY_PLACEHOLDER = 'YOUR_API_KEY'

function CopyButton(props: { text: string; label?: string }) {
  const [copied, setCopied] = createSignal(false)
  const copy = async () => {
    await navigator.clipboard?.writeText(props.text)
    setCopied(true)
    setTimeout(() => setCopied(false), 1500)
  }
  return <button type="button" class="kanso-copy" onClick={() => void copy()}>{copied() ? 'Copied' : props.label ?? 'Copy'}</button>
}

/** Settings → API: admins create and revoke API keys; copy-paste examples for this relay and schema. */
export function ApiView(props: { api: RelayApi; schema: WorkspaceSchema | null; baseUrl: string }) {
  const [keys, { refetch }] = createResource(() => props.api.apiKeys())
  const [name, setName] = createSignal('')
  const [role, setRole] = createSignal<Role>('editor')
  const [created, setCreated] = createSignal<{ name: string; key: string } | null>(null)
  const [error, setError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  const [entityKey, setEntityKey] = createSignal<string | null>(null)
  const [language, setLanguage] = createSignal<'curl' | 'js'>('curl')

  const entities = () => [...(props.schema?.entities ?? [])].sort((a, b) => a.order - b.order)
  const chosenEntity = () => entityKey() ?? (props.schema ? defaultExampleEntity(props.schema)?.key : undefined)
  // a key just created goes into the examples, so they run as they are
  const examples = createMemo(() => (props.schema ? apiExamples(props.schema, { baseUrl: props.baseUrl, apiKey: created()?.key ?? KEY_PLACEHOLDER, entityKey: chosenEntity() }) : []))

  const add = async (e: Event) => {
    e.preventDefault()
    setError(null)
    setBusy(true)
    try {
      const res = await props.api.createApiKey(name().trim(), role())
      setCreated({ name: res.name, key: res.key })
      setName('')
      await refetch()
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }
  const revoke = async (k: ApiKeyInfo) => {
    if (!confirm(`Revoke the API key “${k.name}”? Integrations using it are refused from their next request.`)) return
    try {
      await props.api.revokeApiKey(k.id)
      await refetch()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  const downloadOpenApi = async () => {
    try {
      const doc = await props.api.openApiDocument()
      const link = document.createElement('a')
      link.href = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }))
      link.download = 'kanso-openapi.json'
      link.click()
      URL.revokeObjectURL(link.href)
    } catch (err) {
      setError((err as Error).message)
    }
  }

  return (
    <section class="kanso-api" aria-label="API">
      <div class="kanso-members">
        <form class="kanso-invite" onSubmit={add}>
          <h2>Create an API key</h2>
          <p class="kanso-hint">For integrations: your website, a sync job, a phone system. A key acts with its role over HTTP, like a member.</p>
          <label>Name<input value={name()} onInput={(e) => setName(e.currentTarget.value)} required maxLength={80} placeholder="e.g. Website form" /></label>
          <label>Role
            <select value={role()} onChange={(e) => setRole(e.currentTarget.value as Role)}>
              <option value="editor">Editor — reads and writes records</option>
              <option value="viewer">Viewer — reads only</option>
              <option value="admin">Admin — also manages members and keys</option>
            </select>
          </label>
          <button type="submit" class="kanso-primary" disabled={busy()}>Create API key</button>
          <Show when={error()}><p class="kanso-form-error" role="alert">{error()}</p></Show>
          <Show when={created()}>
            {(c) => (
              <div class="kanso-invite-link" data-testid="new-api-key">
                <p>The key for “{c().name}”. It is shown only once: copy it now and keep it like a password.</p>
                <input readOnly value={c().key} onFocus={(e) => e.currentTarget.select()} aria-label="New API key" />
                <CopyButton text={c().key} />
              </div>
            )}
          </Show>
        </form>
        <div>
          <table class="kanso-table" aria-label="API keys">
            <thead><tr><th>Name</th><th>Role</th><th>Created</th><th>Access</th><th /></tr></thead>
            <tbody>
              <For each={keys() ?? []} fallback={<tr><td colSpan={5} class="kanso-hint">No API keys yet. Create one to connect another system.</td></tr>}>
                {(k) => (
                  <tr classList={{ revoked: !!k.revoked_at }}>
                    <td>{k.name}</td>
                    <td>{k.role}</td>
                    <td>{new Date(k.created_at).toLocaleDateString()}</td>
                    <td>{k.revoked_at ? `revoked ${new Date(k.revoked_at).toLocaleDateString()}` : 'active'}</td>
                    <td><Show when={!k.revoked_at}><button type="button" class="kanso-danger" onClick={() => void revoke(k)}>Revoke</button></Show></td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </div>

      <div class="kanso-api-examples">
        <div class="kanso-api-examples-head">
          <h2>Examples</h2>
          <label>Records
            <select onChange={(e) => setEntityKey(e.currentTarget.value)} aria-label="Entity of the examples">
              <For each={entities()}>{(e) => <option value={e.key} selected={e.key === chosenEntity()}>{e.label}</option>}</For>
            </select>
          </label>
          <div class="kanso-api-lang" role="tablist">
            <button type="button" role="tab" aria-selected={language() === 'curl'} onClick={() => setLanguage('curl')}>curl</button>
            <button type="button" role="tab" aria-selected={language() === 'js'} onClick={() => setLanguage('js')}>JavaScript</button>
          </div>
          <button type="button" onClick={() => void downloadOpenApi()}>Download OpenAPI 3.1</button>
        </div>
        <p class="kanso-hint">
          Base URL {props.baseUrl}/api/v1 · every request sends <code>Authorization: Bearer &lt;key&gt;</code>{created() ? ' (the examples hold the key just created)' : ''} · replace RECORD_ID with an id
          from a list or create answer · refusals are <code>application/problem+json</code> naming each field · the full reference is
          GET /api/v1/openapi.json.
        </p>
        <For each={examples()}>
          {(example) => (
            <article class="kanso-api-example" data-example={example.id}>
              <header><h3>{example.title}</h3><CopyButton text={language() === 'curl' ? example.curl : example.js} /></header>
              <pre><code>{language() === 'curl' ? example.curl : example.js}</code></pre>
            </article>
          )}
        </For>
      </div>
    </section>
  )
}
