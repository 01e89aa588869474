import { describe, expect, it } from 'vitest'
import { documentDefaults, isWorkspaceDetailKey, LOGO_MAX_LENGTH, readWorkspaceDetails, workspaceDetailProblem } from './workspaceDetails'

const png = (length: number) => `data:image/png;base64,${'A'.repeat(length - 'data:image/png;base64,'.length)}`

describe('workspaceDetailProblem', () => {
  it('takes a PNG, JPEG, WebP or SVG logo as a base64 data: URL up to 96 KB, and names what is wrong with others', () => {
    for (const type of ['png', 'jpeg', 'webp', 'svg+xml']) expect(workspaceDetailProblem('logo', `data:image/${type};base64,AAAA`)).toBeNull()
    expect(workspaceDetailProblem('logo', png(LOGO_MAX_LENGTH))).toBeNull()
    expect(workspaceDetailProblem('logo', png(LOGO_MAX_LENGTH + 1))).toBe('Logo is 97 KB, at most 96 KB fit')
    expect(workspaceDetailProblem('logo', 'data:image/gif;base64,AAAA')).toMatch(/not a PNG, JPEG, WebP or SVG/)
    expect(workspaceDetailProblem('logo', 'data:image/svg+xml,<svg onload="x()">')).toMatch(/base64 data: URL/)
    expect(workspaceDetailProblem('logo', 'https://example.com/logo.png')).toMatch(/base64 data: URL/)
    expect(workspaceDetailProblem('logo', 12)).toBe('Logo is not an image')
  })

  it('bounds texts and days, and knows only A4 and Letter', () => {
    expect(workspaceDetailProblem('quoteTerms', 'x'.repeat(4000))).toBeNull()
    expect(workspaceDetailProblem('quoteTerms', 'x'.repeat(4001))).toBe('Quote terms has 4001 characters, at most 4000 fit')
    expect(workspaceDetailProblem('companyName', ['Acme'])).toBe('Company name is not text')
    expect(workspaceDetailProblem('quoteValidDays', 1)).toBeNull()
    expect(workspaceDetailProblem('quoteValidDays', 0)).toMatch(/from 1 to 365/)
    expect(workspaceDetailProblem('invoiceDueDays', 0)).toBeNull()
    expect(workspaceDetailProblem('invoiceDueDays', 366)).toMatch(/from 0 to 365/)
    expect(workspaceDetailProblem('invoiceDueDays', 1.5)).toMatch(/whole number/)
    expect(workspaceDetailProblem('paperSize', 'Letter')).toBeNull()
    expect(workspaceDetailProblem('paperSize', 'letter')).toBe('Paper size is neither A4 nor Letter')
    expect(isWorkspaceDetailKey('bankDetails')).toBe(true)
    expect(isWorkspaceDetailKey('toString')).toBe(false)
  })
})

describe('what reports read (issue 17)', () => {
  it('a time zone Intl knows, a report currency, and a rates table of known currencies with positive rates', () => {
    expect(workspaceDetailProblem('timeZone', 'Europe/Berlin')).toBeNull()
    expect(workspaceDetailProblem('timeZone', 'Mars/Olympus')).toMatch(/not a time zone Intl knows/)
    expect(workspaceDetailProblem('timeZone', 3)).toBe('Time zone is not a time zone name')
    expect(workspaceDetailProblem('reportCurrency', 'USD')).toBeNull()
    expect(workspaceDetailProblem('reportCurrency', 'XYZ')).toMatch(/ISO 4217/)
    expect(workspaceDetailProblem('currencyRates', { USD: 0.92, JPY: 0.0061 })).toBeNull()
    expect(workspaceDetailProblem('currencyRates', { USD: 0 })).toBe('Currency rates give USD a rate that is not a positive number')
    expect(workspaceDetailProblem('currencyRates', { usd: 1 })).toMatch(/"usd", which is not an ISO 4217 currency code/)
    expect(workspaceDetailProblem('currencyRates', [1])).toMatch(/not a table/)
    expect(readWorkspaceDetails((key) => ({ timeZone: 'Nowhere', currencyRates: { USD: 2 } } as Record<string, unknown>)[key])).toEqual({ currencyRates: { USD: 2 } })
  })
})

describe('readWorkspaceDetails and documentDefaults', () => {
  it('reads only values that keep their rule, and fills what a new document needs', () => {
    const stored: Record<string, unknown> = { companyName: 'Acme', quoteValidDays: 0, paperSize: 'A3', invoiceTerms: 'Net 14', other: 1 }
    const details = readWorkspaceDetails((key) => stored[key])
    expect(details).toEqual({ companyName: 'Acme', invoiceTerms: 'Net 14' })
    expect(documentDefaults(details, 'DE')).toEqual({ quoteTerms: '', invoiceTerms: 'Net 14', quoteValidDays: 30, invoiceDueDays: 14, paperSize: 'A4' })
    expect(documentDefaults(details, 'US').paperSize).toBe('Letter')
    expect(documentDefaults(details, 'CA').paperSize).toBe('Letter')
    expect(documentDefaults({ paperSize: 'A4' }, 'US').paperSize).toBe('A4')
    expect(documentDefaults({}, undefined).paperSize).toBe('A4')
  })
})
