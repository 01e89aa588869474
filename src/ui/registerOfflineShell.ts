import { registerSW } from 'virtual:pwa-register'
import { whenMemberPauses, whenRowsShown } from './rowsShownEvent'
/** Screens without a grid (pipeline, reports) register after this long. */
const REGISTER_WITHOUT_ROWS_MS = 3000

/**
 * Installs the service worker that lets the app itself load with the network off, once the
 * first rows are on screen: on a first visit its install downloads and caches the 1.2 MB of
 * assets (and Chromium compiles the scripts for its code cache), which had competed with
 * building the grid (new profile → rows 1.42–1.52 s with it alongside, 1.25–1.36 s after).
 */
export function registerOfflineShell(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return
  void whenRowsShown(REGISTER_WITHOUT_ROWS_MS).then(whenMemberPauses).then(() => registerSW({ immediate: true }))
}
