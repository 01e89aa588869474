import { For, Show } from 'solid-js'
import { issuedDocumentsOf } from '../../domain/deals/dealDocuments'
import { calendarDayOf, DOCUMENT_TITLES, formatDocumentDate } from '../../domain/deals/printedDocument'
import { dealDocumentHref } from '../../domain/records/recordRoute'
import type { Row } from '../../domain/schema'
import type { MemberInfo } from '../session/relayApi'
import { memberNameOf } from '../session/memberDirectory'
import { openAppPath } from './openAppPath'

/**
 * A deal's quotes and invoices in its lines panel: Quote and Invoice open the preview of a new
 * one; each issued one (oldest first) with its number — or "pending" until the relay's arrives —
 * its kind, date and issuer, linking to its print view.
 */
export function DealDocumentsList(props: { dealId: string; deal: Row | undefined; members: MemberInfo[] }) {
  const locale = navigator.language || 'en-US'
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const documents = () => (props.deal ? issuedDocumentsOf(props.deal) : [])
  const go = (e: MouseEvent, href: string) => {
    // a modified click (new tab, new window) is the browser's
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return
    e.preventDefault()
    openAppPath(href)
  }
  const memberName = (id: string) => memberNameOf(props.members, id) ?? id
  return (
    <section class="kanso-deal-documents" aria-label="Quotes and invoices" data-testid="deal-documents">
      <div class="kanso-deal-documents-actions">
        <For each={['quote', 'invoice'] as const}>
          {(kind) => {
            const href = dealDocumentHref({ dealId: props.dealId, kind })
            return <a class="kanso-button-link" href={href} onClick={(e) => go(e, href)}>{DOCUMENT_TITLES[kind]}</a>
          }}
        </For>
      </div>
      <Show when={documents().length} fallback={<p class="kanso-hint">No quote or invoice issued yet.</p>}>
        <ul class="kanso-deal-documents-list">
          <For each={documents()}>
            {(doc) => {
              const href = dealDocumentHref({ dealId: props.dealId, issueId: doc.id })
              return (
                <li data-testid="deal-document-item">
                  <a href={href} onClick={(e) => go(e, href)}>
                    <span classList={{ 'kanso-deal-document-number': true, 'kanso-deal-document-pending': !doc.number }}>{doc.number ?? 'Number pending'}</span>
                    {' '}<span class="kanso-deal-document-kind">{DOCUMENT_TITLES[doc.kind]}</span>
                  </a>
                  <span class="kanso-hint">{formatDocumentDate(calendarDayOf(doc.at, timeZone), locale)} · {memberName(doc.by)}</span>
                </li>
              )
            }}
          </For>
        </ul>
      </Show>
    </section>
  )
}
