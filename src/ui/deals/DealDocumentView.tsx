import { For, Show, createMemo, createResource, createSignal, onCleanup } from 'solid-js'
import type { EntityStore } from '../../crdt/entityStore'
import { randomId } from '../../crdt/randomId'
import { issuedDocumentsOf, planDocumentIssue, type DealDocumentKind, type IssuedDocument } from '../../domain/deals/dealDocuments'
import { lineDealId, dealLineFieldIds } from '../../domain/deals/dealLineInputs'
import { addCalendarDays, calendarDayOf, DOCUMENT_TITLES, formatDocumentDate, NUMBER_PENDING, printedDocument, VALID_UNTIL_LABELS } from '../../domain/deals/printedDocument'
import { dealDocumentHref, type DealDocumentRoute } from '../../domain/records/recordRoute'
import { fieldByKey, findEntity, type FieldValue, type Row, type WorkspaceSchema } from '../../domain/schema'
import { documentDefaults, TERMS_MAX_LENGTH, type PaperSize } from '../../domain/workspace/workspaceDetails'
import type { WorkspaceSession } from '../../sync/workspaceSession'
import type { MemberInfo } from '../session/relayApi'
import { memberNameOf } from '../session/memberDirectory'
import { DealTotalsList } from './DealTotalsList'
import type { DealTotals, DealTotalsResult } from '../../domain/deals/dealTotals'
import { openAppPath } from './openAppPath'
import './dealDocument.css'

/**
 * A deal's quote or invoice as a printable page (issue 14): /deals/<id>/quote and /invoice preview
 * a new one — its terms and validity or due date can be changed before "Issue" writes its
 * `document@` entry (outside undo: an issued number is never taken back) — and
 * /deals/<id>/documents/<issue id> shows one issued, with its number once the relay's arrives.
 * The lines, totals and customer are the deal's as they are now: a view of the deal, not a copy.
 * Print uses the browser's dialog on the paper chosen here (the workspace's by default); the app
 * around the page and the buttons are left out of the print.
 */
