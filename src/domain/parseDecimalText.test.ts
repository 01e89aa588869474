import { describe, expect, test } from 'vitest'
import { decimalToNumber, localeDecimalSeparator, parseDecimalText } from './parseDecimalText'

const read = (text: string, locale = 'en-US') => {
  const decimal = parseDecimalText(text, locale)
  return decimal && decimalToNumber(decimal)
}

describe('parseDecimalText', () => {
  test.each([
    ['1234.5', 'en-US', 1234.5],
    ['1,234.5', 'en-US', 1234.5],
    ['1,234,567.25', 'en-GB', 1234567.25],
    ['1.234,5', 'de-DE', 1234.5],
    ['1.234,5', 'en-US', 1234.5], // both marks: the last one is decimal, whatever the locale
    ['1,234.5', 'de-DE', 1234.5],
    ['1 234,5', 'fr-FR', 1234.5],
    ['1 234,5', 'en-US', 1234.5], // spaces group, so the comma can only be decimal
    ['1\u202f234,5', 'fr-FR', 1234.5],
    ['1\u00a0234\u00a0567', 'de-DE', 1234567],
    ["1'234.50", 'de-CH', 1234.5],
    ['1’234.50', 'de-CH', 1234.5],
    ['1.234.567', 'de-DE', 1234567],
    ['1,234,567', 'de-DE', 1234567], // repeated mark: grouping
    ['1,5', 'en-US', 1.5], // not three digits after: decimal
    ['1.5', 'de-DE', 1.5],
    ['0,125', 'en-US', 0.125], // no grouping after a leading zero
    ['1234,567', 'en-US', 1234.567], // more than three digits before: not grouping
    ['-12', 'en-US', -12],
    ['−12,5', 'de-DE', -12.5], // U+2212 minus sign
    ['+7', 'en-US', 7],
    ['.5', 'en-US', 0.5],
    ['-,5', 'de-DE', -0.5],
    ['12.', 'en-US', 12],
    ['007', 'en-US', 7],
    ['1.5e3', 'en-US', 1500],
    ['2E-2', 'en-US', 0.02],
    ['  42  ', 'en-US', 42],
  ])('%s in %s → %s', (text, locale, expected) => {
    expect(read(text, locale)).toBe(expected)
  })

  test('a single mark followed by exactly three digits is decided by the locale', () => {
    expect(read('1,234', 'en-US')).toBe(1234)
    expect(read('1,234', 'de-DE')).toBe(1.234)
    expect(read('1.234', 'en-US')).toBe(1.234)
    expect(read('1.234', 'de-DE')).toBe(1234)
    expect(read('1,234', 'fr-FR')).toBe(1.234)
  })

  test.each(['', 'abc', '12abc', '1,2,3', '1.234.5', '1,23,456', '12 34', '1 234.567,5', '1..2', '--1', '1-', 'NaN', 'Infinity', '0x10', '1e', '.', ',', '1 234 ,5', '١٢'])(
    'refuses %j', (text) => {
      expect(parseDecimalText(text, 'en-US')).toBeUndefined()
    },
  )

  test('keeps the typed digits so money can be converted exactly', () => {
    expect(parseDecimalText('-0001.2300', 'en-US')).toEqual({ negative: true, integer: '1', fraction: '2300', exponent: 0 })
  })

  test('numbers too large for a double are refused, and -0 becomes 0', () => {
    expect(read('1e400')).toBeUndefined()
    expect(Object.is(read('-0'), 0)).toBe(true)
  })

  test('locale decimal separators', () => {
    expect(localeDecimalSeparator('en-US')).toBe('.')
    expect(localeDecimalSeparator('de-DE')).toBe(',')
    expect(localeDecimalSeparator('fr-FR')).toBe(',')
    expect(localeDecimalSeparator('de-CH')).toBe('.')
  })
})
