import { encodeApiRecord, type ApiRecord } from '../../src/domain/api/apiRecordCodec'
import { currencyDigits, minorUnitsToDecimal } from '../../src/domain/currencyDigits'
import { dealLineFieldIds, dealLineInputs, lineDealId } from '../../src/domain/deals/dealLineInputs'
import { issuedDocumentsOf } from '../../src/domain/deals/dealDocuments'
import { dealTotals } from '../../src/domain/deals/dealTotals'
import { stockWarnings } from '../../src/domain/deals/stockWarnings'
import { fieldByKey, findEntity, type Row, type WorkspaceSchema } from '../../src/domain/schema'
import { apiDealDocument } from './apiDealDocument'
import type { EntityStores } from './entityStores'

/**
 * GET /api/v1/deals/{id}'s answer: the deal's fields, then `lines` (its `deal_lines` records,
 * each with its `line_total`), `totals: { subtotal, discount, tax, total, currency }` (major
 * units like every money value of the API; `null` with `totals_error` when the lines cannot be
 * added up, e.g. in two currencies) and `stock_warnings` (lines asking for more than a product's
 * stock) and `documents`, the quotes and invoices issued of the deal, oldest first (each with its
 * number, null while pending). A workspace without the `deal_lines` entity answers the deal and
 * its documents.
 */
export function dealWithLines(deal: ApiRecord, dealRow: Row, schema: WorkspaceSchema, stores: EntityStores): ApiRecord {
  const documents = issuedDocumentsOf(dealRow).map(apiDealDocument)
  const linesDef = findEntity(schema, 'deal_lines')
  const dealsDef = findEntity(schema, 'deals')
  if (!linesDef || !dealsDef) return { ...deal, documents }
  const entry = stores.get(linesDef.id)
  const dealField = dealLineFieldIds(linesDef).deal
  const rows = entry.store.rows()
    .filter((row) => lineDealId(row, dealField) === dealRow.id)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
  const currencyField = fieldByKey(dealsDef, 'currency')?.id
  const currency = currencyField ? dealRow.values[currencyField] : undefined
  const result = dealTotals(dealLineInputs(linesDef, rows), typeof currency === 'string' && currency ? currency : undefined)
  const major = (minor: number, code: string) => Number(minorUnitsToDecimal(minor, currencyDigits(code)))
  const lineTotals = new Map(result.ok ? result.totals.lines.map((l) => [l.id, l.total]) : [])
  const lines = rows.map((row) => {
    const total = lineTotals.get(row.id)
    return { ...encodeApiRecord(linesDef, row, entry.updatedAt(row)), line_total: result.ok && total !== undefined ? major(total, result.totals.currency) : null }
  })
  const productsDef = findEntity(schema, 'products')
  const products = productsDef ? stores.get(productsDef.id) : undefined
  const warnings = productsDef && products
    ? stockWarnings({ entity: linesDef, rows }, { entity: productsDef, row: (id) => products.store.row(id) }).map((w) => ({ line: w.lineId, product: w.productId, asked: w.asked, stock: w.stock, message: w.message }))
    : []
  const t = result.ok ? result.totals : null
  return {
    ...deal,
    lines,
    totals: t ? { subtotal: major(t.subtotal, t.currency), discount: major(t.discount, t.currency), tax: major(t.tax, t.currency), total: major(t.total, t.currency), currency: t.currency } : null,
    ...(result.ok ? {} : { totals_error: result.reason }),
    stock_warnings: warnings,
    documents,
  }
}
