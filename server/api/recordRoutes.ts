import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { entityDocName } from '../../src/crdt/docNames'
import { parseListQuery, runListQuery } from '../../src/domain/api/apiListQuery'
import { decodeApiRecordBody, encodeApiRecord, type ApiReadContext } from '../../src/domain/api/apiRecordCodec'
import { findEntity, liveFields, type EntityDef, type WorkspaceSchema } from '../../src/domain/schema'
import type { Principal } from '../auth/authenticateToken'
import type { Member } from '../auth/member'
import { decodePathSegment } from '../http/decodePathSegment'
import { readJsonBody } from '../http/readJsonBody'
import { cachedStoredSchema } from '../http/readStoredSchema'
import type { SyncServer } from '../rooms/syncServer'
import type { RelayStorage } from '../storage/relayStorage'
import { dealWithLines } from './dealWithLines'
import type { DuplicatesFinder } from './duplicatesFinder'
import type { EntityStore, EntityStores } from './entityStores'
import type { IdempotencyStore, StoredAnswer } from './idempotencyStore'
import { problem } from './problem'
import { requireRole } from './requirePrincipal'
import { livePipelines, liveStages } from '../../src/domain/pipelines/pipeline'
import { withStageEdit } from './stageEdit'
import { handleRecordHistory } from './recordHistoryRoute'
import type { RecordHistoryFeed } from '../history/recordHistoryFeed'
import { listThroughView } from './viewRoutes'
import type { RelayChange, RelayRules } from '../automation/relayRules'
import type { Row } from '../../src/domain/schema'
import { derivedId } from './derivedId'

export interface RecordRoutesContext {
  storage: RelayStorage
  sync: SyncServer
  stores: EntityStores
  idempotency: IdempotencyStore
  history: RecordHistoryFeed
  /** GET /{entity}/duplicates' searches, off the event loop for big lists (duplicateRoutes). */
  duplicates: DuplicatesFinder
  /** The rules the relay's own writes trigger (server/automation); absent or null: none run. */
  rules?: () => RelayRules | null
}

/** A record body is small; a long text field is at most 100k characters. */
const MAX_RECORD_BODY_BYTES = 512 * 1024
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

/**
 * GET /schema, GET|POST /{entity}, GET|PATCH|DELETE /{entity}/{id}, GET /{entity}/{id}/history under /api/v1 (`path` is
 * what follows the prefix). False when the path is none of these. Reads come from the API's
 * in-memory copy of the entity document; writes are built through src/crdt on that copy and
 * stored by the relay like a member's edit (SyncServer.writeServerUpdate), then answered.
 */
export async function handleRecordRoutes(req: IncomingMessage, res: ServerResponse, path: string, principal: Principal, context: RecordRoutesContext): Promise<boolean> {
  const parts = path.split('/').slice(1)
  if (parts.length === 0 || parts.length > 3 || parts[0] === '') return false
  if (parts.length === 3 && parts[2] !== 'history') return false
  const schema = cachedStoredSchema(context.storage)
  if (parts.length === 1 && parts[0] === 'schema') {
    if (req.method !== 'GET') throw problem(405, `${req.method} is not allowed here; use GET`)
    sendJson(res, 200, describeSchema(schema))
    return true
  }
  const entityKey = decodePathSegment(parts[0]!)
  const entity = schema.entities.find((e) => e.key === entityKey)
  if (!entity) {
    if (findEntity(schema, entityKey) === undefined && parts.length === 1 && !/^[a-z0-9_]+$/.test(entityKey)) return false
    throw problem(404, `no entity "${entityKey}" (entities: ${schema.entities.map((e) => e.key).join(', ')})`)
  }
  const readContext: ApiReadContext = {
    locale: acceptLocale(req),
    workspaceCountry: schema.workspace?.defaultCountry,
    members: context.storage.listMembers().map(({ id, name }) => ({ id, name })),
  }
  if (parts.length === 1) {
    if (req.method === 'GET') return list(req, res, entity, readContext, context, schema, principal)
    if (req.method === 'POST') return create(req, res, entity, readContext, principal, context)
    throw problem(405, `${req.method} is not allowed here; use GET or POST`)
  }
  const id = decodePathSegment(parts[1]!)
  if (parts.length === 3) return handleRecordHistory(req, res, entity, id, context)
  if (req.method === 'GET') {
    const entry = await context.stores.load(entity.id)
    const row = liveRow(entry, entity, id)
    const record = encodeApiRecord(entity, row, entry.updatedAt(row))
    // a deal comes with its lines, their totals and stock warnings (issue 14)
    sendJson(res, 200, entity.key === 'deals' ? dealWithLines(record, row, schema, context.stores) : record)
    return true
  }
  if (req.method === 'PATCH') return update(req, res, entity, id, readContext, principal, context)
  if (req.method === 'DELETE') return remove(res, entity, id, principal, context)
  throw problem(405, `${req.method} is not allowed here; use GET, PATCH or DELETE`)
}

