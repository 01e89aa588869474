/**
 * Goes to an address of the app from anywhere below the shell (a deal's lines panel, a print
 * view): the shell follows the address bar on `popstate`, so this pushes the address and tells
 * it, without a callback threaded through every view between.
 */
export function openAppPath(path: string): void {
  if (location.pathname === path) return
  history.pushState(null, '', path)
  window.dispatchEvent(new PopStateEvent('popstate', { state: null }))
}
