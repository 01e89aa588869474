const digitsByCurrency = new Map<string, number>()

/** Minor-unit digits of an ISO 4217 currency as Intl knows them: EUR 2, JPY 0, KWD 3. */
export function currencyDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency)
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
    digitsByCurrency.set(currency, digits)
  }
  return digits
}

let knownCurrencies: Set<string> | undefined

/** Whether a three-letter code is a currency Intl knows (so `12 abc` is not read as money). */
export function isKnownCurrency(code: string): boolean {
  knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'))
  return knownCurrencies.has(code)
}

/** Integer minor units → exact decimal text with '.' (`123450`, 2 → `1234.50`). */
export function minorUnitsToDecimal(amount: number, digits: number): string {
  const sign = amount < 0 ? '-' : ''
  const units = String(Math.abs(amount)).padStart(digits + 1, '0')
  if (digits === 0) return `${sign}${units}`
  return `${sign}${units.slice(0, -digits)}.${units.slice(-digits)}`
}
