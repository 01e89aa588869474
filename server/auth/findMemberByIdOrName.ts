import type { RelayStorage } from '../storage/relayStorage'
import type { ApiKey } from './apiKey'
import { isActive, type Member } from './member'

export class MemberLookupError extends Error {
  override name = 'MemberLookupError'
}

/**
 * For the CLI: an exact id wins; otherwise a name (case-insensitive) that must match exactly
 * one member, preferring active members when a revoked one shares the name.
 */
export function findMemberByIdOrName(storage: RelayStorage, idOrName: string): Member {
  return pickByIdOrName(storage.getMember(idOrName), storage.listMembers(), idOrName, { one: 'member', many: 'members', list: 'kanso member list' })
}

/** The same for API keys (kanso apikey revoke). */
export function findApiKeyByIdOrName(storage: RelayStorage, idOrName: string): ApiKey {
  return pickByIdOrName(storage.getApiKey(idOrName), storage.listApiKeys(), idOrName, { one: 'API key', many: 'API keys', list: 'kanso apikey list' })
}

function pickByIdOrName<T extends Member | ApiKey>(byId: T | null, all: T[], idOrName: string, words: { one: string; many: string; list: string }): T {
  if (byId) return byId
  const wanted = idOrName.trim().toLowerCase()
  const named = all.filter((m) => m.name.toLowerCase() === wanted)
  const active = named.filter((m) => isActive(m))
  const candidates = active.length > 0 ? active : named
  if (candidates.length === 1 && candidates[0]) return candidates[0]
  if (candidates.length === 0) throw new MemberLookupError(`no ${words.one} with id or name "${idOrName}" (see: ${words.list})`)
  throw new MemberLookupError(
    `${candidates.length} ${words.many} are named "${idOrName}" (ids ${candidates.map((m) => m.id).join(', ')}); give the id instead`,
  )
}
