import type { IncomingMessage, ServerResponse } from 'node:http'
import { decodeApiRecordBody, encodeApiRecord, type ApiReadContext } from '../../src/domain/api/apiRecordCodec'
import { DUPLICATES_DEFAULT_LIMIT, DUPLICATES_MAX_LIMIT, offersDuplicates } from '../../src/domain/duplicates/duplicateEntities'
import { packedGroupCount, unpackDuplicateGroups, type PackedDuplicateGroups } from '../../src/domain/duplicates/packedDuplicateGroups'
import { MergeError, planMerge, type MergeCell } from '../../src/domain/duplicates/planMerge'
import { recordTitle } from '../../src/domain/recordTitle'
import type { EntityDef, Row } from '../../src/domain/schema'
import type { Principal } from '../auth/authenticateToken'
import type { Member } from '../auth/member'
import { decodePathSegment } from '../http/decodePathSegment'
import { readJsonBody } from '../http/readJsonBody'
import { cachedStoredSchema } from '../http/readStoredSchema'
import type { DuplicatesFinder } from './duplicatesFinder'
import type { EntityStore } from './entityStores'
import type { StoredAnswer } from './idempotencyStore'
import { problem } from './problem'
import { acceptLocale, copyRow, once, requestHash, sendAnswer, storeChange, type RecordRoutesContext } from './recordRoutes'
import { requireRole } from './requirePrincipal'

/**
 * The groups last found per entity copy, until it changes: finding them over 100k contacts takes
 * most of a second (B29, in the duplicates thread for a big list: DuplicatesFinder), and a client
 * paging through them asks again per page. A search still running is shared; one that fails is
 * not kept.
 */
const found = new WeakMap<EntityStore, { entity: EntityDef; groups: Promise<PackedDuplicateGroups> | null }>()

function duplicatesOf(entity: EntityDef, entry: EntityStore, finder: DuplicatesFinder): Promise<PackedDuplicateGroups> {
  let cached = found.get(entry)
  if (!cached) {
    const fresh: { entity: EntityDef; groups: Promise<PackedDuplicateGroups> | null } = { entity, groups: null }
    // the copy and its watcher go together (EntityStores drops both), so no removal is kept
    entry.watch(() => { fresh.groups = null })
    found.set(entry, (cached = fresh))
  }
  // a schema change (a field added or removed) is a new entity definition
  if (cached.entity !== entity) cached.groups = null
  cached.entity = entity
  if (cached.groups) return cached.groups
  const kept = cached
  const groups = (kept.groups = finder.find(entity, entry))
  groups.catch(() => { if (kept.groups === groups) kept.groups = null })
  return groups
}

const DUPLICATES_PATH = /^\/([a-z0-9_]+)\/(duplicates|merge)$/
const MAX_MERGE_BODY_BYTES = 512 * 1024

export function isDuplicatesPath(path: string): boolean {
  return DUPLICATES_PATH.test(path)
}

/**
 * GET /api/v1/{entity}/duplicates (viewer and above): groups of likely duplicate records
 * (findDuplicates), `?limit=` and `?cursor=` like the list. POST /api/v1/{entity}/merge (editor
 * or above) `{ "survivor": id, "others": [ids], "values": { key: value } }`: the survivor takes the
 * values (checked like a PATCH), every link to the others names the survivor, the others go to
 * the trash with a note of the merge. For contacts, companies and leads.
 */
export async function handleDuplicateRoutes(req: IncomingMessage, res: ServerResponse, path: string, principal: Principal, context: RecordRoutesContext): Promise<void> {
  const [, entityKey, action] = DUPLICATES_PATH.exec(path)!
  const schema = cachedStoredSchema(context.storage)
  const entity = schema.entities.find((e) => e.key === decodePathSegment(entityKey!))
  if (!entity) throw problem(404, `no entity "${entityKey}"`)
  if (!offersDuplicates(entity.key)) throw problem(404, `duplicates are found for contacts, companies and leads, not ${entity.key}`)
  if (action === 'duplicates') {
    if (req.method !== 'GET') throw problem(405, `${req.method} is not allowed here; use GET`, undefined, { Allow: 'GET' })
    return listDuplicates(req, res, entity, context)
  }
  if (req.method !== 'POST') throw problem(405, `${req.method} is not allowed here; use POST`, undefined, { Allow: 'POST' })
  requireRole(principal, 'editor')
  const body = await readJsonBody(req, MAX_MERGE_BODY_BYTES)
  const key = req.headers['idempotency-key']
  const answer = typeof key === 'string'
    ? await once(principal, key, requestHash(req, body), context.idempotency, () => merge(entity, body, principal, context, readContextOf(req, context)))
    : await merge(entity, body, principal, context, readContextOf(req, context))
  sendAnswer(res, answer, key)
}

