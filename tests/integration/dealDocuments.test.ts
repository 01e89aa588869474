import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { CLOSE_LAYOUT_VIOLATION } from '../../server/closeCodes'
import { createRecord, readRow, updateCells } from '../../src/crdt/recordDoc'
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
