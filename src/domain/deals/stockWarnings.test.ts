import { expect, test } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import { findEntity, type FieldValue, type Row } from '../schema'
import { stockWarnings } from './stockWarnings'

const schema = defaultSchema()
const lines = findEntity(schema, 'deal_lines')!
const products = findEntity(schema, 'products')!
const row = (id: string, values: Record<string, FieldValue>): Row => ({ id, values, createdAt: '2026-01-01T00:00:00Z', createdBy: 'm' })

const catalog = new Map([
  ['p1', row('p1', { 'products.name': 'Chair', 'products.stock': 5 })],
  ['p2', row('p2', { 'products.name': 'Consulting' })],
])

test("lines of one product together asking for more than its stock warn, each naming the product and both numbers", () => {
  const rows = [
    row('a', { 'deal_lines.product': 'p1', 'deal_lines.quantity': 3 }),
    row('b', { 'deal_lines.product': 'p1', 'deal_lines.quantity': 3 }),
    row('c', { 'deal_lines.product': 'p2', 'deal_lines.quantity': 100 }),
    row('d', { 'deal_lines.name': 'Free text', 'deal_lines.quantity': 100 }),
  ]
  const warnings = stockWarnings({ entity: lines, rows }, { entity: products, row: (id) => catalog.get(id) })
  expect(warnings.map((w) => w.lineId)).toEqual(['a', 'b'])
  expect(warnings[0]).toMatchObject({ productId: 'p1', asked: 6, stock: 5, message: '6 of Chair asked, 5 in stock' })
})

test('asking for exactly the stock, or a product without a stock value, does not warn', () => {
  const rows = [row('a', { 'deal_lines.product': 'p1', 'deal_lines.quantity': 5 }), row('c', { 'deal_lines.product': 'p2', 'deal_lines.quantity': 9 })]
  expect(stockWarnings({ entity: lines, rows }, { entity: products, row: (id) => catalog.get(id) })).toEqual([])
})
