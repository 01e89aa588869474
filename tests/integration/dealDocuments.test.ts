import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { createMember } from '../../server/auth/createMember'
import { CLOSE_LAYOUT_VIOLATION } from '../../server/closeCodes'
import { createRecord, readRow, updateCells } from '../../src/crdt/recordDoc'
import { readWorkspaceSettings, setWorkspaceDetail } from '../../src/crdt/schemaDoc'
import { issuedDocumentsOf, planDocumentIssue, type DealDocumentKind } from '../../src/domain/deals/dealDocuments'
import type { FieldValue } from '../../src/domain/schema'
import { ADMIN_TOKEN, makeTempDir, startTestRelay, useTestScope, waitFor, type TestClient } from './relayTestKit'

/*
 * Quotes and invoices as views of the deal (issue 14), on the real relay with the stock
 * y-websocket client: a browser writes only `document@<id>`, the relay numbers it.
 */

const scope = useTestScope()
const DEALS = 'entity-deals'

async function relay(dataDir = makeTempDir()) {
  const started = await startTestRelay({ dataDir, apiRateLimit: null })
  let open = true
  const close = async () => {
    if (open) await started.close()
    open = false
  }
  scope.cleanups.push(close)
  return { ...started, close }
}

/** What the app's "Issue quote" button writes: one document@ entry, outside the undo history. */
function issue(doc: Y.Doc, dealId: string, kind: DealDocumentKind, issueId: string, at = new Date()): void {
  const plan = planDocumentIssue(kind, 'admin', at, issueId, 'Net 30', null)
  updateCells(doc, Object.entries(plan).map(([fieldId, value]) => ({ recordId: dealId, fieldId, value: value as unknown as FieldValue })), 'issue')
}

const numbersIn = (doc: Y.Doc, dealId: string) => issuedDocumentsOf(readRow(doc, dealId) ?? { id: dealId, values: {}, createdAt: '', createdBy: '' })
  .map((d) => [d.id, d.number])
const numbered = (doc: Y.Doc, dealId: string, count: number) => () => numbersIn(doc, dealId).filter(([, n]) => n !== null).length >= count

function closedWith(c: TestClient): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    c.provider.on('connection-close', (event: { code: number; reason: string } | null) => {
      if (event && event.code !== 1000) resolve({ code: event.code, reason: event.reason })
    })
  })
}

