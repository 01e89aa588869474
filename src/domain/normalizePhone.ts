import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js'
import { normalizeSpaces } from './normalizeSpaces'

export type PhoneParse =
  | { ok: true; value: string }
  | { ok: false; reason: 'letters' | 'notPhone' | 'tooFewDigits' | 'tooManyDigits' }

export const PHONE_MIN_DIGITS = 7
export const PHONE_MAX_DIGITS = 20

const EXTENSION = /^(.*?) ?(?:ext\.?|extension|x|#|;ext=) ?(\d{1,8})$/i
const PHONE_CHARS = /^\+?[\d ()./-]+$/

/**
 * A phone number → E.164 (`+4930123456`, extension kept as ` ext. 12`) when libphonenumber can
 * place it, using `defaultCountry` for numbers without `+`. Numbers it cannot place but that look
 * like phone numbers (7–20 digits, the usual punctuation) are kept as typed: a wrong guess at the
 * country would be worse than an unformatted number.
 */
export function normalizePhone(input: string, defaultCountry?: string): PhoneParse {
  const text = normalizeSpaces(input).replace(/^tel:/i, '')
  const ext = EXTENSION.exec(text)
  const main = ext ? (ext[1] ?? '') : text
  if (!PHONE_CHARS.test(main)) return { ok: false, reason: /\p{L}/u.test(text) ? 'letters' : 'notPhone' }
  const digits = main.replace(/\D/g, '').length
  if (digits < PHONE_MIN_DIGITS) return { ok: false, reason: 'tooFewDigits' }
  if (digits > PHONE_MAX_DIGITS) return { ok: false, reason: 'tooManyDigits' }
  const country = defaultCountry && isSupportedCountry(defaultCountry) ? defaultCountry : undefined
  const phone = parsePhoneNumberFromString(main, { defaultCountry: country, extract: false })
  if (!phone?.isValid()) return { ok: true, value: text }
  return { ok: true, value: ext ? `${phone.number} ext. ${ext[2]}` : phone.number }
}

/** Stored phone → `+49 30 123456` when libphonenumber can read it, else the text as stored. */
export function formatPhone(value: string, defaultCountry?: string): string {
  const country = defaultCountry && isSupportedCountry(defaultCountry) ? defaultCountry : undefined
  const phone = parsePhoneNumberFromString(value, { defaultCountry: country })
  return phone?.isValid() ? phone.formatInternational() : value
}
