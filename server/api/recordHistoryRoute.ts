import type { IncomingMessage, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { encodeApiValue } from '../../src/domain/api/apiRecordCodec'
import { HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT } from '../../src/domain/api/openApiDocument'
import type { HistoryEntry } from '../../src/domain/history/historyEntry'
import type { EntityDef, Row } from '../../src/domain/schema'
import { mergedInto } from '../../src/domain/duplicates/mergeNotes'
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
  /** Set on entries of a record merged into this one (issue 18): that record's id. */
  record?: string
}

/** How deep merges into merges are followed (a survivor merged later into another). */
const MERGE_DEPTH = 8

/**
 * GET /api/v1/{entity}/{id}/history (viewer and above): the record's history, newest first, with
 * fields by API key and values in the API's codec. Updates stored before the request are in it:
 * the answer waits for the relay's history feed to have derived them. The history of records merged
 * into this one (its `merged@` notes) is part of it, each of their entries naming its `record`.
 */
export async function handleRecordHistory(req: IncomingMessage, res: ServerResponse, entity: EntityDef, id: string, context: RecordHistoryContext): Promise<true> {
  if (req.method !== 'GET') throw problem(405, `${req.method} is not allowed here; use GET`)
  const params = new URL(req.url ?? '/', 'http://relay.invalid').searchParams
  const limitText = params.get('limit')
  const limit = limitText === null ? HISTORY_DEFAULT_LIMIT : Number(limitText)
  if (!Number.isInteger(limit) || limit < 1 || limit > HISTORY_MAX_LIMIT) throw problem(400, `limit must be a whole number from 1 to ${HISTORY_MAX_LIMIT}`)
  const started = performance.now()
  const entry = await context.stores.load(entity.id)
  const loaded = performance.now()
  // a deleted record keeps its history (it may be restored); one never created has none
  const row = entry.store.row(id)
  if (!row || !row.createdAt) throw problem(404, `no ${entity.singular.toLowerCase()} with id "${id}"`)
  await context.history.idle()
  const derived = performance.now()
  const entries = context.storage.readHistory(entity.id, id, limit)
  // a merge moves the merged records' history here: theirs is read too, newest first among all
  const merged = mergedRecords(row, (other) => entry.store.row(other))
  for (const other of merged) {
    // the merged record's own note of this merge says what the survivor's says
    for (const e of context.storage.readHistory(entity.id, other, limit)) if (!(e.kind === 'merged' && e.to === id)) entries.push(e)
  }
  if (merged.length) entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
  const data = entries.slice(0, limit).map((e) => ({ ...encodeHistoryEntry(entity, e), ...(e.recordId !== id ? { record: e.recordId } : {}) }))
  const body = JSON.stringify({ data })
  // what the answer waited for (devtools and the bench show it): the entity's store, the history
  // feed deriving what was stored before the request, and reading and encoding the entries
  const timing = `store;dur=${(loaded - started).toFixed(1)}, feed;dur=${(derived - loaded).toFixed(1)}, read;dur=${(performance.now() - derived).toFixed(1)}`
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', 'server-timing': timing })
  res.end(body)
  return true
}

/** The records merged into `row`, and those merged into them, each once. */
function mergedRecords(row: Row, rowOf: (id: string) => Row | undefined): string[] {
  const found: string[] = []
  const seen = new Set([row.id])
  let level = [row]
  for (let depth = 0; depth < MERGE_DEPTH && level.length; depth++) {
    const next: Row[] = []
    for (const r of level) {
      for (const { id } of mergedInto(r)) {
        if (seen.has(id)) continue
        seen.add(id)
        found.push(id)
        const merged = rowOf(id)
        if (merged) next.push(merged)
      }
    }
    level = next
  }
  return found
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
