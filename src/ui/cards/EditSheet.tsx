import { For, Show, createSignal, onMount } from 'solid-js'
import type { EntityStore } from '../../crdt/entityStore'
import { editTextFor } from '../../domain/formatFieldValue'
import { inputReading } from '../../domain/inputReading'
import { recordTitle } from '../../domain/recordTitle'
import { liveFields, type EntityDef, type FieldDef, type Row } from '../../domain/schema'
import { commitCellInputs, type CommitOutcome } from '../grid/commitCellInputs'
import { linkEditText } from '../grid/displayValue'
import { cellKey, type GridContext } from '../grid/gridContext'
import { suggestionsFor } from '../grid/fieldInput'

export interface EditSheetProps {
  entity: EntityDef
  store: EntityStore
  context: GridContext
  rowId: string
  editable: boolean
  onClose: () => void
  /** After a refused entry was kept or dropped (the sync status counts them). */
  onRefusedChanged: () => void
}

const INPUT_MODE: Partial<Record<FieldDef['type'], string>> = { email: 'email', phone: 'tel', url: 'url', number: 'decimal', money: 'decimal' }

/**
 * A record's every field on a phone, one under the other. Save sends the changed ones through
 * commitCellInputs, the grid's own parse-refuse-write step: accepted values are written as one
 * undo step, a refused one stays in its field with the reason (and in the list's refused
 * entries, as in the grid) until it is fixed or dropped.
 */
