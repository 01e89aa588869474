import { describe, expect, test } from 'vitest'
import { validateFieldValue } from './validateFieldValue'
import type { ParseResult } from './parseFieldInput'
import type { FieldDef, FieldType } from './schema'

const field = (type: FieldType, label: string, extra: Partial<FieldDef> = {}): FieldDef =>
  ({ id: `f.${type}`, key: type, label, type, order: 0, ...extra })

function value(result: ParseResult): unknown {
  if (!result.ok) throw new Error(`expected a value, got refusal: ${result.error}`)
  return result.value
}
function refusal(result: ParseResult): string {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`)
  return result.error
}

const amount = field('money', 'Amount', { currency: 'EUR' })
const stage = field('select', 'Stage', { options: ['New', 'Won'] })
const tags = field('multiSelect', 'Tags', { options: ['Red', 'Green'] })
const company = field('link', 'Company', { linkEntity: 'companies' })
const contacts = field('link', 'Contacts', { linkEntity: 'contacts', multiple: true })

describe('validateFieldValue', () => {
  test('null and undefined are empty; required fields refuse them', () => {
    expect(validateFieldValue(field('text', 'Name'), null)).toEqual({ ok: true, value: null })
    expect(validateFieldValue(field('number', 'Stock'), undefined)).toEqual({ ok: true, value: null })
    expect(validateFieldValue(field('money', 'Amount', { required: true }), null)).toEqual({ ok: false, error: 'Amount is required' })
  })

  test('text: strings within limits, trimmed', () => {
    expect(value(validateFieldValue(field('text', 'Name'), '  Acme '))).toBe('Acme')
    expect(value(validateFieldValue(field('text', 'Name'), ''))).toBeNull()
    expect(refusal(validateFieldValue(field('text', 'Name'), 'a'.repeat(10_001)))).toMatch(/^Name: text is too long/)
    expect(value(validateFieldValue(field('longText', 'Notes'), 'a\nb'))).toBe('a\nb')
    expect(refusal(validateFieldValue(field('longText', 'Notes'), 'a'.repeat(100_001)))).toMatch(/^Notes: text is too long/)
    expect(refusal(validateFieldValue(field('text', 'Name'), 42))).toBe('Name: expected text, got 42')
    expect(refusal(validateFieldValue(field('text', 'Name'), ['a']))).toBe('Name: expected text, got a list')
  })

  test('number: finite numbers; strings are read in a neutral en-US locale', () => {
    const stock = field('number', 'Stock')
    expect(value(validateFieldValue(stock, 12.5))).toBe(12.5)
    expect(Object.is(value(validateFieldValue(stock, -0)), 0)).toBe(true)
    expect(value(validateFieldValue(stock, '1,234.5'))).toBe(1234.5)
    expect(refusal(validateFieldValue(stock, Number.NaN))).toBe('Stock: NaN is not a finite number (e.g. 1234.5)')
    expect(refusal(validateFieldValue(stock, Infinity))).toMatch(/^Stock: Infinity is not a finite number/)
    expect(refusal(validateFieldValue(stock, '12abc'))).toMatch(/^Stock: "12abc" is not a number/)
    expect(refusal(validateFieldValue(stock, true))).toBe('Stock: expected a number, got true')
    expect(refusal(validateFieldValue(stock, { n: 1 }))).toBe('Stock: expected a number, got an object')
    const probability = field('number', 'Probability %', { min: 0, max: 100 })
    expect(validateFieldValue(probability, 100)).toEqual({ ok: true, value: 100 })
    expect(refusal(validateFieldValue(probability, 150))).toBe('Probability %: 150 is out of range (must be between 0 and 100)')
    expect(refusal(validateFieldValue(probability, '150'))).toBe('Probability %: 150 is out of range (must be between 0 and 100)')
  })

  test('money: {amount: safe integer minor units, currency: ISO code}', () => {
    expect(value(validateFieldValue(amount, { amount: 123450, currency: 'EUR' }))).toEqual({ amount: 123450, currency: 'EUR' })
    expect(value(validateFieldValue(amount, { amount: -5, currency: 'XYZ', note: 'extra' }))).toEqual({ amount: -5, currency: 'XYZ' })
    expect(value(validateFieldValue(amount, '99.90 USD'))).toEqual({ amount: 9990, currency: 'USD' })
    expect(refusal(validateFieldValue(amount, { amount: 12.5, currency: 'EUR' }))).toBe(
      'Amount: amount must be a whole number of minor units (cents), got 12.5 ({"amount": 123450, "currency": "EUR"} for 1,234.50 EUR)')
    expect(refusal(validateFieldValue(amount, { amount: 2 ** 53, currency: 'EUR' }))).toMatch(/^Amount: amount must be a whole number/)
    expect(refusal(validateFieldValue(amount, { amount: '100', currency: 'EUR' }))).toMatch(/^Amount: amount must be a whole number .* got text "100"/)
    expect(refusal(validateFieldValue(amount, { amount: 100, currency: 'eur' }))).toMatch(/^Amount: currency must be a three-letter ISO code, got text "eur"/)
    expect(refusal(validateFieldValue(amount, { amount: 100 }))).toMatch(/^Amount: currency must be a three-letter ISO code, got nothing/)
    expect(refusal(validateFieldValue(amount, 12))).toMatch(/^Amount: expected an amount like \{"amount": 123450/)
    expect(refusal(validateFieldValue(amount, [1]))).toMatch(/^Amount: expected an amount like .* got a list$/)
  })

  test('date: a real YYYY-MM-DD only', () => {
    const closeDate = field('date', 'Close date')
    expect(value(validateFieldValue(closeDate, '2028-02-29'))).toBe('2028-02-29')
    for (const bad of ['2026-02-30', '2026-1-5', '11/27/2026', '2026-11-27T00:00:00Z', '20261127']) {
      expect(refusal(validateFieldValue(closeDate, bad))).toBe(`Close date: "${bad}" is not a real date in the form YYYY-MM-DD (e.g. 2026-11-27)`)
    }
    expect(refusal(validateFieldValue(closeDate, 20261127))).toMatch(/^Close date: expected a date like "2026-11-27", got 20261127/)
  })

  test('dateTime: ISO with a zone, normalised to UTC', () => {
    const due = field('dateTime', 'Due')
    expect(value(validateFieldValue(due, '2026-11-27T14:05:00.000Z'))).toBe('2026-11-27T14:05:00.000Z')
    expect(value(validateFieldValue(due, '2026-11-27T15:05+01:00'))).toBe('2026-11-27T14:05:00.000Z')
    expect(refusal(validateFieldValue(due, '2026-11-27T14:05'))).toBe('Due: "2026-11-27T14:05" is not an ISO date-time with a time zone (e.g. 2026-11-27T14:05:00.000Z)')
    expect(refusal(validateFieldValue(due, '2026-02-30T14:05Z'))).toMatch(/^Due: .* is not an ISO date-time/)
    expect(refusal(validateFieldValue(due, Date.UTC(2026, 0, 1)))).toMatch(/^Due: expected a date-time like/)
  })

  test('select and multiSelect: options, canonical spelling', () => {
    expect(value(validateFieldValue(stage, 'won'))).toBe('Won')
    expect(refusal(validateFieldValue(stage, 'Lost'))).toBe('Stage: "Lost" is not one of the options (choose from New, Won)')
    expect(refusal(validateFieldValue(stage, ['Won']))).toBe('Stage: expected one of the options as text, got a list')
    expect(value(validateFieldValue(tags, ['green', 'Red', 'GREEN']))).toEqual(['Green', 'Red'])
    expect(value(validateFieldValue(tags, 'red, green'))).toEqual(['Red', 'Green'])
    expect(value(validateFieldValue(tags, []))).toBeNull()
    expect(refusal(validateFieldValue(tags, ['Red', 'Blue']))).toMatch(/^Tags: "Blue" is not one of the options/)
    expect(refusal(validateFieldValue(tags, ['Red, Green']))).toBe('Tags: "Red, Green" is not one of the options (choose from Red, Green)')
    expect(value(validateFieldValue(tags, ['', ' ', 'Red']))).toEqual(['Red'])
    expect(refusal(validateFieldValue(tags, ['Red', 3]))).toBe('Tags: expected a list of options, got a list')
  })

  test('checkbox: booleans, 0/1 and the typed words', () => {
    const done = field('checkbox', 'Done')
    expect(value(validateFieldValue(done, true))).toBe(true)
    expect(value(validateFieldValue(done, 0))).toBe(false)
    expect(value(validateFieldValue(done, 'yes'))).toBe(true)
    expect(refusal(validateFieldValue(done, 2))).toBe('Done: expected true or false, got 2')
    expect(refusal(validateFieldValue(done, 'maybe'))).toMatch(/^Done: "maybe" is not yes or no/)
  })

  test('email, phone and url use their parsing rules', () => {
    expect(value(validateFieldValue(field('email', 'Email'), 'Bob@Example.com'))).toBe('Bob@example.com')
    expect(refusal(validateFieldValue(field('email', 'Email'), 'bob@'))).toBe('Email: "bob@" is not an email address (expected name@example.com)')
    expect(value(validateFieldValue(field('phone', 'Phone'), '+49 30 123456'))).toBe('+4930123456')
    expect(refusal(validateFieldValue(field('phone', 'Phone'), 'n/a'))).toMatch(/^Phone: "n\/a" is not a phone number: it contains letters/)
    expect(value(validateFieldValue(field('url', 'Website'), 'example.com'))).toBe('https://example.com')
    expect(refusal(validateFieldValue(field('url', 'Website'), 'javascript:alert(1)'))).toMatch(/^Website: .* is a javascript: link/)
  })

  test('link: record ids, a list when multiple', () => {
    expect(value(validateFieldValue(company, 'aB3_x-9'))).toBe('aB3_x-9')
    expect(refusal(validateFieldValue(company, 'has space'))).toBe('Company: text "has space" is not a record id (1–64 letters, digits, _ or -)')
    expect(refusal(validateFieldValue(company, 'x'.repeat(65)))).toMatch(/^Company: .* is not a record id/)
    expect(refusal(validateFieldValue(company, ['a']))).toBe('Company: expected a record id, got a list')
    expect(value(validateFieldValue(contacts, ['a', 'b', 'a']))).toEqual(['a', 'b'])
    expect(value(validateFieldValue(contacts, 'a, b'))).toEqual(['a', 'b'])
    expect(value(validateFieldValue(contacts, []))).toBeNull()
    expect(refusal(validateFieldValue(contacts, ['a', '']))).toMatch(/^Contacts: text "" is not a record id/)
    expect(refusal(validateFieldValue(contacts, ['a', 7]))).toBe('Contacts: 7 is not a record id (1–64 letters, digits, _ or -)')
    expect(refusal(validateFieldValue(contacts, { id: 'a' }))).toBe('Contacts: expected a list of record ids, got an object')
  })

  test('member: one token of at most 128 characters', () => {
    const owner = field('member', 'Owner')
    expect(value(validateFieldValue(owner, 'user:42@example'))).toBe('user:42@example')
    expect(refusal(validateFieldValue(owner, 'two words'))).toBe('Owner: "two words" is not a member id')
    expect(refusal(validateFieldValue(owner, 42))).toBe('Owner: expected a member id, got 42')
  })

  test('unknown field types are refused by name', () => {
    const odd = { ...field('text', 'Mystery'), type: 'rating' } as unknown as FieldDef
    expect(refusal(validateFieldValue(odd, 3))).toBe('Mystery: has an unknown field type "rating"')
  })
})
