import { Show, createSignal } from 'solid-js'
import type { SchemaStore } from '../../crdt/schemaStore'
import { currencyRatesText, readCurrencyRatesText } from '../../domain/reports/currencyRatesText'
import { workspaceReportSettings } from '../../domain/reports/workspaceReportSettings'
import type { WorkspaceSchema } from '../../domain/schema'
import type { WorkspaceDetailKey, WorkspaceDetails } from '../../domain/workspace/workspaceDetails'

/**
 * What reports read (issue 17): the time zone their days and months fall in, the currency money
 * is converted into and the rates it is converted at. Saved when a box is left; admins only.
 */
export function ReportSettingsForm(props: { schema: WorkspaceSchema | null; store: SchemaStore; locale: string; editable: boolean }) {
  const settings = (): WorkspaceDetails => props.schema?.workspace ?? {}
  const effective = () => (props.schema ? workspaceReportSettings(props.schema) : null)
  const [problem, setProblem] = createSignal<string | null>(null)
  const zones = Intl.supportedValuesOf('timeZone')
  const save = <K extends WorkspaceDetailKey>(key: K, value: WorkspaceDetails[K] | null) => {
    setProblem(null)
    try {
      props.store.setWorkspaceDetail(key, value)
    } catch (error) {
      setProblem((error as Error).message)
    }
  }
  const saveRates = (text: string) => {
    const read = readCurrencyRatesText(text, props.locale)
    if (!read.ok) return setProblem(read.error)
    save('currencyRates', Object.keys(read.rates).length ? read.rates : null)
  }
  return (
    <form class="kanso-settings-form" aria-label="Reports" onSubmit={(e) => e.preventDefault()}>
      <h2>Reports</h2>
      <fieldset disabled={!props.editable}>
        <label>Time zone
          <input type="text" list="kanso-time-zones" value={settings().timeZone ?? ''} placeholder="UTC" data-detail="timeZone"
            onChange={(e) => save('timeZone', e.currentTarget.value.trim() || null)} />
          <datalist id="kanso-time-zones">{zones.map((z) => <option value={z} />)}</datalist>
          <span class="kanso-hint">Reports count a day, a week, a month in this zone (“this month” starts at its midnight).</span>
        </label>
        <label>Report currency
          <input type="text" maxLength={3} value={settings().reportCurrency ?? ''} placeholder={effective()?.rates.currency ?? 'EUR'} data-detail="reportCurrency"
            onChange={(e) => save('reportCurrency', e.currentTarget.value.trim().toUpperCase() || null)} />
        </label>
        <label>Currency rates
          <textarea rows={4} value={currencyRatesText(settings().currencyRates)} placeholder={'USD 0.92\nGBP 1.17'} data-detail="currencyRates"
            onChange={(e) => saveRates(e.currentTarget.value)} />
          <span class="kanso-hint">One currency a line: what one unit is worth in {effective()?.rates.currency ?? 'the report currency'}. Money in a currency without a rate is left out of converted totals, and the report says which.</span>
        </label>
      </fieldset>
      <Show when={problem()}>{(p) => <p class="kanso-details-problem" role="alert" data-testid="report-settings-problem">Not saved: {p()}</p>}</Show>
    </form>
  )
}