describe('deal documents over sync (issue 14)', () => {
  it('a browser issues a quote; the relay\'s number reaches it and every other client', async () => {
    const { syncUrl } = await relay()
    const ann = scope.client(syncUrl, DEALS, ADMIN_TOKEN)
    const bob = scope.client(syncUrl, DEALS, ADMIN_TOKEN)
    await Promise.all([ann.synced, bob.synced])
    const deal = createRecord(ann.doc, { 'deals.title': 'Office chairs' }, { createdBy: 'admin' }, 'ui')
    issue(ann.doc, deal, 'quote', 'annQuote1')
    expect(numbersIn(ann.doc, deal)).toEqual([['annQuote1', null]])
    const year = new Date().getUTCFullYear()
    await waitFor(numbered(ann.doc, deal, 1), 'the number at the issuer')
    expect(numbersIn(ann.doc, deal)).toEqual([['annQuote1', `Q-${year}-0001`]])
    await waitFor(numbered(bob.doc, deal, 1), 'the number at another client')
    issue(bob.doc, deal, 'invoice', 'bobInvoice1')
    issue(bob.doc, deal, 'quote', 'bobQuote2')
    await waitFor(numbered(ann.doc, deal, 3), 'both new numbers at the first client')
    expect(Object.fromEntries(numbersIn(ann.doc, deal))).toEqual({ annQuote1: `Q-${year}-0001`, bobInvoice1: `INV-${year}-0001`, bobQuote2: `Q-${year}-0002` })

    // a clock set a year ahead does not open next year's sequence: the relay's clock bounds the year
    issue(ann.doc, deal, 'quote', 'fastClock', new Date(Date.now() + 400 * 86_400_000))
    await waitFor(numbered(bob.doc, deal, 4), 'the fast clock\'s number')
    expect(Object.fromEntries(numbersIn(bob.doc, deal)).fastClock).toBe(`Q-${year}-0003`)
  })

  it('two members issue offline at the same time: distinct numbers after they reconnect, and after a restart the sequence goes on', async () => {
    const dataDir = makeTempDir()
    const first = await relay(dataDir)
    const ann = scope.client(first.syncUrl, DEALS, ADMIN_TOKEN)
    const bob = scope.client(first.syncUrl, DEALS, ADMIN_TOKEN)
    await Promise.all([ann.synced, bob.synced])
    const deal = createRecord(ann.doc, { 'deals.title': 'Fleet' }, { createdBy: 'admin' }, 'ui')
    await waitFor(() => readRow(bob.doc, deal) !== undefined, 'the deal at the second client')

    ann.provider.disconnect()
    bob.provider.disconnect()
    const now = new Date()
    issue(ann.doc, deal, 'quote', 'annOffline', now)
    issue(bob.doc, deal, 'quote', 'bobOffline', now)
    issue(bob.doc, deal, 'invoice', 'bobInvoice', now)
    ann.provider.connect()
    bob.provider.connect()
    await waitFor(numbered(ann.doc, deal, 3), 'three numbers at the first client')
    await waitFor(numbered(bob.doc, deal, 3), 'three numbers at the second client')
    const numbers = Object.fromEntries(numbersIn(ann.doc, deal))
    const year = now.getUTCFullYear()
    expect([numbers.annOffline, numbers.bobOffline].sort()).toEqual([`Q-${year}-0001`, `Q-${year}-0002`])
    expect(numbers.bobInvoice).toBe(`INV-${year}-0001`)
    expect(Object.fromEntries(numbersIn(bob.doc, deal))).toEqual(numbers)

    // the counters live in the relay's SQLite file: a restarted relay neither renumbers nor reuses
    ann.destroy()
    bob.destroy()
    await first.close()
    const second = await relay(dataDir)
    const carl = scope.client(second.syncUrl, DEALS, ADMIN_TOKEN)
    await carl.synced
    expect(Object.fromEntries(numbersIn(carl.doc, deal))).toEqual(numbers)
    issue(carl.doc, deal, 'quote', 'afterRestart')
    await waitFor(numbered(carl.doc, deal, 4), 'the number after the restart')
    expect(Object.fromEntries(numbersIn(carl.doc, deal))).toEqual({ ...numbers, afterRestart: `Q-${year}-0003` })
  })

  it('a client writing a number@ entry is closed with 4422 naming the key; nothing of it is stored', async () => {
    const started = await relay()
    const ann = scope.client(started.syncUrl, DEALS, ADMIN_TOKEN)
    const watcher = scope.client(started.syncUrl, DEALS, ADMIN_TOKEN)
    await Promise.all([ann.synced, watcher.synced])
    const deal = createRecord(ann.doc, { 'deals.title': 'Forged' }, { createdBy: 'admin' }, 'ui')
    issue(ann.doc, deal, 'quote', 'honest')
    await waitFor(numbered(watcher.doc, deal, 1), 'the honest number')

    const forger = scope.client(started.syncUrl, DEALS, ADMIN_TOKEN)
    await forger.synced
    const closed = closedWith(forger)
    const storedBefore = started.storage.loadDocument(DEALS).length
    updateCells(forger.doc, [{ recordId: deal, fieldId: 'number@mine', value: { number: 'Q-2026-9999', at: new Date().toISOString() } as unknown as FieldValue }], 'forge')
    const { code, reason } = await closed
    expect(code).toBe(CLOSE_LAYOUT_VIOLATION)
    expect(reason).toMatch(/"number@mine" is a number only the relay assigns/)
    expect(started.storage.loadDocument(DEALS).length).toBe(storedBefore)
    expect(readRow(watcher.doc, deal)?.values['number@mine']).toBeUndefined()
  })
})

async function api(url: string, path: string, init: { method?: string; body?: unknown; token?: string; key?: string } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${init.token ?? ADMIN_TOKEN}` }
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  if (init.key !== undefined) headers['idempotency-key'] = init.key
  const res = await fetch(`${url}/api/v1${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers }
}

async function newDeal(url: string, title: string): Promise<string> {
  const created = await api(url, '/deals', { method: 'POST', body: { title } })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  return created.body.id as string
}

const daysAfter = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)

