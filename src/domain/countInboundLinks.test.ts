import { describe, expect, test } from 'vitest'
import { countInboundLinks, entitiesLinkingTo, inboundLinksQuestion } from './countInboundLinks'
import { defaultSchema } from './defaultSchema'
import type { Row } from './schema'

const row = (id: string, values: Row['values'], deletedAt?: string): Row => ({ id, values, createdAt: '2026-01-01T00:00:00Z', createdBy: 'm', ...(deletedAt ? { deletedAt } : {}) })

describe('countInboundLinks', () => {
  const schema = defaultSchema()
  const rows: Record<string, Row[]> = {
    contacts: [
      row('p1', { 'contacts.company': 'acme' }),
      row('p2', { 'contacts.company': 'acme' }),
      row('p3', { 'contacts.company': 'beta' }),
      row('p4', { 'contacts.company': 'acme' }),
      row('p5', { 'contacts.company': 'acme' }, '2026-02-01T00:00:00Z'),
    ],
    deals: [row('d1', { 'deals.company': 'acme', 'deals.contacts': ['p1'] }), row('d2', { 'deals.company': 'gamma' })],
    // a converted lead links to its company, a call to the company it was linked by (issue 13/14)
    leads: [row('l1', { 'leads.converted_company': 'beta' })],
    activities: [row('a1', { 'activities.related_company': 'acme', 'activities.related': 'p2' })],
  }
  const rowsOf = (id: string) => rows[id] ?? []

  test('leads (converted), contacts, deals and activities (calls) link to companies', () => {
    expect(entitiesLinkingTo(schema, 'companies').map((e) => e.id)).toEqual(['leads', 'contacts', 'deals', 'activities'])
  })
  test('counts live records linking to any of the ids, per entity', () => {
    const links = countInboundLinks(schema, 'companies', new Set(['acme']), rowsOf)
    expect(links.map((l) => [l.entity.id, l.count])).toEqual([['contacts', 3], ['deals', 1], ['activities', 1]])
    expect(inboundLinksQuestion(links, 'Acme GmbH', 'en-US')).toBe('3 contacts, 1 deal, and 1 activity link to Acme GmbH. Delete anyway?')
  })
  test('a record linking to two deleted ones counts once; multi-links count', () => {
    const links = countInboundLinks(schema, 'companies', new Set(['acme', 'beta']), rowsOf)
    expect(links.map((l) => [l.entity.id, l.count])).toEqual([['leads', 1], ['contacts', 4], ['deals', 1], ['activities', 1]])
    expect(countInboundLinks(schema, 'contacts', new Set(['p1']), rowsOf).map((l) => [l.entity.id, l.count])).toEqual([['deals', 1]])
    expect(countInboundLinks(schema, 'contacts', new Set(['p2']), rowsOf).map((l) => [l.entity.id, l.count])).toEqual([['activities', 1]])
  })
  test('nothing links: no question', () => {
    const links = countInboundLinks(schema, 'companies', new Set(['none']), rowsOf)
    expect(links).toEqual([])
    expect(inboundLinksQuestion(links, 'X', 'en-US')).toBeNull()
  })
  test('one record links: singular verb', () => {
    const links = countInboundLinks(schema, 'companies', new Set(['gamma']), rowsOf)
    expect(inboundLinksQuestion(links, 'Gamma', 'en-US')).toBe('1 deal links to Gamma. Delete anyway?')
  })
})
