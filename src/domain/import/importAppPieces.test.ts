import { describe, expect, it } from 'vitest'
import { readCsvBytes } from './csvByteReader'
import { guessFieldType } from './guessFieldType'
import { matchImportColumns } from './matchImportColumns'
import { explicitMapping, isRememberedMapping, isRememberedMappingKey, rememberedMappingKey } from './rememberedMapping'
import { refusedRowsCsv } from './refusedRowsCsv'
import { defaultSchema } from '../defaultSchema'
import type { ParseContext } from '../parseFieldInput'

const en: ParseContext = { locale: 'en-US', defaultCountry: 'US', timeZone: 'UTC' }
const de: ParseContext = { locale: 'de-DE', defaultCountry: 'DE', timeZone: 'UTC' }

describe('guessFieldType', () => {
  it.each([
    [['yes', 'no', 'Yes'], 'checkbox'],
    [['anna@x.io', 'BOB@y.org'], 'email'],
    [['27.11.2026', '1.2.2025'], 'date'],
    [['2026-11-27', '2025-01-02'], 'date'],
    [['42', '7', '1,234.5'], 'number'],
    [['1', '0', '1'], 'number'],
    [['$1,234.50', '€ 12'], 'money'],
    [['+49 30 1234567', '+1 201 555 0123'], 'phone'],
    [['example.com', 'https://kanso.app/x'], 'url'],
    [['Acme', 'Globex'], 'text'],
    [['a\nb', 'c'], 'longText'],
    [[], 'text'],
    [['', '  '], 'text'],
  ])('%j → %s', (samples, type) => {
    expect(guessFieldType(samples, en)).toBe(type)
  })
  it('reads money and dates as the grid does in the member\'s locale', () => {
    expect(guessFieldType(['1 234,50 €', '12,00 €'], de)).toBe('money')
    expect(guessFieldType(['27.11.2026'], de)).toBe('date')
  })
  it('one value that fits no type makes the column text', () => {
    expect(guessFieldType(['anna@x.io', 'not an email'], en)).toBe('text')
    expect(guessFieldType(['42', 'n/a'], en)).toBe('text')
  })
})

describe('remembered mappings', () => {
  it('are keyed by the header however it is spelled, per entity', () => {
    expect(rememberedMappingKey('contacts', ['E-Mail', 'First Name'])).toBe(rememberedMappingKey('contacts', ['email', 'first_name']))
    expect(rememberedMappingKey('contacts', ['email', 'first_name'])).not.toBe(rememberedMappingKey('contacts', ['first_name', 'email']))
    expect(rememberedMappingKey('contacts', ['email'])).not.toBe(rememberedMappingKey('leads', ['email']))
    expect(isRememberedMappingKey(rememberedMappingKey('contacts', ['email']))).toBe(true)
    expect(isRememberedMappingKey('defaultCountry')).toBe(false)
  })
  it('check their shape', () => {
    expect(isRememberedMapping(['email', null, 'first_name'])).toBe(true)
    expect(isRememberedMapping(['Email'])).toBe(false)
    expect(isRememberedMapping([3])).toBe(false)
    expect(isRememberedMapping('email')).toBe(false)
  })
  it('fill the mapping a file with the same header gets, the remembered choice over the label match', () => {
    const contacts = defaultSchema().entities.find((e) => e.key === 'contacts')!
    const header = ['Mail', 'Email', 'Notes']
    // by labels alone "Email" would be the email and "Mail" nothing
    const byLabel = matchImportColumns(contacts, header)
    expect(byLabel.ok && byLabel.columns.map((f) => f?.key ?? null)).toEqual([null, 'email', null])
    const remembered = matchImportColumns(contacts, header, explicitMapping(header, ['email', null, null]))
    expect(remembered.ok && remembered.columns.map((f) => f?.key ?? null)).toEqual(['email', null, null])
    expect(explicitMapping(['a', 'b'], ['email'])).toEqual({})
  })
})

describe('refusedRowsCsv', () => {
  it('writes the header and the refused rows as they were, with an Errors column, and reads back', () => {
    const csv = refusedRowsCsv(['Name', 'E-Mail', 'Note'], [
      { row: 3, cells: ['Anna', 'anna(at)x', 'line 1\nline 2'], errors: [{ field: 'email', message: 'Email: "anna(at)x" is not an email address' }] },
      { row: 7, cells: ['=Bob'], errors: [{ field: 'email', message: 'a' }, { field: 'close_date', message: 'b, c' }] },
    ])
    expect(csv.startsWith('\uFEFF')).toBe(true)
    expect(readCsvBytes(new TextEncoder().encode(csv)).map((r) => r.cells)).toEqual([
      ['Name', 'E-Mail', 'Note', 'Errors'],
      ['Anna', 'anna(at)x', 'line 1\nline 2', 'Email: "anna(at)x" is not an email address'],
      ["'=Bob", '', '', 'a; b, c'],
    ])
  })
})
