import type { Money } from '../schema'

/** One deal line as numbers: what dealLineInputs reads from a `deal_lines` row. */
export interface DealLineInput {
  id: string
  /** May have decimals (1.5 hours); empty counts as 0. */
  quantity: number | null
  /** Integer minor units and the currency; empty counts as 0 in the deal's currency. */
  unitPrice: Money | null
  /** 0–100; empty is no discount. */
  discountPct: number | null
  /** 0–100; empty is no tax. */
  taxPct: number | null
  /** The unit price already holds the tax (gross prices), else the tax is added on top. */
  taxIncluded: boolean
}

/** A line's amounts, in the currency's minor units. `net = gross − discount`; `total` is what the customer pays for it. */
export interface LineAmounts {
  id: string
  gross: number
  discount: number
  net: number
  tax: number
  total: number
  taxIncluded: boolean
}

/**
 * A deal's amounts in minor units: `subtotal` sums the lines' quantity × unit price, `discount`
 * their discounts, `tax` all their tax (included and added), `total` what the customer pays:
 * subtotal − discount + the added tax (`tax − taxIncluded`).
 */
export interface DealTotals {
  currency: string
  subtotal: number
  discount: number
  tax: number
  /** The part of `tax` already inside the prices of tax-included lines. */
  taxIncluded: number
  total: number
  lines: LineAmounts[]
}

export type DealTotalsResult = { ok: true; totals: DealTotals } | { ok: false; reason: string; lineId?: string }

const HUNDRED = 100n

/**
 * The deal's totals from its lines, exact in the currency's minor units: quantities and
 * percentages are read as the decimals they are written as (1.5, 19.6) and scaled to integers
 * (BigInt), so no float drift adds up over 200 lines. Rounding is per line, half up (half away
 * from zero, the commercial rounding of invoices): a line's gross, its discount, then its tax on
 * the rounded net, each rounded once to a minor unit; the deal sums the rounded line amounts, so
 * the lines printed on a quote add up to its total. Tax included in a price is
 * net × rate / (100 + rate). Lines whose prices name different currencies, or a currency other
 * than the deal's, are refused with the reason. `currency` is the deal's (its `currency` field),
 * else the lines' own.
 */
export function dealTotals(lines: readonly DealLineInput[], currency?: string): DealTotalsResult {
  let dealCurrency = currency
  for (const line of lines) {
    const c = line.unitPrice?.currency
    if (!c) continue
    if (dealCurrency === undefined) dealCurrency = c
    else if (c !== dealCurrency) {
      return { ok: false, lineId: line.id, reason: `a line is priced in ${c} and ${currency ? 'the deal is in' : 'another line in'} ${dealCurrency}: one deal adds up in one currency` }
    }
  }
  const totals: DealTotals = { currency: dealCurrency ?? 'EUR', subtotal: 0, discount: 0, tax: 0, taxIncluded: 0, total: 0, lines: [] }
  let subtotal = 0n
  let discount = 0n
  let tax = 0n
  let taxIncluded = 0n
  let total = 0n
  for (const line of lines) {
    const amounts = lineAmounts(line)
    if ('reason' in amounts) return { ok: false, lineId: line.id, reason: amounts.reason }
    subtotal += amounts.gross
    discount += amounts.discount
    tax += amounts.tax
    if (line.taxIncluded) taxIncluded += amounts.tax
    total += amounts.total
    totals.lines.push({
      id: line.id, gross: Number(amounts.gross), discount: Number(amounts.discount), net: Number(amounts.net),
      tax: Number(amounts.tax), total: Number(amounts.total), taxIncluded: line.taxIncluded,
    })
  }
  if (!isSafe(subtotal) || !isSafe(total) || !isSafe(tax) || !isSafe(discount)) return { ok: false, reason: 'the deal adds up to more money than can be stored' }
  totals.subtotal = Number(subtotal)
  totals.discount = Number(discount)
  totals.tax = Number(tax)
  totals.taxIncluded = Number(taxIncluded)
  totals.total = Number(total)
  return { ok: true, totals }
}

interface ExactLine { gross: bigint; discount: bigint; net: bigint; tax: bigint; total: bigint }

function lineAmounts(line: DealLineInput): ExactLine | { reason: string } {
  const quantity = scaled(line.quantity ?? 0)
  const discountPct = scaled(line.discountPct ?? 0)
  const taxPct = scaled(line.taxPct ?? 0)
  if (!quantity) return { reason: `the quantity ${line.quantity} is not a finite number` }
  if (!discountPct || discountPct.units < 0n || discountPct.units > HUNDRED * discountPct.scale) return { reason: `the discount ${line.discountPct} % is not between 0 and 100` }
  if (!taxPct || taxPct.units < 0n || taxPct.units > HUNDRED * taxPct.scale) return { reason: `the tax ${line.taxPct} % is not between 0 and 100` }
  const price = BigInt(line.unitPrice?.amount ?? 0)
  // quantity × price, before rounding: units / scale
  const exactGross = quantity.units * price
  const gross = divideHalfUp(exactGross, quantity.scale)
  const discount = divideHalfUp(exactGross * discountPct.units, quantity.scale * HUNDRED * discountPct.scale)
  const net = gross - discount
  const tax = line.taxIncluded
    ? divideHalfUp(net * taxPct.units, HUNDRED * taxPct.scale + taxPct.units)
    : divideHalfUp(net * taxPct.units, HUNDRED * taxPct.scale)
  return { gross, discount, net, tax, total: line.taxIncluded ? net : net + tax }
}

/** A finite number as the decimal it prints as (`1.5` → 15/10, `1e-7` → 1/10⁷): exact, unlike n × 10^k in floats. */
function scaled(n: number): { units: bigint; scale: bigint } | null {
  if (!Number.isFinite(n)) return null
  const [mantissa, exponentText] = String(n).toLowerCase().split('e') as [string, string | undefined]
  const [integer, fraction = ''] = mantissa.split('.') as [string, string | undefined]
  let exponent = Number(exponentText ?? 0) - fraction.length
  let units = BigInt(`${integer}${fraction}`)
  if (exponent > 0) {
    units *= 10n ** BigInt(exponent)
    exponent = 0
  }
  return { units, scale: 10n ** BigInt(-exponent) }
}

/** a / b rounded to the nearest integer, halves away from zero (b > 0). */
function divideHalfUp(a: bigint, b: bigint): bigint {
  const negative = a < 0n
  const abs = negative ? -a : a
  const q = (abs * 2n + b) / (2n * b)
  return negative ? -q : q
}

function isSafe(n: bigint): boolean {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER)
}
