import { describe, expect, test } from 'vitest'
import { parseFieldInput, type ParseContext, type ParseResult } from './parseFieldInput'
import type { FieldDef, FieldType } from './schema'

const field = (type: FieldType, label: string, extra: Partial<FieldDef> = {}): FieldDef =>
  ({ id: `f.${type}`, key: type, label, type, order: 0, ...extra })

const enUS: ParseContext = { locale: 'en-US' }
const enGB: ParseContext = { locale: 'en-GB' }
const deDE: ParseContext = { locale: 'de-DE', defaultCountry: 'DE', timeZone: 'Europe/Berlin' }

function value(result: ParseResult): unknown {
  if (!result.ok) throw new Error(`expected a value, got refusal: ${result.error}`)
  return result.value
}
function refusal(result: ParseResult): string {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`)
  return result.error
}

describe('empty input', () => {
  const types: FieldType[] = ['text', 'longText', 'number', 'money', 'date', 'dateTime', 'select', 'multiSelect', 'checkbox', 'email', 'phone', 'url', 'link', 'member']
  test.each(types)('%s: empty or whitespace → null', (type) => {
    for (const input of ['', '   ', '\t\n', '\u00a0']) {
      expect(parseFieldInput(field(type, 'Field'), input, enUS)).toEqual({ ok: true, value: null })
    }
  })
  test.each(types)('%s: required and empty → "<label> is required"', (type) => {
    expect(parseFieldInput(field(type, 'Close date', { required: true }), ' ', enUS)).toEqual({ ok: false, error: 'Close date is required' })
  })
  test('a multi-select of only separators is empty too', () => {
    const tags = field('multiSelect', 'Tags', { options: ['A'] })
    expect(value(parseFieldInput(tags, ' , ; ', enUS))).toBeNull()
    expect(refusal(parseFieldInput({ ...tags, required: true }, ',;', enUS))).toBe('Tags is required')
  })
})

describe('text and longText', () => {
  const name = field('text', 'Name')
  const notes = field('longText', 'Notes')

  test('text is trimmed, inner content kept', () => {
    expect(value(parseFieldInput(name, '  Acme  GmbH \n', enUS))).toBe('Acme  GmbH')
  })
  test('longText keeps newlines and indentation, drops leading blank lines and trailing space, normalises CRLF', () => {
    expect(value(parseFieldInput(notes, '\n \nLine 1\r\n  Line 2\r\n\n', enUS))).toBe('Line 1\n  Line 2')
  })
  test('length limits: 10 000 for text, 100 000 for longText', () => {
    expect(value(parseFieldInput(name, 'a'.repeat(10_000), enUS))).toHaveLength(10_000)
    const error = refusal(parseFieldInput(name, 'a'.repeat(10_001), enUS))
    expect(error).toBe('Name: text is too long (10,001 characters; at most 10,000)')
    expect(value(parseFieldInput(notes, 'a'.repeat(100_000), enUS))).toHaveLength(100_000)
    expect(refusal(parseFieldInput(notes, 'a'.repeat(100_001), enUS))).toMatch(/^Notes: text is too long .*at most 100,000/)
  })
})

describe('number', () => {
  const probability = field('number', 'Probability %')

  test.each([
    ['1234.5', enUS, 1234.5], ['1,234.5', enUS, 1234.5], ['1,234.5', enGB, 1234.5], ['1.234,5', deDE, 1234.5],
    ['1 234,5', deDE, 1234.5], ['1\u202f234,5', { locale: 'fr-FR' }, 1234.5], ['1\u00a0234,5', deDE, 1234.5],
    ['-12', enUS, -12], ['12%', enUS, 12], ['12,5 %', deDE, 12.5], ['0.25', enGB, 0.25],
    ['1,234', enUS, 1234], ['1,234', deDE, 1.234], ['1.234', deDE, 1234], ['1,5', enUS, 1.5],
  ] as const)('%j (%o) → %s', (input, ctx, expected) => {
    expect(value(parseFieldInput(probability, input, ctx))).toBe(expected)
  })

  test.each(['12abc', 'abc', 'NaN', 'Infinity', '-Infinity', '1e999', '1,2,3', '€12', '12%%', '1/2'])('refuses %j', (input) => {
    const error = refusal(parseFieldInput(probability, input, enUS))
    expect(error).toBe(`Probability %: "${input}" is not a number (e.g. 1,234.5 or 1 234,5)`)
  })
})

describe('number ranges', () => {
  const probability = field('number', 'Probability %', { min: 0, max: 100 })

  test('values inside min..max are kept, the bounds included', () => {
    for (const [input, expected] of [['0', 0], ['100', 100], ['55,5 %', 55.5]] as const) {
      expect(value(parseFieldInput(probability, input, deDE))).toBe(expected)
    }
  })

  test('a value outside is refused, naming the field and the range', () => {
    expect(refusal(parseFieldInput(probability, '150', enUS))).toBe('Probability %: 150 is out of range (must be between 0 and 100)')
    expect(refusal(parseFieldInput(probability, '-1', enUS))).toBe('Probability %: -1 is out of range (must be between 0 and 100)')
    expect(refusal(parseFieldInput(probability, '100,5', deDE))).toBe('Probability %: 100,5 is out of range (must be between 0 and 100)')
    expect(refusal(parseFieldInput(field('number', 'Stock', { min: 0 }), '-3', enUS))).toBe('Stock: -3 is out of range (must be at least 0)')
    expect(refusal(parseFieldInput(field('number', 'Tax %', { max: 50 }), '1,234', enUS))).toBe('Tax %: 1,234 is out of range (must be at most 50)')
  })
})

describe('money', () => {
  const amount = field('money', 'Amount', { currency: 'EUR' })
  const eur = (minor: number) => ({ amount: minor, currency: 'EUR' })

  test.each([
    ['1 234,50', deDE, eur(123450)], ['1,234.50', enUS, eur(123450)], ['1234', enUS, eur(123400)],
    ['1.234,50 €', deDE, eur(123450)], ['€1,234.50', enGB, eur(123450)], ['EUR 99.90', enUS, eur(9990)],
    ['-5', enUS, eur(-500)], ['-€5', enUS, eur(-500)], ['€ -5', enUS, eur(-500)], ['1,5', deDE, eur(150)],
    ['1,5', enUS, eur(150)], ['0,05', deDE, eur(5)], ['eur 10', enUS, eur(1000)], ['EUR99.90', enUS, eur(9990)],
    ['99.900', enUS, eur(9990)], // trailing zeros beyond the minor unit are harmless
    ['1,234', enUS, eur(123400)], ['1.234', deDE, eur(123400)], ['12,- €', deDE, eur(1200)], ['1.200,--', deDE, eur(120000)],
  ] as const)('%j (%o) → %o', (input, ctx, expected) => {
    expect(value(parseFieldInput(amount, input, ctx))).toEqual(expected)
  })

  test.each([
    ['$ 10', { amount: 1000, currency: 'USD' }], ['US$10', { amount: 1000, currency: 'USD' }],
    ['99.90 USD', { amount: 9990, currency: 'USD' }], ['£1,234.50', { amount: 123450, currency: 'GBP' }],
    ['¥1,234', { amount: 1234, currency: 'JPY' }], ['1234 JPY', { amount: 1234, currency: 'JPY' }],
    ['CHF 12.05', { amount: 1205, currency: 'CHF' }], ['KWD 1.234', { amount: 1234, currency: 'KWD' }],
    ['SEK 100', { amount: 10000, currency: 'SEK' }],
  ])('currency from the input: %j → %o', (input, expected) => {
    expect(value(parseFieldInput(amount, input, enUS))).toEqual(expected)
  })

  test('currency defaults to field.currency, then EUR', () => {
    expect(value(parseFieldInput(field('money', 'Price', { currency: 'USD' }), '10', enUS))).toEqual({ amount: 1000, currency: 'USD' })
    expect(value(parseFieldInput(field('money', 'Price', { currency: 'JPY' }), '1,234', enUS))).toEqual({ amount: 1234, currency: 'JPY' })
    expect(value(parseFieldInput(field('money', 'Price'), '10', enUS))).toEqual({ amount: 1000, currency: 'EUR' })
  })

  test('1,234 in a de-DE locale is 1.234 — more decimals than EUR allows', () => {
    expect(refusal(parseFieldInput(amount, '1,234', deDE))).toBe('Amount: "1,234" has more decimals than EUR allows (at most 2 decimals, e.g. 1.234,50)')
  })

  test('more decimals than the currency allows is refused, not rounded', () => {
    expect(refusal(parseFieldInput(amount, '12.345', enUS))).toBe('Amount: "12.345" has more decimals than EUR allows (at most 2 decimals, e.g. 1,234.50)')
    expect(refusal(parseFieldInput(amount, '¥12.5', enUS))).toBe('Amount: "¥12.5" has more decimals than JPY allows (no decimals, e.g. 1,234)')
  })

  test.each(['12abc', 'abc', '€', 'EUR', '1,2,3', '12 XYZ', 'ABC 12', '--5', '-€-5', '1e3', '12%', '€12€€'])('refuses %j', (input) => {
    expect(refusal(parseFieldInput(amount, input, enUS))).toBe(`Amount: "${input}" is not an amount of money (e.g. 1,234.50 or 1 234,50)`)
  })

  test('two different currencies are refused', () => {
    expect(refusal(parseFieldInput(amount, '€10 USD', enUS))).toMatch(/^Amount: "€10 USD" names two different currencies/)
    expect(value(parseFieldInput(amount, '€10 EUR', enUS))).toEqual(eur(1000))
  })

  test('amounts beyond safe integers are refused', () => {
    expect(refusal(parseFieldInput(amount, '99999999999999999', enUS))).toMatch(/^Amount: .* is too large an amount of money/)
    expect(value(parseFieldInput(amount, '90071992547409.91', enUS))).toEqual(eur(Number.MAX_SAFE_INTEGER))
  })
})

describe('date', () => {
  const closeDate = field('date', 'Close date')

  test.each([
    ['2026-11-27', enUS], ['2026-11-27', deDE], ['2026-11-27', enGB], ['11/27/2026', enUS], ['27/11/2026', enGB],
    ['27.11.2026', deDE], ['27.11.26', deDE], ['11/27/26', enUS], ['27-11-2026', enGB], [' 27. 11. 2026 ', deDE],
    ['2026/11/27', enGB], ['2026.11.27', deDE], ['2026-11-27T15:00:00Z', enUS], ['2026/11/27', { locale: 'ja-JP' }],
    ['2026. 11. 27.', { locale: 'ko-KR' }], ['27‏/11‏/2026', { locale: 'ar-EG' }],
  ] as const)('%j (%o) → 2026-11-27', (input, ctx) => {
    expect(value(parseFieldInput(closeDate, input, ctx))).toBe('2026-11-27')
  })

  test('single-digit days and months', () => {
    expect(value(parseFieldInput(closeDate, '3/7/2026', enUS))).toBe('2026-03-07')
    expect(value(parseFieldInput(closeDate, '3/7/2026', enGB))).toBe('2026-07-03')
    expect(value(parseFieldInput(closeDate, '2026-3-7', enGB))).toBe('2026-03-07')
  })

  test('leap years', () => {
    expect(value(parseFieldInput(closeDate, '2028-02-29', enUS))).toBe('2028-02-29')
    expect(value(parseFieldInput(closeDate, '29.02.2000', deDE))).toBe('2000-02-29')
    expect(refusal(parseFieldInput(closeDate, '29.02.1900', deDE))).toMatch(/is not a valid date/)
  })

  test('refusals name the field, say why, and show ISO and the locale format', () => {
    expect(refusal(parseFieldInput(closeDate, '31/02/2026', enUS))).toBe(
      'Close date: "31/02/2026" is not a valid date: a date with slashes is read as month/day/year in en-US, and there is no month 31 (use 2026-11-27 or 11/27/2026)')
    expect(refusal(parseFieldInput(closeDate, '31/02/2026', enGB))).toBe('Close date: "31/02/2026" is not a valid date: February 2026 has 28 days (use 2026-11-27 or 27/11/2026)')
    expect(refusal(parseFieldInput(closeDate, '31.02.2026', deDE))).toBe('Close date: "31.02.2026" is not a valid date: February 2026 has 28 days (use 2026-11-27 or 27.11.2026)')
    expect(refusal(parseFieldInput(closeDate, '31.02.2026', enUS))).toBe('Close date: "31.02.2026" is not a valid date: February 2026 has 28 days (use 2026-11-27 or 11/27/2026)')
    expect(refusal(parseFieldInput(closeDate, '12.27.2026', enUS))).toBe(
      'Close date: "12.27.2026" is not a valid date: a date with dots is read as day.month.year, and there is no month 27 (use 2026-11-27 or 11/27/2026)')
    expect(refusal(parseFieldInput(closeDate, '0999-01-01', enUS))).toBe('Close date: "0999-01-01" is not a valid date: the year must be between 1000 and 9999 (use 2026-11-27 or 11/27/2026)')
  })

  test.each(['2026-02-30', '2026-13-01', '2026-00-10', '27/11/2026', '0999-01-01', '10000-01-01', '1/2/345', 'tomorrow', '27.11', '2026-11-27x', '11/27/2026 14:00', '27.11/2026'])(
    'refuses %j in en-US', (input) => {
      expect(refusal(parseFieldInput(closeDate, input, enUS))).toMatch(/^Close date: ".*" is not a valid date(: [^(]+)? \(use 2026-11-27 or 11\/27\/2026\)$/)
    },
  )
})

describe('dateTime', () => {
  const due = field('dateTime', 'Due')
  const berlin: ParseContext = { locale: 'de-DE', timeZone: 'Europe/Berlin' }
  const newYork: ParseContext = { locale: 'en-US', timeZone: 'America/New_York' }

  test.each([
    ['2026-11-27T14:05:00.000Z', enUS, '2026-11-27T14:05:00.000Z'],
    ['2026-11-27T14:05Z', berlin, '2026-11-27T14:05:00.000Z'],
    ['2026-11-27T15:05:00+01:00', newYork, '2026-11-27T14:05:00.000Z'],
    ['2026-11-27T09:05-0500', enUS, '2026-11-27T14:05:00.000Z'],
    ['2026-11-27T19:35+05:30', enUS, '2026-11-27T14:05:00.000Z'],
    ['2026-11-27T14:05:30.123456Z', enUS, '2026-11-27T14:05:30.123Z'],
    ['2026-11-27 14:05', enUS, '2026-11-27T14:05:00.000Z'], // no zone in the context: UTC
    ['2026-11-27 14:05', berlin, '2026-11-27T13:05:00.000Z'],
    ['2026-11-27T14:05', newYork, '2026-11-27T19:05:00.000Z'],
    ['2026-07-01 14:05', berlin, '2026-07-01T12:05:00.000Z'], // summer time
    ['27.11.2026 14:05', berlin, '2026-11-27T13:05:00.000Z'],
    ['27.11.2026, 14:05:30', berlin, '2026-11-27T13:05:30.000Z'],
    ['11/27/2026 2:05 PM', newYork, '2026-11-27T19:05:00.000Z'],
    ['11/27/2026, 2:05\u202fPM', newYork, '2026-11-27T19:05:00.000Z'],
    ['11/27/2026 2pm', enUS, '2026-11-27T14:00:00.000Z'],
    ['11/27/2026 12:30 a.m.', enUS, '2026-11-27T00:30:00.000Z'],
    ['11/27/2026 12:30 PM', enUS, '2026-11-27T12:30:00.000Z'],
    ['27/11/2026 14:05', enGB, '2026-11-27T14:05:00.000Z'],
    ['27/11/2026', { locale: 'en-GB', timeZone: 'Europe/London' }, '2026-11-27T00:00:00.000Z'],
    ['2026-11-27', berlin, '2026-11-26T23:00:00.000Z'], // a date alone is midnight in the zone
    ['27.11.2026', berlin, '2026-11-26T23:00:00.000Z'],
  ] as const)('%j (%o) → %s', (input, ctx, expected) => {
    expect(value(parseFieldInput(due, input, ctx))).toBe(expected)
  })

  test('wall-clock times in a DST gap move forward', () => {
    expect(value(parseFieldInput(due, '29.03.2026 02:30', berlin))).toBe('2026-03-29T01:30:00.000Z')
  })

  test.each([
    ['2026-11-27 25:00', ': "25:00" is not a time of day'],
    ['2026-11-27 14:60', ': "14:60" is not a time of day'],
    ['2026-02-30 10:00', ': February 2026 has 28 days'],
    ['31.04.2026 10:00', ': April 2026 has 30 days'],
    ['11/27/2026 13:00 PM', ': a date with slashes is read as day/month/year in de-DE, and there is no month 27'],
    ['27/11/2026 13:00 PM', ': "13:00 PM" is not a time of day'],
    ['27.11.2026 14', ': "14" is not a time of day'],
    ['soon', ''],
    ['2026-11-27T14:05+25:00', ': the time zone offset is not valid (use Z or +01:00)'],
    ['14:05', ''],
  ])('refuses %j, saying why', (input, why) => {
    const error = refusal(parseFieldInput(due, input, berlin))
    expect(error).toBe(`Due: "${input}" is not a valid date and time${why} (use 2026-11-27 14:05 or 27.11.2026 14:05)`)
  })

  test('dotted dates with a time are day.month.year in every locale (en-US too)', () => {
    expect(value(parseFieldInput(due, '03.12.2026 15:00', enUS))).toBe('2026-12-03T15:00:00.000Z')
    expect(value(parseFieldInput(due, '03.12.2026 15:00', newYork))).toBe('2026-12-03T20:00:00.000Z')
    expect(value(parseFieldInput(due, '27.12.2026', enUS))).toBe('2026-12-27T00:00:00.000Z')
    expect(value(parseFieldInput(due, '03/12/2026 3:00 PM', enUS))).toBe('2026-03-12T15:00:00.000Z')
  })
})

describe('select', () => {
  const stage = field('select', 'Stage', { options: ['New', 'Qualified', 'Proposal', 'Won', 'Lost'] })

  test('matches options ignoring case and spacing, stores the canonical spelling', () => {
    expect(value(parseFieldInput(stage, 'qualified', enUS))).toBe('Qualified')
    expect(value(parseFieldInput(stage, '  WON ', deDE))).toBe('Won')
    expect(value(parseFieldInput(field('select', 'Unit', { options: ['per  hour'] }), 'Per Hour', enUS))).toBe('per  hour')
  })

  test('refusal lists the options', () => {
    expect(refusal(parseFieldInput(stage, 'Maybe', enUS))).toBe('Stage: "Maybe" is not one of the options (choose from New, Qualified, Proposal, Won, Lost)')
  })

  test('long option lists are truncated in the message', () => {
    const options = Array.from({ length: 20 }, (_, i) => `Option ${i + 1}`)
    const error = refusal(parseFieldInput(field('select', 'Region', { options }), 'Mars', enUS))
    expect(error).toBe('Region: "Mars" is not one of the options (choose from Option 1, Option 2, Option 3, Option 4, Option 5, Option 6, Option 7, Option 8, … (12 more))')
  })

  test('a select without options says so', () => {
    expect(refusal(parseFieldInput(field('select', 'Kind'), 'x', enUS))).toBe('Kind: "x" is not one of the options (this field has no options yet)')
  })
})

describe('multiSelect', () => {
  const tags = field('multiSelect', 'Tags', { options: ['Red', 'Green', 'Blue', 'Smith, Jones & Co'] })

  test('splits on , and ;, keeps typed order, dedupes, canonical spelling', () => {
    expect(value(parseFieldInput(tags, 'blue, red;GREEN', enUS))).toEqual(['Blue', 'Red', 'Green'])
    expect(value(parseFieldInput(tags, 'Red, red ,RED', enUS))).toEqual(['Red'])
    expect(value(parseFieldInput(tags, ' ,Blue,, ', enUS))).toEqual(['Blue'])
  })

  test('options containing a comma are matched whole', () => {
    expect(value(parseFieldInput(tags, 'smith, jones & co, Red', enUS))).toEqual(['Smith, Jones & Co', 'Red'])
    expect(value(parseFieldInput(tags, 'Red; Smith, Jones & Co', enUS))).toEqual(['Red', 'Smith, Jones & Co'])
  })

  test('refusals name every unknown part and list the options', () => {
    expect(refusal(parseFieldInput(tags, 'Red, Pink', enUS))).toBe('Tags: "Pink" is not one of the options (choose from Red, Green, Blue, Smith, Jones & Co)')
    expect(refusal(parseFieldInput(tags, 'Pink; Teal, Red', enUS))).toBe('Tags: "Pink", "Teal" are not options (choose from Red, Green, Blue, Smith, Jones & Co)')
  })
})

describe('checkbox', () => {
  const done = field('checkbox', 'Done')
  test.each(['true', 'TRUE', 'yes', 'Y', '1', 'x', 'X', 'on', '✓', '✔', 'ja', 'Ja'])('%j → true', (input) => {
    expect(value(parseFieldInput(done, input, enUS))).toBe(true)
  })
  test.each(['false', 'no', 'N', '0', 'off', 'Nein', 'NO'])('%j → false', (input) => {
    expect(value(parseFieldInput(done, input, deDE))).toBe(false)
  })
  test.each(['maybe', '2', 'yes no', '-'])('refuses %j', (input) => {
    expect(refusal(parseFieldInput(done, input, enUS))).toBe(`Done: "${input}" is not yes or no (use yes/no, true/false, 1/0 or x)`)
  })
})

describe('email', () => {
  const email = field('email', 'Email')

  test.each([
    ['bob@example.com', 'bob@example.com'], ['Bob.Smith@Example.COM', 'Bob.Smith@example.com'],
    [' bob+crm@mail.example.co.uk ', 'bob+crm@mail.example.co.uk'], ['mailto:bob@example.com', 'bob@example.com'],
    ['Bob Smith <bob@Example.com>', 'bob@example.com'], ['jürgen@müller.de', 'jürgen@müller.de'],
    ['a@xn--mller-kva.de', 'a@xn--mller-kva.de'], ["o'brien@example.ie", "o'brien@example.ie"],
  ])('%j → %j', (input, expected) => {
    expect(value(parseFieldInput(email, input, enUS))).toBe(expected)
  })

  test.each(['bob@', 'bob', '@example.com', 'bob@example', 'bob@@example.com', 'bob smith@example.com', 'bob@exa mple.com', 'bob@example.c',
    'bob@-example.com', 'bob@example..com', '.bob@example.com', 'bob.@example.com', 'bo..b@example.com', 'bob@example.com.', 'a<b@example.com',
  ])('refuses %j', (input) => {
    expect(refusal(parseFieldInput(email, input, enUS))).toBe(`Email: "${input}" is not an email address (expected name@example.com)`)
  })

  test('at most 254 characters', () => {
    const long = `${'a'.repeat(60)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.com`
    expect(long.length).toBe(247)
    expect(value(parseFieldInput(email, long, enUS))).toBe(long)
    const tooLong = `${'a'.repeat(60)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`
    expect(refusal(parseFieldInput(email, tooLong, enUS))).toMatch(/^Email: ".*…" is too long for an email address \(at most 254 characters\)$/)
  })
})

describe('phone', () => {
  const phone = field('phone', 'Phone')

  test('numbers libphonenumber can place become E.164', () => {
    expect(value(parseFieldInput(phone, '030 123456', deDE))).toBe('+4930123456')
    expect(value(parseFieldInput(phone, '+49 30 123456', enUS))).toBe('+4930123456')
    expect(value(parseFieldInput(phone, '0049 30 1234567', deDE))).toBe('+49301234567')
    expect(value(parseFieldInput(phone, '(201) 555-0123', { locale: 'en-US', defaultCountry: 'US' }))).toBe('+12015550123')
    expect(value(parseFieldInput(phone, '+44 20 7946 0958', enGB))).toBe('+442079460958')
    expect(value(parseFieldInput(phone, 'tel:+4930123456', enUS))).toBe('+4930123456')
    expect(value(parseFieldInput(phone, '+49 (0)30 123456', enUS))).toBe('+4930123456')
    expect(value(parseFieldInput(phone, '+49 30 123456', { locale: 'en-US', defaultCountry: 'US' }))).toBe('+4930123456')
  })

  test('extensions are kept after the E.164 number', () => {
    expect(value(parseFieldInput(phone, '030 1234567 ext. 12', deDE))).toBe('+49301234567 ext. 12')
    expect(value(parseFieldInput(phone, '+1 201 555 0123 x45', enUS))).toBe('+12015550123 ext. 45')
    expect(value(parseFieldInput(phone, '+12015550123 ext. 45', enUS))).toBe('+12015550123 ext. 45')
  })

  test("national numbers: the member's country first, then the workspace's; always E.164", () => {
    const usMemberDeWorkspace: ParseContext = { locale: 'en-US', defaultCountry: 'US', workspaceCountry: 'DE' }
    expect(value(parseFieldInput(phone, '030 1234567', usMemberDeWorkspace))).toBe('+49301234567')
    expect(value(parseFieldInput(phone, '(201) 555-0123', usMemberDeWorkspace))).toBe('+12015550123')
    expect(value(parseFieldInput(phone, '030 / 123 456-7', { locale: 'en', workspaceCountry: 'DE' }))).toBe('+49301234567')
    expect(value(parseFieldInput(phone, '(0)30 1234567 x 9', { locale: 'de', workspaceCountry: 'DE' }))).toBe('+49301234567 ext. 9')
  })

  test('a number that cannot be made E.164 is refused with the reason, never stored as typed', () => {
    expect(refusal(parseFieldInput(phone, '030 1234567', { locale: 'en-US', defaultCountry: 'US', workspaceCountry: 'US' }))).toBe(
      'Phone: "030 1234567" is not a phone number in United States: add the country code, e.g. +1 201 555 0123 or +49 30 1234567')
    expect(refusal(parseFieldInput(phone, '030 1234567', { locale: 'en-US', defaultCountry: 'US', workspaceCountry: 'GB' }))).toMatch(
      /^Phone: "030 1234567" is not a phone number in United States or United Kingdom: add the country code/)
    expect(refusal(parseFieldInput(phone, '030 / 123 456-7', enUS))).toBe(
      'Phone: "030 / 123 456-7" has no country code and no country is set for this workspace: add the country code, e.g. +1 201 555 0123 or +49 30 1234567 (admins set the workspace\'s country in Settings)')
    expect(refusal(parseFieldInput(phone, '030 123456', { locale: 'de-DE', defaultCountry: 'XX' }))).toMatch(/has no country code and no country is set/)
    expect(refusal(parseFieldInput(phone, '+1 555 0100 123', enUS))).toMatch(/^Phone: "\+1 555 0100 123" is not a valid phone number with the country code \+1 \(check the digits/)
  })

  test('refusals: letters, too few or too many digits, other characters', () => {
    expect(refusal(parseFieldInput(phone, 'call me', deDE))).toBe('Phone: "call me" is not a phone number: it contains letters (e.g. +49 30 1234567 or (201) 555-0123)')
    expect(refusal(parseFieldInput(phone, '1-800-FLOWERS', deDE))).toMatch(/^Phone: "1-800-FLOWERS" is not a phone number: it contains letters/)
    expect(refusal(parseFieldInput(phone, '12345', deDE))).toBe('Phone: "12345" has too few digits for a phone number (e.g. +49 30 1234567 or (201) 555-0123)')
    expect(refusal(parseFieldInput(phone, '+1 2345 6789 0123 4567 8901', deDE))).toMatch(/^Phone: ".*" has too many digits for a phone number/)
    expect(refusal(parseFieldInput(phone, '030 * 123456', deDE))).toMatch(/^Phone: "030 \* 123456" is not a phone number \(e\.g\./)
    expect(refusal(parseFieldInput(phone, '030+123456', deDE))).toMatch(/^Phone: .* is not a phone number/)
  })
})

describe('url', () => {
  const website = field('url', 'Website')

  test.each([
    ['example.com', 'https://example.com'], ['www.example.com/pricing?x=1#top', 'https://www.example.com/pricing?x=1#top'],
    ['http://example.com', 'http://example.com'], ['HTTPS://Example.com/A', 'https://Example.com/A'],
    ['https://intranet', 'https://intranet'], ['example.com:8080/x', 'https://example.com:8080/x'],
    ['localhost:3000', 'https://localhost:3000'], ['müller.de', 'https://müller.de'], ['192.168.0.1/admin', 'https://192.168.0.1/admin'],
    ['mailto:bob@example.com', 'mailto:bob@example.com'], ['tel:+4930123456', 'tel:+4930123456'], ['sip:bob@example.com', 'sip:bob@example.com'],
    ['MAILTO:bob@example.com', 'mailto:bob@example.com'],
  ])('%j → %j', (input, expected) => {
    expect(value(parseFieldInput(website, input, enUS))).toBe(expected)
  })

  test.each(['exa mple.com', 'hello', '1.5', 'https://', 'http://exa mple.com', 'example', 'mailto:', 'mailto:bob', 'tel:abc', 'example.c', '-example.com', 'https://exa<mple.com'])(
    'refuses %j', (input) => {
      expect(refusal(parseFieldInput(website, input, enUS))).toBe(`Website: "${input}" is not a web address (e.g. example.com or https://example.com/page)`)
    },
  )

  test.each([['javascript:alert(1)', 'javascript'], ['ftp://example.com', 'ftp'], ['data:text/html,x', 'data'], ['file:///etc/passwd', 'file']])(
    'refuses the %j scheme', (input, scheme) => {
      expect(refusal(parseFieldInput(website, input, enUS))).toBe(`Website: "${input}" is a ${scheme}: link, which is not allowed (use https://…, mailto:, tel: or sip:)`)
    },
  )

  test('at most 2048 characters', () => {
    expect(refusal(parseFieldInput(website, `example.com/${'a'.repeat(2048)}`, enUS))).toMatch(/^Website: ".*" is too long for a web address/)
  })
})

