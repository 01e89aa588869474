import { For, Show, createSignal, onCleanup, onMount } from 'solid-js'
import { keepFocusIn } from '../keepFocusIn'
import type { LostReasonRequest } from './createLostReasonQuestion'
import './lostReasonDialog.css'

/**
 * Why a deal was lost, asked when it moves to a lost stage (the grid's stage cell, the board, a
 * record panel): a reason is required, the ones the workspace already uses are offered, Enter
 * moves the deal and Escape (or Cancel) leaves it where it was. The focus stays in the dialog
 * and goes back to where it was when the dialog closes.
 */
export function LostReasonDialog(props: { request: LostReasonRequest }) {
  const [reason, setReason] = createSignal('')
  const [missing, setMissing] = createSignal(false)
  let input!: HTMLInputElement
  let dialog!: HTMLDivElement
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null
  onMount(() => input.focus())
  // back to the cell or card the move came from (a confirmed board move then focuses the card anew)
  onCleanup(() => { if (before?.isConnected) before.focus() })

  const cancel = () => props.request.answer(null)
  const confirm = () => {
    const given = reason().trim()
    if (!given) {
      setMissing(true)
      input.focus()
      return
    }
    props.request.answer(given)
  }
  const pick = (suggestion: string) => {
    setReason(suggestion)
    setMissing(false)
    input.focus()
  }
  const listId = 'kanso-lost-reasons'
  return (
    <div class="kanso-modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) cancel() }}>
      <div ref={dialog} class="kanso-modal kanso-lost-reason" role="dialog" aria-modal="true" aria-labelledby="kanso-lost-reason-title"
        aria-describedby="kanso-lost-reason-note" data-testid="lost-reason-dialog"
        onKeyDown={(e) => {
          keepFocusIn(dialog, e)
          // the grid or board behind must not see the Escape as theirs
          if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); cancel() }
        }}>
        <form onSubmit={(e) => { e.preventDefault(); confirm() }} novalidate>
          <h2 id="kanso-lost-reason-title">Why was “{props.request.dealTitle}” lost?</h2>
          <p id="kanso-lost-reason-note" class="kanso-lost-reason-note">
            It moves to {props.request.stageName || 'a lost stage'}. The reason is kept with the deal, so lost deals can be told apart later.
          </p>
          <label>
            Lost reason
            <input ref={input} type="text" list={listId} value={reason()} autocomplete="off" required
              aria-invalid={missing() ? 'true' : undefined} aria-errormessage={missing() ? 'kanso-lost-reason-error' : undefined}
              onInput={(e) => { setReason(e.currentTarget.value); if (e.currentTarget.value.trim()) setMissing(false) }} />
          </label>
          <datalist id={listId}>
            <For each={props.request.suggestions}>{(s) => <option value={s} />}</For>
          </datalist>
          <Show when={missing()}>
            <p id="kanso-lost-reason-error" class="kanso-form-error" role="alert">Give a reason to move the deal, or Cancel to leave it where it was.</p>
          </Show>
          <Show when={props.request.suggestions.length}>
            <div class="kanso-lost-reason-used" role="group" aria-label="Reasons used before">
              <span class="kanso-lost-reason-used-label">Used before:</span>
              <For each={props.request.suggestions}>
                {(s) => <button type="button" class="kanso-lost-reason-chip" aria-pressed={reason().trim() === s} onClick={() => pick(s)}>{s}</button>}
              </For>
            </div>
          </Show>
          <div class="kanso-modal-actions">
            <button type="button" onClick={cancel}>Cancel</button>
            <button type="submit" class="kanso-primary">Move to {props.request.stageName || 'lost'}</button>
          </div>
        </form>
      </div>
    </div>
  )
}