describe('POST /api/v1/deals/{id}/documents and GET /deals/{id} documents (issue 14)', () => {
  it('issues a numbered quote with the workspace\'s terms and validity; an invoice has its own sequence and due days', async () => {
    const { url, syncUrl, storage } = await relay()
    const adminId = storage.listMembers().find((m) => m.role === 'admin')!.id
    const admin = scope.client(syncUrl, 'schema', ADMIN_TOKEN)
    await admin.synced
    setWorkspaceDetail(admin.doc, 'quoteTerms', 'Prices exclude VAT.', null)
    setWorkspaceDetail(admin.doc, 'quoteValidDays', 7, null)
    await waitFor(() => readWorkspaceSettings(admin.doc).quoteValidDays === 7, 'the details written')
    const deal = await newDeal(url, 'Desks')
    const year = new Date().getUTCFullYear()
    // the relay stores the schema client's update before the API reads it: wait until the API sees the terms
    let quote = await api(url, `/deals/${deal}/documents`, { method: 'POST', body: { kind: 'quote' } })
    for (let i = 0; i < 50 && quote.body.terms !== 'Prices exclude VAT.'; i++) {
      await new Promise((r) => setTimeout(r, 20))
      quote = await api(url, `/deals/${deal}/documents`, { method: 'POST', body: { kind: 'quote' } })
    }
    expect(quote.status, JSON.stringify(quote.body)).toBe(201)
    expect(quote.body).toMatchObject({ kind: 'quote', issued_by: adminId, terms: 'Prices exclude VAT.', valid_until: daysAfter(7) })
    expect(quote.body.number).toMatch(new RegExp(`^Q-${year}-\\d{4}$`))
    const invoice = await api(url, `/deals/${deal}/documents`, { method: 'POST', body: { kind: 'invoice', terms: 'Pay by bank transfer.' } })
    expect(invoice.status).toBe(201)
    expect(invoice.body).toMatchObject({ kind: 'invoice', number: `INV-${year}-0001`, terms: 'Pay by bank transfer.', valid_until: daysAfter(14) })
    const undated = await api(url, `/deals/${deal}/documents`, { method: 'POST', body: { kind: 'invoice', valid_until: null } })
    expect(undated.body).toMatchObject({ number: `INV-${year}-0002`, valid_until: null })

    const read = await api(url, `/deals/${deal}`)
    expect(read.status).toBe(200)
    const documents = read.body.documents as { id: string; number: string; numbered_at: string }[]
    expect(documents.map((d) => d.number).slice(-3)).toEqual([quote.body.number, `INV-${year}-0001`, `INV-${year}-0002`])
    expect(documents.find((d) => d.id === quote.body.id)).toEqual(quote.body)
    expect(new Set(documents.map((d) => d.number)).size).toBe(documents.length)
  })

  it('a document a browser issued shows in GET, numbered by the relay; concurrent POSTs take distinct numbers', async () => {
    const { url, syncUrl } = await relay()
    const deal = await newDeal(url, 'Lamps')
    const browser = scope.client(syncUrl, DEALS, ADMIN_TOKEN)
    await browser.synced
    issue(browser.doc, deal, 'quote', 'fromBrowser')
    await waitFor(numbered(browser.doc, deal, 1), 'the browser\'s number')
    const posts = await Promise.all(Array.from({ length: 8 }, () => api(url, `/deals/${deal}/documents`, { method: 'POST', body: { kind: 'quote' } })))
    expect(posts.map((p) => p.status)).toEqual(Array(8).fill(201))
    const documents = (await api(url, `/deals/${deal}`)).body.documents as { id: string; number: string }[]
    expect(documents).toHaveLength(9)
    expect(documents.find((d) => d.id === 'fromBrowser')?.number).toBe(numbersIn(browser.doc, deal)[0]![1])
    expect(documents.map((d) => d.number).sort()).toEqual(Array.from({ length: 9 }, (_, i) => `Q-${new Date().getUTCFullYear()}-000${i + 1}`))
  })

  it('an Idempotency-Key issues once: a retry gets the same document and number; another body with the key is refused', async () => {
    const { url } = await relay()
    const deal = await newDeal(url, 'Retry')
    const first = await api(url, `/deals/${deal}/documents`, { method: 'POST', body: { kind: 'invoice' }, key: 'issue-1' })
    const again = await api(url, `/deals/${deal}/documents`, { method: 'POST', body: { kind: 'invoice' }, key: 'issue-1' })
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.body).toEqual(first.body)
    expect(again.headers.get('idempotency-key')).toBe('issue-1')
    const other = await api(url, `/deals/${deal}/documents`, { method: 'POST', body: { kind: 'quote' }, key: 'issue-1' })
    expect(other.status).toBe(422)
    expect(other.body.errors).toEqual([{ field: 'Idempotency-Key', message: 'already used with a different body' }])
    expect((await api(url, `/deals/${deal}`)).body.documents).toHaveLength(1)
  })

  it('refuses bad input naming the field, an unknown deal (404), a viewer (403) and other methods (405)', async () => {
    const { url, storage } = await relay()
    const deal = await newDeal(url, 'Careful')
    const post = (body: unknown, path = `/deals/${deal}/documents`, token?: string) => api(url, path, { method: 'POST', body, token })
    const fields = async (body: unknown) => {
      const answer = await post(body)
      expect(answer.status).toBe(422)
      return (answer.body.errors as { field: string }[]).map((e) => e.field)
    }
    expect(await fields({ kind: 'receipt' })).toEqual(['kind'])
    expect(await fields({})).toEqual(['kind'])
    expect(await fields({ kind: 'quote', valid_until: '2026-02-30' })).toEqual(['valid_until'])
    expect(await fields({ kind: 'quote', terms: 'x'.repeat(4001) })).toEqual(['terms'])
    expect(await fields({ kind: 'quote', number: 'Q-2026-0001' })).toEqual(['number'])
    expect((await post({ kind: 'quote' }, '/deals/nope/documents')).status).toBe(404)
    const { token } = createMember(storage, { name: 'Vera', role: 'viewer' })
    expect((await post({ kind: 'quote' }, `/deals/${deal}/documents`, token)).status).toBe(403)
    expect((await api(url, `/deals/${deal}/documents`)).status).toBe(405)
    expect((await api(url, `/deals/${deal}`)).body.documents).toEqual([])
  })
})
