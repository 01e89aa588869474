import { For, Show, createSignal } from 'solid-js'
import { currencyDigits } from '../../domain/currencyDigits'
import type { ParseContext } from '../../domain/parseFieldInput'
import { liveFields, type EntityDef } from '../../domain/schema'
import { readCondition } from '../../domain/views/conditionInput'
import { isSharedView, operatorsFor, type SavedView, type ViewCondition, type ViewOperator } from '../../domain/views/savedView'
import { SaveViewDialog } from './SaveViewDialog'
import type { SavedViews } from './createSavedViews'
import './viewBar.css'

const OPERATOR_LABELS: Record<ViewOperator, string> = {
  equals: 'is', contains: 'contains', empty: 'is empty', notEmpty: 'is not empty', range: 'is between', isMe: 'is me', relative: 'is in',
}

/** How a condition reads in the filter list: "Amount is between 1000 and …". */
function describeCondition(entity: EntityDef, c: ViewCondition, memberName: (id: string) => string): string {
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
  return `${label} ${OPERATOR_LABELS[c.op]}`
}

/**
 * The views of a list, above its toolbar: "All", "Mine" and the saved ones to switch between,
 * the active one's name with a mark when the grid shows something else than it holds, its
 * filters, and Save view… / Update view / Rename / Delete.
 */
export function ViewBar(props: { views: SavedViews; entity: EntityDef; parseContext: ParseContext; memberName: (id: string) => string }) {
  const v = props.views
  const [filtersOpen, setFiltersOpen] = createSignal(false)
  const [dialog, setDialog] = createSignal<'save' | 'rename' | null>(null)
  const [removed, setRemoved] = createSignal<SavedView | null>(null)
  const fields = () => liveFields(props.entity)
  const [fieldId, setFieldId] = createSignal('')
  const [op, setOp] = createSignal<ViewOperator>('contains')
  const [value, setValue] = createSignal('')
  const [from, setFrom] = createSignal('')
  const [to, setTo] = createSignal('')
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
    const read = readCondition(f, ops().includes(op()) ? op() : ops()[0]!, { value: value(), from: from(), to: to() }, props.parseContext)
    if (!read.ok) { setError(read.error); return }
    setError(null)
    setValue(''); setFrom(''); setTo('')
    v.setFilters([...v.filters(), read.condition])
  }
  const remove = () => {
    const gone = v.remove()
    setRemoved(gone)
  }

  return (
    <div class="kanso-view-bar" data-testid="view-bar">
      <div class="kanso-view-list" role="tablist" aria-label={`Views of ${props.entity.label.toLowerCase()}`}>
        <For each={v.list()}>
          {(view) => (
            <button type="button" role="tab" class="kanso-view-tab" aria-selected={v.active().id === view.id}
              title={view.createdAt ? (isSharedView(view) ? 'Shared with the team' : 'Only you see this view') : undefined}
              onClick={() => { setRemoved(null); v.select(view.id) }}>
              {view.name}
              <Show when={view.createdAt}><span class="kanso-view-scope" aria-label={isSharedView(view) ? 'shared' : 'personal'}>{isSharedView(view) ? ' · team' : ' · me'}</span></Show>
            </button>
          )}
        </For>
      </div>
      <div class="kanso-view-actions">
        <span class="kanso-view-status" data-testid="view-status">
          <strong>{v.active().name}</strong>
          <Show when={v.dirty()}><span class="kanso-view-dirty" title="The grid shows something other than this view holds"> — unsaved changes</span></Show>
        </span>
        <div class="kanso-view-filter">
          <button type="button" aria-expanded={filtersOpen()} onClick={() => setFiltersOpen(!filtersOpen())}>
            Filter{v.filters().length ? ` (${v.filters().length})` : ''} ▾
          </button>
          <Show when={filtersOpen()}>
            <div class="kanso-popover kanso-filter-popover" role="dialog" aria-label="Filters">
              <Show when={v.filters().length} fallback={<p class="kanso-hint">No filters: every {props.entity.singular.toLowerCase()} shows. Add one below.</p>}>
                <ul class="kanso-filter-list">
                  <For each={v.filters()}>
                    {(c, i) => (
                      <li>
                        <span>{describeCondition(props.entity, c, props.memberName)}</span>
                        <button type="button" aria-label="Remove this filter" onClick={() => v.setFilters(v.filters().filter((_, j) => j !== i()))}>✕</button>
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
                <Show when={['equals', 'contains'].includes(ops().includes(op()) ? op() : ops()[0]!)}>
                  <input aria-label="Value" placeholder="value" value={value()} onInput={(e) => setValue(e.currentTarget.value)} />
                </Show>
                <button type="submit" class="kanso-primary">Add</button>
              </form>
              <Show when={error()}><p class="kanso-filter-error" role="alert">{error()}</p></Show>
            </div>
          </Show>
        </div>
        <button type="button" onClick={() => setDialog('save')}>Save view…</button>
        <Show when={v.canUpdate()}>
          <button type="button" onClick={() => v.update()} disabled={!v.dirty()} title="Save what the grid shows now into this view">Update view</button>
          <button type="button" onClick={() => setDialog('rename')}>Rename</button>
          <button type="button" onClick={remove}>Delete view</button>
        </Show>
        <Show when={removed()}>
          {(r) => (
            <span class="kanso-view-removed" role="status">Deleted “{r().name}”. <button type="button" class="kanso-link-button" onClick={() => { v.restore(r()); setRemoved(null) }}>Undo</button></span>
          )}
        </Show>
      </div>
      <Show when={dialog()}>
        {(mode) => (
          <SaveViewDialog mode={mode()} entity={props.entity} spec={v.current()} canShare={v.canShare} name={mode() === 'rename' ? v.active().name : ''}
            describe={(c) => describeCondition(props.entity, c, props.memberName)}
            onClose={() => setDialog(null)}
            onSave={(name, shared) => (mode() === 'rename' ? v.rename(name) : v.save(name, shared))} />
        )}
      </Show>
    </div>
  )
}
