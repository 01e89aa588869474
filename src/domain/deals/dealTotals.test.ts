import { describe, expect, test } from 'vitest'
import { dealTotals, type DealLineInput } from './dealTotals'

let n = 0
function line(quantity: number | null, amount: number | null, extra: Partial<DealLineInput> & { currency?: string } = {}): DealLineInput {
  const { currency = 'EUR', ...rest } = extra
  return { id: `l${++n}`, quantity, unitPrice: amount === null ? null : { amount, currency }, discountPct: null, taxPct: null, taxIncluded: false, ...rest }
}

function totalsOf(lines: DealLineInput[], currency?: string) {
  const result = dealTotals(lines, currency)
  if (!result.ok) throw new Error(result.reason)
  return result.totals
}

describe('line totals', () => {
  test('quantity × unit price, exact for decimal quantities (1.5 h × 80.00 = 120.00)', () => {
    expect(totalsOf([line(1.5, 8000)]).lines[0]).toMatchObject({ gross: 12000, discount: 0, net: 12000, tax: 0, total: 12000 })
  })

  test('0.1 × 3 of a price that floats get wrong adds up exactly (0.1 + 0.2 ≠ 0.3 in floats)', () => {
    const t = totalsOf([line(0.1, 1000), line(0.2, 1000), line(0.3, 1000)])
    expect(t.subtotal).toBe(600)
    expect(t.total).toBe(600)
  })

  test('a discount comes off the gross, rounded half up once per line', () => {
    // 3 × 3.33 = 9.99; 5 % of it = 0.4995 → 0.50
    expect(totalsOf([line(3, 333, { discountPct: 5 })]).lines[0]).toMatchObject({ gross: 999, discount: 50, net: 949, total: 949 })
  })

  test('added tax is on the rounded net and added to the total; halves round up (away from zero)', () => {
    // 1 × 0.05 at 10 % = 0.005 → 0.01
    expect(totalsOf([line(1, 5, { taxPct: 10 })]).lines[0]).toMatchObject({ net: 5, tax: 1, total: 6 })
    // 19 % of 100.00 = 19.00
    expect(totalsOf([line(2, 5000, { taxPct: 19 })]).lines[0]).toMatchObject({ net: 10000, tax: 1900, total: 11900 })
    // a credit line rounds away from zero too: −0.005 → −0.01
    expect(totalsOf([line(-1, 5, { taxPct: 10 })]).lines[0]).toMatchObject({ net: -5, tax: -1, total: -6 })
  })

  test('included tax is taken out of the price: 119.00 at 19 % holds 19.00, and the total stays 119.00', () => {
    expect(totalsOf([line(1, 11900, { taxPct: 19, taxIncluded: true })]).lines[0]).toMatchObject({ gross: 11900, net: 11900, tax: 1900, total: 11900 })
    // 10.00 at 7 % holds 0.6542… → 0.65
    expect(totalsOf([line(1, 1000, { taxPct: 7, taxIncluded: true })]).lines[0]).toMatchObject({ tax: 65, total: 1000 })
  })

  test('decimal percentages are exact: 19.6 % of 10.00 is 1.96', () => {
    expect(totalsOf([line(1, 1000, { taxPct: 19.6 })]).lines[0]).toMatchObject({ tax: 196, total: 1196 })
    expect(totalsOf([line(1, 1000, { discountPct: 12.5 })]).lines[0]).toMatchObject({ discount: 125, net: 875 })
  })

  test('an empty quantity or price counts as 0; 100 % discount leaves nothing', () => {
    expect(totalsOf([line(null, 1000), line(2, null), line(2, 1000, { discountPct: 100, taxPct: 19 })]).total).toBe(0)
  })

  test('a percentage outside 0–100 or a non-finite quantity is refused with the line', () => {
    const bad = line(1, 100, { discountPct: 120 })
    expect(dealTotals([line(1, 100), bad])).toEqual({ ok: false, lineId: bad.id, reason: expect.stringContaining('120 % is not between 0 and 100') })
    expect(dealTotals([line(1, 100, { taxPct: -1 })])).toMatchObject({ ok: false, reason: expect.stringContaining('tax') })
    expect(dealTotals([line(Number.NaN, 100)])).toMatchObject({ ok: false, reason: expect.stringContaining('quantity') })
  })
})

describe('deal totals', () => {
  test('subtotal, discount, tax and total: total = subtotal − discount + added tax', () => {
    const t = totalsOf([
      line(2, 10000, { discountPct: 10, taxPct: 19 }), // 200.00 − 20.00 = 180.00 + 34.20
      line(1, 11900, { taxPct: 19, taxIncluded: true }), // 119.00 holding 19.00
      line(1.5, 8000), // 120.00, no tax
    ], 'EUR')
    expect(t).toMatchObject({ currency: 'EUR', subtotal: 43900, discount: 2000, tax: 3420 + 1900, taxIncluded: 1900, total: 18000 + 3420 + 11900 + 12000 })
    expect(t.total).toBe(t.subtotal - t.discount + t.tax - t.taxIncluded)
    expect(t.total).toBe(t.lines.reduce((s, l) => s + l.total, 0))
  })

  test('zero-decimal JPY: minor units are yen, rounding is to whole yen', () => {
    // 1.5 × ¥333 = 499.5 → ¥500; 10 % tax → ¥50
    const t = totalsOf([line(1.5, 333, { currency: 'JPY', taxPct: 10 })], 'JPY')
    expect(t).toMatchObject({ currency: 'JPY', subtotal: 500, tax: 50, total: 550 })
  })

  test('three-decimal KWD: minor units are fils', () => {
    // 3 × 1.234 KWD = 3.702; 5 % discount = 0.1851 → 0.185
    const t = totalsOf([line(3, 1234, { currency: 'KWD', discountPct: 5 })])
    expect(t).toMatchObject({ currency: 'KWD', subtotal: 3702, discount: 185, total: 3517 })
  })

  test('mixed currencies are refused, naming the currencies', () => {
    const usd = line(1, 100, { currency: 'USD' })
    expect(dealTotals([line(1, 100), usd])).toEqual({ ok: false, lineId: usd.id, reason: expect.stringMatching(/USD.*EUR/) })
    const eur = line(1, 100)
    expect(dealTotals([eur], 'JPY')).toMatchObject({ ok: false, lineId: eur.id, reason: expect.stringContaining('the deal is in JPY') })
  })

  test('no lines: zero in the deal currency', () => {
    expect(totalsOf([], 'CHF')).toMatchObject({ currency: 'CHF', subtotal: 0, total: 0, lines: [] })
  })

  test('200 lines add up exactly to the sum of their rounded line totals', () => {
    const lines = Array.from({ length: 200 }, (_, i) => line(1 + (i % 7) * 0.25, 999 + i * 13, { discountPct: i % 4 === 0 ? 7.5 : null, taxPct: [0, 7, 19][i % 3]!, taxIncluded: i % 5 === 0 }))
    const t = totalsOf(lines)
    expect(t.lines).toHaveLength(200)
    expect(t.total).toBe(t.lines.reduce((s, l) => s + l.total, 0))
    expect(t.subtotal).toBe(t.lines.reduce((s, l) => s + l.gross, 0))
    expect(t.total).toBe(t.subtotal - t.discount + t.tax - t.taxIncluded)
    for (const l of t.lines) expect(Number.isSafeInteger(l.total)).toBe(true)
  })

  test('amounts past what a safe integer holds are refused, not rounded', () => {
    expect(dealTotals([line(1e6, Number.MAX_SAFE_INTEGER)])).toMatchObject({ ok: false, reason: expect.stringContaining('more money') })
  })
})
