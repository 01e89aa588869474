import type { RelayStorage } from '../storage/relayStorage'
import { isActive, type Member } from './member'
import { hashMemberToken } from './memberToken'

/** The active member the token belongs to; null for a missing, unknown or revoked token. */
export function authenticateToken(storage: RelayStorage, token: string | null | undefined): Member | null {
  if (!token) return null
  const member = storage.findMemberByTokenHash(hashMemberToken(token))
  return member && isActive(member) ? member : null
}
