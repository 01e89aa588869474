import { parseFieldInput, type ParseContext } from '../parseFieldInput'
import type { FieldDef, FieldType } from '../schema'

/** The types an unmapped column may become, most specific first: the first every sample reads as wins. */
const CANDIDATES: readonly FieldType[] = ['checkbox', 'email', 'date', 'dateTime', 'number', 'money', 'phone', 'url']
/** Text longer than this, or with a line break, makes a long text field. */
const LONG_TEXT_CHARS = 200
/** Samples looked at: enough to tell, few enough for a preview. */
export const GUESS_SAMPLES = 200

/**
 * The type a new custom field gets from a column's values (the import's "New custom field"):
 * the most specific type that the grid's own parser (parseFieldInput) reads every non-empty sample
 * as — `yes`/`no` a checkbox, `anna@x.io` an email, `27.11.2026` a date, `1 234,5` a number,
 * `1 234,50 €` money, `+49 30 1234567` a phone, `example.com` a URL — else text, or long text when
 * a value has a line break or is long. A number column reads as a phone only when it looks like
 * one (a leading `+` or brackets), so `42` stays a number.
 */
export function guessFieldType(samples: readonly string[], parse: ParseContext): FieldType {
  const values = samples.map((s) => s.trim()).filter((s) => s !== '').slice(0, GUESS_SAMPLES)
  if (!values.length) return 'text'
  if (values.some((v) => v.length > LONG_TEXT_CHARS || /[\r\n]/.test(v))) return 'longText'
  for (const type of CANDIDATES) {
    // a column of 1s and 0s counts something more often than it ticks
    if (type === 'checkbox' && values.every((v) => /^\d+$/.test(v))) continue
    if (type === 'phone' && !values.every((v) => /^[+(]/.test(v))) continue
    // a URL needs a dot and no space: plain words read as host names otherwise
    if (type === 'url' && !values.every((v) => /^\S+\.\S+$/.test(v))) continue
    // 2026 and 1.5 read as dates in some locales; a date column has separators between three parts
    if ((type === 'date' || type === 'dateTime') && !values.every((v) => /\d+\D+\d+\D+\d+/.test(v))) continue
    const field = probe(type)
    if (values.every((v) => parseFieldInput(field, v, parse).ok)) return type
  }
  return 'text'
}

function probe(type: FieldType): FieldDef {
  return { id: 'guess', key: 'guess', label: 'Guess', type, order: 0 }
}
