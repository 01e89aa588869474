// BCP 47 structure: language, script, region, variants, extensions, private use. Intl throws a
// RangeError on tags outside it ("en-a", "en-US-US"), so they never reach Intl.
const LANGUAGE_TAG = new RegExp('^[a-z]{2,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\\d{3}))?(?:-(?:[a-z\\d]{5,8}|\\d[a-z\\d]{3}))*'
  + '(?:-[\\da-wy-z](?:-[a-z\\d]{2,8})+)*(?:-x(?:-[a-z\\d]{1,8})+)?$', 'i')

/**
 * The locale if it is a well-formed BCP 47 tag, else 'en-US'. Locales can arrive from an
 * Accept-Language header or a settings file, and Intl throws on malformed tags instead of falling back.
 */
export function safeLocale(locale: string | undefined): string {
  const tag = locale?.trim().replace(/_/g, '-')
  return tag && LANGUAGE_TAG.test(tag) ? tag : 'en-US'
}
