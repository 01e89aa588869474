import { SEARCH_LIMIT_DEFAULT, SEARCH_LIMIT_MAX, type SearchGroup } from './searchIndex'

/** One result of `GET /api/v1/search`, in the order the app shows them (grouped by entity, best first). */
export interface ApiSearchResult {
  /** The entity's API key. */
  entity: string
  id: string
  name: string
  /** The field (its API key) and the value that matched; for a match through a link, the link field and the linked record's name. */
  matched: { field: string; value: string }
  /** Higher is better: exact 8, start of the value 6, start of a word 4, anywhere 2; +1 in a name field. */
  score: number
}

export type SearchRequest =
  | { ok: true; q: string; limit: number }
  | { ok: false; status: 400 | 422; errors: { field: string; message: string }[] }

/** `?q=&limit=`: q must hold something to search (422), limit is 1–50 results per entity (400). */
export function parseSearchRequest(params: URLSearchParams): SearchRequest {
  const q = params.get('q') ?? ''
  const rawLimit = params.get('limit')
  const limit = rawLimit === null ? SEARCH_LIMIT_DEFAULT : Number(rawLimit)
  if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_LIMIT_MAX) {
    return { ok: false, status: 400, errors: [{ field: 'limit', message: `must be a whole number from 1 to ${SEARCH_LIMIT_MAX} (results per entity)` }] }
  }
  if (!q.trim()) return { ok: false, status: 422, errors: [{ field: 'q', message: 'is empty: give the text, email or phone number to search for' }] }
  return { ok: true, q, limit }
}

export function searchResultsJson(groups: readonly SearchGroup[]): ApiSearchResult[] {
  return groups.flatMap((group) => group.hits.map((hit) => ({
    entity: group.entity.key,
    id: hit.row.id,
    name: hit.name,
    matched: { field: hit.field.key, value: hit.value },
    score: hit.score,
  })))
}
