import { For, Show, createSignal, onCleanup } from 'solid-js'
import type { EntityStore } from '../../crdt/entityStore'
import { cellLinkHref, type PhoneScheme } from '../../domain/cellLinkHref'
import { linkedIds } from '../../domain/records/reverseLinkIndex'
import type { FieldDef, Row } from '../../domain/schema'
import { commitCellInputs } from '../grid/commitCellInputs'
import { conflictOf } from '../grid/conflictMark'
import { displayValue } from '../grid/displayValue'
import { FieldInput } from '../grid/fieldInput'
import { cellKey, type GridContext } from '../grid/gridContext'
import { optionChip } from '../grid/optionPicker'

export interface PanelFieldProps {
  field: FieldDef
  row: Row
  store: EntityStore
  context: GridContext
  editable: boolean
  phoneScheme?: PhoneScheme
  /** Bumped when linked names, members or refused entries change: the shown text is read again. */
  redraw: number
  onRefusedChanged: () => void
  /** A linked record's name was clicked: its panel opens. */
  onOpenRecord: (entityId: string, recordId: string) => void
  recordHref: (entityId: string, recordId: string) => string
  /** Tab or Shift+Tab after an edit: the next or previous field's value. */
  onMove: (from: FieldDef, by: 1 | -1) => void
}

/**
 * One field of the record panel: its value as the grid's cell shows it, edited in place with the
 * grid's own FieldInput (pickers, "Reads as …") and written through commitCellInputs — the same
 * parse, refusal and undo step as a cell. Enter, F2, a click or typing starts editing; Enter,
 * Tab or leaving the field saves; Escape keeps the stored value.
 */
