import type { IncomingMessage, ServerResponse } from 'node:http'
import { encodeApiRecord } from '../../src/domain/api/apiRecordCodec'
import { parseTrashQuery, trashPage } from '../../src/domain/api/apiTrashPage'
import { trashRows } from '../../src/domain/records/trashRows'
import type { EntityDef, Row } from '../../src/domain/schema'
import type { Principal } from '../auth/authenticateToken'
import { decodePathSegment } from '../http/decodePathSegment'
import { cachedStoredSchema } from '../http/readStoredSchema'
import type { EntityStore } from './entityStores'
import { problem } from './problem'
import { store as storeApiWrite, type RecordRoutesContext } from './recordRoutes'
import { requireRole } from './requirePrincipal'

const TRASH_PATH = /^\/([a-z0-9_]+)\/trash$/
const RESTORE_PATH = /^\/([a-z0-9_]+)\/([^/]+)\/restore$/
const RECORD_PATH = /^\/([a-z0-9_]+)\/([^/]+)$/

/** Whether `url`'s query asks a DELETE to purge (`?purge=true`). */
function asksPurge(req: IncomingMessage): boolean {
  const purge = new URL(req.url ?? '/', 'http://relay.invalid').searchParams.get('purge')
  return purge === 'true' || purge === '1'
}

export function isTrashPath(req: IncomingMessage, path: string): boolean {
  return TRASH_PATH.test(path) || RESTORE_PATH.test(path) || (req.method === 'DELETE' && RECORD_PATH.test(path) && asksPurge(req))
}

/**
 * The trash of an entity under /api/v1 (issue 15):
 * - GET /{entity}/trash: its soft-deleted records, newest deletion first, each with
 *   `deleted_at` and `deleted_by` (a member id; null for deletes from before it was recorded);
 *   `?limit=` 1–1000 (50) and `?cursor=` from `next_cursor`. Any member.
 * - POST /{entity}/{id}/restore: brings a deleted record back (editor or above), 200 with it.
 * - DELETE /{entity}/{id}?purge=true: purges a record, deleted or not, for good (admins): its
 *   values are removed from the document (recordDoc.purgeRecords); 204.
 * Written through the API's copy like every API write, so they merge like a member's edit.
 */
export async function handleTrashRoutes(req: IncomingMessage, res: ServerResponse, path: string, principal: Principal, context: RecordRoutesContext): Promise<void> {
  const trash = TRASH_PATH.exec(path)
  if (trash) {
    if (req.method !== 'GET') throw problem(405, `${req.method} is not allowed here; use GET`, undefined, { Allow: 'GET' })
    const entity = entityOf(trash[1]!, context)
    const parsed = parseTrashQuery(new URL(req.url ?? '/', 'http://relay.invalid').searchParams)
    if (!parsed.ok) throw problem(400, `the query of GET /api/v1/${entity.key}/trash has ${parsed.errors.length} problem${parsed.errors.length === 1 ? '' : 's'}`, parsed.errors)
    const entry = await context.stores.load(entity.id)
    const page = trashPage(trashRows(entry.store.allRows()), parsed.query)
    sendJson(res, 200, { data: page.rows.map((row) => trashRecord(entity, row, entry)), next_cursor: page.nextCursor })
    return
  }
  const restore = RESTORE_PATH.exec(path)
  if (restore) {
    if (req.method !== 'POST') throw problem(405, `${req.method} is not allowed here; use POST`, undefined, { Allow: 'POST' })
    requireRole(principal, 'editor')
    const entity = entityOf(restore[1]!, context)
    const id = decodePathSegment(restore[2]!)
    const entry = await context.stores.load(entity.id)
    const row = entry.store.row(id)
    if (!row || !row.createdAt || row.purgedAt !== undefined) throw problem(404, `no ${entity.singular.toLowerCase()} with id "${id}" in the trash`)
    if (row.deletedAt === undefined) throw problem(409, `the ${entity.singular.toLowerCase()} "${id}" is not deleted`)
    const change = entry.store.restoreRecords([id])
    entry.touched([id])
    await storeApiWrite(entity, change.update, principal, context)
    const restored = entry.store.row(id)!
    sendJson(res, 200, encodeApiRecord(entity, restored, entry.updatedAt(restored)))
    return
  }
  const purge = RECORD_PATH.exec(path)!
  requireRole(principal, 'admin')
  const entity = entityOf(purge[1]!, context)
  const id = decodePathSegment(purge[2]!)
  const entry = await context.stores.load(entity.id)
  const row = entry.store.row(id)
  if (!row || (!row.createdAt && row.deletedAt === undefined) || row.purgedAt !== undefined) throw problem(404, `no ${entity.singular.toLowerCase()} with id "${id}"`)
  const change = entry.store.purgeRecords([id])
  entry.touched([id])
  await storeApiWrite(entity, change.update, principal, context)
  res.writeHead(204, { 'Cache-Control': 'no-store' })
  res.end()
}

function entityOf(key: string, context: RecordRoutesContext): EntityDef {
  const schema = cachedStoredSchema(context.storage)
  const entity = schema.entities.find((e) => e.key === key)
  if (!entity) throw problem(404, `no entity "${key}" (entities: ${schema.entities.map((e) => e.key).join(', ')})`)
  return entity
}

function trashRecord(entity: EntityDef, row: Row, entry: EntityStore) {
  return { ...encodeApiRecord(entity, row, entry.updatedAt(row)), deleted_at: row.deletedAt ?? null, deleted_by: row.deletedBy ?? null }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' })
  res.end(text)
}
