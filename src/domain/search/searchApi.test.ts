import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import { parseSearchRequest, searchResultsJson } from './searchApi'
import { SearchIndex } from './searchIndex'

describe('GET /api/v1/search rules', () => {
  it('refuses an empty q (422) and a limit outside 1–50 (400), each naming its parameter', () => {
    expect(parseSearchRequest(new URLSearchParams('q=%20'))).toMatchObject({ ok: false, status: 422, errors: [{ field: 'q' }] })
    expect(parseSearchRequest(new URLSearchParams(''))).toMatchObject({ ok: false, status: 422 })
    for (const limit of ['0', '51', '2.5', 'ten']) {
      expect(parseSearchRequest(new URLSearchParams(`q=a&limit=${limit}`))).toMatchObject({ ok: false, status: 400, errors: [{ field: 'limit' }] })
    }
    expect(parseSearchRequest(new URLSearchParams('q=anna'))).toEqual({ ok: true, q: 'anna', limit: 5 })
    expect(parseSearchRequest(new URLSearchParams('q=anna&limit=50'))).toEqual({ ok: true, q: 'anna', limit: 50 })
  })

  it('answers the groups in order, fields by their API keys', () => {
    const index = new SearchIndex({ ...defaultSchema(), workspace: { defaultCountry: 'DE' } })
    index.put('companies', [{ id: 'k', values: { 'companies.name': 'Acme GmbH' }, createdAt: 'x', createdBy: 'm' }])
    index.put('contacts', [{ id: 'c', values: { 'contacts.first_name': 'Anna', 'contacts.last_name': 'Acme', 'contacts.company': 'k' }, createdAt: 'x', createdBy: 'm' }])
    expect(searchResultsJson(index.query('acme'))).toEqual([
      { entity: 'contacts', id: 'c', name: 'Anna Acme', matched: { field: 'last_name', value: 'Acme' }, score: 9 },
      { entity: 'companies', id: 'k', name: 'Acme GmbH', matched: { field: 'name', value: 'Acme GmbH' }, score: 7 },
    ])
  })
})