async function listDuplicates(req: IncomingMessage, res: ServerResponse, entity: EntityDef, context: RecordRoutesContext): Promise<void> {
  const params = new URL(req.url ?? '/', 'http://relay.invalid').searchParams
  const limit = params.has('limit') ? Number(params.get('limit')) : DUPLICATES_DEFAULT_LIMIT
  if (!Number.isInteger(limit) || limit < 1 || limit > DUPLICATES_MAX_LIMIT) {
    throw problem(400, `limit must be a whole number from 1 to ${DUPLICATES_MAX_LIMIT}`, [{ field: 'limit', message: `not a whole number from 1 to ${DUPLICATES_MAX_LIMIT}` }])
  }
  // the cursor is the next group's place: groups come in a stable order (largest, then oldest)
  const cursor = params.get('cursor')
  const start = cursor === null ? 0 : Number(cursor)
  if (!Number.isInteger(start) || start < 0) throw problem(400, 'cursor must be a next_cursor of an earlier answer', [{ field: 'cursor', message: 'not a cursor of this list' }])
  const entry = await context.stores.load(entity.id)
  const groups = await duplicatesOf(entity, entry, context.duplicates)
  const total = packedGroupCount(groups)
  const page = unpackDuplicateGroups(groups, start, start + limit)
  const data = page.map((g) => ({
    ids: g.ids,
    reasons: g.reasons,
    // the copy is never behind the one searched (both follow every stored update, the copy first)
    records: g.ids.map((id) => ({ id, name: recordTitle(entity, entry.store.row(id)!) })),
  }))
  const next = start + limit < total ? String(start + limit) : null
  const text = JSON.stringify({ data, total, next_cursor: next })
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' })
  res.end(text)
}

async function merge(entity: EntityDef, body: Record<string, unknown>, principal: Principal, context: RecordRoutesContext, readContext: ApiReadContext): Promise<Omit<StoredAnswer, 'requestHash'>> {
  const { survivor, others, values } = parseMergeBody(entity, body, readContext)
  const schema = cachedStoredSchema(context.storage)
  // every list linking here is read (and written) from the API's copies
  const linking = schema.entities.filter((e) => e.id === entity.id || e.fields.some((f) => !f.deletedAt && f.type === 'link' && f.linkEntity === entity.id))
  const entries = new Map(await Promise.all(linking.map(async (e) => [e.id, await context.stores.load(e.id)] as const)))
  let plan
  try {
    plan = planMerge({
      schema, entity, survivor, others, values,
      rowsOf: (id) => entries.get(id)?.store.allRows() ?? [],
      by: principal.id,
      at: new Date().toISOString(),
    })
  } catch (error) {
    if (!(error instanceof MergeError)) throw error
    throw problem(error.status, `nothing was merged: ${error.field} ${error.message}`, [{ field: error.field, message: error.message }])
  }
  const author: Member = { id: principal.id, name: principal.name, role: principal.role, createdAt: '' }
  // the links first, then the survivor's values and notes, the others' trip to the trash last: no link ever names a record in the trash
  const write = async (entityId: string, cells: readonly MergeCell[] | null, trash: readonly string[] = []) => {
    const entry = entries.get(entityId)!
    const ids = [...new Set(cells ? cells.map((c) => c.recordId) : trash)]
    const before = new Map(ids.map((id) => [id, copyRow(entry.store.row(id)!)]))
    const change = cells ? entry.store.updateCells(cells) : entry.store.deleteRecords(trash, new Date(), principal.id)
    if (change.update.byteLength <= 2) return
    entry.touched(ids)
    await storeChange(context, {
      entityId, update: change.update, author, origin: 'api', seed: null,
      changes: ids.map((id) => ({ entity: entityId, recordId: id, before: before.get(id)!, after: copyRow(entry.store.row(id)!) })),
    })
  }
  for (const [entityId, cells] of plan.links) await write(entityId, cells)
  await write(entity.id, plan.notes)
  await write(entity.id, null, plan.trash)
  const entry = entries.get(entity.id)!
  const row = entry.store.row(survivor)!
  const moved = Object.fromEntries(Object.entries(plan.moved).map(([id, n]) => [schema.entities.find((e) => e.id === id)?.key ?? id, n]))
  const answer = { survivor: encodeApiRecord(entity, row, entry.updatedAt(row)), merged: plan.trash, moved }
  return { status: 200, body: JSON.stringify(answer), location: null }
}

function parseMergeBody(entity: EntityDef, body: Record<string, unknown>, readContext: ApiReadContext): { survivor: string; others: string[]; values: Record<string, Row['values'][string]> } {
  const errors: { field: string; message: string }[] = []
  for (const key of Object.keys(body)) if (!['survivor', 'others', 'values'].includes(key)) errors.push({ field: key, message: 'not a merge option (survivor, others, values)' })
  const survivor = typeof body.survivor === 'string' && body.survivor ? body.survivor : ''
  if (!survivor) errors.push({ field: 'survivor', message: `must be the id of the ${entity.singular.toLowerCase()} that stays` })
  const others: string[] = []
  if (!Array.isArray(body.others) || !body.others.length) errors.push({ field: 'others', message: 'must be a list of at least one record id' })
  else {
    body.others.forEach((id, i) => {
      if (typeof id === 'string' && id) others.push(id)
      else errors.push({ field: `others[${i}]`, message: 'must be a record id' })
    })
  }
  let values: Record<string, Row['values'][string]> = {}
  if (body.values !== undefined) {
    if (typeof body.values !== 'object' || body.values === null || Array.isArray(body.values)) errors.push({ field: 'values', message: 'must be an object of field keys and values' })
    else {
      const decoded = decodeApiRecordBody(entity, body.values as Record<string, unknown>, readContext, true)
      if (decoded.ok) values = decoded.values
      else errors.push(...decoded.errors.map((e) => ({ field: `values.${e.field}`, message: e.message })))
    }
  }
  if (errors.length) throw problem(422, `nothing was merged: ${errors.map((e) => e.field).join(', ')} refused`, errors)
  return { survivor, others, values }
}

function readContextOf(req: IncomingMessage, context: RecordRoutesContext): ApiReadContext {
  const schema = cachedStoredSchema(context.storage)
  return {
    locale: acceptLocale(req),
    workspaceCountry: schema.workspace?.defaultCountry,
    members: context.storage.listMembers().map(({ id, name }) => ({ id, name })),
  }
}
