import { describe, expect, test } from 'vitest'
import type { Row } from '../schema'
import {
  assignDocumentNumbers, dateAfterDays, documentYear, emptyNumberLedger, formatDocumentNumber, isDocumentIssue, isDocumentNumber,
  issuedDocumentsOf, planDocumentIssue, type DocumentIssue, type NumberLedger,
} from './dealDocuments'

const issue: DocumentIssue = { kind: 'quote', at: '2026-03-02T10:00:00.000Z', by: 'm1', terms: 'Net 30', valid_until: '2026-04-01' }
const row = (values: Record<string, unknown>): Row => ({ id: 'd1', values: values as Row['values'], createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'm1' })

describe('issued document shape (the layout check)', () => {
  test('a quote or an invoice with terms and a validity date, or none, is accepted', () => {
    expect(isDocumentIssue(issue)).toBe(true)
    expect(isDocumentIssue({ ...issue, kind: 'invoice', valid_until: null, terms: '' })).toBe(true)
    expect(isDocumentIssue({ ...issue, terms: 'x'.repeat(4000) })).toBe(true)
  })

  test.each([
    ['another kind', { ...issue, kind: 'receipt' }],
    ['a time that is not an ISO instant', { ...issue, at: 'yesterday' }],
    ['no issuer', { ...issue, by: '' }],
    ['terms longer than 4000', { ...issue, terms: 'x'.repeat(4001) }],
    ['a validity date that is no calendar day', { ...issue, valid_until: '2026-02-30' }],
    ['a validity date with a time', { ...issue, valid_until: '2026-04-01T00:00:00Z' }],
    ['a missing key', { kind: 'quote', at: issue.at, by: 'm1', terms: '' }],
    ['an extra key', { ...issue, number: 'Q-2026-0001' }],
    ['a list', [issue]],
    ['a string', 'quote'],
  ])('%s is refused', (_what, value) => {
    expect(isDocumentIssue(value)).toBe(false)
  })

  test('a number is { number, at } with a known prefix', () => {
    expect(isDocumentNumber({ number: 'Q-2026-0001', at: '2026-03-02T10:00:01.000Z' })).toBe(true)
    expect(isDocumentNumber({ number: 'INV-2026-12345', at: '2026-03-02T10:00:01.000Z' })).toBe(true)
    expect(isDocumentNumber({ number: 'X-2026-0001', at: '2026-03-02T10:00:01.000Z' })).toBe(false)
    expect(isDocumentNumber({ number: 'Q-2026-0001' })).toBe(false)
    expect(isDocumentNumber({ number: 'Q-2026-0001', at: 'now', extra: 1 })).toBe(false)
  })
})

describe('issuedDocumentsOf', () => {
  test('oldest first, ties by id, each with its number or pending', () => {
    const docs = issuedDocumentsOf(row({
      'deals.name': 'Acme',
      'document@b': { ...issue, at: '2026-03-03T00:00:00.000Z' },
      'document@z': issue,
      'document@a': issue,
      'number@z': { number: 'Q-2026-0002', at: '2026-03-02T10:00:05.000Z' },
      'stage@c1': { from: null, to: 'sales.new', at: issue.at, by: 'm1' },
    }))
    expect(docs.map((d) => [d.id, d.number])).toEqual([['a', null], ['z', 'Q-2026-0002'], ['b', null]])
    expect(docs[1]).toEqual({ id: 'z', kind: 'quote', at: issue.at, by: 'm1', terms: 'Net 30', validUntil: '2026-04-01', number: 'Q-2026-0002', numberedAt: '2026-03-02T10:00:05.000Z' })
  })

  test('entries of the wrong shape and numbers without an issue are not documents', () => {
    expect(issuedDocumentsOf(row({ 'document@x': { ...issue, kind: 'memo' }, 'number@y': { number: 'Q-2026-0001', at: issue.at } }))).toEqual([])
  })
})

