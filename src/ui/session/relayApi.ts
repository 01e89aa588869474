import type { Member, Role } from '../../sync/workspaceSession'

export interface MemberInfo extends Member { createdAt?: string; revokedAt?: string | null }

/** An API key as GET /api/v1/api-keys lists it (never the key itself). */
export interface ApiKeyInfo { id: string; name: string; role: Role; created_at: string; revoked_at: string | null }

export class RelayApiError extends Error {
  constructor(readonly status: number, message: string) { super(message) }
}

/** The JSON body of a relay API answer; a RelayApiError with the relay's message when it refused. */
export async function readApiResponse<T>(res: Response): Promise<T> {
  const text = await res.text()
  const json = text ? JSON.parse(text) : undefined
  // the /api/* routes answer { error: { message } }, /api/v1 RFC 9457 problems { detail }
  if (!res.ok) throw new RelayApiError(res.status, json?.error?.message ?? json?.detail ?? `${res.status} ${res.statusText}`)
  return json as T
}

/** Thin client for the relay's JSON API (see README "API"). */
export function makeRelayApi(token: string) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    return readApiResponse<T>(res)
  }
  return {
    me: () => call<Member>('GET', '/api/me'),
    members: () => call<MemberInfo[]>('GET', '/api/members').then((r: MemberInfo[] | { members: MemberInfo[] }) => (Array.isArray(r) ? r : r.members)),
    invite: (name: string, role: Role) => call<{ member: MemberInfo; token: string; link: string }>('POST', '/api/members', { name, role }),
    revoke: (id: string) => call<unknown>('POST', `/api/members/${encodeURIComponent(id)}/revoke`),
    apiKeys: () => call<{ data: ApiKeyInfo[] }>('GET', '/api/v1/api-keys').then((r) => r.data),
    createApiKey: (name: string, role: Role) => call<Omit<ApiKeyInfo, 'revoked_at'> & { key: string }>('POST', '/api/v1/api-keys', { name, role }),
    revokeApiKey: (id: string) => call<unknown>('DELETE', `/api/v1/api-keys/${encodeURIComponent(id)}`),
    openApiDocument: () => call<unknown>('GET', '/api/v1/openapi.json'),
  }
}
export type RelayApi = ReturnType<typeof makeRelayApi>
