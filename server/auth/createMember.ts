import { customAlphabet } from 'nanoid'
import type { RelayStorage } from '../storage/relayStorage'
import { parseMemberName, parseRole, type Member } from './member'
import { createMemberToken, hashMemberToken } from './memberToken'

// Lowercase letters and digits only: ids are typed on the command line and never start with '-'.
const memberId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 10)

export interface NewMember {
  name: unknown
  role: unknown
  /** Use this token instead of a random one (KANSO_ADMIN_TOKEN). */
  token?: string
}

/** Validates name and role, stores the member with its token hash; the token is returned once. */
export function createMember(storage: RelayStorage, input: NewMember, now = new Date()): { member: Member; token: string } {
  const name = parseMemberName(input.name)
  const role = parseRole(input.role)
  const token = input.token ?? createMemberToken()
  const member: Member = { id: memberId(), name, role, createdAt: now.toISOString() }
  storage.addMember({ ...member, tokenHash: hashMemberToken(token) })
  return { member, token }
}
