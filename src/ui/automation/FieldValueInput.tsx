import { For, Show, createSignal } from 'solid-js'
import { editTextFor } from '../../domain/formatFieldValue'
import { parseFieldInput, type ParseContext } from '../../domain/parseFieldInput'
import type { FieldDef, FieldValue } from '../../domain/schema'

/**
 * A value for a rule (a condition's, a set's, a changed-to): a picker where the field has choices
 * (select, member, checkbox), else text read by the grid's own parser (parseFieldInput), so a
 * rule's value is stored exactly as a typed cell would be; a refused text says why right here.
 */
export function FieldValueInput(props: {
  field: FieldDef | undefined; value: FieldValue | undefined; ctx: ParseContext; label: string; invalid?: boolean
  onChange: (value: FieldValue) => void
}) {
  const [refusal, setRefusal] = createSignal<string | null>(null)
  const field = () => props.field
  const choices = (): { id: string; label: string }[] | null => {
    const f = field()
    if (!f) return null
    if (f.type === 'select') return f.choices ?? (f.options ?? []).map((o) => ({ id: o, label: o }))
    if (f.type === 'member') return (props.ctx.members ?? []).map((m) => ({ id: m.id, label: m.name }))
    if (f.type === 'checkbox') return [{ id: 'true', label: 'checked' }, { id: 'false', label: 'not checked' }]
    return null
  }
  const fromChoice = (id: string): FieldValue => (field()?.type === 'checkbox' ? id === 'true' : id === '' ? null : id)
  const read = (text: string) => {
    const f = field()
    if (!f) return
    const parsed = parseFieldInput(f, text, props.ctx)
    if (parsed.ok) {
      setRefusal(null)
      props.onChange(parsed.value)
    } else {
      setRefusal(parsed.error)
    }
  }
  return (
    <Show when={choices()} fallback={
      <>
        <input type="text" aria-label={props.label} aria-invalid={props.invalid || !!refusal()} value={field() ? editTextFor(field()!, props.value, props.ctx) : ''}
          onChange={(e) => read(e.currentTarget.value)} />
        <Show when={refusal()}>{(why) => <span class="kanso-rule-error" role="alert">{why()}</span>}</Show>
      </>
    }>
      {(list) => (
        <select aria-label={props.label} aria-invalid={props.invalid} value={props.value === undefined || props.value === null ? '' : String(props.value)}
          onChange={(e) => props.onChange(fromChoice(e.currentTarget.value))}>
          <Show when={field()?.type !== 'checkbox'}><option value="">(choose)</option></Show>
          <For each={list()}>{(c) => <option value={c.id}>{c.label}</option>}</For>
        </select>
      )}
    </Show>
  )
}
