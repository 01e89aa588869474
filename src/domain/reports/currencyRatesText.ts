import { isKnownCurrency } from '../currencyDigits'
import { parseDecimalText } from '../parseDecimalText'

export type RatesReading = { ok: true; rates: Record<string, number> } | { ok: false; error: string }

/**
 * The rates table as an admin types it in Settings, one currency a line: `USD 0.92`, `GBP = 1,17`
 * (the locale's decimal comma too). An empty text is no rates; a refusal names the line and why.
 */
export function readCurrencyRatesText(text: string, locale: string): RatesReading {
  const rates: Record<string, number> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (line === '') continue
    const m = /^([A-Za-z]{3})(?:\s*[=:]\s*|\s+)(.+)$/.exec(line)
    if (!m) return { ok: false, error: `Line ${i + 1}: write a currency code and its rate, e.g. USD 0.92` }
    const code = m[1]!.toUpperCase()
    if (!isKnownCurrency(code)) return { ok: false, error: `Line ${i + 1}: ${code} is not an ISO 4217 currency code` }
    const read = parseDecimalText(m[2]!.trim(), locale)
    const rate = read && !read.negative ? Number(`${read.integer}.${read.fraction || '0'}e${read.exponent}`) : Number.NaN
    if (!(rate > 0) || !Number.isFinite(rate)) return { ok: false, error: `Line ${i + 1}: ${code}'s rate "${m[2]!.trim()}" is not a positive number` }
    if (code in rates) return { ok: false, error: `Line ${i + 1}: ${code} has a rate already` }
    rates[code] = rate
  }
  return { ok: true, rates }
}

/** The table as the text box shows it, currencies in order. */
export function currencyRatesText(rates: Readonly<Record<string, number>> | undefined): string {
  return Object.entries(rates ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([code, rate]) => `${code} ${rate}`).join('\n')
}
