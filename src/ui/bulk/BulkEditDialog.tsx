import { For, Show, createEffect, createSignal, on, onCleanup, onMount } from 'solid-js'
import type { EntityStore } from '../../crdt/entityStore'
import type { CellChange } from '../../crdt/recordDoc'
import { bulkEditChanges, bulkEditQuestion } from '../../domain/records/bulkEdit'
import { parseFieldInput } from '../../domain/parseFieldInput'
import { findStage, type Pipeline } from '../../domain/pipelines/pipeline'
import { lostReasonSuggestions } from '../../domain/pipelines/lostReasonSuggestions'
import { stageFieldsOf } from '../../domain/pipelines/stageHistory'
import { liveFields, type EntityDef, type FieldValue } from '../../domain/schema'
import { backgroundTurn } from '../../sync/backgroundTurn'
import { displayValue } from '../grid/displayValue'
import { FieldInput } from '../grid/fieldInput'
import type { GridContext } from '../grid/gridContext'
import { keepFocusIn } from '../keepFocusIn'
import './bulk.css'

export interface BulkEditProps {
  entity: EntityDef
  store: EntityStore
  context: GridContext
  pipelines: readonly Pipeline[]
  /** The ticked rows, in the view's order. */
  ids: readonly string[]
  locale: string
  onClose: () => void
  /** Written: the confirmed question's answer ("Set Stage to Won on 50 deals"), for the toast with its Undo. */
  onDone: (message: string) => void
}

/** Above this many rows the changes are built a slice per task with a progress bar. */
const SLICE = 2000

/**
 * "Edit N rows…": one field set to one value on every ticked row. The value is entered with the
 * grid's own FieldInput (pickers, "Reads as …") and parsed by parseFieldInput, so it is refused
 * for the same reason a cell would be, before anything is written. Then the count and the field
 * are confirmed ("Set Stage to Won on 50 deals?"); a move to a lost stage asks its reason once
 * for all. Written with one updateCells — one update, one undo step — with each deal's stage@
 * entry (makeStageChanges), after the changes were built a slice per task.
 */
