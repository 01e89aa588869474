import type { DealDocumentKind, IssuedDocument } from '../../src/domain/deals/dealDocuments'

/** One issued quote or invoice as the API answers it (POST …/documents, and `documents` in GET /deals/{id}). */
export interface ApiDealDocument {
  id: string
  kind: DealDocumentKind
  /** Null while pending: a document a browser issued offline gets its number when its update reaches the relay. */
  number: string | null
  issued_at: string
  issued_by: string
  valid_until: string | null
  terms: string
  numbered_at: string | null
}

export function apiDealDocument(doc: IssuedDocument): ApiDealDocument {
  return { id: doc.id, kind: doc.kind, number: doc.number, issued_at: doc.at, issued_by: doc.by, valid_until: doc.validUntil, terms: doc.terms, numbered_at: doc.numberedAt }
}
