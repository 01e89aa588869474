import { describe, expect, it } from 'vitest'
import { createMemoryStorage } from '../storage/memoryStorage'
import { authenticateToken } from './authenticateToken'
import { createMember } from './createMember'
import { ensureFirstAdmin } from './ensureFirstAdmin'
import { hashMemberToken } from './memberToken'

describe('ensureFirstAdmin', () => {
  it('generates an admin once when there is none and no token is configured', () => {
    const storage = createMemoryStorage()
    const first = ensureFirstAdmin(storage, undefined)
    expect(first.kind).toBe('generated')
    if (first.kind !== 'generated') return
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(authenticateToken(storage, first.token)).toMatchObject({ name: 'Admin', role: 'admin' })
    expect(ensureFirstAdmin(storage, undefined)).toEqual({ kind: 'existing' })
  })

  it('ensures the KANSO_ADMIN_TOKEN admin exists, storing only the hash', () => {
    const storage = createMemoryStorage()
    const token = 'a-long-enough-admin-token'
    expect(ensureFirstAdmin(storage, token)).toMatchObject({ kind: 'fromEnv', created: true })
    expect(ensureFirstAdmin(storage, token)).toMatchObject({ kind: 'fromEnv', created: false })
    expect(storage.findMemberByTokenHash(hashMemberToken(token))?.role).toBe('admin')
    expect(storage.listMembers()).toHaveLength(1)
  })

  it('refuses short, revoked or non-admin tokens with a clear reason', () => {
    const storage = createMemoryStorage()
    expect(() => ensureFirstAdmin(storage, 'short')).toThrow(/at least 16 characters/)
    const { member } = createMember(storage, { name: 'Ed', role: 'editor', token: 'editor-token-0123456789' })
    expect(() => ensureFirstAdmin(storage, 'editor-token-0123456789')).toThrow(/role is editor/)
    storage.revokeMember(member.id, new Date().toISOString())
    expect(() => ensureFirstAdmin(storage, 'editor-token-0123456789')).toThrow(/revoked/)
  })
})
