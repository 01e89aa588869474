import { firstRegion } from './localeRegion'
import type { WorkspaceSettings } from './schema'

/**
 * The country an admin's browser should set for the workspace when it opens the app, or
 * undefined to leave the setting alone: only when no country is set yet, or only the relay's
 * guess from its process locale is (a server's locale is often C or en_US whatever the team's
 * country), and the browser's locales name a country. An admin's choice is never replaced.
 */
export function firstStartCountry(settings: WorkspaceSettings | undefined, browserLocales: readonly string[]): string | undefined {
  const source = settings?.defaultCountry ? settings.defaultCountrySource : undefined
  if (settings?.defaultCountry && source !== 'relay') return undefined
  const region = firstRegion(browserLocales)
  return region && region !== settings?.defaultCountry ? region : undefined
}
