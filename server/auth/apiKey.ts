import { createHash, randomBytes } from 'node:crypto'
import type { Role } from './member'

/** An integration's credential: a name and a role, like a member, but for HTTP only. */
export interface ApiKey {
  id: string
  name: string
  role: Role
  /** ISO UTC timestamp. */
  createdAt: string
  /** ISO UTC timestamp; a revoked key is refused from the next request on. */
  revokedAt?: string
}

/**
 * Every key starts with this, so secret scanners and people can tell a Kanso API key from a
 * member token at a glance; `Authorization: Bearer` tells them apart by it too.
 */
export const API_KEY_PREFIX = 'kanso_'

/** A new secret key: the prefix and 32 random bytes, base64url. Shown once, never stored. */
export function createApiKeySecret(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`
}

/** What storage keeps instead of the key: sha256, hex. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}
