import { matchKey } from './normalizeSpaces'

export type MemberMatch = { ok: true; id: string } | { ok: false; reason: 'unknown' | 'ambiguous' }

/** A member by exact id, else by name ignoring case and spacing; two members sharing the name is ambiguous. */
export function matchMember(members: readonly { id: string; name: string }[], text: string): MemberMatch {
  const trimmed = text.trim()
  const byId = members.find((m) => m.id === trimmed)
  if (byId) return { ok: true, id: byId.id }
  const key = matchKey(trimmed)
  const named = members.filter((m) => matchKey(m.name) === key)
  if (named.length > 1) return { ok: false, reason: 'ambiguous' }
  const [member] = named
  return member ? { ok: true, id: member.id } : { ok: false, reason: 'unknown' }
}
