import { describe, expect, test } from 'vitest'
import { editTextFor, formatFieldValue } from './formatFieldValue'
import { parseFieldInput, type ParseContext } from './parseFieldInput'
import type { FieldDef, FieldType, FieldValue } from './schema'
import { seededRandom } from './seededRandom'

const field = (type: FieldType, label: string, extra: Partial<FieldDef> = {}): FieldDef =>
  ({ id: `f.${type}`, key: type, label, type, order: 0, ...extra })

const enUS: ParseContext = { locale: 'en-US' }
const enGB: ParseContext = { locale: 'en-GB' }
const deDE: ParseContext = { locale: 'de-DE', timeZone: 'Europe/Berlin' }
const members = [{ id: 'u1', name: 'Ann Lee' }, { id: 'u2', name: 'Bob Stone' }, { id: 'u3', name: 'Sam' }, { id: 'u4', name: 'sam' }]

const amount = field('money', 'Amount', { currency: 'EUR' })
const tags = field('multiSelect', 'Tags', { options: ['Red', 'Green', 'Blue', 'Smith, Jones & Co'] })

describe('formatFieldValue', () => {
  test('empty values are empty text', () => {
    for (const type of ['text', 'number', 'money', 'date', 'checkbox', 'link', 'member'] as const) {
      expect(formatFieldValue(field(type, 'F'), null, enUS)).toBe('')
      expect(formatFieldValue(field(type, 'F'), undefined, enUS)).toBe('')
    }
  })

  test('money in the locale, with the currency symbol', () => {
    const m = { amount: 123450, currency: 'EUR' }
    expect(formatFieldValue(amount, m, enUS)).toBe('€1,234.50')
    expect(formatFieldValue(amount, m, enGB)).toBe('€1,234.50')
    expect(formatFieldValue(amount, m, deDE)).toBe('1.234,50 €')
    expect(formatFieldValue(amount, { amount: -500, currency: 'USD' }, enUS)).toBe('-$5.00')
    expect(formatFieldValue(amount, { amount: 1234, currency: 'JPY' }, deDE)).toBe('1.234 ¥')
    expect(formatFieldValue(amount, { amount: 1234, currency: 'KWD' }, enUS)).toBe('KWD 1.234')
    // Exact for amounts a double cannot hold after division by 100.
    expect(formatFieldValue(amount, { amount: Number.MAX_SAFE_INTEGER, currency: 'EUR' }, enUS)).toBe('€90,071,992,547,409.91')
  })

  test('numbers in the locale without rounding away digits', () => {
    const n = field('number', 'Stock')
    expect(formatFieldValue(n, 1234567.125, enUS)).toBe('1,234,567.125')
    expect(formatFieldValue(n, 1234567.125, deDE)).toBe('1.234.567,125')
    expect(formatFieldValue(n, 1234.5, { locale: 'fr-FR' })).toBe('1 234,5') // U+202F in ICU, a plain space here
    expect(formatFieldValue(n, 0.1 + 0.2, enUS)).toBe('0.30000000000000004')
    expect(formatFieldValue(n, -0.000001, enUS)).toBe('-0.000001')
  })

  test("dates in the locale's numeric format", () => {
    const d = field('date', 'Close date')
    expect(formatFieldValue(d, '2026-11-07', enUS)).toBe('11/7/2026')
    expect(formatFieldValue(d, '2026-11-07', enGB)).toBe('07/11/2026')
    expect(formatFieldValue(d, '2026-11-07', deDE)).toBe('7.11.2026')
    expect(formatFieldValue(d, '1066-10-14', enGB)).toBe('14/10/1066')
    expect(formatFieldValue(d, '2026-11-07', { locale: 'th-TH' })).toBe('7/11/2026') // Gregorian, not Buddhist years
  })

  test('date-times in the locale and the context time zone', () => {
    const due = field('dateTime', 'Due')
    const v = '2026-11-27T14:05:00.000Z'
    expect(formatFieldValue(due, v, enUS)).toBe('11/27/2026, 2:05 PM') // ICU's U+202F before PM becomes a space
    expect(formatFieldValue(due, v, { locale: 'en-US', timeZone: 'America/New_York' })).toBe('11/27/2026, 9:05 AM')
    expect(formatFieldValue(due, v, enGB)).toBe('27/11/2026, 14:05')
    expect(formatFieldValue(due, v, deDE)).toBe('27.11.2026, 15:05')
  })

  test('checkbox, lists, links, members, phones', () => {
    expect(formatFieldValue(field('checkbox', 'Done'), true, enUS)).toBe('✓')
    expect(formatFieldValue(field('checkbox', 'Done'), false, enUS)).toBe('')
    expect(formatFieldValue(tags, ['Red', 'Smith, Jones & Co'], enUS)).toBe('Red, Smith, Jones & Co')
    expect(formatFieldValue(field('link', 'Contacts', { multiple: true }), ['c1', 'c2'], enUS)).toBe('c1, c2')
    expect(formatFieldValue(field('link', 'Company'), 'c1', enUS)).toBe('c1')
    expect(formatFieldValue(field('member', 'Owner'), 'u2', { locale: 'en-US', members })).toBe('Bob Stone')
    expect(formatFieldValue(field('member', 'Owner'), 'u9', { locale: 'en-US', members })).toBe('u9')
    expect(formatFieldValue(field('phone', 'Phone'), '+4930123456', enUS)).toBe('+49 30 123456')
    expect(formatFieldValue(field('phone', 'Phone'), '+12015550123 ext. 45', enUS)).toBe('+1 201 555 0123 ext. 45')
    expect(formatFieldValue(field('phone', 'Phone'), '030 / 123 456-7', enUS)).toBe('030 / 123 456-7')
    expect(formatFieldValue(field('url', 'Website'), 'https://example.com', enUS)).toBe('https://example.com')
    expect(formatFieldValue(field('email', 'Email'), 'bob@example.com', enUS)).toBe('bob@example.com')
  })

  test('values left over from an earlier field type still show', () => {
    expect(formatFieldValue(field('text', 'Name'), 1234.5, enUS)).toBe('1,234.5')
    expect(formatFieldValue(field('number', 'Stock'), 'twelve', enUS)).toBe('twelve')
    expect(formatFieldValue(field('date', 'Close date'), 'soon', enUS)).toBe('soon')
    expect(formatFieldValue(field('dateTime', 'Due'), 'later', enUS)).toBe('later')
    expect(formatFieldValue(field('text', 'Name'), { amount: 500, currency: 'EUR' }, deDE)).toBe('5,00 €')
    expect(formatFieldValue(field('text', 'Name'), true, enUS)).toBe('✓')
    expect(formatFieldValue(field('select', 'Stage'), ['a', 'b'], enUS)).toBe('a, b')
  })
})

