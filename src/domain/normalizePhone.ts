import { getCountries, isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js'
import { normalizeSpaces } from './normalizeSpaces'

export type PhoneParse =
  | { ok: true; value: string }
  | { ok: false; reason: 'letters' | 'notPhone' | 'tooFewDigits' | 'tooManyDigits' | 'noCountry' }
  /** Written with a country code that libphonenumber knows, but not a number of that country. */
  | { ok: false; reason: 'invalid'; callingCode: string }
  /** Written without a country code, and not a number of any of the countries tried. */
  | { ok: false; reason: 'notInCountries'; countries: CountryCode[] }

export const PHONE_MIN_DIGITS = 7
export const PHONE_MAX_DIGITS = 20

const EXTENSION = /^(.*?) ?(?:ext\.?|extension|x|#|;ext=) ?(\d{1,8})$/i
const PHONE_CHARS = /^\+?[\d ()./-]+$/

function supportedCountries(countries: readonly (string | undefined)[]): CountryCode[] {
  const known = countries.filter((c): c is CountryCode => !!c && isSupportedCountry(c))
  return [...new Set(known)]
}

/**
 * A phone number → E.164 (`+4930123456`, extension kept as ` ext. 12`). A number written without
 * a country code is read as a number of each of `countries` in turn (the member's country, then
 * the workspace's) and the first that fits wins. A number that cannot be made E.164 is refused
 * with the reason, never stored as typed: a national number stored raw dials nowhere from abroad
 * and cannot be matched against calls.
 */
export function normalizePhone(input: string, countries: readonly (string | undefined)[] = []): PhoneParse {
  const text = normalizeSpaces(input).replace(/^tel:/i, '')
  const ext = EXTENSION.exec(text)
  const main = ext ? (ext[1] ?? '') : text
  if (!PHONE_CHARS.test(main)) return { ok: false, reason: /\p{L}/u.test(text) ? 'letters' : 'notPhone' }
  const digits = main.replace(/\D/g, '').length
  if (digits < PHONE_MIN_DIGITS) return { ok: false, reason: 'tooFewDigits' }
  if (digits > PHONE_MAX_DIGITS) return { ok: false, reason: 'tooManyDigits' }
  const tried = supportedCountries(countries)
  const international = main.startsWith('+')
  for (const country of international || !tried.length ? [undefined] : tried) {
    const phone = parsePhoneNumberFromString(main, { defaultCountry: country, extract: false })
    if (phone?.isValid()) return { ok: true, value: ext ? `${phone.number} ext. ${ext[2]}` : phone.number }
    if (international) return phone ? { ok: false, reason: 'invalid', callingCode: phone.countryCallingCode } : { ok: false, reason: 'notPhone' }
  }
  return tried.length ? { ok: false, reason: 'notInCountries', countries: tried } : { ok: false, reason: 'noCountry' }
}

/** Stored phone → `+49 30 123456` when libphonenumber can read it, else the text as stored. */
export function formatPhone(value: string, defaultCountry?: string): string {
  const country = defaultCountry && isSupportedCountry(defaultCountry) ? defaultCountry : undefined
  const phone = parsePhoneNumberFromString(value, { defaultCountry: country })
  return phone?.isValid() ? phone.formatInternational() : value
}

/** The countries whose phone numbers can be read (ISO 3166 alpha-2), e.g. for a country picker. */
export function phoneCountries(): string[] {
  return getCountries()
}
