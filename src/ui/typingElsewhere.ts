const NOT_TYPED = new Set(['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image'])

/**
 * True while the keyboard is in a text entry outside `within`: a focus the app moves later (a
 * record panel or a grid row that finish loading after a search result was opened) must then
 * leave it where it is, or what the member is typing lands somewhere else.
 */
export function typingElsewhere(...within: (Element | null | undefined)[]): boolean {
  const focus = document.activeElement
  if (!(focus instanceof HTMLElement) || within.some((el) => el?.contains(focus))) return false
  if (focus.isContentEditable || focus instanceof HTMLTextAreaElement || focus instanceof HTMLSelectElement) return true
  return focus instanceof HTMLInputElement && !NOT_TYPED.has(focus.type)
}