describe('link', () => {
  const records: Record<string, string> = { acme: 'c1', 'globex corp': 'c2', 'acme, inc.': 'c3', c1: 'c1', c2: 'c2' }
  const calls: [string, string][] = []
  const ctx: ParseContext = {
    locale: 'en-US',
    resolveLink: (entityId, text) => {
      calls.push([entityId, text])
      return records[text.toLowerCase()]
    },
  }
  const company = field('link', 'Company', { linkEntity: 'companies' })
  const contacts = field('link', 'Contacts', { linkEntity: 'companies', multiple: true })

  test('single link: the whole text is one record name, resolved against the link entity', () => {
    calls.length = 0
    expect(value(parseFieldInput(company, ' Acme ', ctx))).toBe('c1')
    expect(calls).toEqual([['companies', 'Acme']])
    expect(value(parseFieldInput(company, 'Acme, Inc.', ctx))).toBe('c3')
    expect(value(parseFieldInput(company, 'c2', ctx))).toBe('c2')
  })

  test('multiple links: split on , and ;, deduped, always a list', () => {
    expect(value(parseFieldInput(contacts, 'Acme; Globex Corp, c1', ctx))).toEqual(['c1', 'c2'])
    expect(value(parseFieldInput(contacts, 'globex corp', ctx))).toEqual(['c2'])
  })

  test('unresolved names are refused with the entity named', () => {
    expect(refusal(parseFieldInput(company, 'Initech', ctx))).toBe('Company: no Companies record named "Initech" (type a name as shown in Companies)')
    expect(refusal(parseFieldInput(contacts, 'Initech, Acme, Hooli', ctx))).toBe('Contacts: no Companies record named "Initech" or "Hooli" (type a name as shown in Companies)')
  })

  test('a name several records share is refused, never picked silently', () => {
    const twoAcme: ParseContext = { locale: 'en-US', resolveLink: (_e, text) => (text === 'Acme GmbH' ? { many: 2 } : undefined) }
    expect(refusal(parseFieldInput(company, 'Acme GmbH', twoAcme))).toBe('Company: 2 companies are named \u201cAcme GmbH\u201d \u2014 pick one from the list')
  })

  test('without a resolver nothing can be linked', () => {
    expect(refusal(parseFieldInput(company, 'Acme', enUS))).toMatch(/^Company: no Companies record named "Acme"/)
  })
})

