import type { IncomingMessage } from 'node:http'
import { authenticatePrincipal, type Principal } from '../auth/authenticateToken'
import type { Role } from '../auth/member'
import type { RelayStorage } from '../storage/relayStorage'
import { problem } from './problem'

/** The member or API key of `Authorization: Bearer <token>`; a 401 problem otherwise. */
export function requirePrincipal(req: IncomingMessage, storage: RelayStorage): Principal {
  const header = req.headers.authorization
  if (!header) throw problem(401, 'missing Authorization: Bearer <token> header (an API key or a member token)')
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (!match?.[1]) throw problem(401, 'Authorization header must be "Bearer <token>"')
  const principal = authenticatePrincipal(storage, match[1])
  if (!principal) throw problem(401, 'unknown or revoked token')
  return principal
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 }

/** A 403 problem unless the principal's role is `least` or above (admin > editor > viewer). */
export function requireRole(principal: Principal, least: Role): void {
  if (RANK[principal.role] >= RANK[least]) return
  const who = principal.kind === 'apiKey' ? 'this API key is' : 'you are'
  throw problem(403, `this needs the ${least} role${least === 'admin' ? '' : ' or above'}; ${who} ${principal.role}`)
}
