import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ApiKey } from '../auth/apiKey'
import type { Principal } from '../auth/authenticateToken'
import { createApiKey } from '../auth/createApiKey'
import { MemberInputError } from '../auth/member'
import { decodePathSegment } from '../http/decodePathSegment'
import { sendJson } from '../http/httpError'
import { readJsonBody } from '../http/readJsonBody'
import type { RelayStorage } from '../storage/relayStorage'
import { problem } from './problem'
import { requireRole } from './requirePrincipal'

export const API_KEYS_PATH = '/api-keys'

const NEW_KEY_FIELDS = new Set(['name', 'role'])

/** An API key as the API shows it: never the key, never its hash. */
export function apiKeyJson(key: ApiKey): { id: string; name: string; role: string; created_at: string; revoked_at: string | null } {
  return { id: key.id, name: key.name, role: key.role, created_at: key.createdAt, revoked_at: key.revokedAt ?? null }
}

function notAllowed(req: IncomingMessage, allowed: string) {
  return problem(405, `${req.method} is not allowed here; use ${allowed}`, undefined, { Allow: allowed.replace(/ or /g, ', ') })
}

/**
 * `GET|POST /api/v1/api-keys` and `DELETE /api/v1/api-keys/{id}`, admins only. `path` is the
 * part after /api/v1. The new key is in the POST answer and nowhere else, ever.
 */
export async function handleApiKeys(req: IncomingMessage, res: ServerResponse, path: string, principal: Principal, storage: RelayStorage): Promise<void> {
  requireRole(principal, 'admin')
  if (path === API_KEYS_PATH) {
    if (req.method === 'GET') {
      sendJson(res, 200, { data: storage.listApiKeys().map(apiKeyJson) })
      return
    }
    if (req.method === 'POST') {
      const body = await readJsonBody(req)
      const unknown = Object.keys(body).filter((key) => !NEW_KEY_FIELDS.has(key))
      if (unknown.length > 0) {
        throw problem(422, 'the body has fields an API key does not have; send { "name", "role" }', unknown.map((field) => ({ field, message: 'unknown field' })))
      }
      try {
        const { apiKey, key } = createApiKey(storage, { name: body.name, role: body.role })
        const { revoked_at: _revokedAt, ...shown } = apiKeyJson(apiKey)
        sendJson(res, 201, { ...shown, key }, { Location: `/api/v1${API_KEYS_PATH}/${apiKey.id}` })
      } catch (error) {
        if (error instanceof MemberInputError) throw problem(422, `the API key's ${error.field} is not valid`, [{ field: error.field, message: error.message }])
        throw error
      }
      return
    }
    throw notAllowed(req, 'GET or POST')
  }
  const segment = path.slice(API_KEYS_PATH.length + 1)
  if (!path.startsWith(`${API_KEYS_PATH}/`) || segment === '' || segment.includes('/')) throw problem(404, `no API route ${req.method} /api/v1${path}`)
  const id = decodePathSegment(segment)
  if (req.method !== 'DELETE') throw notAllowed(req, 'DELETE')
  // Revoking twice is fine (a retried DELETE); the key is refused from the next request on.
  if (!storage.revokeApiKey(id, new Date().toISOString())) throw problem(404, `no API key with id "${id}"`)
  res.writeHead(204, { 'Cache-Control': 'no-store' })
  res.end()
}
