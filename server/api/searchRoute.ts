import type { IncomingMessage, ServerResponse } from 'node:http'
import { parseSearchRequest, searchResultsJson } from '../../src/domain/search/searchApi'
import type { RecordRoutesContext } from './recordRoutes'
import { problem } from './problem'
import { relaySearchOf } from './relaySearch'

export const SEARCH_PATH = '/search'

/**
 * GET /api/v1/search?q=&limit=: every entity's records matching q, grouped by entity as the app's
 * search shows them (the same SearchIndex), `limit` per entity. Any member or key may search
 * (viewers too): it reads what GET of each list reads.
 */
export async function handleSearch(req: IncomingMessage, res: ServerResponse, context: RecordRoutesContext): Promise<void> {
  if (req.method !== 'GET') throw problem(405, `${req.method} is not allowed here; use GET`)
  const parsed = parseSearchRequest(new URL(req.url ?? '/', 'http://relay.invalid').searchParams)
  if (!parsed.ok) throw problem(parsed.status, parsed.status === 422 ? 'nothing to search for: q is empty' : 'the query of GET /api/v1/search has a problem', parsed.errors)
  const groups = await relaySearchOf(context.stores, context.storage).query(parsed.q, parsed.limit)
  const text = JSON.stringify({ data: searchResultsJson(groups) })
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' })
  res.end(text)
}
