import { safeLinkHref } from './safeLinkHref'
import type { FieldDef } from './schema'

/**
 * How a phone number is dialled from a link: `tel:` unless the member chose a softphone's scheme
 * (kept per member on the relay, PATCH /api/me); safeLinkHref still decides what may be linked.
 */
export type PhoneScheme = 'tel' | 'sip' | 'callto'

/** What a link cell opens and how it is named to a screen reader. */
export interface CellLink { href: string; kind: 'web' | 'email' | 'phone' }

/** Where an email, phone or URL value links to; null (shown as text) for other fields or an unsafe stored value. */
export function cellLinkHref(field: FieldDef, value: string, phoneScheme: PhoneScheme = 'tel'): CellLink | null {
  const link = (href: string | null, kind: CellLink['kind']) => (href === null ? null : { href, kind })
  switch (field.type) {
    case 'phone': return link(safeLinkHref(`${phoneScheme}:${value}`), 'phone')
    case 'email': return link(safeLinkHref(`mailto:${value}`), 'email')
    case 'url': return link(safeLinkHref(value), 'web')
    default: return null
  }
}

/** The label of a link's open button: "Open example.com", "Email ann@example.com", "Call +49 30 1234567". */
export function cellLinkLabel(link: CellLink, shown: string): string {
  switch (link.kind) {
    case 'email': return `Email ${shown}`
    case 'phone': return `Call ${shown}`
    default: return `Open ${shown} in a new tab`
  }
}
