import { For, Show, createSignal, onMount } from 'solid-js'
import type { EntityDef, FieldDef, FieldType } from '../domain/schema'
import type { NewField } from '../crdt/schemaDoc'

const TYPE_LABELS: [FieldType, string][] = [
  ['text', 'Text'], ['longText', 'Long text'], ['number', 'Number'], ['money', 'Money'], ['date', 'Date'],
  ['dateTime', 'Date and time'], ['select', 'Select'], ['multiSelect', 'Multi-select'], ['checkbox', 'Checkbox'],
  ['email', 'Email'], ['phone', 'Phone'], ['url', 'URL'], ['link', 'Link to record'], ['member', 'Member'],
]

/** Add or rename a field: only a name and a type (plus choices or a target where the type needs one). */
export function FieldDialog(props: {
  mode: 'add' | 'rename'; field?: FieldDef; entities: EntityDef[]
  onClose: () => void; onSubmit: (spec: NewField) => void
}) {
  const [label, setLabel] = createSignal(props.field?.label ?? '')
  const [type, setType] = createSignal<FieldType>('text')
  const [options, setOptions] = createSignal('')
  const [linkEntity, setLinkEntity] = createSignal(props.entities[0]?.id ?? '')
  const [error, setError] = createSignal<string | null>(null)
  let input!: HTMLInputElement
  onMount(() => input.focus())
  const submit = (e: Event) => {
    e.preventDefault()
    try {
      const spec: NewField = { label: label(), type: type() }
      if (type() === 'select' || type() === 'multiSelect') spec.options = options().split(/[\n,]/).map((o) => o.trim()).filter(Boolean)
      if (type() === 'link') spec.linkEntity = linkEntity()
      props.onSubmit(spec)
      props.onClose()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  return (
    <div class="kanso-modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) props.onClose() }}>
      <form class="kanso-modal" onSubmit={submit} onKeyDown={(e) => { if (e.key === 'Escape') props.onClose() }} aria-label={props.mode === 'add' ? 'Add a field' : 'Rename field'}>
        <h2>{props.mode === 'add' ? 'Add a field' : `Rename “${props.field?.label}”`}</h2>
        <label>Name<input ref={input} value={label()} onInput={(e) => setLabel(e.currentTarget.value)} maxLength={80} required /></label>
        <Show when={props.mode === 'add'}>
          <label>Type
            <select value={type()} onChange={(e) => setType(e.currentTarget.value as FieldType)}>
              <For each={TYPE_LABELS}>{([t, l]) => <option value={t}>{l}</option>}</For>
            </select>
          </label>
          <Show when={type() === 'select' || type() === 'multiSelect'}>
            <label>Choices (one per line or comma-separated)<textarea rows={4} value={options()} onInput={(e) => setOptions(e.currentTarget.value)} /></label>
          </Show>
          <Show when={type() === 'link'}>
            <label>Links to
              <select value={linkEntity()} onChange={(e) => setLinkEntity(e.currentTarget.value)}>
                <For each={props.entities}>{(e) => <option value={e.id}>{e.label}</option>}</For>
              </select>
            </label>
          </Show>
        </Show>
        <Show when={error()}><p class="kanso-form-error" role="alert">{error()}</p></Show>
        <div class="kanso-modal-actions">
          <button type="button" onClick={props.onClose}>Cancel</button>
          <button type="submit" class="kanso-primary">{props.mode === 'add' ? 'Add field' : 'Rename'}</button>
        </div>
      </form>
    </div>
  )
}
