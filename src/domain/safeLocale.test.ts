import { expect, test } from 'vitest'
import { safeLocale } from './safeLocale'

test.each(['de-DE', 'en', 'zh-Hant-TW', 'es-419', 'sr-Latn-RS', 'de-DE-1996', 'de-DE-u-ca-buddhist', 'en-u-nu-latn', 'en-US-x-private'])(
  '%s is kept and Intl accepts it', (tag) => {
    expect(safeLocale(tag)).toBe(tag)
    expect(() => new Intl.DateTimeFormat(tag).format(0)).not.toThrow()
  },
)

test.each(['', '   ', 'en-a', 'en-US-u', 'abc-12', 'en-US-US', 'root', 'en-GB-oed', 'en-US,en;q=0.9', 'not a locale'])(
  '%j becomes en-US', (tag) => {
    expect(safeLocale(tag)).toBe('en-US')
  },
)

test('underscores are read as hyphens; undefined is en-US', () => {
  expect(safeLocale('de_AT')).toBe('de-AT')
  expect(safeLocale(undefined)).toBe('en-US')
})
