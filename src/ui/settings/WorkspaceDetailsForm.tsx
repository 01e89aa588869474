import { Show, createSignal } from 'solid-js'
import type { WorkspaceSchema } from '../../domain/schema'
import type { SchemaStore } from '../../crdt/schemaStore'
import { documentDefaults, TERMS_MAX_LENGTH, type PaperSize, type WorkspaceDetailKey, type WorkspaceDetails } from '../../domain/workspace/workspaceDetails'
import { LogoError, prepareLogo } from './prepareLogo'
import './workspaceDetails.css'

type TextKey = 'companyName' | 'companyAddress' | 'taxId' | 'bankDetails' | 'quoteTerms' | 'invoiceTerms'

/**
 * What the workspace's quotes and invoices print: who sends them, the logo, the default terms and
 * dates, the paper. Each detail is saved when its input is left (one workspace entry each, so two
 * admins editing different details both win); members who are not admins see them read-only.
 */
export function WorkspaceDetailsForm(props: { schema: WorkspaceSchema | null; store: SchemaStore; editable: boolean }) {
  const details = (): WorkspaceDetails => props.schema?.workspace ?? {}
  const defaults = () => documentDefaults(details(), props.schema?.workspace?.defaultCountry)
  const [problem, setProblem] = createSignal<string | null>(null)
  const [logoProblem, setLogoProblem] = createSignal<string | null>(null)

  const save = <K extends WorkspaceDetailKey>(key: K, value: WorkspaceDetails[K] | null) => {
    setProblem(null)
    try {
      props.store.setWorkspaceDetail(key, value)
    } catch (error) {
      setProblem((error as Error).message)
    }
  }
  const saveText = (key: TextKey, text: string) => save(key, text.trim() === '' ? null : text.replace(/\s+$/, ''))
  const saveDays = (key: 'quoteValidDays' | 'invoiceDueDays', text: string) => save(key, text.trim() === '' ? null : Number(text))
  const pickLogo = async (input: HTMLInputElement) => {
    const file = input.files?.[0]
    input.value = ''
    if (!file) return
    setLogoProblem(null)
    try {
      save('logo', await prepareLogo(file))
    } catch (error) {
      if (!(error instanceof LogoError)) throw error
      setLogoProblem(error.message)
    }
  }

  const text = (key: TextKey, label: string, multiline: boolean, hint?: string) => (
    <label>{label}
      {multiline
        ? <textarea rows={key.endsWith('Terms') ? 4 : 3} maxLength={key.endsWith('Terms') ? TERMS_MAX_LENGTH : undefined} value={details()[key] ?? ''} onChange={(e) => saveText(key, e.currentTarget.value)} data-detail={key} />
        : <input type="text" value={details()[key] ?? ''} onChange={(e) => saveText(key, e.currentTarget.value)} data-detail={key} />}
      <Show when={hint}><span class="kanso-hint">{hint}</span></Show>
    </label>
  )

  return (
    <form class="kanso-settings-form kanso-details-form" aria-label="Quotes and invoices" onSubmit={(e) => e.preventDefault()}>
      <h2>Quotes and invoices</h2>
      <p class="kanso-hint">
        Printed on every quote and invoice of a deal (its lines panel: Quote, Invoice).
        {props.editable ? ' Each detail is saved when you leave its box.' : ' Only admins change them.'}
      </p>
      <fieldset disabled={!props.editable}>
        <div class="kanso-logo-row">
          <div class="kanso-logo-preview" data-testid="logo-preview">
            <Show when={details().logo} fallback={<span class="kanso-hint">No logo</span>}>
              {(logo) => <img src={logo()} alt="The workspace's logo" />}
            </Show>
          </div>
          <Show when={props.editable}>
            <div class="kanso-logo-actions">
              <label class="kanso-file-button">{details().logo ? 'Replace logo…' : 'Choose logo…'}
                <input type="file" accept="image/png,image/jpeg,image/webp,image/svg+xml" aria-label="Logo image file"
                  onChange={(e) => void pickLogo(e.currentTarget)} />
              </label>
              <Show when={details().logo}>
                <button type="button" onClick={() => save('logo', null)}>Remove logo</button>
              </Show>
              <span class="kanso-hint">PNG, JPEG, WebP or SVG; scaled down to fit 96 KB.</span>
            </div>
          </Show>
        </div>
        <Show when={logoProblem()}>
          <p class="kanso-details-problem" role="alert" data-testid="logo-problem">{logoProblem()}</p>
        </Show>
        {text('companyName', 'Company name', false)}
        {text('companyAddress', 'Address', true)}
        {text('taxId', 'Tax id (VAT number)', false)}
        {text('bankDetails', 'Bank details', true, 'Printed at the foot of invoices and quotes: account holder, IBAN, BIC, bank.')}
        {text('quoteTerms', 'Quote terms', true, 'Printed on each new quote; the quote keeps the terms it was issued with.')}
        {text('invoiceTerms', 'Invoice terms', true)}
        <div class="kanso-details-numbers">
          <label>Quotes valid for (days)
            <input type="number" min="1" max="365" step="1" value={details().quoteValidDays ?? ''} placeholder={String(defaults().quoteValidDays)}
              onChange={(e) => saveDays('quoteValidDays', e.currentTarget.value)} data-detail="quoteValidDays" />
          </label>
          <label>Invoices due after (days)
            <input type="number" min="0" max="365" step="1" value={details().invoiceDueDays ?? ''} placeholder={String(defaults().invoiceDueDays)}
              onChange={(e) => saveDays('invoiceDueDays', e.currentTarget.value)} data-detail="invoiceDueDays" />
          </label>
          <label>Paper size
            <select onChange={(e) => save('paperSize', e.currentTarget.value as PaperSize)} data-detail="paperSize">
              <option value="A4" selected={defaults().paperSize === 'A4'}>A4 (210 × 297 mm)</option>
              <option value="Letter" selected={defaults().paperSize === 'Letter'}>Letter (8.5 × 11 in)</option>
            </select>
          </label>
        </div>
      </fieldset>
      <Show when={problem()}>
        <p class="kanso-details-problem" role="alert" data-testid="details-problem">Not saved: {problem()}</p>
      </Show>
    </form>
  )
}
