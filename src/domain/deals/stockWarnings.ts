import { fieldByKey, type EntityDef, type Row } from '../schema'
import { dealLineFieldIds } from './dealLineInputs'

/** A line that asks for more of a product than is in stock (all of the deal's lines of that product together). */
export interface StockWarning {
  lineId: string
  productId: string
  /** What the deal's lines ask for of this product, together. */
  asked: number
  stock: number
  message: string
}

/**
 * Each line whose product's `stock` is less than what the deal's lines of that product ask
 * for together. A product without a stock value (services, hours) never warns. A warning, not
 * a refusal: the deal may be closed before the goods arrive.
 */
export function stockWarnings(lines: { entity: EntityDef; rows: readonly Row[] }, products: { entity: EntityDef; row: (id: string) => Row | undefined }): StockWarning[] {
  const ids = dealLineFieldIds(lines.entity)
  const stockField = fieldByKey(products.entity, 'stock')?.id
  const nameField = products.entity.primaryField
  if (!ids.product || !stockField) return []
  const asked = new Map<string, number>()
  const productOf = (row: Row) => {
    const v = row.values[ids.product!]
    return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined
  }
  const quantityOf = (row: Row) => {
    const v = row.values[ids.quantity ?? '']
    return typeof v === 'number' && Number.isFinite(v) ? v : 0
  }
  for (const row of lines.rows) {
    const product = productOf(row)
    if (product) asked.set(product, (asked.get(product) ?? 0) + quantityOf(row))
  }
  const warnings: StockWarning[] = []
  for (const row of lines.rows) {
    const productId = productOf(row)
    const product = productId ? products.row(productId) : undefined
    const stock = product?.values[stockField]
    const total = productId ? asked.get(productId) ?? 0 : 0
    if (!productId || !product || typeof stock !== 'number' || total <= stock) continue
    const name = typeof product.values[nameField] === 'string' ? String(product.values[nameField]) : 'this product'
    warnings.push({ lineId: row.id, productId, asked: total, stock, message: `${total} of ${name} asked, ${stock} in stock` })
  }
  return warnings
}
