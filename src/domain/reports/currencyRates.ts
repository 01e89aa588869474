import { currencyDigits } from '../currencyDigits'
import type { Money } from '../schema'

/** What money is converted into: `currency`, at `rates` (one unit of a currency = rate × one unit of `currency`). */
export interface CurrencyRates { currency: string; rates: Readonly<Record<string, number>> }

/**
 * A money value in major units of `to.currency`; null when its currency has no rate. The report
 * currency itself converts at 1 whatever the table says.
 */
export function convertMoney(money: Money, to: CurrencyRates): number | null {
  const major = money.amount / 10 ** currencyDigits(money.currency)
  if (money.currency === to.currency) return major
  const rate = to.rates[money.currency]
  return rate === undefined ? null : major * rate
}

/**
 * convertMoney for many values: each currency's factor (rate ÷ its minor units) is worked out
 * once, so a report over 100k deals looks a currency up instead of raising 10 to a power per deal.
 */
export function makeMoneyConverter(to: CurrencyRates): (money: Money) => number | null {
  const factors = new Map<string, number | null>()
  return (money) => {
    let factor = factors.get(money.currency)
    if (factor === undefined) {
      const rate = money.currency === to.currency ? 1 : to.rates[money.currency]
      factor = rate === undefined ? null : rate / 10 ** currencyDigits(money.currency)
      factors.set(money.currency, factor)
    }
    return factor === null ? null : money.amount * factor
  }
}

/** A stored money cell, or null for anything else. */
export function moneyOf(cell: unknown): Money | null {
  if (!cell || typeof cell !== 'object' || Array.isArray(cell)) return null
  const m = cell as Partial<Money>
  return typeof m.amount === 'number' && typeof m.currency === 'string' ? (m as Money) : null
}

/** A sum in major units rounded to the currency's minor unit (float sums of cents drift). */
export function roundMoney(value: number, currency: string): number {
  const scale = 10 ** currencyDigits(currency)
  return Math.round(value * scale) / scale
}
