/** Presses count as the member acting on the page; moving the mouse does not. */
const INPUT_EVENTS = ['keydown', 'pointerdown'] as const

let lastInput = -Infinity
let listening = false

function listen(): void {
  if (listening) return
  listening = true
  const note = () => { lastInput = performance.now() }
  for (const type of INPUT_EVENTS) addEventListener(type, note, { capture: true, passive: true })
}

/**
 * Resolves once `quietMs` have passed from now with no key or pointer press, or `latestMs` from
 * now at the latest. Once a list's first rows are painted, loading what it does not show yet
 * (its other rows, parsed on the page in slices; the service worker) waits behind it: a member
 * who clicks a cell and types at once is not kept waiting between keystrokes by that work's
 * tasks. Work a member asks for (a sort, a search, a scroll past the first rows) asks for the
 * rows itself and does not wait.
 */
export function whenInputPauses(quietMs: number, latestMs: number): Promise<void> {
  listen()
  const start = performance.now()
  return new Promise((resolve) => {
    const check = () => {
      const wait = Math.min(Math.max(start, lastInput) + quietMs, start + latestMs) - performance.now()
      if (wait <= 0) resolve()
      else setTimeout(check, wait)
    }
    check()
  })
}
