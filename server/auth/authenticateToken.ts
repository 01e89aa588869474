import type { RelayStorage } from '../storage/relayStorage'
import { API_KEY_PREFIX, hashApiKey } from './apiKey'
import { isActive, type Member, type Role } from './member'
import { hashMemberToken } from './memberToken'

/** The active member the token belongs to; null for a missing, unknown or revoked token. */
export function authenticateToken(storage: RelayStorage, token: string | null | undefined): Member | null {
  if (!token) return null
  const member = storage.findMemberByTokenHash(hashMemberToken(token))
  return member && isActive(member) ? member : null
}

/** Who an HTTP request acts as: a member by their token, or an integration by its API key. */
export interface Principal {
  kind: 'member' | 'apiKey'
  id: string
  name: string
  role: Role
}

/**
 * An HTTP caller's member token or API key → who they are; null for a missing, unknown or
 * revoked one (looked up on every request, so a revocation counts from the next request).
 * The websocket accepts member tokens only (authenticateToken): presence, colours and the
 * shared edit budgets belong to people; integrations use the HTTP API.
 */
export function authenticatePrincipal(storage: RelayStorage, token: string | null | undefined): Principal | null {
  if (!token) return null
  // A member token chosen by hand (KANSO_ADMIN_TOKEN) may start with the prefix too: then it is looked up as one.
  const key = token.startsWith(API_KEY_PREFIX) ? storage.findApiKeyByHash(hashApiKey(token)) : null
  if (key) return isActive(key) ? { kind: 'apiKey', id: key.id, name: key.name, role: key.role } : null
  const member = authenticateToken(storage, token)
  return member ? { kind: 'member', id: member.id, name: member.name, role: member.role } : null
}