export function DealDocumentView(props: { session: WorkspaceSession; schema: WorkspaceSchema; route: DealDocumentRoute; members: MemberInfo[] }) {
  const dealsDef = findEntity(props.schema, 'deals')!
  const linesDef = findEntity(props.schema, 'deal_lines')!
  const companiesDef = findEntity(props.schema, 'companies')
  const contactsDef = findEntity(props.schema, 'contacts')
  const locale = navigator.language || 'en-US'
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const lineIds = dealLineFieldIds(linesDef)

  // bumped by every change of the deals, lines, companies or contacts: the page reads them again
  const [tick, setTick] = createSignal(0)
  const watch = async (entityId: string | undefined): Promise<EntityStore | undefined> => {
    if (!entityId) return undefined
    const store = await props.session.entity(entityId)
    store.loadRest?.()
    await store.complete
    onCleanup(store.subscribe(() => setTick((n) => n + 1)))
    setTick((n) => n + 1)
    return store
  }
  const [deals] = createResource(() => watch(dealsDef.id))
  const [lines] = createResource(() => watch(linesDef.id))
  const [companies] = createResource(() => watch(companiesDef?.id))
  const [contacts] = createResource(() => watch(contactsDef?.id))
  const loaded = () => !!deals() && !!lines() && (!companiesDef || !!companies()) && (!contactsDef || !!contacts())

  const deal = (): Row | undefined => (tick(), deals()?.row(props.route.dealId))
  const linked = (key: string): string[] => {
    const field = fieldByKey(dealsDef, key)
    const value = field ? deal()?.values[field.id] : undefined
    return typeof value === 'string' ? [value] : Array.isArray(value) ? value : []
  }
  const issued = (): IssuedDocument | undefined => {
    const row = deal()
    return row && 'issueId' in props.route ? issuedDocumentsOf(row).find((d) => d.id === (props.route as { issueId: string }).issueId) : undefined
  }
  const kind = (): DealDocumentKind => ('kind' in props.route ? props.route.kind : issued()?.kind ?? 'quote')
  const defaults = () => documentDefaults(props.schema.workspace ?? {}, props.schema.workspace?.defaultCountry)

  // a new document: issued today (this device's calendar), with the workspace's terms and days unless changed here
  const today = calendarDayOf(new Date().toISOString(), timeZone)
  const [terms, setTerms] = createSignal<string | null>(null)
  const [validUntil, setValidUntil] = createSignal<string | null | undefined>(undefined)
  const previewTerms = () => terms() ?? (kind() === 'quote' ? defaults().quoteTerms : defaults().invoiceTerms)
  const previewValidUntil = () => {
    const chosen = validUntil()
    return chosen !== undefined ? chosen : addCalendarDays(today, kind() === 'quote' ? defaults().quoteValidDays : defaults().invoiceDueDays)
  }
  const [paper, setPaper] = createSignal<PaperSize | null>(null)
  const paperSize = () => paper() ?? defaults().paperSize

  const page = createMemo(() => {
    tick()
    const row = deal()
    if (!row || !loaded()) return undefined
    const isPreview = 'kind' in props.route
    const doc = issued()
    if (!isPreview && !doc) return undefined
    const companyId = linked('company')[0]
    return printedDocument({
      kind: kind(), issued: doc, preview: isPreview ? { issueDate: today, terms: previewTerms(), validUntil: previewValidUntil() } : undefined,
      deals: dealsDef, deal: row, dealLines: linesDef,
      lines: (lines()?.rows() ?? []).filter((r) => lineDealId(r, lineIds.deal) === row.id),
      companies: companiesDef, company: companyId ? companies()?.row(companyId) : undefined,
      contacts: contactsDef, contactRows: linked('contacts').map((id) => contacts()?.row(id)).filter((r): r is Row => !!r),
      workspace: props.schema.workspace ?? {}, locale, timeZone,
    })
  })

  const canIssue = props.session.member.role !== 'viewer'
  const issueProblem = () => {
    const p = page()
    if (!canIssue) return 'Viewers cannot issue documents.'
    if (!p) return 'The deal is still loading.'
    if (!p.lines.length) return 'The deal has no lines yet: add them in its lines panel first.'
    if (!p.totals.ok) return `The lines do not add up: ${p.totals.reason}.`
    return null
  }
  const issue = () => {
    const store = deals()
    if (!store || issueProblem()) return
    const issueId = randomId(12)
    const entry = planDocumentIssue(kind(), props.session.member.id, new Date(), issueId, previewTerms().slice(0, TERMS_MAX_LENGTH), previewValidUntil())
    store.updateCellsUntracked(Object.entries(entry).map(([fieldId, value]) => ({ recordId: props.route.dealId, fieldId, value: value as unknown as FieldValue })))
    openAppPath(dealDocumentHref({ dealId: props.route.dealId, issueId }))
  }
  const memberName = (id: string) => memberNameOf(props.members, id) ?? id

  return (
    <div class="kanso-doc-view" classList={{ 'kanso-paper-a4': paperSize() === 'A4', 'kanso-paper-letter': paperSize() === 'Letter' }} data-testid="deal-document">
      <div class="kanso-doc-toolbar" role="toolbar" aria-label="Document">
        <button type="button" onClick={() => openAppPath('/deals')}>← Deals</button>
        <label class="kanso-doc-paper">Paper
          <select value={paperSize()} onChange={(e) => setPaper(e.currentTarget.value as PaperSize)} aria-label="Paper size">
            <option value="A4">A4</option>
            <option value="Letter">Letter</option>
          </select>
        </label>
        <button type="button" onClick={() => window.print()} disabled={!page()}>Print…</button>
        <Show when={'kind' in props.route}>
          <button type="button" class="kanso-primary" disabled={!!issueProblem()} title={issueProblem() ?? undefined} onClick={issue}>
            Issue {DOCUMENT_TITLES[kind()].toLowerCase()}
          </button>
        </Show>
        <Show when={issued()}>
          {(doc) => (
            <span class="kanso-hint">
              Issued by {memberName(doc().by)} · {doc().number ? `numbered ${doc().number}` : 'its number comes from the relay when this device syncs'}
            </span>
          )}
        </Show>
      </div>
      <Show when={'kind' in props.route}>
        <div class="kanso-doc-draft" aria-label="Before issuing">
          <p class="kanso-hint">
            A preview: issuing writes this {DOCUMENT_TITLES[kind()].toLowerCase()} to the deal once, with these terms and date; the relay gives it its number.
            The lines and totals stay those of the deal.
          </p>
          <label>{VALID_UNTIL_LABELS[kind()]}
            <input type="date" value={previewValidUntil() ?? ''} onChange={(e) => setValidUntil(e.currentTarget.value || null)} />
          </label>
          <label class="kanso-doc-draft-terms">Terms
            <textarea rows={3} maxLength={TERMS_MAX_LENGTH} value={previewTerms()} onInput={(e) => setTerms(e.currentTarget.value)} />
          </label>
          <Show when={issueProblem()}>{(why) => <p class="kanso-hint" role="status">{why()}</p>}</Show>
        </div>
      </Show>
      <Show when={page()} fallback={
        <div class="kanso-empty-state">
          {!loaded() ? 'Loading the deal…' : !deal() ? 'This deal is not on this device: it may have been deleted, or not synced yet.' : 'This deal has issued no such document (it may not have synced to this device yet).'}
        </div>
      }>
        {(p) => (
          <article class="kanso-doc-sheet" aria-label={p().title}>
            <header class="kanso-doc-head">
              <div class="kanso-doc-seller">
                <Show when={p().seller.logo}>{(logo) => <img class="kanso-doc-logo" src={logo()} alt={p().seller.name || 'Logo'} />}</Show>
                <div class="kanso-doc-seller-name">{p().seller.name}</div>
                <div class="kanso-doc-lines-text">{p().seller.address}</div>
                <Show when={p().seller.taxId}><div>Tax id: {p().seller.taxId}</div></Show>
                {/* without the workspace's details the page says nothing of who sends it: said on screen, never printed */}
                <Show when={!p().seller.name && !p().seller.address && !p().seller.logo}>
                  <p class="kanso-doc-seller-missing" data-testid="seller-missing">
                    Your company’s name, address and logo go here.{' '}
                    {props.session.member.role === 'admin'
                      ? <a href="/settings" onClick={(e) => { e.preventDefault(); openAppPath('/settings') }}>Add them in Settings</a>
                      : 'An admin adds them in Settings.'}
                  </p>
                </Show>
              </div>
              <div class="kanso-doc-title">
                <h1>{p().title}</h1>
                <dl class="kanso-doc-meta">
                  <dt>Number</dt>
                  <dd data-testid="document-number" classList={{ 'kanso-doc-pending': 'issueId' in props.route && !p().number }}>
                    {'kind' in props.route ? 'Assigned when issued' : p().number ?? NUMBER_PENDING}
                  </dd>
                  <dt>Date</dt><dd>{formatDocumentDate(p().issueDate, locale)}</dd>
                  <Show when={p().validUntil}>{(date) => <><dt>{p().validUntilLabel}</dt><dd data-testid="document-valid-until">{formatDocumentDate(date(), locale)}</dd></>}</Show>
                  <dt>Reference</dt><dd>{p().dealTitle}</dd>
                </dl>
              </div>
            </header>
            <section class="kanso-doc-customer" aria-label="Customer">
              <div class="kanso-doc-label">{p().kind === 'invoice' ? 'Bill to' : 'Prepared for'}</div>
              <Show when={p().customer.company || p().customer.contacts.length} fallback={<div class="kanso-hint">No company or contact on this deal</div>}>
                <div class="kanso-doc-customer-name">{p().customer.company}</div>
                <div class="kanso-doc-lines-text">{p().customer.address}</div>
                <Show when={p().customer.contacts.length}><div>Attn. {p().customer.contacts.join(', ')}</div></Show>
              </Show>
            </section>
            <table class="kanso-doc-table">
              <thead>
                <tr><th class="kanso-doc-desc">Description</th><th>Qty</th><th class="kanso-doc-unit">Unit</th><th>Unit price</th><th>Disc. %</th><th>Tax %</th><th>Amount</th></tr>
              </thead>
              <tbody>
                <For each={p().lines} fallback={<tr><td colSpan={7} class="kanso-hint">No lines on this deal.</td></tr>}>
                  {(line) => (
                    <tr data-testid="document-line">
                      <td class="kanso-doc-desc">{line.name}</td><td>{line.quantity}</td><td class="kanso-doc-unit">{line.unit}</td>
                      <td>{line.unitPrice}</td><td>{line.discountPct}</td><td>{line.taxPct}</td><td>{line.amount}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
            <div class="kanso-doc-totals">
              <Show when={totalsOf(p().totals)} fallback={<p class="kanso-deal-totals-error" role="alert">Not added up: {(p().totals as { reason: string }).reason}</p>}>
                {(totals) => <DealTotalsList totals={totals()} locale={locale} />}
              </Show>
            </div>
            <Show when={p().terms}>
              <section class="kanso-doc-terms"><div class="kanso-doc-label">Terms</div><div class="kanso-doc-lines-text">{p().terms}</div></section>
            </Show>
            {/* nothing to say at the foot without the workspace's details: no empty rule across the page */}
            <Show when={p().seller.bankDetails || p().seller.name || p().seller.taxId}>
              <footer class="kanso-doc-foot">
                <Show when={p().seller.bankDetails}>
                  <div><div class="kanso-doc-label">Bank details</div><div class="kanso-doc-lines-text">{p().seller.bankDetails}</div></div>
                </Show>
                <div>
                  <div>{p().seller.name}</div>
                  <Show when={p().seller.taxId}><div>Tax id: {p().seller.taxId}</div></Show>
                </div>
              </footer>
            </Show>
          </article>
        )}
      </Show>
    </div>
  )
}

const totalsOf = (result: DealTotalsResult): DealTotals | null => (result.ok ? result.totals : null)
