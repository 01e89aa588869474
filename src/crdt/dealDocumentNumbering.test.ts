import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { FieldValue } from '../domain/schema'
import {
  assignDocumentNumbers, emptyNumberLedger, issuedDocumentsOf, pendingDocumentsOf, planDocumentIssue, type DealDocumentKind, type NumberLedger,
} from '../domain/deals/dealDocuments'
import { createRecord, readRow, updateCells } from './recordDoc'

/*
 * "Numbering without duplicates under concurrent offline issue": two members' copies of the deals
 * document issue documents while apart, merge, and the relay's allocator numbers what the merged
 * deal holds — the way server/deals/dealDocumentNumbers does it on every stored change.
 */

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'remote')
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), 'remote')
}

function issue(doc: Y.Doc, dealId: string, kind: DealDocumentKind, by: string, at: string, issueId: string) {
  const plan = planDocumentIssue(kind, by, new Date(at), issueId, '', null)
  updateCells(doc, Object.entries(plan).map(([fieldId, value]) => ({ recordId: dealId, fieldId, value: value as unknown as FieldValue })), by)
}

/** What the relay does after a stored change: number the pending documents, write `number@` entries. */
function numberPending(doc: Y.Doc, dealId: string, ledger: NumberLedger, now: Date): { ledger: NumberLedger; added: number } {
  const pending = pendingDocumentsOf(readRow(doc, dealId)!)
  const result = assignDocumentNumbers(ledger, pending, now)
  updateCells(doc, result.numbers.map((n) => ({ recordId: dealId, fieldId: `number@${n.issueId}`, value: { number: n.number, at: now.toISOString() } as unknown as FieldValue })), 'relay')
  return { ledger: result.ledger, added: result.added.length }
}

describe('numbering without duplicates under concurrent offline issue', () => {
  const now = new Date('2026-06-01T12:00:00.000Z')

  test('two members issue while apart; after the merge every document has its own number, once', () => {
    const relay = new Y.Doc(); const ann = new Y.Doc(); const bob = new Y.Doc()
    const deal = createRecord(relay, { 'deals.name': 'Acme' }, { createdBy: 'm1' }, 'relay')
    sync(relay, ann); sync(relay, bob)

    // Apart: both take "the next quote" at the same second, Ann also an invoice.
    issue(ann, deal, 'quote', 'ann', '2026-06-01T10:00:00.000Z', 'annQ')
    issue(bob, deal, 'quote', 'bob', '2026-06-01T10:00:00.000Z', 'bobQ')
    issue(ann, deal, 'invoice', 'ann', '2026-06-01T10:00:01.000Z', 'annI')
    expect(pendingDocumentsOf(readRow(ann, deal)!).map((d) => d.id)).toEqual(['annQ', 'annI'])

    // Bob reaches the relay first and is numbered; then Ann arrives.
    sync(relay, bob)
    let state = numberPending(relay, deal, emptyNumberLedger, now)
    sync(relay, ann)
    state = numberPending(relay, deal, state.ledger, now)
    sync(relay, ann); sync(relay, bob)

    for (const doc of [relay, ann, bob]) {
      const docs = issuedDocumentsOf(readRow(doc, deal)!)
      expect(docs.map((d) => [d.id, d.number])).toEqual([['annQ', 'Q-2026-0002'], ['bobQ', 'Q-2026-0001'], ['annI', 'INV-2026-0001']])
    }

    // A repeated check (another stored change, a restart replaying the ledger) assigns nothing new.
    const again = assignDocumentNumbers(state.ledger, issuedDocumentsOf(readRow(relay, deal)!), now)
    expect(again.added).toEqual([])
    expect(again.ledger).toEqual(state.ledger)
  })

  test('an issue entry that disappears keeps its number taken: the next issue gets a new one', () => {
    const relay = new Y.Doc()
    const deal = createRecord(relay, { 'deals.name': 'Acme' }, { createdBy: 'm1' }, 'relay')
    issue(relay, deal, 'quote', 'ann', '2026-06-01T10:00:00.000Z', 'first')
    const state = numberPending(relay, deal, emptyNumberLedger, now)
    updateCells(relay, [{ recordId: deal, fieldId: 'document@first', value: null }, { recordId: deal, fieldId: 'number@first', value: null }], 'restore')
    issue(relay, deal, 'quote', 'bob', '2026-06-01T11:00:00.000Z', 'second')
    numberPending(relay, deal, state.ledger, now)
    expect(issuedDocumentsOf(readRow(relay, deal)!).map((d) => d.number)).toEqual(['Q-2026-0002'])
  })
})
