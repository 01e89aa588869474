import type { DealTotals } from '../../domain/deals/dealTotals'
import { formatDealMoney } from '../../domain/deals/formatDealMoney'

/** A deal's subtotal, discount, tax and total: the same list in its lines panel and on its printed quotes and invoices. */
export function DealTotalsList(props: { totals: DealTotals; locale: string }) {
  const money = (minor: number) => formatDealMoney(minor, props.totals.currency, props.locale)
  const t = () => props.totals
  return (
    <dl class="kanso-deal-totals-list">
      <dt>Subtotal</dt><dd data-testid="deal-subtotal">{money(t().subtotal)}</dd>
      <dt>Discount</dt><dd data-testid="deal-discount">{t().discount ? `−${money(t().discount)}` : money(0)}</dd>
      <dt>Tax{t().taxIncluded ? ` (${money(t().taxIncluded)} included)` : ''}</dt><dd data-testid="deal-tax">{money(t().tax)}</dd>
      <dt class="kanso-deal-total">Total</dt><dd class="kanso-deal-total" data-testid="deal-total">{money(t().total)}</dd>
    </dl>
  )
}
