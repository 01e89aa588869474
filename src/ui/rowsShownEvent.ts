import { whenInputPauses } from './whenInputPauses'

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

/** Once the first rows are painted, loading the rest waits for this pause in the member's input, */
const LOADING_QUIET_MS = 250
/** …at most this long. */
const LOADING_LATEST_MS = 2000

/**
 * For loading what the screen does not show yet once its first rows are painted (the list's
 * other rows, its linked lists, the schema document, the service worker): resolves when the
 * member's clicks and keys have paused (see whenInputPauses). What an edit needs of them asks for
 * it at once (GridContext.whenLinkNames, WorkspaceSession.whenSchemaLoaded).
 */
export function whenMemberPauses(): Promise<void> {
  return whenInputPauses(LOADING_QUIET_MS, LOADING_LATEST_MS)
}