async function list(req: IncomingMessage, res: ServerResponse, entity: EntityDef, readContext: ApiReadContext, context: RecordRoutesContext, schema: WorkspaceSchema, principal: Principal): Promise<true> {
  // ?view=<id>: a saved view's conditions and sort (issue 15), then the other parameters
  const { params, where } = listThroughView(new URL(req.url ?? '/', 'http://relay.invalid').searchParams, entity, schema, principal)
  const parsed = parseListQuery(entity, params, readContext)
  if (!parsed.ok) throw problem(400, `the query of GET /api/v1/${entity.key} has ${parsed.errors.length} problem${parsed.errors.length === 1 ? '' : 's'}`, parsed.errors)
  const entry = await context.stores.load(entity.id)
  const page = runListQuery(entry.store.rows(), { ...parsed.query, where }, entry)
  sendJson(res, 200, { data: page.rows.map((row) => encodeApiRecord(entity, row, entry.updatedAt(row))), next_cursor: page.nextCursor })
  return true
}

async function create(req: IncomingMessage, res: ServerResponse, entity: EntityDef, readContext: ApiReadContext, principal: Principal, context: RecordRoutesContext): Promise<true> {
  requireRole(principal, 'editor')
  const body = await readJsonBody(req, MAX_RECORD_BODY_BYTES)
  const key = req.headers['idempotency-key']
  const answer = typeof key === 'string'
    ? await once(principal, key, requestHash(req, body), context.idempotency, () => createAnswer(entity, body, readContext, principal, context, `${principal.kind}:${principal.id}\n${key}`))
    : await createAnswer(entity, body, readContext, principal, context, null)
  sendAnswer(res, answer, key)
  return true
}

/**
 * With an Idempotency-Key (`idSeed`: the caller and key) the record's id, and the ids of what the
 * rules it triggers create, derive from it: a retry after a write that failed midway finds the
 * record and completes what is missing instead of creating a second one.
 */
async function createAnswer(entity: EntityDef, body: Record<string, unknown>, readContext: ApiReadContext, principal: Principal, context: RecordRoutesContext, idSeed: string | null): Promise<Omit<StoredAnswer, 'requestHash'>> {
  const decoded = decodeApiRecordBody(entity, body, readContext, false)
  if (!decoded.ok) throw invalidBody(entity, decoded.errors)
  const entry = await context.stores.load(entity.id)
  const id = idSeed === null ? undefined : derivedId(`${idSeed}\nrecord`)
  const existing = id === undefined ? undefined : entry.store.row(id)
  const change = existing ? null : entry.store.createRecord(withStageEdit(context.storage, entity, undefined, decoded.values, principal.id), { createdBy: principal.id, id })
  const made = existing ?? change!.patch.added[0]!
  entry.touched([made.id])
  await storeChange(context, { entityId: entity.id, update: change?.update ?? EMPTY_UPDATE, changes: [{ entity: entity.id, recordId: made.id, before: null, after: made }], author: memberOf(principal), origin: 'api', seed: idSeed, retried: existing !== undefined })
  const row = entry.store.row(made.id) ?? made
  return { status: 201, body: JSON.stringify(encodeApiRecord(entity, row, entry.updatedAt(row))), location: `/api/v1/${entity.key}/${encodeURIComponent(row.id)}` }
}

