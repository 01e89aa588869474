import { currencyDigits, minorUnitsToDecimal } from '../currencyDigits'

const formats = new Map<string, Intl.NumberFormat>()

/**
 * Minor units of a deal's currency as the deal's lines panel and its printed quotes and invoices
 * show them (`1.234,50 €` in de-DE): one formatter for both, so a quote reads like the panel.
 * The exact decimal is formatted, not a float of it.
 */
export function formatDealMoney(minor: number, currency: string, locale: string): string {
  const key = `${locale}|${currency}`
  let format = formats.get(key)
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency })
    formats.set(key, format)
  }
  return format.format(minorUnitsToDecimal(minor, currencyDigits(currency)) as `${number}`)
}
