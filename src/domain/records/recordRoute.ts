import type { DealDocumentKind } from '../deals/dealDocuments'

/** The member's activities (issue 16): `/my-work`, and what `/` shows. */
export const MY_WORK = 'my-work'

/**
 * Where the address bar points: a list (`/contacts`), the deals' board (`/deals/board`), a
 * record's panel over its list (`/companies/<id>`, a link that can be shared), a deal's quote or
 * invoice (`/deals/<id>/quote`, `/deals/<id>/documents/<issue id>`), or a screen of its own
 * (`/members`, `/settings/api`, `/preferences`).
 */
export interface AppRoute {
  /** The first path segment: an entity's key (or id) or a screen's name; `my-work` for `/` (the first screen after sign-in). */
  view: string
  board: boolean
  /** Set for `/<entityKey>/<recordId>`. */
  record?: { entityKey: string; recordId: string }
  /** Set for a deal's print view: a new quote or invoice (`kind`) or an issued one (`issueId`). */
  document?: DealDocumentRoute
}

export type DealDocumentRoute = { dealId: string; kind: DealDocumentKind } | { dealId: string; issueId: string }

/** Reports, dashboards and the builder (issue 17): `/reports`, `/reports/<report id>`, `/reports/dashboards/<id>`, `/reports/new`. */
export const REPORTS = 'reports'

/** Screens that are not lists: their second segment is a tab, never a record. */
const SCREENS = new Set(['members', 'settings', 'preferences', MY_WORK, REPORTS])
const BOARD = 'board'

export function parseAppRoute(pathname: string): AppRoute {
  const [first = '', second = '', third = '', fourth = ''] = pathname.replace(/^\/+/, '').split('/').map(decodeSegment)
  const view = first || MY_WORK
  if (!second || SCREENS.has(view)) return { view, board: false }
  if (second === BOARD) return { view, board: true }
  if (view === 'deals' && (third === 'quote' || third === 'invoice')) return { view, board: false, document: { dealId: second, kind: third } }
  if (view === 'deals' && third === 'documents' && fourth) return { view, board: false, document: { dealId: second, issueId: fourth } }
  return { view, board: false, record: { entityKey: view, recordId: second } }
}

/** The shareable address of a record's panel. */
export function recordHref(entityKey: string, recordId: string): string {
  return `/${encodeURIComponent(entityKey)}/${encodeURIComponent(recordId)}`
}

/** The address of a deal's new quote or invoice (`kind`), or of one it issued (`issueId`). */
export function dealDocumentHref(route: DealDocumentRoute): string {
  const deal = `/deals/${encodeURIComponent(route.dealId)}`
  return 'kind' in route ? `${deal}/${route.kind}` : `${deal}/documents/${encodeURIComponent(route.issueId)}`
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    // a malformed escape is shown as typed: "Nothing called … here" names it
    return segment
  }
}
