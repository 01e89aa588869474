import { describe, expect, it } from 'vitest'
import { createRecord, readRow, updateCell } from '../../src/crdt/recordDoc'
import { ADMIN_TOKEN, makeTempDir, startTestRelay, useTestScope } from './relayTestKit'

const scope = useTestScope()

async function api(url: string, path: string, init: { method?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` }
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${url}/api/v1${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null }
}

async function relay() {
  const started = await startTestRelay({ dataDir: makeTempDir(), apiRateLimit: null })
  scope.cleanups.push(() => started.close())
  return started
}

async function post(url: string, entity: string, body: Record<string, unknown>): Promise<string> {
  const created = await api(url, `/${entity}`, { method: 'POST', body })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  return created.body.id as string
}

/** The deal's amount as the API reads it, once it equals `amount` (the relay writes it after the line is stored). */
async function amountBecomes(url: string, dealId: string, amount: unknown): Promise<void> {
  const deadline = Date.now() + 5000
  let seen: unknown
  while (Date.now() < deadline) {
    seen = (await api(url, `/deals/${dealId}`)).body.amount
    if (JSON.stringify(seen) === JSON.stringify(amount)) return
    await new Promise((r) => setTimeout(r, 25))
  }
  expect(seen, 'the deal amount follows its lines').toEqual(amount)
}

describe('deal lines over /api/v1 on the real relay', () => {
  it('GET /deals/{id} has its lines, exact totals and stock warnings; the amount follows the lines', async () => {
    const { url } = await relay()
    const chair = await post(url, 'products', { name: 'Chair', price: { amount: 100, currency: 'EUR' }, stock: 5 })
    const deal = await post(url, 'deals', { title: 'Office', currency: 'EUR', amount: { amount: 1, currency: 'EUR' } })
    const other = await post(url, 'deals', { title: 'Untouched', amount: { amount: 7, currency: 'EUR' } })
    // 6 × 100.00 − 10 % = 540.00, + 19 % = 102.60 → 642.60; asks 6 of 5 in stock
    const first = await post(url, 'deal_lines', { deal, product: chair, name: 'Chair', quantity: 6, unit: 'pcs', unit_price: { amount: 100, currency: 'EUR' }, discount_pct: 10, tax_pct: 19 })
    // free text: 1.5 × 80.00 = 120.00 holding 19 % = 19.16
    const second = await post(url, 'deal_lines', { deal, name: 'Setup', quantity: 1.5, unit: 'hour', unit_price: 80, tax_pct: 19, tax_included: true })

    const read = await api(url, `/deals/${deal}`)
    expect(read.status).toBe(200)
    expect(read.body.lines.map((l: { id: string }) => l.id)).toEqual([first, second])
    expect(read.body.lines[0]).toMatchObject({ deal, product: chair, name: 'Chair', quantity: 6, unit_price: { amount: 100, currency: 'EUR' }, line_total: 642.6 })
    expect(read.body.lines[1]).toMatchObject({ name: 'Setup', product: null, tax_included: true, line_total: 120 })
    expect(read.body.totals).toEqual({ subtotal: 720, discount: 60, tax: 121.76, total: 762.6, currency: 'EUR' })
    expect(read.body.stock_warnings).toEqual([{ line: first, product: chair, asked: 6, stock: 5, message: '6 of Chair asked, 5 in stock' }])
    await amountBecomes(url, deal, { amount: 762.6, currency: 'EUR' })

    // a PATCH of a line and a typed-over amount both come back to the lines' total
    expect((await api(url, `/deal_lines/${first}`, { method: 'PATCH', body: { quantity: 5 } })).status).toBe(200)
    await amountBecomes(url, deal, { amount: 655.5, currency: 'EUR' }) // 450.00 + 85.50 + 120.00
    expect((await api(url, `/deals/${deal}`)).body.stock_warnings).toEqual([])
    expect((await api(url, `/deals/${deal}`, { method: 'PATCH', body: { amount: 1 } })).status).toBe(200)
    await amountBecomes(url, deal, { amount: 655.5, currency: 'EUR' })

    // a deleted line leaves the total; a deal without lines keeps the amount it was given
    expect((await api(url, `/deal_lines/${second}`, { method: 'DELETE' })).status).toBe(204)
    await amountBecomes(url, deal, { amount: 535.5, currency: 'EUR' })
    expect((await api(url, `/deals/${other}`)).body).toMatchObject({ amount: { amount: 7, currency: 'EUR' }, lines: [], totals: { total: 0, currency: 'EUR' } })
  })

  it('a line edited in a y-websocket client moves the amount, which the deals client then sees', async () => {
    const { url, syncUrl } = await relay()
    const deal = await post(url, 'deals', { title: 'Yen', currency: 'JPY' })
    const lines = scope.client(syncUrl, 'entity-deal_lines', ADMIN_TOKEN)
    const deals = scope.client(syncUrl, 'entity-deals', ADMIN_TOKEN)
    await Promise.all([lines.synced, deals.synced])
    // zero-decimal yen: 1.5 × ¥333 = 499.5 → ¥500
    const line = createRecord(lines.doc, { 'deal_lines.deal': deal, 'deal_lines.name': 'Tea', 'deal_lines.quantity': 1.5, 'deal_lines.unit_price': { amount: 333, currency: 'JPY' } }, { createdBy: 'someone' }, 'ui')
    await amountBecomes(url, deal, { amount: 500, currency: 'JPY' })
    updateCell(lines.doc, line, 'deal_lines.tax_pct', 10, 'ui')
    await amountBecomes(url, deal, { amount: 550, currency: 'JPY' })
    const deadline = Date.now() + 2000
    while (Date.now() < deadline && JSON.stringify(readRow(deals.doc, deal)?.values['deals.amount']) !== JSON.stringify({ amount: 550, currency: 'JPY' })) await new Promise((r) => setTimeout(r, 20))
    expect(readRow(deals.doc, deal)?.values['deals.amount']).toEqual({ amount: 550, currency: 'JPY' })
  })

  it('lines in two currencies are refused with the reason, and the amount stays', async () => {
    const { url } = await relay()
    const deal = await post(url, 'deals', { title: 'Mixed', amount: { amount: 5, currency: 'EUR' } })
    await post(url, 'deal_lines', { deal, name: 'A', quantity: 1, unit_price: { amount: 10, currency: 'EUR' } })
    await amountBecomes(url, deal, { amount: 10, currency: 'EUR' })
    await post(url, 'deal_lines', { deal, name: 'B', quantity: 1, unit_price: { amount: 10, currency: 'USD' } })
    const read = await api(url, `/deals/${deal}`)
    expect(read.body.totals).toBeNull()
    expect(read.body.totals_error).toMatch(/USD.*EUR/)
    expect(read.body.lines).toHaveLength(2)
    await new Promise((r) => setTimeout(r, 200))
    expect((await api(url, `/deals/${deal}`)).body.amount).toEqual({ amount: 10, currency: 'EUR' })
  })
})
