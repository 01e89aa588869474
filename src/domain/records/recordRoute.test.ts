import { describe, expect, test } from 'vitest'
import { dealDocumentHref, parseAppRoute, recordHref } from './recordRoute'

describe('parseAppRoute', () => {
  test('a list, the root and the board', () => {
    expect(parseAppRoute('/')).toEqual({ view: 'my-work', board: false })
    expect(parseAppRoute('/my-work')).toEqual({ view: 'my-work', board: false })
    expect(parseAppRoute('/companies')).toEqual({ view: 'companies', board: false })
    expect(parseAppRoute('/deals/board')).toEqual({ view: 'deals', board: true })
  })

  test('a record of a list', () => {
    expect(parseAppRoute('/companies/AbC123xyz789')).toEqual({ view: 'companies', board: false, record: { entityKey: 'companies', recordId: 'AbC123xyz789' } })
    expect(parseAppRoute('/deals/x1/')).toMatchObject({ record: { entityKey: 'deals', recordId: 'x1' } })
  })

  test('screens keep their tabs: /settings/api is no record', () => {
    expect(parseAppRoute('/settings/api')).toEqual({ view: 'settings', board: false })
    expect(parseAppRoute('/members/abc')).toEqual({ view: 'members', board: false })
  })

  test('round-trips through recordHref, escapes included', () => {
    const href = recordHref('deal_lines', 'a/b c')
    expect(href).toBe('/deal_lines/a%2Fb%20c')
    expect(parseAppRoute(href).record).toEqual({ entityKey: 'deal_lines', recordId: 'a/b c' })
    expect(parseAppRoute('/contacts/%E0%A4%A').record?.recordId).toBe('%E0%A4%A')
  })

  test('a deal\'s quote or invoice to issue, and one it issued, are print views, not its record panel (issue 14)', () => {
    expect(parseAppRoute('/deals/d1/quote')).toEqual({ view: 'deals', board: false, document: { dealId: 'd1', kind: 'quote' } })
    expect(parseAppRoute('/deals/d1/invoice')).toEqual({ view: 'deals', board: false, document: { dealId: 'd1', kind: 'invoice' } })
    expect(parseAppRoute('/deals/d1/documents/Iss_ue-1')).toEqual({ view: 'deals', board: false, document: { dealId: 'd1', issueId: 'Iss_ue-1' } })
    expect(parseAppRoute('/deals/d1/documents')).toMatchObject({ record: { entityKey: 'deals', recordId: 'd1' } })
    expect(parseAppRoute('/contacts/c1/quote').document).toBeUndefined()
    expect(dealDocumentHref({ dealId: 'a b', kind: 'invoice' })).toBe('/deals/a%20b/invoice')
    expect(parseAppRoute(dealDocumentHref({ dealId: 'a/b', issueId: 'x1' })).document).toEqual({ dealId: 'a/b', issueId: 'x1' })
  })
})
