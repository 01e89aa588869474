import type { RelayStorage } from '../storage/relayStorage'
import { isActive, type Member } from './member'

export class MemberLookupError extends Error {
  override name = 'MemberLookupError'
}

/**
 * For the CLI: an exact id wins; otherwise a name (case-insensitive) that must match exactly
 * one member, preferring active members when a revoked one shares the name.
 */
export function findMemberByIdOrName(storage: RelayStorage, idOrName: string): Member {
  const byId = storage.getMember(idOrName)
  if (byId) return byId
  const wanted = idOrName.trim().toLowerCase()
  const named = storage.listMembers().filter((m) => m.name.toLowerCase() === wanted)
  const active = named.filter(isActive)
  const candidates = active.length > 0 ? active : named
  if (candidates.length === 1 && candidates[0]) return candidates[0]
  if (candidates.length === 0) throw new MemberLookupError(`no member with id or name "${idOrName}" (see: kanso member list)`)
  throw new MemberLookupError(
    `${candidates.length} members are named "${idOrName}" (ids ${candidates.map((m) => m.id).join(', ')}); give the id instead`,
  )
}
