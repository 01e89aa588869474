/** Dispatched on `window` once a list's first rows are on screen (GridView); the service worker waits for it. */
export const ROWS_SHOWN_EVENT = 'kanso:rows-shown'

/**
 * Resolves once a list's first rows are on screen, or after `fallbackMs` (screens without a
 * grid: pipeline, reports), for work that should not compete with the first paint.
 */
export function whenRowsShown(fallbackMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      removeEventListener(ROWS_SHOWN_EVENT, done)
      clearTimeout(timer)
      resolve()
    }
    addEventListener(ROWS_SHOWN_EVENT, done)
    const timer = setTimeout(done, fallbackMs)
  })
}
