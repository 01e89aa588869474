// language[-script][-REGION] in BCP 47 (`de-DE`, `zh-Hant-TW`) or POSIX (`de_DE.UTF-8@euro`).
const REGION = /^[a-z]{2,3}(?:[-_][a-z]{4})?[-_]([a-z]{2})(?=$|[-_.@])/i

/**
 * The country a locale names (`en-US` → 'US', `de_DE.UTF-8` → 'DE'), or undefined when it names
 * none (`de`, `C`, `es-419`): a language alone says nothing about where its speaker lives.
 */
export function localeRegion(locale: string | undefined): string | undefined {
  return REGION.exec(locale?.trim() ?? '')?.[1]?.toUpperCase()
}

/** The first of several locales (navigator.languages, LC_ALL / LC_TELEPHONE / LANG) that names a country. */
export function firstRegion(locales: readonly (string | undefined)[]): string | undefined {
  for (const locale of locales) {
    const region = localeRegion(locale)
    if (region) return region
  }
  return undefined
}