describe('member', () => {
  const owner = field('member', 'Owner')
  const members = [{ id: 'u1', name: 'Ann Lee' }, { id: 'u2', name: 'Bob Stone' }, { id: 'u3', name: 'Sam' }, { id: 'u4', name: 'sam' }]
  const ctx: ParseContext = { locale: 'en-US', members }

  test('by id or by name, ignoring case and spacing', () => {
    expect(value(parseFieldInput(owner, 'u2', ctx))).toBe('u2')
    expect(value(parseFieldInput(owner, 'ann lee', ctx))).toBe('u1')
    expect(value(parseFieldInput(owner, '  BOB   STONE ', ctx))).toBe('u2')
  })

  test('unknown and ambiguous names are refused', () => {
    expect(refusal(parseFieldInput(owner, 'Zed', ctx))).toBe('Owner: no member named "Zed" (members: Ann Lee, Bob Stone, Sam, sam)')
    expect(refusal(parseFieldInput(owner, 'SAM', ctx))).toBe('Owner: "SAM" names several members (use the member\'s id)')
    expect(refusal(parseFieldInput(owner, 'Ann', enUS))).toBe('Owner: no member named "Ann" (this workspace has no members yet)')
  })
})

describe('context', () => {
  test('a malformed locale falls back to en-US instead of throwing', () => {
    const closeDate = field('date', 'Close date')
    expect(value(parseFieldInput(closeDate, '11/27/2026', { locale: 'not a locale!' }))).toBe('2026-11-27')
    expect(value(parseFieldInput(closeDate, '27.11.2026', { locale: 'de_DE' }))).toBe('2026-11-27')
  })

  test('long inputs are shortened in messages', () => {
    const error = refusal(parseFieldInput(field('number', 'Stock'), 'x'.repeat(500), enUS))
    expect(error).toBe(`Stock: "${'x'.repeat(59)}…" is not a number (e.g. 1,234.5 or 1 234,5)`)
  })
})
