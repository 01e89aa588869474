import { For, Show, createMemo, createSignal } from 'solid-js'
import type { SchemaStore } from '../../crdt/schemaStore'
import { formSnippets } from '../../domain/forms/formSnippets'
import { webFormProblems, type WebForm, type WebFormField } from '../../domain/forms/webForm'
import { findEntity, liveFields, type WorkspaceSchema } from '../../domain/schema'

function CopyButton(props: { text: string }) {
  const [copied, setCopied] = createSignal(false)
  const copy = async () => {
    await navigator.clipboard?.writeText(props.text)
    setCopied(true)
    setTimeout(() => setCopied(false), 1500)
  }
  return <button type="button" class="kanso-copy" onClick={() => void copy()}>{copied() ? 'Copied' : 'Copy'}</button>
}

/**
 * Settings → Forms: admins make web-to-lead forms (lead fields, labels, required, consent and
 * thank-you texts or a redirect, dedupe) and copy the four ways to use one. Every change is an
 * edit of the schema document, synced like any other.
 */
export function WebFormsView(props: { schema: WorkspaceSchema | null; store: SchemaStore; baseUrl: string }) {
  const leads = () => (props.schema ? findEntity(props.schema, 'leads') : undefined)
  const forms = () => (props.schema?.forms ?? []).filter((f) => !f.deletedAt)
  const [selectedId, setSelectedId] = createSignal<string | null>(null)
  const [error, setError] = createSignal('')
  const selected = createMemo(() => forms().find((f) => f.id === selectedId()) ?? forms()[0])
  const keys = () => (leads() ? liveFields(leads()!).map((f) => f.key) : [])

  const create = () => {
    const spec = { name: `Form ${forms().length + 1}`, fields: [{ key: 'name', label: '', required: true }, { key: 'email', label: '', required: true }].filter((f) => keys().includes(f.key)) }
    const problems = webFormProblems({ ...spec, consentText: '', thankYouText: '', redirectUrl: '', dedupe: true }, keys())
    if (problems.length) return setError(problems.map((p) => p.message).join('; '))
    setError('')
    setSelectedId(props.store.createForm(spec).id)
  }

  /** Saves one change after the same checks the relay's API makes. */
  const save = (form: WebForm, change: Partial<WebForm>) => {
    const problems = webFormProblems({ ...form, ...change }, keys())
    if (problems.length) return setError(problems.map((p) => p.message).join('; '))
    setError('')
    props.store.updateForm(form.id, change)
  }

  const toggleField = (form: WebForm, key: string, on: boolean) => {
    const fields: WebFormField[] = on ? [...form.fields, { key, label: '', required: false }] : form.fields.filter((f) => f.key !== key)
    save(form, { fields })
  }
  const editField = (form: WebForm, key: string, change: Partial<WebFormField>) =>
    save(form, { fields: form.fields.map((f) => (f.key === key ? { ...f, ...change } : f)) })

  return (
    <section class="kanso-settings kanso-forms" aria-label="Web forms">
      <div class="kanso-forms-list">
        <h2>Web forms</h2>
        <p class="kanso-hint">Forms on your website create leads here, live. Pick a form to edit it and copy it into a page.</p>
        <ul>
          <For each={forms()} fallback={<li class="kanso-hint">No forms yet. Make one for your website’s contact page.</li>}>
            {(form) => (
              <li><button type="button" classList={{ active: selected()?.id === form.id }} onClick={() => setSelectedId(form.id)}>{form.name}</button></li>
            )}
          </For>
        </ul>
        <button type="button" class="kanso-primary" onClick={create} disabled={!leads()}>New form</button>
        <Show when={error()}><p class="kanso-form-error" role="alert">{error()}</p></Show>
      </div>
      <Show when={selected() && leads() ? { form: selected()!, leads: leads()! } : null} keyed>
        {({ form, leads: leadEntity }) => (
          <div class="kanso-forms-editor" data-form-id={form.id}>
            <form class="kanso-settings-form" onSubmit={(e) => e.preventDefault()}>
              <label>Name<input value={form.name} onChange={(e) => save(form, { name: e.currentTarget.value.trim() })} /></label>
              <fieldset class="kanso-forms-fields">
                <legend>Lead fields on the form</legend>
                <For each={liveFields(leadEntity)}>
                  {(field) => {
                    const onForm = () => form.fields.find((f) => f.key === field.key)
                    return (
                      <div class="kanso-forms-field">
                        <label class="kanso-check"><input type="checkbox" checked={!!onForm()} onChange={(e) => toggleField(form, field.key, e.currentTarget.checked)} />{field.label} <code>{field.key}</code></label>
                        <Show when={onForm()}>
                          {(f) => (
                            <>
                              <input aria-label={`Label of ${field.label}`} placeholder={field.label} value={f().label} onChange={(e) => editField(form, field.key, { label: e.currentTarget.value })} />
                              <label class="kanso-check"><input type="checkbox" checked={f().required} onChange={(e) => editField(form, field.key, { required: e.currentTarget.checked })} />Required</label>
                            </>
                          )}
                        </Show>
                      </div>
                    )
                  }}
                </For>
              </fieldset>
              <label>Consent text (above the button)<textarea rows={2} value={form.consentText} onChange={(e) => save(form, { consentText: e.currentTarget.value })} /></label>
              <label>Thank-you text<textarea rows={2} value={form.thankYouText} onChange={(e) => save(form, { thankYouText: e.currentTarget.value })} /></label>
              <label>Or send people to this page after a post (https://…)<input type="url" value={form.redirectUrl} onChange={(e) => save(form, { redirectUrl: e.currentTarget.value.trim() })} /></label>
              <label class="kanso-check"><input type="checkbox" checked={form.dedupe} onChange={(e) => save(form, { dedupe: e.currentTarget.checked })} />When a contact has the same email or phone, log a note on the contact instead of a new lead</label>
              <button type="button" class="kanso-danger" onClick={() => { props.store.removeForm(form.id); setSelectedId(null) }}>Delete form</button>
            </form>
            <div class="kanso-api-examples">
              <h2>Use it on your website</h2>
              <For each={formSnippets(form, leadEntity, props.baseUrl)}>
                {(snippet) => (
                  <article class="kanso-api-example" data-snippet={snippet.id}>
                    <header><h3>{snippet.title}</h3><CopyButton text={snippet.text} /></header>
                    <pre>{snippet.text}</pre>
                  </article>
                )}
              </For>
            </div>
          </div>
        )}
      </Show>
    </section>
  )
}