export function BulkEditDialog(props: BulkEditProps) {
  const fields = () => liveFields(props.entity)
  const [fieldId, setFieldId] = createSignal(fields()[0]?.id ?? '')
  const [refusal, setRefusal] = createSignal<string | null>(null)
  const [confirming, setConfirming] = createSignal<{ value: FieldValue | null; text: string; lostStage: boolean } | null>(null)
  const [reason, setReason] = createSignal('')
  const [reasonMissing, setReasonMissing] = createSignal(false)
  const [progress, setProgress] = createSignal<{ done: number; total: number } | null>(null)
  let dialog!: HTMLDivElement
  let host!: HTMLDivElement
  let select!: HTMLSelectElement
  let editor: FieldInput | null = null
  const field = () => fields().find((f) => f.id === fieldId())
  const stageFields = () => stageFieldsOf(props.entity)
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null
  onCleanup(() => { if (before?.isConnected) before.focus() })

  const dropEditor = () => {
    editor?.destroy()
    editor?.element.remove()
    editor = null
  }
  // the value's input follows the field picked: the grid's editor of that field's type
  const makeEditor = () => {
    dropEditor()
    const f = field()
    if (!f || confirming()) return
    editor = new FieldInput({ field: f, context: props.context, rowId: '', stored: undefined, done: () => next() })
    editor.input.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter' && !(e as KeyboardEvent).shiftKey) { e.preventDefault(); next() }
    })
    host.replaceChildren(editor.element)
    editor.attach()
  }
  createEffect(on([fieldId, confirming], () => {
    setRefusal(null)
    makeEditor()
  }))
  // the field comes first: the value's input (focused as it attaches) waits for Tab
  onMount(() => queueMicrotask(() => select.focus()))
  onCleanup(dropEditor)

  const next = () => {
    const f = field()
    if (!f || !editor) return
    const raw = editor.value()
    const parsed = parseFieldInput(f, raw, props.context.parseContext)
    if (!parsed.ok) {
      setRefusal(parsed.error)
      editor.input.focus()
      return
    }
    const value = parsed.value ?? null
    const s = stageFields()
    const lostStage = !!s?.lostReason && s.stage.id === f.id && typeof value === 'string' && findStage(props.pipelines, value)?.stage.kind === 'lost'
    setConfirming({ value, text: value === null ? '' : displayValue(f, value, props.context), lostStage })
  }

  const write = async () => {
    const f = field()
    const c = confirming()
    if (!f || !c || progress()) return
    const also: Record<string, FieldValue> = {}
    if (c.lostStage) {
      const given = reason().trim()
      if (!given) { setReasonMissing(true); return }
      also[stageFields()!.lostReason!.id] = given
    }
    const total = props.ids.length
    const large = total > SLICE
    if (large) setProgress({ done: 0, total })
    let changes: CellChange[] = []
    let done = 0
    for (const slice of bulkEditChanges({ fieldId: f.id, value: c.value, recordIds: props.ids }, also, SLICE)) {
      // each deal's stage change entry (and pipeline), never a question: the reason was asked once above
      const planned = props.context.withStageChanges ? props.context.withStageChanges(slice, false) : slice
      changes = changes.concat(planned)
      done = Math.min(total, done + SLICE)
      if (large) {
        setProgress({ done, total })
        await backgroundTurn()
      }
    }
    props.store.updateCells(changes)
    props.onDone(bulkEditQuestion(props.entity, f.label, c.text, total, props.locale).replace(/\?$/, ''))
    props.onClose()
  }

  const question = () => {
    const c = confirming()
    const f = field()
    return c && f ? bulkEditQuestion(props.entity, f.label, c.text, props.ids.length, props.locale) : ''
  }
  const count = () => props.ids.length.toLocaleString(props.locale)
  return (
    <div class="kanso-modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget && !progress()) props.onClose() }}>
      <div ref={dialog} class="kanso-modal kanso-bulk-dialog" role="dialog" aria-modal="true" aria-labelledby="kanso-bulk-title" data-testid="bulk-edit-dialog"
        onKeyDown={(e) => {
          keepFocusIn(dialog, e)
          if (e.key === 'Escape' && !progress()) { e.preventDefault(); e.stopPropagation(); props.onClose() }
        }}>
        <h2 id="kanso-bulk-title">Edit {count()} {props.ids.length === 1 ? props.entity.singular.toLowerCase() : props.entity.label.toLowerCase()}</h2>
        <Show when={!confirming()} fallback={
          <div class="kanso-bulk-confirm">
            <p class="kanso-bulk-question" data-testid="bulk-edit-question">{question()}</p>
            <p class="kanso-hint">One change: Ctrl+Z (or Undo) takes it back on every {props.entity.singular.toLowerCase()} at once.</p>
            <Show when={confirming()?.lostStage}>
              <label>
                Why were they lost? (one reason for all)
                <input type="text" list="kanso-bulk-lost-reasons" value={reason()} autocomplete="off" aria-invalid={reasonMissing() ? 'true' : undefined}
                  ref={(el) => queueMicrotask(() => el.focus())}
                  onInput={(e) => { setReason(e.currentTarget.value); setReasonMissing(false) }}
                  onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void write() } }} />
              </label>
              <datalist id="kanso-bulk-lost-reasons">
                <For each={lostReasonSuggestions(props.entity, props.store.rows())}>{(s) => <option value={s} />}</For>
              </datalist>
              <Show when={reasonMissing()}><p class="kanso-form-error" role="alert">Give a reason to move them, or go back.</p></Show>
            </Show>
            <Show when={progress()}>
              {(p) => (
                <div class="kanso-progress" role="status" data-testid="bulk-progress">
                  Preparing {p().done.toLocaleString(props.locale)} of {p().total.toLocaleString(props.locale)}… <progress max={p().total} value={p().done} />
                </div>
              )}
            </Show>
            <div class="kanso-modal-actions">
              <button type="button" onClick={() => setConfirming(null)} disabled={!!progress()}>Back</button>
              <button type="button" class="kanso-primary" ref={(el) => queueMicrotask(() => { if (!confirming()?.lostStage) el.focus() })}
                disabled={!!progress()} onClick={() => void write()}>{question().replace(/\?$/, '')}</button>
            </div>
          </div>
        }>
          <form class="kanso-bulk-form" onSubmit={(e) => { e.preventDefault(); next() }} novalidate>
            <label>
              Field
              <select ref={select} value={fieldId()} onChange={(e) => setFieldId(e.currentTarget.value)} data-testid="bulk-edit-field">
                <For each={fields()}>{(f) => <option value={f.id}>{f.label}</option>}</For>
              </select>
            </label>
            <div class="kanso-bulk-value">
              <span class="kanso-bulk-value-label">New value <span class="kanso-hint">(empty clears it)</span></span>
              <div class="kanso-bulk-editor" ref={host} data-testid="bulk-edit-value" />
            </div>
            <Show when={refusal()}>
              <p class="kanso-form-error" role="alert" data-testid="bulk-edit-refusal">Not set: {refusal()}</p>
            </Show>
            <div class="kanso-modal-actions">
              <button type="button" onClick={props.onClose}>Cancel</button>
              <button type="submit" class="kanso-primary">Next…</button>
            </div>
          </form>
        </Show>
      </div>
    </div>
  )
}
