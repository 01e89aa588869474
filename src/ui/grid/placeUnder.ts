/**
 * Places a popup (fixed, in the page's body) under `anchor`, or above it when the window has
 * no room below: a cell near the bottom of the grid keeps its list or calendar on screen.
 */
export function placeUnder(popup: HTMLElement, anchor: DOMRect, minWidth: number): void {
  popup.style.minWidth = `${Math.max(anchor.width, minWidth)}px`
  const height = popup.offsetHeight
  const below = anchor.bottom + 2
  const top = below + height > window.innerHeight - 4 && anchor.top - height - 2 >= 4 ? anchor.top - height - 2 : below
  popup.style.top = `${top}px`
  popup.style.left = `${Math.max(4, Math.min(anchor.left, window.innerWidth - popup.offsetWidth - 4))}px`
}
