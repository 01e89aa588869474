import type { FieldProblem } from './apiRecordCodec'
import type { Row } from '../schema'

/** GET /api/v1/{entity}/trash: `?limit=` 1–1000 (default 50, as the lists) and `?cursor=` from next_cursor. */
export interface TrashQuery { limit: number; after: { deletedAt: string; id: string } | null }

const DEFAULT_LIMIT = 50
const MAX_LIMIT = 1000

/** The trash query of a request's parameters, or the problems that name each bad parameter. */
export function parseTrashQuery(params: URLSearchParams): { ok: true; query: TrashQuery } | { ok: false; errors: FieldProblem[] } {
  const errors: FieldProblem[] = []
  for (const name of new Set(params.keys())) {
    if (name !== 'limit' && name !== 'cursor') errors.push({ field: name, message: `the trash takes only limit and cursor, not "${name}"` })
  }
  let limit = DEFAULT_LIMIT
  const limitText = params.get('limit')
  if (limitText !== null) {
    limit = /^\d+$/.test(limitText) ? Number(limitText) : NaN
    if (!(limit >= 1 && limit <= MAX_LIMIT)) errors.push({ field: 'limit', message: `limit must be a whole number from 1 to ${MAX_LIMIT}, got "${limitText}"` })
  }
  const cursor = params.get('cursor')
  const after = cursor ? decodeTrashCursor(cursor) : null
  if (cursor && !after) errors.push({ field: 'cursor', message: 'not a cursor this API made (pass next_cursor as it came)' })
  return errors.length ? { ok: false, errors } : { ok: true, query: { limit, after } }
}

/**
 * One page of a trash already ordered newest deletion first (trashRows): the rows after the
 * cursor's, and the cursor of the page's last row when more follow. A keyset, so a restore or a
 * new delete between two pages neither repeats nor skips a row that stays.
 */
export function trashPage(trash: readonly Row[], query: TrashQuery): { rows: Row[]; nextCursor: string | null } {
  let start = 0
  const after = query.after
  if (after) {
    // newest first, ties by id: the first row that sorts after the cursor's
    start = trash.findIndex((r) => r.deletedAt! < after.deletedAt || (r.deletedAt === after.deletedAt && r.id > after.id))
    if (start < 0) start = trash.length
  }
  const rows = trash.slice(start, start + query.limit)
  const last = rows[rows.length - 1]
  const more = start + query.limit < trash.length
  return { rows, nextCursor: more && last ? encodeTrashCursor(last) : null }
}

function encodeTrashCursor(row: Row): string {
  const bytes = new TextEncoder().encode(JSON.stringify([row.deletedAt, row.id]))
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function decodeTrashCursor(text: string): TrashQuery['after'] {
  let parsed: unknown
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))))
  } catch {
    // any garbage is simply not a cursor of ours
    return null
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') return null
  return { deletedAt: parsed[0], id: parsed[1] }
}
