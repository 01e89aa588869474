let names: Intl.DisplayNames | undefined

/** 'DE' → 'Germany' (English, like the messages); the code itself when Intl does not know it. */
export function countryName(code: string, locale = 'en'): string {
  const display = locale === 'en' ? (names ??= new Intl.DisplayNames(['en'], { type: 'region' })) : new Intl.DisplayNames([locale], { type: 'region' })
  return display.of(code) ?? code
}
