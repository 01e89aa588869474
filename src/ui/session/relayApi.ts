import type { Member, Role } from '../../sync/workspaceSession'

export interface MemberInfo extends Member { createdAt?: string; revokedAt?: string | null }

export class RelayApiError extends Error {
  constructor(readonly status: number, message: string) { super(message) }
}

/** The JSON body of a relay API answer; a RelayApiError with the relay's message when it refused. */
export async function readApiResponse<T>(res: Response): Promise<T> {
  const text = await res.text()
  const json = text ? JSON.parse(text) : undefined
  if (!res.ok) throw new RelayApiError(res.status, json?.error?.message ?? `${res.status} ${res.statusText}`)
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
  }
}
export type RelayApi = ReturnType<typeof makeRelayApi>
