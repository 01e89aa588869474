import { For, Show, createSignal, onMount } from 'solid-js'
import { OPTION_COLORS, optionColorOf, type OptionColor } from '../domain/optionColors'
import type { FieldDef } from '../domain/schema'

export interface OptionsDialogActions {
  add(label: string): void
  /** Renames the option and the values of the records that hold it. */
  rename(from: string, to: string): void
  move(label: string, by: number): void
  color(label: string, color: OptionColor): void
}

/**
 * A select's options, edited from the column's menu: rename (Enter or leaving the name), colour
 * from the fixed palette, move up and down, add at the end. Every change is saved at once and
 * synced; a refused one (an empty name, a twin) says why and keeps the typed name to fix.
 */
export function OptionsDialog(props: { field: FieldDef; actions: OptionsDialogActions; onClose: () => void }) {
  const [error, setError] = createSignal<string | null>(null)
  const [newOption, setNewOption] = createSignal('')
  let addInput!: HTMLInputElement
  onMount(() => addInput.focus())
  const attempt = (fn: () => void): boolean => {
    try {
      fn()
      setError(null)
      return true
    } catch (err) {
      setError((err as Error).message)
      return false
    }
  }
  const rename = (from: string, input: HTMLInputElement) => {
    if (input.value.trim() === from) return
    if (!attempt(() => props.actions.rename(from, input.value))) input.focus()
  }
  const add = (e: Event) => {
    e.preventDefault()
    if (attempt(() => props.actions.add(newOption()))) setNewOption('')
  }
  const options = () => props.field.options ?? []
  return (
    <div class="kanso-modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) props.onClose() }}>
      <div class="kanso-modal kanso-options-dialog" role="dialog" aria-label={`Options of ${props.field.label}`}
        onKeyDown={(e) => { if (e.key === 'Escape') props.onClose() }}>
        <h2>Options of “{props.field.label}”</h2>
        <p class="kanso-muted">Renaming an option renames it in every record that holds it.</p>
        <div class="kanso-options-list" role="list">
          <For each={options()}>
            {(option, i) => (
              <div class="kanso-options-row" role="listitem" data-option={option}>
                <input value={option} aria-label={`Name of option ${option}`} maxLength={80}
                  onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); rename(option, e.currentTarget) } }}
                  onChange={(e) => rename(option, e.currentTarget)} />
                <select aria-label={`Colour of ${option}`} class={`kanso-chip kanso-chip-${optionColorOf(props.field.optionColors, option)}`}
                  value={optionColorOf(props.field.optionColors, option)}
                  onChange={(e) => attempt(() => props.actions.color(option, e.currentTarget.value as OptionColor))}>
                  <For each={OPTION_COLORS}>{(c) => <option value={c}>{c}</option>}</For>
                </select>
                <button type="button" aria-label={`Move ${option} up`} disabled={i() === 0} onClick={() => attempt(() => props.actions.move(option, -1))}>↑</button>
                <button type="button" aria-label={`Move ${option} down`} disabled={i() === options().length - 1} onClick={() => attempt(() => props.actions.move(option, 1))}>↓</button>
              </div>
            )}
          </For>
        </div>
        <form class="kanso-options-add" onSubmit={add}>
          <input ref={addInput} value={newOption()} onInput={(e) => setNewOption(e.currentTarget.value)} maxLength={80}
            placeholder="New option" aria-label="New option" />
          <button type="submit">Add option</button>
        </form>
        <Show when={error()}><p class="kanso-form-error" role="alert">{error()}</p></Show>
        <div class="kanso-modal-actions">
          <button type="button" class="kanso-primary" onClick={props.onClose}>Done</button>
        </div>
      </div>
    </div>
  )
}
