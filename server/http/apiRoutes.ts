import type { IncomingMessage, ServerResponse } from 'node:http'
import { authenticatePrincipal, type Principal } from '../auth/authenticateToken'
import { createMember } from '../auth/createMember'
import { inviteLink } from '../auth/inviteLink'
import { isActive, MemberInputError, parseExtension, parseMemberEmail, parsePhoneScheme, type MemberProfile } from '../auth/member'
import type { RelayStorage } from '../storage/relayStorage'
import type { SyncServer } from '../rooms/syncServer'
import type { RowSnapshots } from '../snapshots/rowSnapshots'
import { DOC_NAME_PATTERN } from '../../src/crdt/docNames'
import { decodePathSegment } from './decodePathSegment'
import { readStoredSchema } from './readStoredSchema'
import { HttpError, sendJson } from './httpError'
import { readJsonBody } from './readJsonBody'

export interface ApiContext {
  storage: RelayStorage
  sync: SyncServer
  snapshots: RowSnapshots
  publicUrl(): string
}

const NEW_MEMBER_FIELDS = new Set(['name', 'role', 'email', 'extension'])
/** What an admin may change of a member later (PATCH /api/members/{id}); a member sets their own phone_scheme (PATCH /api/me). */
const MEMBER_PROFILE_FIELDS = new Set(['email', 'extension'])

function bearerToken(req: IncomingMessage): string {
  const header = req.headers.authorization
  if (!header) throw new HttpError(401, 'unauthorized', 'missing Authorization: Bearer <token> header')
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (!match?.[1]) throw new HttpError(401, 'unauthorized', 'Authorization header must be "Bearer <token>"')
  return match[1]
}

/** A member by their token or an integration by its API key (the websocket takes member tokens only). */
function requireMember(req: IncomingMessage, storage: RelayStorage): Principal {
  const member = authenticatePrincipal(storage, bearerToken(req))
  if (!member) throw new HttpError(401, 'unauthorized', 'unknown or revoked token')
  return member
}

function requireAdmin(req: IncomingMessage, storage: RelayStorage): Principal {
  const member = requireMember(req, storage)
  if (member.role !== 'admin') throw new HttpError(403, 'forbidden', `this needs the admin role; you are ${member.role}`)
  return member
}