describe('editTextFor', () => {
  test('texts an editor starts with', () => {
    expect(editTextFor(amount, { amount: 123450, currency: 'EUR' }, enUS)).toBe('1234.50')
    expect(editTextFor(amount, { amount: 123450, currency: 'EUR' }, deDE)).toBe('1234,50')
    expect(editTextFor(amount, { amount: 1000, currency: 'USD' }, enUS)).toBe('10.00 USD')
    expect(editTextFor(amount, { amount: -5, currency: 'EUR' }, enUS)).toBe('-0.05')
    expect(editTextFor(field('number', 'Stock'), 1234.5, deDE)).toBe('1234,5')
    expect(editTextFor(field('date', 'Close date'), '2026-11-27', enGB)).toBe('27/11/2026')
    expect(editTextFor(field('dateTime', 'Due'), '2026-11-27T14:05:00.000Z', enUS)).toBe('11/27/2026 2:05 PM')
    expect(editTextFor(field('dateTime', 'Due'), '2026-11-27T14:05:30.000Z', deDE)).toBe('27.11.2026 15:05:30')
    expect(editTextFor(field('dateTime', 'Due'), '2026-11-27T14:05:30.250Z', deDE)).toBe('2026-11-27T14:05:30.250Z')
    expect(editTextFor(field('checkbox', 'Done'), true, enUS)).toBe('yes')
    expect(editTextFor(field('checkbox', 'Done'), false, deDE)).toBe('nein')
    expect(editTextFor(field('member', 'Owner'), 'u1', { locale: 'en-US', members })).toBe('Ann Lee')
    expect(editTextFor(field('member', 'Owner'), 'u3', { locale: 'en-US', members })).toBe('u3') // name shared with u4
    expect(editTextFor(field('phone', 'Phone'), '+4930123456', enUS)).toBe('+49 30 123456')
    expect(editTextFor(tags, ['Blue', 'Red'], enUS)).toBe('Blue, Red')
    expect(editTextFor(field('text', 'Name'), null, enUS)).toBe('')
  })

  test('the repeated hour of an autumn DST change falls back to the exact UTC text', () => {
    const due = field('dateTime', 'Due')
    // 02:30 Berlin happens twice on 2026-10-25; the second one cannot be written as wall-clock time.
    expect(editTextFor(due, '2026-10-25T00:30:00.000Z', deDE)).toBe('25.10.2026 2:30')
    expect(editTextFor(due, '2026-10-25T01:30:00.000Z', deDE)).toBe('2026-10-25T01:30:00.000Z')
  })

  test('values that cannot be typed back still show their text', () => {
    expect(editTextFor(field('select', 'Stage', { options: ['New'] }), 'Retired', enUS)).toBe('Retired')
    expect(editTextFor(field('text', 'Name'), '  padded ', enUS)).toBe('  padded ')
  })
})

const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'de-CH', 'nl-NL', 'ja-JP', 'ko-KR', 'ar-EG', 'hi-IN', 'es-US', 'th-TH']
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham']
const CURRENCIES = ['EUR', 'USD', 'JPY', 'GBP', 'CHF', 'KWD', 'SEK']

