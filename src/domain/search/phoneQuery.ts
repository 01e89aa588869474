import { getCountryCallingCode, isSupportedCountry } from 'libphonenumber-js'
import { normalizeSpaces } from '../normalizeSpaces'
import { normalizePhone } from '../normalizePhone'

/**
 * A query that may be (the start of) a phone number, as digits the stored E.164 numbers are
 * compared with (`+49301234567` is kept as `49301234567`):
 * - `exact`: the whole number, when libphonenumber reads it as one of the workspace's country;
 * - `prefixes`: how the stored number starts: `+49 30…`/`0049 30…` as typed, a national
 *   `030 12…` with the workspace's calling code in front of it, trunk 0 dropped or kept (Italy
 *   keeps it), so a number matches while it is being typed;
 * - `suffix`: a national number without its trunk 0s, which ends a stored number of any country:
 *   national and international forms meet, and `1234567` finds `+49301234567`.
 */
export interface PhoneQuery {
  exact?: string
  prefixes: string[]
  suffix?: string
}

const PHONE_TEXT = /^\+?[\d ()./-]+$/
/** Fewer digits are a number's start or a text's, not a phone's end. */
export const PHONE_SUFFIX_MIN_DIGITS = 4

/** The phone forms of a query, or null when it is no phone number (letters, too few digits). */
export function phoneQuery(query: string, defaultCountry?: string): PhoneQuery | null {
  const text = normalizeSpaces(query)
  if (!PHONE_TEXT.test(text)) return null
  const digits = text.replace(/\D/g, '')
  if (digits.length < 2) return null
  const country = defaultCountry && isSupportedCountry(defaultCountry) ? defaultCountry : undefined
  const parsed = normalizePhone(text, [country])
  const exact = parsed.ok ? parsed.value.replace(/ ext\. .*$/, '').replace(/\D/g, '') : undefined
  if (text.startsWith('+') || digits.startsWith('00')) {
    return { exact, prefixes: [text.startsWith('+') ? digits : digits.slice(2)] }
  }
  const national = digits.replace(/^0+/, '')
  const code = country ? getCountryCallingCode(country) : undefined
  const prefixes = code ? [...new Set([code + national, code + digits])] : []
  return { exact, prefixes, suffix: national.length >= PHONE_SUFFIX_MIN_DIGITS ? national : undefined }
}

/** A stored phone (`+49301234567 ext. 12`) as the digits queries are compared with: `49301234567`. */
export function phoneDigits(stored: string): string {
  const cut = stored.indexOf(' ext. ')
  return (cut < 0 ? stored : stored.slice(0, cut)).replace(/\D/g, '')
}
