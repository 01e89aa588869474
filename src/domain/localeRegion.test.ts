import { expect, test } from 'vitest'
import { firstRegion, localeRegion } from './localeRegion'

test('the region of BCP 47 and POSIX locales; none for a language alone', () => {
  expect(localeRegion('en-US')).toBe('US')
  expect(localeRegion('de-de')).toBe('DE')
  expect(localeRegion('zh-Hant-TW')).toBe('TW')
  expect(localeRegion('de_DE.UTF-8')).toBe('DE')
  expect(localeRegion('fr_CH@euro')).toBe('CH')
  expect(localeRegion('de')).toBeUndefined()
  expect(localeRegion('C')).toBeUndefined()
  expect(localeRegion('C.UTF-8')).toBeUndefined()
  expect(localeRegion('POSIX')).toBeUndefined()
  expect(localeRegion('es-419')).toBeUndefined()
  expect(localeRegion(undefined)).toBeUndefined()
})

test('the first locale that names a country wins', () => {
  expect(firstRegion(['de', 'de-AT', 'en-US'])).toBe('AT')
  expect(firstRegion(['en', undefined, 'C'])).toBeUndefined()
})
