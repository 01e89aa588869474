import { onMount } from 'solid-js'

/** A question before something hard to see the end of (deleting records others link to). */
export function ConfirmDialog(props: { title: string; message: string; confirmLabel: string; onConfirm: () => void; onClose: () => void }) {
  let cancel!: HTMLButtonElement
  // Cancel has the focus: Enter on a reflex keeps the records
  onMount(() => cancel.focus())
  return (
    <div class="kanso-modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) props.onClose() }}>
      <div class="kanso-modal" role="alertdialog" aria-modal="true" aria-labelledby="kanso-confirm-title" aria-describedby="kanso-confirm-message"
        data-testid="confirm-dialog" onKeyDown={(e) => { if (e.key === 'Escape') props.onClose() }}>
        <h2 id="kanso-confirm-title">{props.title}</h2>
        <p id="kanso-confirm-message" class="kanso-confirm-message">{props.message}</p>
        <div class="kanso-modal-actions">
          <button type="button" ref={cancel} onClick={props.onClose}>Cancel</button>
          <button type="button" class="kanso-danger-button" onClick={() => { props.onConfirm(); props.onClose() }}>{props.confirmLabel}</button>
        </div>
      </div>
    </div>
  )
}
