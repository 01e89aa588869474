/**
 * Where the address bar points: a list (`/contacts`), the deals' board (`/deals/board`), a
 * record's panel over its list (`/companies/<id>`, a link that can be shared), or a screen of
 * its own (`/members`, `/settings/api`, `/preferences`).
 */
export interface AppRoute {
  /** The first path segment: an entity's key (or id) or a screen's name; `contacts` for `/`. */
  view: string
  board: boolean
  /** Set for `/<entityKey>/<recordId>`. */
  record?: { entityKey: string; recordId: string }
}

/** Screens that are not lists: their second segment is a tab, never a record. */
const SCREENS = new Set(['members', 'settings', 'preferences'])
const BOARD = 'board'

export function parseAppRoute(pathname: string): AppRoute {
  const [first = '', second = ''] = pathname.replace(/^\/+/, '').split('/').map(decodeSegment)
  const view = first || 'contacts'
  if (!second || SCREENS.has(view)) return { view, board: false }
  if (second === BOARD) return { view, board: true }
  return { view, board: false, record: { entityKey: view, recordId: second } }
}

/** The shareable address of a record's panel. */
export function recordHref(entityKey: string, recordId: string): string {
  return `/${encodeURIComponent(entityKey)}/${encodeURIComponent(recordId)}`
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    // a malformed escape is shown as typed: "Nothing called … here" names it
    return segment
  }
}