export function EditSheet(props: EditSheetProps) {
  const fields = liveFields(props.entity)
  const stored = (): Row | undefined => props.store.row(props.rowId)
  const textOf = (f: FieldDef): string => {
    const refused = props.context.refused.get(cellKey(props.rowId, f.id))
    if (refused) return refused.text
    const value = stored()?.values[f.id]
    return f.type === 'link' ? linkEditText(f, value, props.context) : editTextFor(f, value, props.context.parseContext)
  }
  // what each field showed when the sheet opened (or last saved): only what differs is sent
  const initial = new Map<string, string | boolean>(fields.map((f) => [f.id, f.type === 'checkbox' ? stored()?.values[f.id] === true : textOf(f)]))
  const [values, setValues] = createSignal(new Map(initial))
  const errorOf = (f: FieldDef) => props.context.refused.get(cellKey(props.rowId, f.id))?.message
  const [errors, setErrors] = createSignal(new Map(fields.flatMap((f) => (errorOf(f) ? [[f.id, errorOf(f)!]] : []))))
  const set = (f: FieldDef, v: string | boolean) => setValues(new Map(values()).set(f.id, v))
  let form!: HTMLFormElement

  onMount(() => form.querySelector<HTMLElement>('input, textarea, select')?.focus())

  const save = (e: Event) => {
    e.preventDefault()
    const row = stored()
    if (!row || !props.editable) return props.onClose()
    const changed = fields.filter((f) => values().get(f.id) !== initial.get(f.id))
    const shown = ({ saved, refused, fixed }: CommitOutcome) => {
      for (const c of saved) initial.set(c.fieldId, values().get(c.fieldId)!)
      const next = new Map(errors())
      for (const c of saved) next.delete(c.fieldId)
      for (const r of refused) next.set(r.input.field.id, r.message)
      setErrors(next)
      if (refused.length || fixed.length) props.onRefusedChanged()
      return next.size === 0
    }
    const done = (ok: boolean) => {
      if (ok) props.onClose()
      else form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
    }
    const outcome = commitCellInputs(changed.map((f) => ({ row, field: f, raw: values().get(f.id) })), props.context, props.store)
    const ok = shown(outcome)
    // a linked record named before its list was loaded: the sheet stays until it is linked or refused
    if (outcome.waiting) void outcome.waiting.then((later) => done(shown(later) && ok))
    else done(ok)
  }
  /** Drops a refused entry: the field shows the stored value again. */
  const keepOld = (f: FieldDef) => {
    props.context.refused.delete(cellKey(props.rowId, f.id))
    props.onRefusedChanged()
    const text = textOf(f)
    initial.set(f.id, text)
    set(f, text)
    const next = new Map(errors())
    next.delete(f.id)
    setErrors(next)
  }

  return (
    <div class="kanso-sheet-backdrop" onClick={(e) => { if (e.target === e.currentTarget) props.onClose() }}>
      <form class="kanso-sheet" ref={form} onSubmit={save} role="dialog" aria-modal="true" aria-labelledby="kanso-sheet-title"
        onKeyDown={(e) => { if (e.key === 'Escape') props.onClose() }}>
        <header class="kanso-sheet-head">
          <button type="button" class="kanso-link-button" onClick={() => props.onClose()}>Cancel</button>
          <h2 id="kanso-sheet-title">{stored() ? recordTitle(props.entity, stored()!) : props.entity.singular}</h2>
          <Show when={props.editable}><button type="submit" class="kanso-primary">Save</button></Show>
        </header>
        <div class="kanso-sheet-fields">
          <For each={fields}>
            {(f) => {
              const id = `kanso-sheet-${f.id}`
              const text = () => String(values().get(f.id) ?? '')
              const reading = () => (errors().get(f.id) ? undefined : inputReading(f, text(), props.context.parseContext))
              const common = () => ({
                id, disabled: !props.editable, 'aria-invalid': errors().has(f.id) ? 'true' as const : undefined,
                'aria-describedby': errors().has(f.id) || reading() ? `${id}-note` : undefined,
              })
              return (
                <div class="kanso-sheet-field" classList={{ 'kanso-sheet-field-refused': errors().has(f.id) }}>
                  <Show when={f.type === 'checkbox'} fallback={<label for={id}>{f.label}</label>}>
                    <span class="kanso-sheet-label">{f.label}</span>
                  </Show>
                  {f.type === 'checkbox' ? (
                    <label class="kanso-sheet-check">
                      <input type="checkbox" {...common()} checked={values().get(f.id) === true} onChange={(e) => set(f, e.currentTarget.checked)} />
                      {values().get(f.id) === true ? 'Yes' : 'No'}
                    </label>
                  ) : f.type === 'select' ? (
                    <select {...common()} value={text()} onChange={(e) => set(f, e.currentTarget.value)}>
                      <option value="">—</option>
                      <For each={[...(f.options ?? []), ...(text() && !(f.options ?? []).includes(text()) ? [text()] : [])]}>
                        {(o) => <option value={o}>{o}</option>}
                      </For>
                    </select>
                  ) : f.type === 'longText' ? (
                    <textarea {...common()} rows={3} value={text()} onInput={(e) => set(f, e.currentTarget.value)} />
                  ) : (
                    <input {...common()} type="text" inputMode={(INPUT_MODE[f.type] ?? 'text') as 'text'} value={text()} autocomplete="off"
                      list={suggestionsFor(f, props.context).length ? `${id}-list` : undefined} onInput={(e) => set(f, e.currentTarget.value)} />
                  )}
                  <Show when={suggestionsFor(f, props.context).length}>
                    <datalist id={`${id}-list`}><For each={suggestionsFor(f, props.context).slice(0, 500)}>{(s) => <option value={s} />}</For></datalist>
                  </Show>
                  <Show when={errors().get(f.id)} fallback={
                    <Show when={reading()}>{(r) => <p id={`${id}-note`} class="kanso-sheet-reading" classList={{ 'kanso-sheet-reading-refused': !r().ok }}>{r().ok ? `Reads as ${(r() as { text: string }).text}` : (r() as { error: string }).error}</p>}</Show>
                  }>
                    {(message) => (
                      <p id={`${id}-note`} class="kanso-sheet-error" role="alert">
                        Not saved: {message()} <button type="button" class="kanso-link-button" onClick={() => keepOld(f)}>Keep the old value</button>
                      </p>
                    )}
                  </Show>
                </div>
              )
            }}
          </For>
        </div>
      </form>
    </div>
  )
}