async function update(req: IncomingMessage, res: ServerResponse, entity: EntityDef, id: string, readContext: ApiReadContext, principal: Principal, context: RecordRoutesContext): Promise<true> {
  requireRole(principal, 'editor')
  const body = await readJsonBody(req, MAX_RECORD_BODY_BYTES)
  const decoded = decodeApiRecordBody(entity, body, readContext, true)
  if (!decoded.ok) throw invalidBody(entity, decoded.errors)
  const entry = await context.stores.load(entity.id)
  const before = copyRow(liveRow(entry, entity, id))
  const required = liveFields(entity).filter((f) => f.required && f.id in decoded.values && decoded.values[f.id] === null)
  if (required.length) throw invalidBody(entity, required.map((f) => ({ field: f.key, message: `${f.label} is required` })))
  const changes = Object.entries(withStageEdit(context.storage, entity, before, decoded.values, principal.id)).map(([fieldId, value]) => ({ recordId: id, fieldId, value }))
  if (changes.length) {
    const change = entry.store.updateCells(changes)
    if (change.update.byteLength > 2) {
      entry.touched([id])
      await storeChange(context, { entityId: entity.id, update: change.update, changes: [{ entity: entity.id, recordId: id, before, after: copyRow(entry.store.row(id)!) }], author: memberOf(principal), origin: 'api', seed: null })
    }
  }
  const row = liveRow(entry, entity, id)
  sendJson(res, 200, encodeApiRecord(entity, row, entry.updatedAt(row)))
  return true
}

async function remove(res: ServerResponse, entity: EntityDef, id: string, principal: Principal, context: RecordRoutesContext): Promise<true> {
  requireRole(principal, 'editor')
  const entry = await context.stores.load(entity.id)
  const before = copyRow(liveRow(entry, entity, id))
  // the app's soft delete: `$deletedAt`, which the app's undo and restore clear
  const change = entry.store.deleteRecords([id], new Date(), principal.id)
  entry.touched([id])
  await storeChange(context, { entityId: entity.id, update: change.update, changes: [{ entity: entity.id, recordId: id, before, after: copyRow(entry.store.row(id)!) }], author: memberOf(principal), origin: 'api', seed: null })
  res.writeHead(204, { 'Cache-Control': 'no-store' })
  res.end()
  return true
}

function liveRow(entry: EntityStore, entity: EntityDef, id: string) {
  const row = entry.store.row(id)
  if (!row || row.deletedAt !== undefined || !row.createdAt) throw problem(404, `no ${entity.singular.toLowerCase()} with id "${id}"`)
  return row
}

/** An update that changes nothing (a retry whose record is stored already). */
export const EMPTY_UPDATE = new Uint8Array([0, 0])

const memberOf = (principal: Principal): Member => ({ id: principal.id, name: principal.name, role: principal.role, createdAt: '' })

/** A row as it is now: the copy's rows may change under a later write. */
export const copyRow = (row: Row): Row => ({ ...row, values: { ...row.values } })

/**
 * Stores the relay's change with what the rules it triggers do (server/automation/relayRules),
 * or, where no rules run, as a plain write; a failed write leaves the copy ahead of storage, so it
 * is read again.
 */
export async function storeChange(context: Pick<RecordRoutesContext, 'sync' | 'stores' | 'rules'>, change: RelayChange): Promise<void> {
  const rules = context.rules?.()
  if (rules) return rules.storeChange(change)
  if (change.update.byteLength <= 2) return
  try {
    await context.sync.writeServerUpdate(entityDocName(change.entityId), change.update, change.author, change.origin)
  } catch (error) {
    context.stores.drop(change.entityId)
    throw error
  }
}

/** Stores an API write like a member's edit; a failed write leaves the copy ahead of storage, so it is read again. */
export async function store(entity: EntityDef, update: Uint8Array, principal: Principal, context: RecordRoutesContext): Promise<void> {
  const member: Member = { id: principal.id, name: principal.name, role: principal.role, createdAt: '' }
  try {
    await context.sync.writeServerUpdate(entityDocName(entity.id), update, member, 'api')
  } catch (error) {
    context.stores.drop(entity.id)
    throw error
  }
}

function invalidBody(entity: EntityDef, errors: { field: string; message: string }[]) {
  const names = errors.map((e) => e.field).join(', ')
  return problem(422, `the ${entity.singular.toLowerCase()} was not saved: ${errors.length === 1 ? 'a field was' : `${errors.length} fields were`} refused (${names})`, errors)
}

