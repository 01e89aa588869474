import type { RelayStorage } from '../storage/relayStorage'
import { createMember } from './createMember'
import { isActive, type Member } from './member'
import { hashMemberToken } from './memberToken'

/** What happened to the first admin at startup; `token` is set only when there is one to show. */
export type FirstAdmin =
  | { kind: 'fromEnv'; member: Member; created: boolean }
  | { kind: 'generated'; member: Member; token: string }
  | { kind: 'existing' }

export const ADMIN_TOKEN_MIN_LENGTH = 16

/**
 * With KANSO_ADMIN_TOKEN: make sure an admin named "Admin" holds that token. Without it: if no
 * active admin exists, create one with a fresh token (printed once by the caller).
 */
export function ensureFirstAdmin(storage: RelayStorage, adminToken: string | undefined, now = new Date()): FirstAdmin {
  if (adminToken !== undefined) {
    if (adminToken.length < ADMIN_TOKEN_MIN_LENGTH) {
      throw new Error(`KANSO_ADMIN_TOKEN must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters long`)
    }
    const existing = storage.findMemberByTokenHash(hashMemberToken(adminToken))
    if (existing) {
      if (!isActive(existing)) throw new Error(`KANSO_ADMIN_TOKEN belongs to member ${existing.id}, which was revoked; set a new token`)
      if (existing.role !== 'admin') throw new Error(`KANSO_ADMIN_TOKEN belongs to member ${existing.id}, whose role is ${existing.role}, not admin`)
      return { kind: 'fromEnv', member: existing, created: false }
    }
    const { member } = createMember(storage, { name: 'Admin', role: 'admin', token: adminToken }, now)
    return { kind: 'fromEnv', member, created: true }
  }
  if (storage.listMembers().some((m) => m.role === 'admin' && isActive(m))) return { kind: 'existing' }
  const { member, token } = createMember(storage, { name: 'Admin', role: 'admin' }, now)
  return { kind: 'generated', member, token }
}
