import { expect, test } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import type { EntityDef, Row } from '../schema'
import { lostReasonSuggestions } from './lostReasonSuggestions'

const deals = (): EntityDef => defaultSchema().entities.find((e) => e.id === 'deals')!
const deal = (id: string, reason?: unknown, deletedAt?: string): Row => ({
  id, values: reason === undefined ? {} : { 'deals.lost_reason': reason as string }, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'm1', deletedAt,
})

test('the reasons already given, most used first, ties in the order first seen; blanks and deleted deals left out', () => {
  const rows = [
    deal('d1', 'Price'), deal('d2', 'No budget'), deal('d3', '  price '), deal('d4', 'Went with a competitor'),
    deal('d5', 'No budget'), deal('d6', 'PRICE'), deal('d7', ''), deal('d8', '   '), deal('d9'), deal('d10', 'Timing', '2026-02-01T00:00:00.000Z'),
  ]
  expect(lostReasonSuggestions(deals(), rows)).toEqual(['Price', 'No budget', 'Went with a competitor'])
  expect(lostReasonSuggestions(deals(), rows, 2)).toEqual(['Price', 'No budget'])
})

test('an entity without a lost reason field suggests nothing', () => {
  const contacts = defaultSchema().entities.find((e) => e.id === 'contacts')!
  expect(lostReasonSuggestions(contacts, [deal('d1', 'Price')])).toEqual([])
})