function methodNotAllowed(req: IncomingMessage, allowed: string): HttpError {
  return new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here; use ${allowed}`)
}

/** The JSON API under /api/. Throws HttpError for anything that is not a success. */
export async function handleApi(req: IncomingMessage, res: ServerResponse, pathname: string, context: ApiContext): Promise<void> {
  const { storage } = context
  if (pathname === '/api/me') {
    const { id, name, role, kind } = requireMember(req, storage)
    if (req.method === 'PATCH') {
      // a member's own preferences, kept on the relay so they follow them to every device
      if (kind !== 'member') throw new HttpError(403, 'forbidden', 'preferences belong to members; an API key has none')
      const body = await readJsonBody(req)
      const unknown = Object.keys(body).filter((key) => key !== 'phone_scheme')
      if (unknown.length > 0) throw new HttpError(400, 'invalid_body', `unknown field ${unknown.map((k) => `"${k}"`).join(', ')}; expected phone_scheme`)
      profileChange(storage, id, () => ({ phoneScheme: parsePhoneScheme(body.phone_scheme) }))
    } else if (req.method !== 'GET') throw methodNotAllowed(req, 'GET or PATCH')
    const stored = kind === 'member' ? storage.getMember(id) : null
    sendJson(res, 200, { id, name, role, phone_scheme: stored?.phoneScheme ?? 'tel' })
    return
  }
  if (pathname === '/api/members') {
    if (req.method === 'GET') {
      // Everyone may see who is on the team (owner and member fields need the names);
      // only admins see when access was granted or revoked.
      const me = requireMember(req, storage)
      const members = storage.listMembers()
      sendJson(res, 200, {
        members: me.role === 'admin' ? members : members.filter(isActive).map(({ id, name, role }) => ({ id, name, role })),
      })
      return
    }
    if (req.method === 'POST') {
      requireAdmin(req, storage)
      const body = await readJsonBody(req)
      const unknown = Object.keys(body).filter((key) => !NEW_MEMBER_FIELDS.has(key))
      if (unknown.length > 0) throw new HttpError(400, 'invalid_body', `unknown field ${unknown.map((k) => `"${k}"`).join(', ')}; expected name and role`)
      let created: ReturnType<typeof createMember>
      try {
        const profile = readProfile(body)
        created = createMember(storage, { name: body.name, role: body.role })
        if (profile.email !== undefined || profile.extension !== undefined) created.member = storage.updateMemberProfile(created.member.id, profile) ?? created.member
      } catch (error) {
        if (error instanceof MemberInputError) throw new HttpError(400, 'invalid_body', error.message)
        throw error
      }
      sendJson(res, 201, { member: created.member, token: created.token, link: inviteLink(context.publicUrl(), created.token) })
      return
    }
    throw methodNotAllowed(req, 'GET or POST')
  }
  const one = /^\/api\/members\/([^/]+)$/.exec(pathname)
  if (one?.[1] !== undefined) {
    if (req.method !== 'PATCH') throw methodNotAllowed(req, 'PATCH')
    requireAdmin(req, storage)
    const id = decodePathSegment(one[1])
    const body = await readJsonBody(req)
    const unknown = Object.keys(body).filter((key) => !MEMBER_PROFILE_FIELDS.has(key))
    if (unknown.length > 0) throw new HttpError(400, 'invalid_body', `unknown field ${unknown.map((k) => `"${k}"`).join(', ')}; expected email and/or extension`)
    sendJson(res, 200, { member: profileChange(storage, id, () => readProfile(body)) })
    return
  }
  const revoke = /^\/api\/members\/([^/]+)\/revoke$/.exec(pathname)
  if (revoke?.[1] !== undefined) {
    if (req.method !== 'POST') throw methodNotAllowed(req, 'POST')
    requireAdmin(req, storage)
    const id = decodePathSegment(revoke[1])
    const target = storage.getMember(id)
    if (!target) throw new HttpError(404, 'not_found', `no member with id "${id}"`)
    if (target.role === 'admin' && isActive(target)) {
      const activeAdmins = storage.listMembers().filter((m) => m.role === 'admin' && isActive(m))
      if (activeAdmins.length <= 1) throw new HttpError(409, 'last_admin', 'cannot revoke the last active admin; add another admin first')
    }
    const member = storage.revokeMember(id, new Date().toISOString())
    if (!member) throw new HttpError(404, 'not_found', `no member with id "${id}"`)
    context.sync.closeMemberConnections(id)
    sendJson(res, 200, { member })
    return
  }
  if (pathname === '/api/schema') {
    // The workspace's entities and fields, as a first visit paints its lists before the schema
    // document has synced (may lag the newest change by a moment, as the row snapshots do).
    if (req.method !== 'GET') throw methodNotAllowed(req, 'GET')
    requireMember(req, storage)
    sendJson(res, 200, readStoredSchema(storage))
    return
  }
  const snapshot = /^\/api\/snapshots\/([^/]+)$/.exec(pathname)
  if (snapshot?.[1] !== undefined) {
    // The rows a first visit paints while it downloads the entity's document.
    if (req.method !== 'GET') throw methodNotAllowed(req, 'GET')
    requireMember(req, storage)
    const entityId = decodePathSegment(snapshot[1])
    if (!DOC_NAME_PATTERN.test(entityId)) throw new HttpError(404, 'not_found', 'malformed entity id in the path')
    const rows = await context.snapshots.get(entityId)
    if (!rows) throw new HttpError(404, 'not_found', `no records stored for "${entityId}"`)
    // the row count (counted in the snapshot thread) lets a browser paint the first rows while
    // the rest are still arriving
    res.writeHead(200, {
      'content-type': 'application/json', 'content-length': rows.bytes.byteLength, 'cache-control': 'no-store', 'x-kanso-snapshot-seq': String(rows.seq),
      ...(rows.rows === null ? {} : { 'x-kanso-snapshot-rows': String(rows.rows) }),
    })
    res.end(rows.bytes)
    return
  }
  throw new HttpError(404, 'not_found', `no API route ${req.method} ${pathname}`)
}

/** The email and extension of a member body, checked; absent keys stay absent. */
function readProfile(body: Record<string, unknown>): MemberProfile {
  const profile: MemberProfile = {}
  if ('email' in body) profile.email = parseMemberEmail(body.email)
  if ('extension' in body) profile.extension = parseExtension(body.extension)
  return profile
}

function profileChange(storage: RelayStorage, id: string, read: () => MemberProfile) {
  let profile: MemberProfile
  try {
    profile = read()
  } catch (error) {
    if (error instanceof MemberInputError) throw new HttpError(400, 'invalid_body', error.message)
    throw error
  }
  const member = storage.updateMemberProfile(id, profile)
  if (!member) throw new HttpError(404, 'not_found', `no member with id "${id}"`)
  return member
}
