import { For, Show, createSignal } from 'solid-js'
import { currencyDigits } from '../../domain/currencyDigits'
import type { ParseContext } from '../../domain/parseFieldInput'
import { liveFields, type EntityDef } from '../../domain/schema'
import { readCondition } from '../../domain/views/conditionInput'
import { operatorsFor, type ViewCondition, type ViewOperator } from '../../domain/views/savedView'
import { DAYS_MAX } from '../../domain/relativePeriod'
import { PICKED_PERIODS, periodLabel } from './periodLabels'
import './viewBar.css'

const OPERATOR_LABELS: Record<ViewOperator, string> = {
  equals: 'is', contains: 'contains', empty: 'is empty', notEmpty: 'is not empty', range: 'is between', isMe: 'is me', relative: 'is in',
}

/** How a condition reads in the filter list: "Amount is between 1000 and …". */
export function describeCondition(entity: EntityDef, c: ViewCondition, memberName: (id: string) => string): string {
  const field = entity.fields.find((f) => f.id === c.field)
  const label = field?.label ?? c.field
  const shown = (v: unknown) => {
    if (field?.type === 'member' && typeof v === 'string') return memberName(v)
    if (field?.type === 'select' && field.choices) return field.choices.find((ch) => ch.id === v)?.label ?? String(v)
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const money = v as { amount: number; currency: string }
      return `${money.amount / 10 ** currencyDigits(money.currency)} ${money.currency}`
    }
    return typeof v === 'boolean' ? (v ? 'ticked' : 'not ticked') : String(v)
  }
  if (c.op === 'range') return `${label} ${c.from !== undefined && c.to !== undefined ? `is between ${c.from} and ${c.to}` : c.from !== undefined ? `≥ ${c.from}` : `≤ ${c.to}`}`
  if (c.op === 'equals' || c.op === 'contains') return `${label} ${OPERATOR_LABELS[c.op]} “${shown(c.value)}”`
  if (c.op === 'relative') return `${label} ${['today', 'yesterday', 'tomorrow'].includes(String(c.value)) ? 'is' : 'is in'} ${periodLabel(c.value)}`
  return `${label} ${OPERATOR_LABELS[c.op]}`
}

/**
 * A list of conditions and a line to add one (field, condition, value): the saved views' filter
 * popover and the report builder's filters. `entity` may carry more fields than the list shows
 * (a report's derived ones).
 */
export function ConditionEditor(props: { entity: EntityDef; filters: ViewCondition[]; onChange: (filters: ViewCondition[]) => void; parseContext: ParseContext; memberName: (id: string) => string }) {
  const fields = () => liveFields(props.entity)
  const [fieldId, setFieldId] = createSignal('')
  const [op, setOp] = createSignal<ViewOperator>('contains')
  const [value, setValue] = createSignal('')
  const [from, setFrom] = createSignal('')
  const [to, setTo] = createSignal('')
  // a relative period: a named one, or 'lastN' / 'nextN' with a number of days
  const [period, setPeriod] = createSignal<string>('thisMonth')
  const [days, setDays] = createSignal('30')
  const [error, setError] = createSignal<string | null>(null)
  const field = () => fields().find((f) => f.id === fieldId()) ?? fields()[0]
  const ops = () => (field() ? operatorsFor(field()!.type) : [])
  const pickField = (id: string) => {
    setFieldId(id)
    const first = operatorsFor(fields().find((f) => f.id === id)!.type)[0]!
    setOp(first)
    setError(null)
  }
  const addCondition = (e: Event) => {
    e.preventDefault()
    const f = field()
    if (!f) return
    const chosen = ops().includes(op()) ? op() : ops()[0]!
    const nDays = period() === 'lastN' || period() === 'nextN'
    const relative = nDays ? `${period().slice(0, 4)}${days().trim()}Days` : period()
    const read = readCondition(f, chosen, { value: chosen === 'relative' ? relative : value(), from: from(), to: to() }, props.parseContext)
    if (!read.ok) { setError(read.error); return }
    setError(null)
    setValue(''); setFrom(''); setTo('')
    props.onChange([...props.filters, read.condition])
  }
  return (
    <>
      <Show when={props.filters.length} fallback={<p class="kanso-hint">No filters: every {props.entity.singular.toLowerCase()} shows. Add one below.</p>}>
        <ul class="kanso-filter-list">
          <For each={props.filters}>
            {(c, i) => (
              <li>
                <span>{describeCondition(props.entity, c, props.memberName)}</span>
                <button type="button" aria-label="Remove this filter" onClick={() => props.onChange(props.filters.filter((_, j) => j !== i()))}>✕</button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <form class="kanso-filter-add" onSubmit={addCondition}>
        <select aria-label="Field" value={field()?.id} onChange={(e) => pickField(e.currentTarget.value)}>
          <For each={fields()}>{(f) => <option value={f.id}>{f.label}</option>}</For>
        </select>
        <select aria-label="Condition" value={ops().includes(op()) ? op() : ops()[0]} onChange={(e) => setOp(e.currentTarget.value as ViewOperator)}>
          <For each={ops()}>{(o) => <option value={o}>{OPERATOR_LABELS[o]}</option>}</For>
        </select>
        <Show when={(ops().includes(op()) ? op() : ops()[0]) === 'range'}>
          <input aria-label="From" placeholder="from" value={from()} onInput={(e) => setFrom(e.currentTarget.value)} />
          <input aria-label="To" placeholder="to" value={to()} onInput={(e) => setTo(e.currentTarget.value)} />
        </Show>
        <Show when={(ops().includes(op()) ? op() : ops()[0]) === 'relative'}>
          <select aria-label="Period" value={period()} onChange={(e) => setPeriod(e.currentTarget.value)}>
            <For each={PICKED_PERIODS}>{(p) => <option value={p}>{periodLabel(p)}</option>}</For>
            <option value="lastN">the last … days</option>
            <option value="nextN">the next … days</option>
          </select>
          <Show when={period() === 'lastN' || period() === 'nextN'}>
            <input aria-label="Days" type="number" min="1" max={DAYS_MAX} inputMode="numeric" value={days()} onInput={(e) => setDays(e.currentTarget.value)} />
          </Show>
        </Show>
        <Show when={['equals', 'contains'].includes(ops().includes(op()) ? op() : ops()[0]!)}>
          <input aria-label="Value" placeholder="value" value={value()} onInput={(e) => setValue(e.currentTarget.value)} />
        </Show>
        <button type="submit" class="kanso-primary">Add</button>
      </form>
      <Show when={error()}><p class="kanso-filter-error" role="alert">{error()}</p></Show>
    </>
  )
}
