import { registerSW } from 'virtual:pwa-register'

/** Installs the service worker that lets the app itself load with the network off. */
export function registerOfflineShell(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return
  registerSW({ immediate: true })
}