export function requestHash(req: IncomingMessage, body: Record<string, unknown>): string {
  return createHash('sha256').update(`${req.method} ${new URL(req.url ?? '/', 'http://relay.invalid').pathname}\n${JSON.stringify(body)}`).digest('hex')
}

/** Answers being made for an Idempotency-Key: a retry racing the first request waits for its answer. */
const inFlight = new Map<string, Promise<Omit<StoredAnswer, 'requestHash'>>>()

/**
 * The answer to a POST with an Idempotency-Key: the stored first answer for the same caller
 * and key (a 422 problem when the request differs), else `make`'s, kept for 24 h. Refusals are
 * not kept: a corrected retry with the same key may succeed.
 */
/** Sends a (possibly stored) answer of a POST: JSON, never cached, with its Location and the Idempotency-Key it answers. */
export function sendAnswer(res: ServerResponse, answer: Omit<StoredAnswer, 'requestHash'>, key: string | string[] | undefined): void {
  res.writeHead(answer.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(answer.body),
    'Cache-Control': 'no-store',
    ...(answer.location ? { Location: answer.location } : {}),
    ...(typeof key === 'string' ? { 'Idempotency-Key': key } : {}),
  })
  res.end(answer.body)
}

export async function once(principal: Principal, key: string, hash: string, answers: IdempotencyStore, make: () => Promise<Omit<StoredAnswer, 'requestHash'>>): Promise<Omit<StoredAnswer, 'requestHash'>> {
  if (!IDEMPOTENCY_KEY.test(key)) throw problem(400, 'Idempotency-Key must be 1–255 visible ASCII characters', [{ field: 'Idempotency-Key', message: 'not 1–255 visible ASCII characters' }])
  const caller = `${principal.kind}:${principal.id}`
  const slot = JSON.stringify([caller, key])
  const pending = inFlight.get(slot)
  if (pending) await pending.catch(() => null)
  const stored = answers.find(caller, key, Date.now())
  if (stored) {
    if (stored.requestHash !== hash) throw problem(422, `Idempotency-Key "${key}" was used for a different request; use a new key for a new request`, [{ field: 'Idempotency-Key', message: 'already used with a different body' }])
    return stored
  }
  const made = make()
  inFlight.set(slot, made)
  try {
    const answer = await made
    answers.save(caller, key, { ...answer, requestHash: hash }, Date.now())
    return answer
  } finally {
    inFlight.delete(slot)
  }
}

/** GET /api/v1/schema: entities by API key and their live fields, the workspace settings, and the live pipelines with their live stages in order. */
export function describeSchema(schema: WorkspaceSchema) {
  return {
    entities: [...schema.entities].sort((a, b) => a.order - b.order).map((entity) => ({
      key: entity.key,
      label: entity.label,
      singular: entity.singular,
      primary_field: entity.fields.find((f) => f.id === entity.primaryField)?.key ?? null,
      fields: liveFields(entity).map((f) => ({
        key: f.key,
        label: f.label,
        type: f.type,
        ...(f.options ? { options: f.options } : {}),
        ...(f.type === 'link' ? { link_entity: schema.entities.find((e) => e.id === f.linkEntity)?.key ?? f.linkEntity ?? null, multiple: f.multiple ?? false } : {}),
        ...(f.currency ? { currency: f.currency } : {}),
        ...(f.min !== undefined ? { min: f.min } : {}),
        ...(f.max !== undefined ? { max: f.max } : {}),
        required: f.required ?? false,
      })),
    })),
    workspace: schema.workspace ?? {},
    pipelines: livePipelines(schema.pipelines ?? []).map((p) => ({
      id: p.id,
      name: p.name,
      stages: liveStages(p).map((s) => ({ id: s.id, name: s.name, probability: s.probability, kind: s.kind })),
    })),
  }
}

/** The first language of Accept-Language (`de-DE`), else en-US: the locale values are read and written in. */
export function acceptLocale(req: IncomingMessage): string {
  const first = (req.headers['accept-language'] ?? '').split(',')[0]?.split(';')[0]?.trim()
  return first && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(first) ? first : 'en-US'
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' })
  res.end(text)
}
