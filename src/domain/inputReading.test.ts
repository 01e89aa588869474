import { describe, expect, test } from 'vitest'
import { inputReading } from './inputReading'
import type { FieldDef, FieldType } from './schema'

const field = (type: FieldType, label: string): FieldDef => ({ id: `f.${type}`, key: type, label, type, order: 0 })
const due = field('dateTime', 'Due')
const closeDate = field('date', 'Close date')
const phone = field('phone', 'Phone')

describe('the reading shown while typing', () => {
  test('dates spell the month and the weekday, in the member’s locale', () => {
    expect(inputReading(closeDate, '03.12.2026', { locale: 'en-GB' })).toEqual({ ok: true, text: 'Thu, 3 Dec 2026' })
    expect(inputReading(closeDate, '03.12.2026', { locale: 'en-US' })).toEqual({ ok: true, text: 'Thu, Dec 3, 2026' })
    expect(inputReading(closeDate, '03/12/2026', { locale: 'en-US' })).toEqual({ ok: true, text: 'Thu, Mar 12, 2026' })
  })

  test('date-times add the time in the member’s zone', () => {
    expect(inputReading(due, '03.12.2026 15:00', { locale: 'en-US', timeZone: 'America/New_York' })).toEqual({ ok: true, text: 'Thu, Dec 3, 2026, 3:00 PM' })
    expect(inputReading(due, '03.12.2026 15:00', { locale: 'en-GB', timeZone: 'Europe/London' })).toEqual({ ok: true, text: 'Thu, 3 Dec 2026, 15:00' })
  })

  test('phones show the number as stored and its country', () => {
    expect(inputReading(phone, '030 1234567', { locale: 'en-US', defaultCountry: 'US', workspaceCountry: 'DE' })).toEqual({ ok: true, text: '+49 30 1234567 · Germany' })
  })

  test('a text that will be refused shows the refusal', () => {
    expect(inputReading(closeDate, '31.02.2026', { locale: 'en-US' })).toEqual({ ok: false, error: 'Close date: "31.02.2026" is not a valid date: February 2026 has 28 days (use 2026-11-27 or 11/27/2026)' })
  })

  test('nothing for empty text or other field types', () => {
    expect(inputReading(closeDate, '  ', { locale: 'en-US' })).toBeUndefined()
    expect(inputReading(field('text', 'Name'), '03.12.2026', { locale: 'en-US' })).toBeUndefined()
  })
})
