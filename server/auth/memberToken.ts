import { createHash, randomBytes } from 'node:crypto'

/** A new secret token: 32 random bytes, base64url (43 characters). Shown once, never stored. */
export function createMemberToken(): string {
  return randomBytes(32).toString('base64url')
}

/** What storage keeps instead of the token: sha256, hex. */
export function hashMemberToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}
