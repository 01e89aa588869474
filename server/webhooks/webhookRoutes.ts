import type { IncomingMessage, ServerResponse } from 'node:http'
import { isWebhookEvent, WEBHOOK_EVENTS } from '../../src/domain/webhooks/webhookEvents'
import type { Principal } from '../auth/authenticateToken'
import { problem, type FieldProblem } from '../api/problem'
import { requireRole } from '../api/requirePrincipal'
import { decodePathSegment } from '../http/decodePathSegment'
import { sendJson } from '../http/httpError'
import { readJsonBody } from '../http/readJsonBody'
import { readStoredSchema } from '../http/readStoredSchema'
import type { RelayStorage } from '../storage/relayStorage'
import type { WebhookDelivery, WebhookSubscription } from './webhookQueue'
import type { Webhooks } from './webhooks'

export const WEBHOOKS_PATH = '/webhooks'
export const WEBHOOK_DELIVERIES_PATH = '/webhook-deliveries'

export interface WebhookRoutesContext {
  storage: RelayStorage
  webhooks: Webhooks
}

const NEW_WEBHOOK_FIELDS = new Set(['url', 'events', 'entity'])
const MAX_DELIVERIES_LISTED = 200

/** Whether /api/v1 `path` is one of the webhook routes. */
export function isWebhookPath(path: string): boolean {
  return path === WEBHOOKS_PATH || path.startsWith(`${WEBHOOKS_PATH}/`) || path === WEBHOOK_DELIVERIES_PATH
}

/** A subscription as the API shows it: never its secret (that is in the POST answer only). */
export function webhookJson(s: WebhookSubscription) {
  return { id: s.id, url: s.url, events: s.events, entity: s.entity, created_at: s.createdAt, created_by: s.createdBy }
}

export function deliveryJson(d: WebhookDelivery) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
  return {
    id: d.id,
    webhook_id: d.subscriptionId,
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    created_at: iso(d.createdAt),
    last_attempt_at: iso(d.lastAttemptAt),
    next_attempt_at: iso(d.nextAttemptAt),
    response_status: d.responseStatus,
    response_body: d.responseBody,
    error: d.error,
  }
}

/**
 * `GET|POST /api/v1/webhooks`, `GET|DELETE /api/v1/webhooks/{id}`, and
 * `GET /api/v1/webhook-deliveries[?webhook=id&limit=n]` (Settings' list), admins only. Any
 * http(s) URL is taken, the team's internal hosts included: a self-hosted relay talks to the
 * team's own systems, and only admins can point it anywhere.
 */
export async function handleWebhookRoutes(req: IncomingMessage, res: ServerResponse, path: string, principal: Principal, context: WebhookRoutesContext): Promise<void> {
  requireRole(principal, 'admin')
  const { webhooks } = context
  if (path === WEBHOOK_DELIVERIES_PATH) {
    if (req.method !== 'GET') throw problem(405, `${req.method} is not allowed here; use GET`, undefined, { Allow: 'GET' })
    const params = new URL(req.url ?? '/', 'http://relay.invalid').searchParams
    const limit = Math.min(Math.max(Number(params.get('limit') ?? 50) || 50, 1), MAX_DELIVERIES_LISTED)
    const webhook = params.get('webhook') ?? undefined
    sendJson(res, 200, { data: webhooks.queue.recent(limit, webhook).map(deliveryJson) })
    return
  }
  if (path === WEBHOOKS_PATH) {
    if (req.method === 'GET') {
      sendJson(res, 200, { data: webhooks.list().map(webhookJson) })
      return
    }
    if (req.method === 'POST') {
      const body = await readJsonBody(req)
      const input = readNewWebhook(body, context.storage)
      const created = webhooks.subscribe({ ...input, createdBy: principal.id })
      sendJson(res, 201, { ...webhookJson(created), secret: created.secret }, { Location: `/api/v1${WEBHOOKS_PATH}/${created.id}` })
      return
    }
    throw problem(405, `${req.method} is not allowed here; use GET or POST`, undefined, { Allow: 'GET, POST' })
  }
  const segment = path.slice(WEBHOOKS_PATH.length + 1)
  if (segment === '' || segment.includes('/')) throw problem(404, `no API route ${req.method} /api/v1${path}`)
  const id = decodePathSegment(segment)
  const found = webhooks.list().find((s) => s.id === id)
  if (req.method === 'GET') {
    if (!found) throw problem(404, `no webhook with id "${id}"`)
    sendJson(res, 200, webhookJson(found))
    return
  }
  if (req.method === 'DELETE') {
    if (!webhooks.unsubscribe(id)) throw problem(404, `no webhook with id "${id}"`)
    res.writeHead(204, { 'Cache-Control': 'no-store' })
    res.end()
    return
  }
  throw problem(405, `${req.method} is not allowed here; use GET or DELETE`, undefined, { Allow: 'GET, DELETE' })
}

/** `{ "url", "events", "entity"? }`, every refused field named. */
function readNewWebhook(body: Record<string, unknown>, storage: RelayStorage) {
  const errors: FieldProblem[] = Object.keys(body).filter((key) => !NEW_WEBHOOK_FIELDS.has(key)).map((field) => ({ field, message: 'unknown field; send { "url", "events", "entity"? }' }))
  const url = typeof body.url === 'string' ? body.url.trim() : ''
  if (!isHttpUrl(url)) errors.push({ field: 'url', message: 'must be an absolute http:// or https:// URL' })
  const events = Array.isArray(body.events) ? [...new Set(body.events)] : []
  if (events.length === 0 || !events.every(isWebhookEvent)) errors.push({ field: 'events', message: `must be a non-empty list of: ${WEBHOOK_EVENTS.join(', ')}` })
  let entity: string | null = null
  if (body.entity !== undefined && body.entity !== null) {
    const keys = readStoredSchema(storage).entities.map((e) => e.key)
    if (typeof body.entity !== 'string' || !keys.includes(body.entity)) errors.push({ field: 'entity', message: `must be an entity's API key (${keys.join(', ')}), or left out for every entity` })
    else entity = body.entity
  }
  if (errors.length > 0) throw problem(422, `the webhook was not created: ${errors.map((e) => e.field).join(', ')} refused`, errors)
  return { url, events: events.filter(isWebhookEvent), entity }
}

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false
  const url = new URL(text)
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
}
