import type { IncomingMessage, ServerResponse } from 'node:http'
import { encodeApiValue } from '../../src/domain/api/apiRecordCodec'
import { HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT } from '../../src/domain/api/openApiDocument'
import type { HistoryEntry } from '../../src/domain/history/historyEntry'
import type { EntityDef } from '../../src/domain/schema'
import type { RecordHistoryFeed } from '../history/recordHistoryFeed'
import type { RelayStorage } from '../storage/relayStorage'
import type { EntityStores } from './entityStores'
import { problem } from './problem'


export interface RecordHistoryContext {
  storage: RelayStorage
  stores: EntityStores
  history: RecordHistoryFeed
}

/** One entry as the API shows it. */
export interface ApiHistoryEntry {
  at: string
  member: { id: string; name: string }
  /** The field's API key; null for created, deleted and restored. */
  field: string | null
  from: unknown
  to: unknown
  kind: HistoryEntry['kind']
  via: HistoryEntry['via']
}

/**
 * GET /api/v1/{entity}/{id}/history (viewer and above): the record's history, newest first, with
 * fields by API key and values in the API's codec. Updates stored before the request are in it:
 * the answer waits for the relay's history feed to have derived them.
 */
export async function handleRecordHistory(req: IncomingMessage, res: ServerResponse, entity: EntityDef, id: string, context: RecordHistoryContext): Promise<true> {
  if (req.method !== 'GET') throw problem(405, `${req.method} is not allowed here; use GET`)
  const params = new URL(req.url ?? '/', 'http://relay.invalid').searchParams
  const limitText = params.get('limit')
  const limit = limitText === null ? HISTORY_DEFAULT_LIMIT : Number(limitText)
  if (!Number.isInteger(limit) || limit < 1 || limit > HISTORY_MAX_LIMIT) throw problem(400, `limit must be a whole number from 1 to ${HISTORY_MAX_LIMIT}`)
  const entry = await context.stores.load(entity.id)
  // a deleted record keeps its history (it may be restored); one never created has none
  const row = entry.store.row(id)
  if (!row || !row.createdAt) throw problem(404, `no ${entity.singular.toLowerCase()} with id "${id}"`)
  await context.history.idle()
  const data = context.storage.readHistory(entity.id, id, limit).map((e) => encodeHistoryEntry(entity, e))
  const body = JSON.stringify({ data })
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' })
  res.end(body)
  return true
}

export function encodeHistoryEntry(entity: EntityDef, e: HistoryEntry): ApiHistoryEntry {
  const field = e.fieldId === null ? undefined : entity.fields.find((f) => f.id === e.fieldId)
  const encode = (value: HistoryEntry['from']) => (field ? encodeApiValue(field, value ?? undefined) : value)
  return {
    at: e.at,
    member: { id: e.memberId, name: e.memberName },
    field: field ? field.key : e.fieldId,
    from: encode(e.from),
    to: encode(e.to),
    kind: e.kind,
    via: e.via,
  }
}