function sampleValues(type: FieldType, rnd: () => number): FieldValue[] {
  const int = (max: number) => Math.floor(rnd() * max)
  const pick = <T,>(items: readonly T[]): T => items[int(items.length)] as T
  const magnitude = () => 10 ** (int(19) - 6)
  switch (type) {
    case 'number':
      return [int(1_000_000), -int(1000), Math.round(rnd() * 1e6) / 100, (rnd() - 0.5) * magnitude(), 1e21 * rnd(), 1e-7 * rnd(), 0.1 + 0.2, 1234, 1.234]
    case 'money':
      return [
        { amount: int(1e9) - 5e8, currency: pick(CURRENCIES) },
        { amount: int(Number.MAX_SAFE_INTEGER), currency: pick(CURRENCIES) },
        { amount: int(10_000), currency: 'EUR' },
        { amount: 1234, currency: pick(CURRENCIES) },
        { amount: 0, currency: 'EUR' },
      ]
    case 'date': {
      const ms = Date.UTC(1000, 0, 1) + rnd() * (Date.UTC(9999, 11, 31) - Date.UTC(1000, 0, 1))
      return [new Date(ms).toISOString().slice(0, 10), '2028-02-29', '2026-01-01']
    }
    case 'dateTime': {
      const ms = Date.UTC(1950, 0, 1) + rnd() * (Date.UTC(2100, 0, 1) - Date.UTC(1950, 0, 1))
      const minute = Math.floor(ms / 60_000) * 60_000
      return [new Date(minute).toISOString(), new Date(Math.floor(ms / 1000) * 1000).toISOString(), new Date(Math.floor(ms)).toISOString(),
        '2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z']
    }
    case 'select': return ['New', 'Proposal', 'Won']
    case 'multiSelect': return [['Red'], ['Smith, Jones & Co', 'Blue'], ['Green', 'Red', 'Smith, Jones & Co']]
    case 'checkbox': return [true, false]
    case 'email': return ['bob@example.com', 'Bob.Smith+crm@mail.example.co.uk', 'jürgen@müller.de']
    case 'phone':
      // Phones are stored as E.164 only; a national number stored by an older version shows as
      // stored but must be fixed when edited.
      return ['+4930123456', '+12015550123', '+442079460958 ext. 12']
    case 'url': return ['https://example.com', 'http://example.com/a?b=c#d', 'mailto:bob@example.com', 'tel:+4930123456']
    case 'text': return ['Acme GmbH', 'O’Brien, "quoted" & more', 'x'.repeat(10_000)]
    case 'longText': return ['Line 1\n  Line 2', 'single']
    case 'link': return ['c1', 'c2']
    case 'member': return ['u1', 'u2', 'u3', 'u4']
  }
}

describe('editTextFor round-trips through parseFieldInput', () => {
  const fields: FieldDef[] = [
    field('number', 'Stock'), amount, field('money', 'Price', { currency: 'JPY' }), field('date', 'Close date'), field('dateTime', 'Due'),
    field('select', 'Stage', { options: ['New', 'Proposal', 'Won'] }), tags, field('checkbox', 'Done'), field('email', 'Email'),
    field('phone', 'Phone'), field('url', 'Website'), field('text', 'Name'), field('longText', 'Notes'),
    field('link', 'Company', { linkEntity: 'companies' }), field('member', 'Owner'),
  ]
  const multiLink = field('link', 'Contacts', { linkEntity: 'contacts', multiple: true })

  test.each([1, 2, 3, 42, 2026])('seed %i', (seed) => {
    const rnd = seededRandom(seed).next
    for (const locale of LOCALES) {
      const ctx: ParseContext = {
        locale, timeZone: ZONES[Math.floor(rnd() * ZONES.length)], defaultCountry: [undefined, 'DE', 'US'][Math.floor(rnd() * 3)],
        workspaceCountry: [undefined, 'GB', 'JP'][Math.floor(rnd() * 3)], members,
        resolveLink: (_entity, text) => (/^c\d$/.test(text) ? text : undefined),
      }
      for (const f of fields) {
        for (const v of sampleValues(f.type, rnd)) {
          const text = editTextFor(f, v, ctx)
          expect(parseFieldInput(f, text, ctx), `${f.type} ${JSON.stringify(v)} in ${locale} ${ctx.timeZone} via ${JSON.stringify(text)}`)
            .toEqual({ ok: true, value: v })
        }
      }
      for (const v of [['c1'], ['c2', 'c1']]) {
        expect(parseFieldInput(multiLink, editTextFor(multiLink, v, ctx), ctx)).toEqual({ ok: true, value: v })
      }
    }
  })

  test('the friendly text is used where the locale allows, not the ISO fallback', () => {
    for (const locale of ['en-US', 'en-GB', 'de-DE']) {
      const ctx = { locale, timeZone: 'Europe/Berlin' }
      expect(editTextFor(field('dateTime', 'Due'), '2026-11-27T14:05:00.000Z', ctx)).not.toMatch(/Z$/)
      expect(editTextFor(field('date', 'Close date'), '2026-11-27', ctx)).not.toBe('2026-11-27')
    }
  })
})
