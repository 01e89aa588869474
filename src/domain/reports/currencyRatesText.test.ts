import { describe, expect, it } from 'vitest'
import { currencyRatesText, readCurrencyRatesText } from './currencyRatesText'

describe('the currency rates as typed in Settings', () => {
  it('reads a currency and its rate per line, in the locale\'s decimals', () => {
    expect(readCurrencyRatesText('USD 0.92\n gbp = 1.17 \n\nJPY: 0.0061', 'en-US')).toEqual({ ok: true, rates: { USD: 0.92, GBP: 1.17, JPY: 0.0061 } })
    expect(readCurrencyRatesText('USD 0,92', 'de-DE')).toEqual({ ok: true, rates: { USD: 0.92 } })
    expect(readCurrencyRatesText('', 'en')).toEqual({ ok: true, rates: {} })
    expect(currencyRatesText({ USD: 0.92, CHF: 1.05 })).toBe('CHF 1.05\nUSD 0.92')
  })
  it('names the line and the reason of a refusal', () => {
    expect(readCurrencyRatesText('USD 0.92\nXYZ 1', 'en')).toEqual({ ok: false, error: 'Line 2: XYZ is not an ISO 4217 currency code' })
    expect(readCurrencyRatesText('USD -1', 'en')).toEqual({ ok: false, error: 'Line 1: USD\'s rate "-1" is not a positive number' })
    expect(readCurrencyRatesText('USD 0', 'en')).toMatchObject({ ok: false })
    expect(readCurrencyRatesText('dollars', 'en')).toMatchObject({ ok: false, error: expect.stringMatching(/^Line 1: write a currency code/) })
    expect(readCurrencyRatesText('USD 1\nusd 2', 'en')).toEqual({ ok: false, error: 'Line 2: USD has a rate already' })
  })
})
