import { For, Show, createSignal, onMount } from 'solid-js'
import type { EntityDef } from '../../domain/schema'
import type { ViewCondition, ViewSpec } from '../../domain/views/savedView'

/** "Save view…" (name, only me or the team, and what the view will hold) and Rename. */
export function SaveViewDialog(props: {
  mode: 'save' | 'rename'; entity: EntityDef; spec: Omit<ViewSpec, 'name'>; name: string; canShare: boolean
  describe: (c: ViewCondition) => string
  onSave: (name: string, shared: boolean) => void; onClose: () => void
}) {
  const [name, setName] = createSignal(props.name)
  const [shared, setShared] = createSignal(false)
  const [error, setError] = createSignal<string | null>(null)
  let input!: HTMLInputElement
  onMount(() => input.focus())
  const label = (id: string) => props.entity.fields.find((f) => f.id === id)?.label ?? id
  const hidden = () => props.spec.columns.filter((c) => c.hidden).map((c) => label(c.field))
  const submit = (e: Event) => {
    e.preventDefault()
    try {
      props.onSave(name(), shared())
      props.onClose()
    } catch (err) {
      // the schema store's refusal names what does not fit (an empty name, a field gone meanwhile)
      setError((err as Error).message)
    }
  }
  return (
    <div class="kanso-modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) props.onClose() }}>
      <form class="kanso-modal kanso-save-view" role="dialog" aria-modal="true" aria-labelledby="kanso-save-view-title" data-testid="save-view-dialog"
        onSubmit={submit} onKeyDown={(e) => { if (e.key === 'Escape') props.onClose() }}>
        <h2 id="kanso-save-view-title">{props.mode === 'rename' ? 'Rename view' : `Save a view of ${props.entity.label.toLowerCase()}`}</h2>
        <label class="kanso-field-label">Name
          <input ref={input} value={name()} maxLength={80} required onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <Show when={props.mode === 'save'}>
          <fieldset class="kanso-save-view-scope">
            <legend>Who sees it</legend>
            <label><input type="radio" name="scope" checked={!shared()} onChange={() => setShared(false)} /> Only me (on all my devices)</label>
            <label title={props.canShare ? undefined : 'Viewers save views for themselves'}>
              <input type="radio" name="scope" checked={shared()} disabled={!props.canShare} onChange={() => setShared(true)} /> Everyone in the team
            </label>
          </fieldset>
          <div class="kanso-save-view-summary">
            <h3>The view holds</h3>
            <ul>
              <Show when={props.spec.filters.length} fallback={<li>No filters: every {props.entity.singular.toLowerCase()}</li>}>
                <For each={props.spec.filters}>{(c) => <li>{props.describe(c)}</li>}</For>
              </Show>
              <li>{props.spec.sort.length ? `Sorted by ${props.spec.sort.map((s) => `${label(s.field)} ${s.desc ? '↓' : '↑'}`).join(', ')}` : 'In the order they were added'}</li>
              <li>{hidden().length ? `Hidden: ${hidden().join(', ')}` : 'Every column shown'}; column order and widths as now</li>
            </ul>
          </div>
        </Show>
        <Show when={error()}><p class="kanso-filter-error" role="alert">{error()}</p></Show>
        <div class="kanso-modal-actions">
          <button type="button" onClick={props.onClose}>Cancel</button>
          <button type="submit" class="kanso-primary">{props.mode === 'rename' ? 'Rename' : 'Save view'}</button>
        </div>
      </form>
    </div>
  )
}
