/** Any grid row. (AG Grid 36 has no `.ag-center-cols-container`; rows sit in `.ag-grid-scrolling-rows`.) */
const ROW_SELECTOR = '.kanso-grid .ag-root .ag-row'

/**
 * Installed in the page before the app's scripts (as an init script, so a plain string: tsx's
 * helpers do not exist in the page). Records, in ms since navigation start (performance.now):
 *  rowsAt   — the first grid row is in the DOM,
 *  shownAt  — after the next frame was painted (requestAnimationFrame, then a task),
 *  syncedAt — the sync indicator says "synced", at or after rowsAt.
 */
export const OPEN_PROBE = `(() => {
  if (window.__kansoOpen) return
  const probe = window.__kansoOpen = { rowsAt: null, shownAt: null, syncedAt: null }
  const check = () => {
    if (probe.rowsAt === null && document.querySelector(${JSON.stringify(ROW_SELECTOR)})) {
      probe.rowsAt = performance.now()
      requestAnimationFrame(() => setTimeout(() => { probe.shownAt = performance.now() }, 0))
    }
    if (probe.rowsAt !== null && probe.syncedAt === null && document.querySelector('[data-testid=sync-status][data-state=synced]')) {
      probe.syncedAt = performance.now()
    }
    if (probe.rowsAt !== null && probe.syncedAt !== null) observer.disconnect()
  }
  const observer = new MutationObserver(check)
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-state'] })
})()`

export interface OpenProbe {
  rowsAt: number | null
  shownAt: number | null
  syncedAt: number | null
}
