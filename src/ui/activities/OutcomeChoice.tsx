import { For, onMount } from 'solid-js'

/**
 * How did the call go? The outcome field's options as buttons, asked when a call is marked done:
 * 1–9 picks one, ←/→ move, Escape cancels — one keystroke after x.
 */
export function OutcomeChoice(props: { options: readonly string[]; onPick: (outcome: string) => void; onCancel: () => void }) {
  let box!: HTMLDivElement
  // at once: the digit that follows x may come before the next frame (it went to the item, lost);
  // again at the next frame when the box was not in the document yet
  const focusFirst = () => box.querySelector('button')?.focus()
  onMount(() => {
    focusFirst()
    if (!box.contains(document.activeElement)) requestAnimationFrame(focusFirst)
  })
  const label = (o: string) => o.replace(/_/g, ' ')
  const onKeyDown = (e: KeyboardEvent) => {
    const buttons = [...box.querySelectorAll<HTMLButtonElement>('button[data-outcome]')]
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement)
    if (/^[1-9]$/.test(e.key) && props.options[Number(e.key) - 1]) {
      e.preventDefault(); e.stopPropagation()
      props.onPick(props.options[Number(e.key) - 1]!)
    } else if (e.key === 'Escape') {
      e.preventDefault(); e.stopPropagation()
      props.onCancel()
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault(); e.stopPropagation()
      buttons[(at + (e.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length]?.focus()
    } else if (['j', 'k', 'x', 'h', 't', 'w', 'd', 'ArrowDown', 'ArrowUp'].includes(e.key)) e.stopPropagation()
  }
  return (
    <div class="kanso-outcome" ref={box} role="group" aria-label="How did the call go?" onKeyDown={onKeyDown} data-testid="outcome-choice">
      <span class="kanso-outcome-ask">How did it go?</span>
      <For each={props.options}>
        {(o, i) => (
          <button type="button" data-outcome={o} onClick={() => props.onPick(o)} title={`${label(o)} (${i() + 1})`}>
            <kbd>{i() + 1}</kbd> {label(o)}
          </button>
        )}
      </For>
      <button type="button" class="kanso-link-button" onClick={() => props.onCancel()}>Cancel</button>
    </div>
  )
}