describe('planDocumentIssue', () => {
  test('one document@ entry at the writer\'s clock, of the shape the relay accepts', () => {
    const now = new Date('2026-05-06T07:08:09.000Z')
    const plan = planDocumentIssue('invoice', 'm2', now, 'iss1', 'Pay within 14 days', dateAfterDays(now, 14))
    expect(plan).toEqual({ 'document@iss1': { kind: 'invoice', at: '2026-05-06T07:08:09.000Z', by: 'm2', terms: 'Pay within 14 days', valid_until: '2026-05-20' } })
    expect(isDocumentIssue(plan['document@iss1'])).toBe(true)
  })

  test('an issue id outside the key pattern is refused', () => {
    expect(() => planDocumentIssue('quote', 'm1', new Date(), 'a b', '', null)).toThrow(/issue id "a b"/)
  })
})

describe('formatDocumentNumber', () => {
  test('prefix, year, sequence padded to 4; five digits just grow', () => {
    expect(formatDocumentNumber('quote', 2026, 1)).toBe('Q-2026-0001')
    expect(formatDocumentNumber('invoice', 2027, 123)).toBe('INV-2027-0123')
    expect(formatDocumentNumber('quote', 2026, 10000)).toBe('Q-2026-10000')
  })
})

describe('assignDocumentNumbers', () => {
  const now = new Date('2026-06-01T00:00:00.000Z')

  test('one sequence per kind and year, in the order given', () => {
    const { numbers } = assignDocumentNumbers(emptyNumberLedger, [
      { id: 'a', kind: 'quote', at: '2026-01-01T00:00:00Z' },
      { id: 'b', kind: 'invoice', at: '2026-01-02T00:00:00Z' },
      { id: 'c', kind: 'quote', at: '2025-12-31T23:59:59Z' },
      { id: 'd', kind: 'quote', at: '2026-01-03T00:00:00Z' },
    ], now)
    expect(numbers.map((n) => n.number)).toEqual(['Q-2026-0001', 'INV-2026-0001', 'Q-2025-0001', 'Q-2026-0002'])
  })

  test('an issue dated after the relay\'s clock counts as now (a fast clock cannot open next year early)', () => {
    expect(documentYear('2027-01-05T00:00:00Z', now)).toBe(2026)
    const { numbers } = assignDocumentNumbers(emptyNumberLedger, [{ id: 'a', kind: 'quote', at: '2027-01-05T00:00:00Z' }], now)
    expect(numbers[0]!.number).toBe('Q-2026-0001')
  })

  test('assigned once: a second run numbers nothing new and leaves the counters', () => {
    const issues = [{ id: 'a', kind: 'quote' as const, at: '2026-01-01T00:00:00Z' }, { id: 'b', kind: 'quote' as const, at: '2026-01-02T00:00:00Z' }]
    const first = assignDocumentNumbers(emptyNumberLedger, issues, now)
    const again = assignDocumentNumbers(first.ledger, [...issues].reverse(), now)
    expect(again.added).toEqual([])
    expect(again.ledger.counters).toEqual(first.ledger.counters)
    expect(again.numbers.map((n) => [n.issueId, n.number])).toEqual([['b', 'Q-2026-0002'], ['a', 'Q-2026-0001']])
  })

  test('never reused: the counter outlives the issues it numbered', () => {
    const first = assignDocumentNumbers(emptyNumberLedger, [{ id: 'a', kind: 'quote', at: '2026-01-01T00:00:00Z' }], now)
    // The deal (and its document@a entry) is gone; the next issue still takes a fresh number.
    const next = assignDocumentNumbers(first.ledger, [{ id: 'b', kind: 'quote', at: '2026-01-02T00:00:00Z' }], now)
    expect(next.added.map((n) => n.number)).toEqual(['Q-2026-0002'])
  })

  test('leaves the ledger it was given as it was', () => {
    const ledger: NumberLedger = { counters: { 'quote:2026': 4 }, assigned: {} }
    assignDocumentNumbers(ledger, [{ id: 'a', kind: 'quote', at: '2026-01-01T00:00:00Z' }], now)
    expect(ledger).toEqual({ counters: { 'quote:2026': 4 }, assigned: {} })
  })
})
