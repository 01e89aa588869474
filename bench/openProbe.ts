/** Any grid row. (AG Grid 36 has no `.ag-center-cols-container`; rows sit in `.ag-grid-scrolling-rows`.) */
export const ROW_SELECTOR = '.kanso-grid .ag-root .ag-row[row-id]:not(.ag-row-loading)'

/**
 * Installed in the page before the app's scripts (as an init script, so a plain string: tsx's
 * helpers do not exist in the page). Records, in ms since navigation start (performance.now):
 *  rowsAt   — the first grid row is in the DOM,
 *  shownAt  — after the next frame was painted (requestAnimationFrame, then a task),
 *  syncedAt — the sync indicator says "synced", at or after rowsAt.
 *  firstInputAt — the first pointerdown (the bench's first click),
 * and every main-thread long task (PerformanceObserver 'longtask', buffered) as
 * [startTime, duration] in `longTasks`.
 */
export const OPEN_PROBE = `(() => {
  if (window.__kansoOpen) return
  const probe = window.__kansoOpen = { rowsAt: null, shownAt: null, syncedAt: null, firstInputAt: null, longTasks: [], longTaskError: null }
  addEventListener('pointerdown', (e) => { if (probe.firstInputAt === null) probe.firstInputAt = e.timeStamp }, true)
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.longTasks.push([e.startTime, e.duration])
    }).observe({ type: 'longtask', buffered: true })
  } catch (error) {
    probe.longTaskError = String(error)
  }
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
  firstInputAt: number | null
  /** [startTime, duration] of each long task (> 50 ms) on the page's main thread. */
  longTasks: [number, number][]
  /** Set when this Chromium has no 'longtask' entries. */
  longTaskError: string | null
}

/** The longest task that started in [0, untilMs), and how many long tasks did. */
export function longestTask(probe: OpenProbe, untilMs: number): { ms: number; count: number } {
  const inWindow = probe.longTasks.filter(([start]) => start < untilMs)
  return { ms: inWindow.reduce((m, [, d]) => Math.max(m, d), 0), count: inWindow.length }
}
