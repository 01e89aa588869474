import type { PhoneScheme } from '../../domain/cellLinkHref'
import type { ApiHistoryEntry } from '../../domain/history/historyTimeline'
import type { Member, Role } from '../../sync/workspaceSession'

export interface MemberInfo extends Member { createdAt?: string; revokedAt?: string | null }

/** An API key as GET /api/v1/api-keys lists it (never the key itself). */
export interface ApiKeyInfo { id: string; name: string; role: Role; created_at: string; revoked_at: string | null }

/** A webhook subscription as GET /api/v1/webhooks lists it (never its secret). */
export interface WebhookInfo { id: string; url: string; events: string[]; entity: string | null; created_at: string; created_by: string }

/** One delivery as GET /api/v1/webhook-deliveries lists it. */
export interface WebhookDeliveryInfo {
  id: string; webhook_id: string; event: string; status: 'pending' | 'delivered' | 'failed'; attempts: number
  created_at: string; last_attempt_at: string | null; next_attempt_at: string | null
  response_status: number | null; response_body: string | null; error: string | null
}

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
    me: () => call<Member & { phone_scheme?: PhoneScheme }>('GET', '/api/me'),
    /** The member's own choice of how phone links dial, kept on the relay for all their devices. */
    setPhoneScheme: (scheme: PhoneScheme) => call<{ phone_scheme: PhoneScheme }>('PATCH', '/api/me', { phone_scheme: scheme }),
    members: () => call<MemberInfo[]>('GET', '/api/members').then((r: MemberInfo[] | { members: MemberInfo[] }) => (Array.isArray(r) ? r : r.members)),
    invite: (name: string, role: Role) => call<{ member: MemberInfo; token: string; link: string }>('POST', '/api/members', { name, role }),
    revoke: (id: string) => call<unknown>('POST', `/api/members/${encodeURIComponent(id)}/revoke`),
    apiKeys: () => call<{ data: ApiKeyInfo[] }>('GET', '/api/v1/api-keys').then((r) => r.data),
    createApiKey: (name: string, role: Role) => call<Omit<ApiKeyInfo, 'revoked_at'> & { key: string }>('POST', '/api/v1/api-keys', { name, role }),
    revokeApiKey: (id: string) => call<unknown>('DELETE', `/api/v1/api-keys/${encodeURIComponent(id)}`),
    webhooks: () => call<{ data: WebhookInfo[] }>('GET', '/api/v1/webhooks').then((r) => r.data),
    createWebhook: (input: { url: string; events: string[]; entity?: string }) => call<WebhookInfo & { secret: string }>('POST', '/api/v1/webhooks', input),
    deleteWebhook: (id: string) => call<unknown>('DELETE', `/api/v1/webhooks/${encodeURIComponent(id)}`),
    webhookDeliveries: (limit = 50) => call<{ data: WebhookDeliveryInfo[] }>('GET', `/api/v1/webhook-deliveries?limit=${limit}`).then((r) => r.data),
    openApiDocument: () => call<unknown>('GET', '/api/v1/openapi.json'),
    /** A record's history, newest first (issue 15), by the entity's API key. */
    recordHistory: (entityKey: string, id: string) =>
      call<{ data: ApiHistoryEntry[] }>('GET', `/api/v1/${encodeURIComponent(entityKey)}/${encodeURIComponent(id)}/history`).then((r) => r.data),
  }
}
export type RelayApi = ReturnType<typeof makeRelayApi>
