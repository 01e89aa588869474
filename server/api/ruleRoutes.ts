import type { IncomingMessage, ServerResponse } from 'node:http'
import { deleteRule, findRule, readRuns, writeRule } from '../../src/crdt/automationDoc'
import { randomId } from '../../src/crdt/randomId'
import type { Rule, RuleAction, RuleCondition, RuleRunLog, RuleTrigger } from '../../src/domain/rules/rule'
import { activitiesEntity, dealsOf } from '../../src/domain/rules/ruleFields'
import { summarizeRuns } from '../../src/domain/rules/summarizeRuns'
import { validateRule } from '../../src/domain/rules/validateRule'
import type { EntityDef, WorkspaceSchema } from '../../src/domain/schema'
import type { Principal } from '../auth/authenticateToken'
import type { AutomationCopy } from '../automation/automationCopy'
import { decodePathSegment } from '../http/decodePathSegment'
import { readJsonBody } from '../http/readJsonBody'
import { cachedStoredSchema } from '../http/readStoredSchema'
import type { RelayStorage } from '../storage/relayStorage'
import { problem } from './problem'
import { requireRole } from './requirePrincipal'

export const RULES_PATH = '/rules'

export function isRulesPath(path: string): boolean {
  return path === RULES_PATH || /^\/rules\/[^/]+$/.test(path)
}

export interface RuleRoutesContext {
  storage: RelayStorage
  /** The relay's copy of the automation document; null while it is not started. */
  copy(): AutomationCopy | null
  /** The secret rule webhook calls are signed with (server/webhooks), listed for admins; null: none. */
  webhookSecret(): string | null
}

/** What a rule's properties may be set to in POST and PATCH; the rest the relay keeps. */
const WRITABLE = ['name', 'enabled', 'trigger', 'conditions', 'actions'] as const

/**
 * Rules over HTTP, admins only (others 403): GET|POST /api/v1/rules, GET|PATCH|DELETE
 * /api/v1/rules/{id}. JSON names entities and fields by their API keys (the document stores
 * ids); a rule comes with its run summary, every writer's log added up. PATCH merges the given
 * properties into the rule (`{"enabled": true}` switches a template on); a write is checked by
 * validateRule and refused as 422 naming each path. Writes go through the relay's copy of the
 * `automation` document like an admin's edit in the app, one entry per property, so an admin's
 * concurrent edit of another property stands. DELETE is soft (`deletedAt`): the rule stops and
 * stays gone for clients that were offline meanwhile.
 */
export async function handleRuleRoutes(req: IncomingMessage, res: ServerResponse, path: string, principal: Principal, context: RuleRoutesContext): Promise<void> {
  requireRole(principal, 'admin')
  const copy = context.copy()
  if (!copy) throw problem(503, 'automation is starting; try again', undefined, { 'Retry-After': '1' })
  const schema = cachedStoredSchema(context.storage)
  if (path === RULES_PATH) {
    if (req.method === 'GET') {
      const runs = readRuns(copy.doc)
      const data = copy.rules().filter((r) => !r.deletedAt).map((r) => ruleToApi(r, schema, runs.get(r.id)))
      return sendJson(res, 200, { data, webhook_secret: context.webhookSecret() })
    }
    if (req.method === 'POST') {
      const body = await readJsonBody(req)
      const now = new Date().toISOString()
      const id = body.id === undefined ? `rule${randomId()}` : body.id
      if (typeof id === 'string' && findRule(copy.doc, id)) throw problem(409, `a rule with id "${id}" exists already; PATCH /api/v1/rules/${id} changes it`)
      const rule = checked({ enabled: true, conditions: [], ...pick(body, true), id, createdAt: now, createdBy: principal.id }, schema, context)
      await copy.write((doc) => writeRule(doc, rule))
      return sendJson(res, 201, ruleToApi(rule, schema, undefined), { Location: `/api/v1/rules/${encodeURIComponent(rule.id)}` })
    }
    throw problem(405, `${req.method} is not allowed here; use GET or POST`, undefined, { Allow: 'GET, POST' })
  }
  const id = decodePathSegment(path.slice(RULES_PATH.length + 1))
  const stored = findRule(copy.doc, id)
  if (!stored || stored.deletedAt) throw problem(404, `no rule with id "${id}"`)
  if (req.method === 'GET') return sendJson(res, 200, ruleToApi(stored, schema, readRuns(copy.doc).get(id)))
  if (req.method === 'PATCH') {
    const body = await readJsonBody(req)
    // the stored rule as the API shows it, with the body's properties over it: validateRule reads keys and ids alike
    const merged = { ...ruleBody(stored, schema), ...pick(body, false), updatedAt: new Date().toISOString() }
    const rule = checked(merged, schema, context)
    await copy.write((doc) => writeRule(doc, rule))
    return sendJson(res, 200, ruleToApi(rule, schema, readRuns(copy.doc).get(id)))
  }
  if (req.method === 'DELETE') {
    await copy.write((doc) => deleteRule(doc, id, new Date().toISOString()))
    res.writeHead(204, { 'Cache-Control': 'no-store' })
    res.end()
    return
  }
  throw problem(405, `${req.method} is not allowed here; use GET, PATCH or DELETE`, undefined, { Allow: 'GET, PATCH, DELETE' })
}

