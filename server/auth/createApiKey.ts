import { customAlphabet } from 'nanoid'
import type { RelayStorage } from '../storage/relayStorage'
import { createApiKeySecret, hashApiKey, type ApiKey } from './apiKey'
import { parseMemberName, parseRole } from './member'

// Like member ids: lowercase letters and digits, safe to type on the command line.
const apiKeyId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 10)

/** Validates name and role (the members' rules), stores the key's hash; the key is returned once. */
export function createApiKey(storage: RelayStorage, input: { name: unknown; role: unknown }, now = new Date()): { apiKey: ApiKey; key: string } {
  const name = parseMemberName(input.name)
  const role = parseRole(input.role)
  const key = createApiKeySecret()
  const apiKey: ApiKey = { id: apiKeyId(), name, role, createdAt: now.toISOString() }
  storage.addApiKey({ ...apiKey, keyHash: hashApiKey(key) })
  return { apiKey, key }
}
