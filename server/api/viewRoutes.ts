import type { IncomingMessage, ServerResponse } from 'node:http'
import type { EntityDef, Row, WorkspaceSchema } from '../../src/domain/schema'
import { builtInViews, canSeeView, viewsFor } from '../../src/domain/views/savedView'
import { viewJson, viewSortParam } from '../../src/domain/views/viewApi'
import { compileViewFilter } from '../../src/domain/views/viewFilter'
import { workspaceReportSettings } from '../../src/domain/reports/workspaceReportSettings'
import type { Principal } from '../auth/authenticateToken'
import { cachedStoredSchema } from '../http/readStoredSchema'
import type { RelayStorage } from '../storage/relayStorage'
import { problem } from './problem'

export const VIEWS_PATH = '/views'

/**
 * Saved views (issue 15) over HTTP. A member sees the shared views and their own personal ones;
 * an API key, which is nobody's, sees the shared ones.
 */
const viewerIdOf = (principal: Principal) => (principal.kind === 'member' ? principal.id : '')

/** GET /api/v1/views?entity=<key>: the views the caller sees, of one entity or of all. */
export function handleViews(req: IncomingMessage, res: ServerResponse, principal: Principal, storage: RelayStorage): void {
  if (req.method !== 'GET') throw problem(405, `${req.method} is not allowed here; use GET`)
  const schema = cachedStoredSchema(storage)
  const entityKey = new URL(req.url ?? '/', 'http://relay.invalid').searchParams.get('entity')
  const entities = entityKey ? schema.entities.filter((e) => e.key === entityKey) : schema.entities
  if (entityKey && entities.length === 0) {
    throw problem(400, 'the query of GET /api/v1/views has a problem', [{ field: 'entity', message: `no entity "${entityKey}" (entities: ${schema.entities.map((e) => e.key).join(', ')})` }])
  }
  const data = entities.flatMap((entity) => viewsFor(schema.views ?? [], entity.id, viewerIdOf(principal)).map((v) => viewJson(v, entity)))
  const text = JSON.stringify({ data })
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' })
  res.end(text)
}

/**
 * GET /api/v1/{entity}?view=<id>: the list's parameters with the view's sort (unless `sort` is
 * given) and its conditions as a predicate, "is me" being the caller; the other parameters
 * narrow it further. `all` and `mine` are the built-in views of every list (`mine`: the entity's owner
 * field is the caller). A view the caller does not see is a 404, like a record.
 */
export function listThroughView(params: URLSearchParams, entity: EntityDef, schema: WorkspaceSchema, principal: Principal): { params: URLSearchParams; where?: (row: Row) => boolean } {
  const viewId = params.get('view')
  if (viewId === null) return { params }
  // "all" and "mine" (an owner field's "is me") are every list's, as in the app
  const builtIn = builtInViews(entity).find((v) => v.id === viewId)
  const view = builtIn ?? (schema.views ?? []).find((v) => v.id === viewId && v.entity === entity.id)
  if (!view || (!builtIn && !canSeeView(view, viewerIdOf(principal)))) throw problem(404, `no view "${viewId}" of ${entity.key} that you can see (GET /api/v1/views?entity=${entity.key} lists them)`)
  const rest = new URLSearchParams(params)
  rest.delete('view')
  if (!rest.has('sort')) {
    const sort = viewSortParam(entity, view.sort)
    if (sort) rest.set('sort', sort)
  }
  // a period such as "this month" is read in the workspace's time zone, as in the app
  return { params: rest, where: compileViewFilter(entity, view.filters, { memberId: principal.id, timeZone: workspaceReportSettings(schema).timeZone }) }
}
