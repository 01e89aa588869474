/** A member as a call may name them. */
export interface CallMember {
  id: string
  name: string
  email?: string
  extension?: string
}

/**
 * The member a PBX names in a call: by id, else email (without case), else extension. Several
 * members sharing an email or extension is a configuration error the caller reports, not a coin toss.
 */
export function matchCallMember<M extends CallMember>(members: readonly M[], ref: string): { ok: true; member: M } | { ok: false; reason: 'unknown' | 'ambiguous' } {
  const wanted = ref.trim()
  const byId = members.find((m) => m.id === wanted)
  if (byId) return { ok: true, member: byId }
  const lower = wanted.toLowerCase()
  for (const matches of [members.filter((m) => m.email?.toLowerCase() === lower), members.filter((m) => m.extension === wanted)]) {
    if (matches.length > 1) return { ok: false, reason: 'ambiguous' }
    if (matches[0]) return { ok: true, member: matches[0] }
  }
  return { ok: false, reason: 'unknown' }
}
