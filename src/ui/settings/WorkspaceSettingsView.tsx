import { For, Show } from 'solid-js'
import { phoneCountries } from '../../domain/normalizePhone'
import type { WorkspaceSchema } from '../../domain/schema'
import type { SchemaStore } from '../../crdt/schemaStore'
import { WorkspaceDetailsForm } from './WorkspaceDetailsForm'
import { ReportSettingsForm } from './ReportSettingsForm'

const SOURCE_NOTE = {
  admin: 'Chosen by an admin.',
  locale: 'Set at first start from the first admin’s browser language settings.',
  relay: 'Guessed from the relay’s locale; the first admin’s browser replaces the guess if its language settings name a country.',
}

/**
 * Admins set workspace-wide settings: the country phone numbers belong to when typed without a
 * country code, calls from unknown numbers, what quotes and invoices print, and reports' time
 * zone and currency rates. Other members
 * see them read-only (`editable` false).
 */
export function WorkspaceSettingsView(props: { schema: WorkspaceSchema | null; store: SchemaStore; locale: string; editable: boolean }) {
  const names = new Intl.DisplayNames([props.locale, 'en'], { type: 'region' })
  const countries = phoneCountries()
    .map((code) => ({ code, name: names.of(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name, props.locale))
  const settings = () => props.schema?.workspace ?? {}
  return (
    <section class="kanso-settings" aria-label="Workspace settings">
      <form class="kanso-settings-form" onSubmit={(e) => e.preventDefault()}>
        <h2>Workspace</h2>
        <label>Country for phone numbers
          <select disabled={!props.editable} onChange={(e) => props.store.setDefaultCountry(e.currentTarget.value || null, 'admin')}>
            <option value="" selected={!settings().defaultCountry}>None — every number needs its country code</option>
            <For each={countries}>
              {(c) => <option value={c.code} selected={settings().defaultCountry === c.code}>{c.name}</option>}
            </For>
          </select>
        </label>
        <Show when={settings().defaultCountrySource}>
          {(source) => <p class="kanso-hint" data-testid="country-source">{SOURCE_NOTE[source()]}</p>}
        </Show>
        <p class="kanso-hint">
          A phone number typed without a country code (030 1234567) is read as a number of the member’s own
          country — the region of their browser’s language, e.g. en-US → United States — and else as a number
          of this country. Every number is stored with its country code (+49 30 1234567); one that fits
          neither country is refused until its country code is added.
        </p>
        <label class="kanso-check">
          <input type="checkbox" disabled={!props.editable} checked={settings().callsCreateLeadForUnknown !== false}
            onChange={(e) => props.store.setCallsCreateLeadForUnknown(e.currentTarget.checked)} />
          A call from a number nobody has creates a new lead
        </label>
        <p class="kanso-hint">
          Phone systems post calls to <code>/api/v1/calls</code>; each call is logged as an activity on the contact,
          company or lead with the caller’s number. A single call can decide otherwise with <code>"create_lead"</code>.
        </p>
      </form>
      <WorkspaceDetailsForm schema={props.schema} store={props.store} editable={props.editable} />
      <ReportSettingsForm schema={props.schema} store={props.store} locale={props.locale} editable={props.editable} />
    </section>
  )
}
