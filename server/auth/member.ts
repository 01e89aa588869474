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
}

export const MEMBER_NAME_MAX = 80

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

export class MemberInputError extends Error {
  constructor(readonly field: 'name' | 'role', message: string) {
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