export function PanelField(props: PanelFieldProps) {
  const [editing, setEditing] = createSignal(false)
  let box!: HTMLDivElement
  let host!: HTMLDivElement
  let editor: FieldInput | null = null
  const key = () => cellKey(props.row.id, props.field.id)
  const refused = () => (props.redraw, props.context.refused.get(key()))
  const value = () => props.row.values[props.field.id] ?? null

  const finish = (save: boolean) => {
    const current = editor
    if (!current) return
    editor = null
    const raw = current.value()
    current.destroy()
    current.element.remove()
    document.removeEventListener('focusin', onFocusElsewhere, true)
    document.removeEventListener('mousedown', onFocusElsewhere, true)
    setEditing(false)
    if (save) {
      const outcome = commitCellInputs([{ row: props.row, field: props.field, raw }], props.context, props.store)
      if (outcome.refused.length || outcome.fixed.length) props.onRefusedChanged()
      // a linked record named before its list was loaded: linked, or refused, once it is
      void outcome.waiting?.then((later) => { if (later.refused.length || later.fixed.length) props.onRefusedChanged() })
    }
  }
  const onFocusElsewhere = (e: Event) => {
    if (editor && !editor.owns(e.target as Node)) finish(true)
  }
  const start = (eventKey?: string) => {
    if (!props.editable || editor || props.field.type === 'checkbox') return
    const input = new FieldInput({
      field: props.field, context: props.context, rowId: props.row.id, stored: props.row.values[props.field.id], eventKey,
      done: () => { finish(true); box.focus() },
    })
    editor = input
    setEditing(true)
    input.element.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault()
        finish(true)
        box.focus()
      } else if (e.key === 'Escape') {
        e.preventDefault()
        e.stopPropagation()
        finish(false)
        box.focus()
      } else if (e.key === 'Tab') {
        e.preventDefault()
        finish(true)
        props.onMove(props.field, e.shiftKey ? -1 : 1)
      }
    })
    host.replaceChildren(input.element)
    input.attach()
    // a click or focus outside the input and its popups saves, as leaving a cell does
    document.addEventListener('focusin', onFocusElsewhere, true)
    document.addEventListener('mousedown', onFocusElsewhere, true)
  }
  onCleanup(() => finish(true))

  const toggle = () => {
    if (!props.editable) return
    if (props.context.refused.delete(key())) props.onRefusedChanged()
    props.store.updateCells([{ recordId: props.row.id, fieldId: props.field.id, value: props.row.values[props.field.id] !== true }])
  }
  const onKeyDown = (e: KeyboardEvent) => {
    if (editing() || e.target !== box) return
    if (props.field.type === 'checkbox') {
      if (e.key === ' ' || e.key === 'Enter') { e.preventDefault(); toggle() }
      return
    }
    if (e.key === 'Enter' || e.key === 'F2') { e.preventDefault(); start() }
    else if (e.key === 'Backspace' || e.key === 'Delete') { e.preventDefault(); start(e.key) }
    else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); start(e.key) }
  }

  const id = () => `kanso-panel-field-${props.field.id}`
  // a value set while apart lost to this one (issue 15): said under the field until picked or dismissed
  const conflict = () => (props.redraw, conflictOf(props.row, props.field, props.context))
  const resolve = (choice: 'keep' | 'use' | 'dismiss') => props.context.resolveConflict?.(props.row.id, props.field.id, choice)
  const text = () => (props.redraw, displayValue(props.field, value(), props.context))
  const webLink = () => {
    const v = value()
    return typeof v === 'string' ? cellLinkHref(props.field, v, props.phoneScheme) : null
  }
  const shown = () => {
    const f = props.field
    const v = value()
    const r = refused()
    if (r) return <span class="kanso-panel-refused">⚠ {r.text}</span>
    if (f.type === 'checkbox') {
      return <span class="kanso-check-box" role="checkbox" aria-checked={v === true} aria-label={f.label}>{v === true ? '✓' : ''}</span>
    }
    if ((f.type === 'select' && typeof v === 'string') || (f.type === 'multiSelect' && Array.isArray(v))) {
      return <span class="kanso-cell-chips">{(Array.isArray(v) ? v : [v]).map((o) => optionChip(f, o))}</span>
    }
    if (f.type === 'link' && f.linkEntity) {
      const target = f.linkEntity
      const ids = linkedIds(v)
      const names = (props.redraw, props.context.linkNames.get(target))
      return (
        <span class="kanso-panel-links">
          <For each={ids}>
            {(linked) => (
              <a href={props.recordHref(target, linked)} class="kanso-panel-record-link"
                onClick={(e) => { if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return; e.preventDefault(); e.stopPropagation(); props.onOpenRecord(target, linked) }}>
                {names?.get(linked) ?? displayValue(f, linked, props.context)}
              </a>
            )}
          </For>
        </span>
      )
    }
    const link = webLink()
    if (link) {
      return <a href={link.href} target={link.kind === 'web' ? '_blank' : undefined} rel={link.kind === 'web' ? 'noopener' : undefined} onClick={(e) => e.stopPropagation()}>{text()}</a>
    }
    return text() ? <span class="kanso-panel-text">{text()}</span> : <span class="kanso-panel-empty">{props.editable ? 'Empty' : '—'}</span>
  }

  return (
    <div class="kanso-panel-field" classList={{ 'kanso-panel-field-refused': !!refused(), 'kanso-panel-field-editing': editing() }} data-field-id={props.field.id}>
      <span class="kanso-panel-label" id={`${id()}-label`} title={props.field.label}>{props.field.label}</span>
      <div class="kanso-panel-value" ref={box} tabIndex={0} role={props.field.type === 'checkbox' ? undefined : 'button'}
        aria-labelledby={`${id()}-label`} aria-describedby={refused() ? `${id()}-error` : undefined}
        title={props.editable && props.field.type !== 'checkbox' ? 'Click, Enter or type to edit' : undefined}
        onKeyDown={onKeyDown}
        onClick={(e) => {
          if (editing() || (e.target as HTMLElement).closest('a')) return
          if (props.field.type === 'checkbox') toggle()
          else start()
        }}>
        <Show when={!editing()}>{shown()}</Show>
        <div class="kanso-panel-editor" ref={host} />
      </div>
      <Show when={!refused() && conflict()}>
        {(c) => (
          <p class="kanso-panel-conflict" data-testid="panel-conflict">
            <span class="kanso-conflict-mark" aria-hidden="true">◆</span> {c().title}.
            <Show when={props.editable && props.context.resolveConflict}>
              {' '}<button type="button" class="kanso-link-button" onClick={() => resolve('keep')}>Keep this</button>
              {' · '}<button type="button" class="kanso-link-button" onClick={() => resolve('use')}>Use {c().valueText}</button>
              {' · '}<button type="button" class="kanso-link-button" onClick={() => resolve('dismiss')}>Dismiss</button>
            </Show>
          </p>
        )}
      </Show>
      <Show when={refused()}>
        {(r) => (
          <p class="kanso-panel-error" id={`${id()}-error`} role="alert">
            Not saved: {r().message}{' '}
            <button type="button" class="kanso-link-button" onClick={() => { props.context.refused.delete(key()); props.onRefusedChanged() }}>Keep the old value</button>
          </p>
        )}
      </Show>
    </div>
  )
}
