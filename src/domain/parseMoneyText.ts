import { currencyDigits, isKnownCurrency } from './currencyDigits'
import { parseDecimalText } from './parseDecimalText'
import { normalizeSpaces } from './normalizeSpaces'
import type { Money } from './schema'

export type MoneyParse =
  | { ok: true; value: Money }
  | { ok: false; reason: 'notMoney' | 'twoCurrencies' }
  | { ok: false; reason: 'tooManyDecimals' | 'tooLarge'; currency: string; digits: number }

const SYMBOLS: Record<string, string> = { '€': 'EUR', $: 'USD', US$: 'USD', '£': 'GBP', '¥': 'JPY' }
const CURRENCY = String.raw`US\$|[€$£¥]|[A-Za-z]{3}`
const LEADING = new RegExp(String.raw`^([-+\u2212]?) ?(${CURRENCY})(?![A-Za-z]) ?`)
const TRAILING = new RegExp(String.raw`(?<![A-Za-z]) ?(${CURRENCY})$`)

function currencyCode(token: string): string | undefined {
  const code = SYMBOLS[token] ?? token.toUpperCase()
  return isKnownCurrency(code) ? code : undefined
}

/**
 * `1.234,50 €`, `€1,234.50`, `$ 10`, `EUR 99.90`, `-5` → integer minor units and currency.
 * The number is read by parseDecimalText (the locale settles `1,234`); fractions beyond the
 * currency's minor unit are refused rather than rounded, trailing zeros excepted.
 */
export function parseMoneyText(input: string, defaultCurrency: string, locale: string): MoneyParse {
  let text = normalizeSpaces(input)
  let sign = ''
  const currencies: string[] = []
  const leading = LEADING.exec(text)
  if (leading) {
    const code = currencyCode(leading[2] ?? '')
    if (!code) return { ok: false, reason: 'notMoney' }
    currencies.push(code)
    sign = leading[1] ?? ''
    text = text.slice(leading[0].length)
  }
  const trailing = TRAILING.exec(text)
  if (trailing) {
    const code = currencyCode(trailing[1] ?? '')
    if (!code) return { ok: false, reason: 'notMoney' }
    currencies.push(code)
    text = text.slice(0, trailing.index)
  }
  if (new Set(currencies).size > 1) return { ok: false, reason: 'twoCurrencies' }
  if (sign && /^[-+\u2212]/.test(text)) return { ok: false, reason: 'notMoney' }
  text = text.replace(/(?<=\d)[.,]--?$/, '') // German whole amounts: "12,- €", "1.200,--"

  const decimal = parseDecimalText(sign + text, locale)
  if (!decimal || decimal.exponent !== 0) return { ok: false, reason: 'notMoney' }
  const currency = currencies[0] ?? defaultCurrency
  const digits = currencyDigits(currency)
  const fraction = decimal.fraction.replace(/0+$/, '')
  if (fraction.length > digits) return { ok: false, reason: 'tooManyDecimals', currency, digits }
  const amount = Number(decimal.integer + fraction.padEnd(digits, '0'))
  if (!Number.isSafeInteger(amount)) return { ok: false, reason: 'tooLarge', currency, digits }
  return { ok: true, value: { amount: decimal.negative && amount !== 0 ? -amount : amount, currency } }
}
