import { normalizeEmail } from '../../src/domain/normalizeEmail'
import type { PhoneScheme } from '../../src/domain/cellLinkHref'

export const ROLES = ['admin', 'editor', 'viewer'] as const
export type Role = (typeof ROLES)[number]

/** A person (or integration) allowed to use this relay's workspace. */
export interface Member {
  id: string
  name: string
  role: Role
  /** ISO UTC timestamp. */
  createdAt: string
  /** ISO UTC timestamp; a revoked member's token no longer works. */
  revokedAt?: string
  /** How a phone system names them in POST /api/v1/calls (set by an admin); unset when none. */
  email?: string
  extension?: string
  /** How their phone links dial (their own choice, any device); `tel` when unset. */
  phoneScheme?: PhoneScheme
}

/** A change to a member's call settings: a value sets it, null clears it, absent keeps it. */
export interface MemberProfile {
  email?: string | null
  extension?: string | null
  phoneScheme?: PhoneScheme | null
}

export const PHONE_SCHEMES: readonly PhoneScheme[] = ['tel', 'sip', 'callto']

export const MEMBER_NAME_MAX = 80

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

export class MemberInputError extends Error {
  constructor(readonly field: 'name' | 'role' | 'email' | 'extension' | 'phone_scheme', message: string) {
    super(message)
    this.name = 'MemberInputError'
  }
}

/** Trimmed name, 1–80 characters, no control characters. */
export function parseMemberName(value: unknown): string {
  if (typeof value !== 'string') throw new MemberInputError('name', 'name must be a string')
  const name = value.trim()
  if (name.length === 0) throw new MemberInputError('name', 'name must not be empty')
  if (name.length > MEMBER_NAME_MAX) {
    throw new MemberInputError('name', `name must be at most ${MEMBER_NAME_MAX} characters (got ${name.length})`)
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new MemberInputError('name', 'name must not contain control characters')
  return name
}

export function parseRole(value: unknown): Role {
  if (isRole(value)) return value
  const got = typeof value === 'string' ? `"${value}"` : typeof value
  throw new MemberInputError('role', `role must be one of ${ROLES.join(', ')} (got ${got})`)
}

export function isActive(member: Member): boolean {
  return member.revokedAt === undefined
}

/** An email address (normalised), or null to clear it. */
export function parseMemberEmail(value: unknown): string | null {
  if (value === null || value === '') return null
  const email = typeof value === 'string' ? normalizeEmail(value) : undefined
  if (!email) throw new MemberInputError('email', `email must be an email address (got ${JSON.stringify(value)})`)
  return email
}

/** A PBX extension: 1–32 digits, letters and `*#+._-` (`201`, `alice`), or null to clear it. */
export function parseExtension(value: unknown): string | null {
  if (value === null || value === '') return null
  const text = typeof value === 'number' ? String(value) : value
  if (typeof text !== 'string' || !/^[\w*#+.-]{1,32}$/.test(text.trim())) throw new MemberInputError('extension', `extension must be 1–32 digits or letters (got ${JSON.stringify(value)})`)
  return text.trim()
}

export function parsePhoneScheme(value: unknown): PhoneScheme | null {
  if (value === null) return null
  if (typeof value === 'string' && (PHONE_SCHEMES as readonly string[]).includes(value)) return value as PhoneScheme
  throw new MemberInputError('phone_scheme', `phone_scheme must be one of ${PHONE_SCHEMES.join(', ')} (got ${JSON.stringify(value)})`)
}
