import { Show, onCleanup, onMount } from 'solid-js'
import type { FieldDef } from '../domain/schema'

/** The column header's menu: rename, edit a select's options, hide, remove, add a field. */
export function FieldMenu(props: {
  field: FieldDef; anchor: HTMLElement; editable: boolean
  onClose: () => void; onRename: () => void; onHide: () => void; onRemove: () => void; onAdd: () => void
  onEditOptions: () => void
}) {
  let el!: HTMLDivElement
  const rect = props.anchor.getBoundingClientRect()
  const left = Math.min(rect.left, window.innerWidth - 220)
  onMount(() => {
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !el.contains(e.target as Node)) props.onClose()
    }
    setTimeout(() => { document.addEventListener('mousedown', close); document.addEventListener('keydown', close) })
    onCleanup(() => { document.removeEventListener('mousedown', close); document.removeEventListener('keydown', close) })
    el.querySelector('button')?.focus()
  })
  const act = (fn: () => void) => () => { fn(); props.onClose() }
  return (
    <div ref={el} class="kanso-popover kanso-field-menu" role="menu" style={{ top: `${rect.bottom + 4}px`, left: `${left}px` }}>
      <div class="kanso-menu-title">{props.field.label} <span class="kanso-muted">· {props.field.type} · <code>{props.field.key}</code></span></div>
      <Show when={props.editable}>
        <button type="button" role="menuitem" onClick={act(props.onRename)}>Rename field…</button>
        {/* a deal's pipeline and stage take their options from Settings → Pipelines */}
        <Show when={(props.field.type === 'select' || props.field.type === 'multiSelect') && !props.field.choicesFrom}>
          <button type="button" role="menuitem" onClick={act(props.onEditOptions)}>Edit options…</button>
        </Show>
      </Show>
      <button type="button" role="menuitem" onClick={act(props.onHide)}>Hide column</button>
      <Show when={props.editable}>
        <button type="button" role="menuitem" onClick={act(props.onAdd)}>Add a field…</button>
        <button type="button" role="menuitem" class="kanso-danger" onClick={act(props.onRemove)}>Remove field</button>
      </Show>
    </div>
  )
}