/** The writable properties of a body; anything else is refused by name. */
function pick(body: Record<string, unknown>, creating: boolean): Record<string, unknown> {
  const allowed: readonly string[] = creating ? [...WRITABLE, 'id'] : WRITABLE
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key))
  if (unknown.length) {
    throw problem(422, `the rule was not saved: ${unknown.join(', ')} cannot be set`, unknown.map((field) => ({ field, message: `not a rule property you set (${allowed.join(', ')})` })))
  }
  const picked: Record<string, unknown> = {}
  for (const key of allowed) if (body[key] !== undefined) picked[key] = body[key]
  return picked
}

function checked(raw: Record<string, unknown>, schema: WorkspaceSchema, context: RuleRoutesContext): Rule {
  const result = validateRule(raw, schema, context.storage.listMembers().map((m) => m.id))
  if (result.ok) return result.rule
  throw problem(422, `the rule was not saved: ${result.errors.map((e) => e.path || 'the body').join(', ')} refused`, result.errors.map((e) => ({ field: e.path, message: e.message })))
}

/** The entity whose records a rule's conditions and field actions read: the trigger's, the deals for a stage, the activities for a done activity. */
function recordEntity(trigger: RuleTrigger, schema: WorkspaceSchema): EntityDef | undefined {
  if (trigger.kind === 'stageEntered') return dealsOf(schema)?.entity
  if (trigger.kind === 'activityCompleted') return activitiesEntity(schema)
  return schema.entities.find((e) => e.id === trigger.entity)
}

const keyOfEntity = (schema: WorkspaceSchema, id: string) => schema.entities.find((e) => e.id === id)?.key ?? id
const keyOfField = (entity: EntityDef | undefined, id: string) => entity?.fields.find((f) => f.id === id)?.key ?? id

/** A stored rule's properties with entity and field keys in place of ids (what the API shows and PATCH merges into). */
function ruleBody(rule: Rule, schema: WorkspaceSchema): Record<string, unknown> {
  const entity = recordEntity(rule.trigger, schema)
  const trigger = { ...rule.trigger } as Record<string, unknown>
  if (typeof trigger.entity === 'string') trigger.entity = keyOfEntity(schema, trigger.entity)
  if (typeof trigger.field === 'string') trigger.field = keyOfField(entity, trigger.field)
  const conditions = rule.conditions.map((c): RuleCondition => ({ ...c, field: keyOfField(entity, c.field) }))
  const actions = rule.actions.map((a): RuleAction => (a.kind === 'setField' ? { ...a, field: keyOfField(entity, a.field) } : a))
  return {
    id: rule.id, name: rule.name, enabled: rule.enabled, trigger, conditions, actions, createdAt: rule.createdAt, createdBy: rule.createdBy,
    ...(rule.updatedAt ? { updatedAt: rule.updatedAt } : {}),
  }
}

export function ruleToApi(rule: Rule, schema: WorkspaceSchema, logs: readonly RuleRunLog[] | undefined) {
  const { createdAt, createdBy, updatedAt, ...body } = ruleBody(rule, schema)
  const runs = summarizeRuns(logs ?? [])
  return {
    ...body,
    created_at: createdAt,
    created_by: createdBy,
    updated_at: updatedAt ?? null,
    runs: {
      count: runs.count,
      last_fired_at: runs.lastAt,
      last_record: runs.lastRecord && { entity: keyOfEntity(schema, runs.lastRecord.entity), id: runs.lastRecord.recordId },
      errors: runs.errors.map((e) => ({ at: e.at, message: e.message, record_id: e.recordId ?? null })),
    },
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', ...headers })
  res.end(text)
}
