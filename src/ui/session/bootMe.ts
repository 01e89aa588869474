import type { Member } from '../../sync/workspaceSession'
import { readApiResponse } from './relayApi'

interface BootMe { token: string; response: Promise<Response> }

/**
 * Who `token` belongs to, as index.html asked the relay (`GET /api/me`) on a first visit while
 * the app's code loaded; taken once. Null when it did not ask, or asked for another token: the
 * caller asks itself. Rejects as the API client does (RelayApiError for a refused token).
 */
export function takeBootMe(token: string): Promise<Member> | null {
  const scope = globalThis as { __kansoBootMe?: BootMe }
  const boot = scope.__kansoBootMe
  if (!boot) return null
  delete scope.__kansoBootMe
  if (boot.token !== token) return null
  return boot.response.then((res) => readApiResponse<Member>(res))
}
