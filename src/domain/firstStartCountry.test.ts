import { expect, test } from 'vitest'
import { firstStartCountry } from './firstStartCountry'

test('an unset country is taken from the first browser locale that names one', () => {
  expect(firstStartCountry({}, ['en-US', 'en'])).toBe('US')
  expect(firstStartCountry(undefined, ['de', 'de-DE'])).toBe('DE')
  expect(firstStartCountry({}, ['de', 'en'])).toBeUndefined()
})

test("the relay's guess is replaced by the admin's locale; a locale's or an admin's choice is kept", () => {
  expect(firstStartCountry({ defaultCountry: 'US', defaultCountrySource: 'relay' }, ['de-AT'])).toBe('AT')
  expect(firstStartCountry({ defaultCountry: 'US', defaultCountrySource: 'relay' }, ['en-US'])).toBeUndefined()
  expect(firstStartCountry({ defaultCountry: 'US', defaultCountrySource: 'relay' }, ['de'])).toBeUndefined()
  expect(firstStartCountry({ defaultCountry: 'US', defaultCountrySource: 'locale' }, ['de-AT'])).toBeUndefined()
  expect(firstStartCountry({ defaultCountry: 'DE', defaultCountrySource: 'admin' }, ['en-US'])).toBeUndefined()
})
