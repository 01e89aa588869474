/** What was typed between "+ New" and the new row's editor, and whether the member moved on meanwhile. */
export interface NewRowTypeAhead {
  /** The characters typed so far. */
  text(): string
  /** True once Enter was pressed: the editor, when it opens, takes the text and ends at once. */
  entered(): boolean
  /** True once another element has the keyboard than when the row was asked for (a click or Tab elsewhere). */
  movedOn(): boolean
  /** Stops listening; the keys go where the focus is again. */
  stop(): void
}

/**
 * Keeps the keys typed right after "+ New" for the new row's editor. The editor opens once the
 * grid has loaded the row — a frame later on a quiet machine, seconds later on a busy one or
 * while the list is still loading — and until then the keyboard is on the button: letters typed
 * at once were lost, and Enter or Space pressed the button again (a second new row). While the
 * focus stays where it was, printable keys are kept and Enter is remembered; keys after Enter,
 * and any key once the focus has moved, go their usual way.
 */
export function makeNewRowTypeAhead(doc: Document = document): NewRowTypeAhead {
  const from = doc.activeElement
  // the body has the keyboard when the button lost it without a new home (it was drawn again)
  const stayed = () => doc.activeElement === from || doc.activeElement === doc.body || !doc.activeElement
  let typed = ''
  let enter = false
  const onKeyDown = (e: KeyboardEvent) => {
    if (enter || !stayed() || e.isComposing || e.ctrlKey || e.metaKey || e.altKey) return
    if (e.key === 'Enter') enter = true
    else if (e.key.length === 1) typed += e.key
    else return
    e.preventDefault()
    e.stopPropagation()
  }
  doc.addEventListener('keydown', onKeyDown, true)
  return {
    text: () => typed,
    entered: () => enter,
    movedOn: () => !stayed(),
    stop: () => doc.removeEventListener('keydown', onKeyDown, true),
  }
}
