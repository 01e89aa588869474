import { normalizeSpaces } from './normalizeSpaces'

/** A decimal number as the digits typed, so money can be converted to minor units exactly. */
export interface DecimalText {
  negative: boolean
  /** Integer digits without grouping and leading zeros ('0' when none). */
  integer: string
  /** Fraction digits as typed (may be ''). */
  fraction: string
  /** Power of ten from an `e` suffix (`1.5e3`); 0 when absent. */
  exponent: number
}

const decimalSeparators = new Map<string, '.' | ','>()

/** The locale's decimal separator; locales with another mark (e.g. Arabic '٫') count as '.'. */
export function localeDecimalSeparator(locale: string): '.' | ',' {
  let separator = decimalSeparators.get(locale)
  if (!separator) {
    const part = new Intl.NumberFormat(locale, { numberingSystem: 'latn' })
      .formatToParts(1.5).find((p) => p.type === 'decimal')
    separator = part?.value === ',' ? ',' : '.'
    decimalSeparators.set(locale, separator)
  }
  return separator
}

// After normalizeSpaces every kind of space is ' '. Apostrophes group in de-CH (1'234.50, ICU uses ’).
const SPACE_GROUP = ' '
const APOSTROPHES = /['’]/g

/**
 * Reads `1234.5`, `1,234.5`, `1.234,5`, `1 234,5`, `1'234.5`, `-.5`, `1.5e3`. The decimal
 * separator comes from the input when it is unambiguous (both marks present, a mark repeated,
 * not followed by exactly three digits, or spaces used for grouping); `1,234` and `1.234` are
 * decided by the locale. Groups after the first must have exactly three digits.
 */
export function parseDecimalText(input: string, locale: string): DecimalText | undefined {
  let text = normalizeSpaces(input).replace(/\u2212/g, '-').replace(APOSTROPHES, SPACE_GROUP)
  let negative = false
  if (/^[-+]/.test(text)) {
    negative = text.startsWith('-')
    text = text.slice(1).trimStart()
  }
  let exponent = 0
  const exp = /[eE]([-+]?\d{1,3})$/.exec(text)
  if (exp) {
    exponent = Number(exp[1])
    text = text.slice(0, exp.index)
  }
  if (!/^[\d., ]+$/.test(text) || !/\d/.test(text) || /^ | $/.test(text)) return undefined

  const decimalMark = decideDecimalMark(text, locale)
  const [integerPart = '', fraction = '', ...rest] = decimalMark ? text.split(decimalMark) : [text]
  if (rest.length > 0 || !/^\d*$/.test(fraction)) return undefined
  const integer = ungroup(integerPart)
  if (integer === undefined || (integer === '' && fraction === '')) return undefined
  return { negative, integer: integer.replace(/^0+(?=\d)/, '') || '0', fraction, exponent }
}

function decideDecimalMark(text: string, locale: string): '.' | ',' | undefined {
  const lastComma = text.lastIndexOf(',')
  const lastDot = text.lastIndexOf('.')
  if (lastComma >= 0 && lastDot >= 0) return lastComma > lastDot ? ',' : '.'
  const mark = lastComma >= 0 ? ',' : lastDot >= 0 ? '.' : undefined
  if (!mark) return undefined
  if (text.indexOf(mark) !== text.lastIndexOf(mark)) return undefined // repeated: grouping
  if (text.includes(SPACE_GROUP)) return mark // `1 234,5`: spaces group, so the mark is decimal
  const [before = '', after = ''] = text.split(mark)
  if (after.length !== 3) return mark
  // A group separator never follows a leading zero or more than three digits.
  if (before === '' || before.startsWith('0') || before.length > 3) return mark
  return localeDecimalSeparator(locale) === mark ? mark : undefined
}

/** Integer digits with optional thousands grouping by one kind of mark → plain digits. */
function ungroup(part: string): string | undefined {
  if (/^\d*$/.test(part)) return part
  const marks = new Set(part.replace(/\d/g, ''))
  if (marks.size !== 1) return undefined
  const [mark = ''] = marks
  const groups = part.split(mark)
  const [first = '', ...others] = groups
  if (!/^\d{1,3}$/.test(first) || !others.every((g) => /^\d{3}$/.test(g))) return undefined
  return groups.join('')
}

/** The number a DecimalText stands for, or undefined when it is not finite. */
export function decimalToNumber(d: DecimalText): number | undefined {
  const n = Number(`${d.negative ? '-' : ''}${d.integer}.${d.fraction || '0'}e${d.exponent}`)
  if (!Number.isFinite(n)) return undefined
  return n === 0 ? 0 : n // no -0 in stored values
}
