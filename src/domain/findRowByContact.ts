import type { EntityDef, Row } from './schema'

/** What a record may be recognised by: an email address and/or an E.164 phone number. */
export interface ContactKeys {
  email?: string
  phone?: string
}

/**
 * The first live record of `entity` holding `keys.email` (compared without case) in any email
 * field, or `keys.phone` in any phone field. Phones are compared on their E.164 number, so a
 * stored `+49301234567 ext. 12` is the caller `+49301234567`; both sides must already be
 * normalised (normalizePhone) — stored values are, input is the caller's job. Used by web forms
 * (a post from a known contact) and calls (who is ringing).
 */
export function findRowByContact(entity: EntityDef, rows: Iterable<Row>, keys: ContactKeys): Row | null {
  const email = keys.email?.toLowerCase()
  const phone = keys.phone ? phoneNumberPart(keys.phone) : undefined
  if (!email && !phone) return null
  const live = entity.fields.filter((f) => !f.deletedAt)
  const emailIds = email ? live.filter((f) => f.type === 'email').map((f) => f.id) : []
  const phoneIds = phone ? live.filter((f) => f.type === 'phone').map((f) => f.id) : []
  if (!emailIds.length && !phoneIds.length) return null
  for (const row of rows) {
    if (row.deletedAt !== undefined) continue
    for (const id of emailIds) {
      const value = row.values[id]
      if (typeof value === 'string' && value.toLowerCase() === email) return row
    }
    for (const id of phoneIds) {
      const value = row.values[id]
      if (typeof value === 'string' && phoneNumberPart(value) === phone) return row
    }
  }
  return null
}

/** `+49301234567 ext. 12` → `+49301234567`. */
function phoneNumberPart(value: string): string {
  const cut = value.indexOf(' ext. ')
  return cut < 0 ? value : value.slice(0, cut)
}
