import { describe, expect, it } from 'vitest'
import { createMemoryStorage } from '../storage/memoryStorage'
import { API_KEY_PREFIX } from './apiKey'
import { authenticatePrincipal, authenticateToken } from './authenticateToken'
import { createApiKey } from './createApiKey'
import { createMember } from './createMember'
import { MemberInputError } from './member'

describe('authenticatePrincipal', () => {
  it('names a member or an API key, with its role; stores only the key hash', () => {
    const storage = createMemoryStorage()
    const { member, token } = createMember(storage, { name: 'Ed', role: 'editor' })
    const { apiKey, key } = createApiKey(storage, { name: 'Website', role: 'viewer' })
    expect(key.startsWith(API_KEY_PREFIX)).toBe(true)
    expect(authenticatePrincipal(storage, token)).toEqual({ kind: 'member', id: member.id, name: 'Ed', role: 'editor' })
    expect(authenticatePrincipal(storage, key)).toEqual({ kind: 'apiKey', id: apiKey.id, name: 'Website', role: 'viewer' })
    expect(JSON.stringify(storage.listApiKeys())).not.toContain(key.slice(API_KEY_PREFIX.length))
  })

  it('refuses a revoked key at once, an unknown key, and API keys on the websocket path', () => {
    const storage = createMemoryStorage()
    const { apiKey, key } = createApiKey(storage, { name: 'Zapier', role: 'editor' })
    expect(authenticateToken(storage, key)).toBeNull()
    storage.revokeApiKey(apiKey.id, new Date().toISOString())
    expect(authenticatePrincipal(storage, key)).toBeNull()
    expect(authenticatePrincipal(storage, `${API_KEY_PREFIX}unknown`)).toBeNull()
    expect(authenticatePrincipal(storage, '')).toBeNull()
  })

  it('still finds a hand-picked member token that happens to start like an API key', () => {
    const storage = createMemoryStorage()
    const token = `${API_KEY_PREFIX}chosen-admin-token`
    createMember(storage, { name: 'Admin', role: 'admin', token })
    expect(authenticatePrincipal(storage, token)).toMatchObject({ kind: 'member', role: 'admin' })
  })

  it('validates an API key name and role like a member', () => {
    const storage = createMemoryStorage()
    expect(() => createApiKey(storage, { name: ' ', role: 'viewer' })).toThrow(MemberInputError)
    expect(() => createApiKey(storage, { name: 'X', role: 'owner' })).toThrow(/role must be one of admin, editor, viewer/)
    expect(storage.listApiKeys()).toEqual([])
  })
})
