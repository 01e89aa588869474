import type { WorkspaceSchema } from '../schema'
import type { CurrencyRates } from './currencyRates'

/**
 * What reports read from the workspace's settings: its time zone (UTC until an admin sets one)
 * and the rates money is converted at, into the report currency (else the deals' amount
 * field's default currency).
 */
export function workspaceReportSettings(schema: WorkspaceSchema): { timeZone: string; rates: CurrencyRates } {
  const settings = schema.workspace ?? {}
  const amount = schema.entities.find((e) => e.key === 'deals')?.fields.find((f) => f.key === 'amount' && f.type === 'money')
  return {
    timeZone: settings.timeZone ?? 'UTC',
    rates: { currency: settings.reportCurrency ?? amount?.currency ?? 'EUR', rates: settings.currencyRates ?? {} },
  }
}
