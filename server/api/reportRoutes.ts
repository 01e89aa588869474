import type { IncomingMessage, ServerResponse } from 'node:http'
import { parseIsoDate } from '../../src/domain/calendarDate'
import { FunnelError, runFunnel, type FunnelQuery } from '../../src/domain/reports/funnel'
import { ReportError } from '../../src/domain/reports/reportDefinition'
import { reportFields } from '../../src/domain/reports/reportFields'
import { funnelJson, reportResultJson } from '../../src/domain/reports/reportJson'
import { MissingEntityError, READY_REPORTS, readyReport, runReadyReport, type ReadyReport, type ReportSource } from '../../src/domain/reports/readyReports'
import { workspaceReportSettings } from '../../src/domain/reports/workspaceReportSettings'
import type { Row, WorkspaceSchema } from '../../src/domain/schema'
import { canSeeView } from '../../src/domain/views/savedView'
import type { Principal } from '../auth/authenticateToken'
import { decodePathSegment } from '../http/decodePathSegment'
import { cachedStoredSchema } from '../http/readStoredSchema'
import { problem, type FieldProblem } from './problem'
import type { RecordRoutesContext } from './recordRoutes'

export const REPORTS_PATH = '/reports'
export const FUNNEL_ID = 'funnel'
const FUNNEL_PARAMS = ['pipeline', 'from', 'to', 'owner', 'source', 'basis']

export function isReportsPath(path: string): boolean {
  return path === REPORTS_PATH || path.startsWith(`${REPORTS_PATH}/`)
}

/**
 * GET /reports (the reports one may run), GET /reports/funnel?pipeline=&from=&to=&owner=&source=&basis=
 * and GET /reports/{id} → its rows. Reports run on the API's copies of the entity documents
 * (entityStores), like GET of a list, so any member or key may read them. A report id is looked
 * up by reportById: the ready-made ones now; saved reports (in the schema document) are the next
 * source it asks.
 */
export async function handleReports(req: IncomingMessage, res: ServerResponse, path: string, principal: Principal, context: RecordRoutesContext): Promise<void> {
  if (req.method !== 'GET') throw problem(405, `${req.method} is not allowed here; use GET`)
  const parts = path.split('/').slice(2)
  const schema = cachedStoredSchema(context.storage)
  if (parts.length === 0) {
    const saved = savedReportsFor(schema, principal).map((r) => ({ id: r.id, name: r.name, chart: r.chart, ready_made: false }))
    return sendJson(res, { data: [...READY_REPORTS.map((r) => ({ id: r.id, name: r.name, chart: r.chart, ready_made: true })), ...saved] })
  }
  if (parts.length !== 1) throw problem(404, `no API route GET /api/v1${path}`)
  const id = decodePathSegment(parts[0]!)
  const params = new URL(req.url ?? '/', 'http://relay.invalid').searchParams
  const report = id === FUNNEL_ID ? readyReport('sales_funnel')! : reportById(id, schema, principal)
  if (!report) throw problem(404, `no report "${id}" (ready-made: ${READY_REPORTS.map((r) => r.id).join(', ')})`)
  const query = report.kind === 'funnel' ? funnelQueryOf(params) : noParams(params)
  const source = await reportSource(schema, report, principal, context)
  try {
    if (id === FUNNEL_ID) return sendJson(res, funnelJson(runFunnel(query, source.entity('deals')!.rows, { ...source, entity: source.entity('deals')!.entity })))
    const ran = runReadyReport(report, source, query)
    if (ran.kind === 'funnel') return sendJson(res, { id: report.id, name: report.name, chart: report.chart, ...funnelJson(ran.funnel) })
    const fields = reportFields(source.entity(ran.definition.entity)!.entity, source)
    return sendJson(res, { id: report.id, name: report.name, chart: report.chart, ...reportResultJson(ran.definition, ran.result, fields) })
  } catch (error) {
    if (error instanceof FunnelError) throw problem(404, error.message)
    // a ready-made report over a workspace whose fields were removed or changed type
    if (error instanceof ReportError || error instanceof MissingEntityError) throw problem(409, error.message)
    throw error
  }
}

/** The saved reports (schema document) a caller sees: shared ones and their own; an API key the shared ones only. */
function savedReportsFor(schema: WorkspaceSchema, principal: Principal) {
  const memberId = principal.kind === 'member' ? principal.id : ''
  return (schema.reports ?? []).filter((r) => canSeeView(r, memberId))
}

/** The report an id names: a ready-made one, else a saved report the caller sees (another member's personal one is a 404 like an unknown id). */
export function reportById(id: string, schema: WorkspaceSchema, principal: Principal): ReadyReport | undefined {
  const ready = readyReport(id)
  if (ready) return ready
  const saved = savedReportsFor(schema, principal).find((r) => r.id === id)
  return saved && { id: saved.id, name: saved.name, chart: saved.chart, kind: 'engine', definition: { ...saved.definition, id: saved.id, name: saved.name } }
}

function funnelQueryOf(params: URLSearchParams): FunnelQuery {
  const errors: FieldProblem[] = []
  for (const key of new Set(params.keys())) if (!FUNNEL_PARAMS.includes(key)) errors.push({ field: key, message: `is not a parameter of the funnel (${FUNNEL_PARAMS.join(', ')})` })
  const query: FunnelQuery = {}
  const text = (key: string) => {
    const all = params.getAll(key)
    if (all.length > 1) errors.push({ field: key, message: 'is given more than once' })
    return all[0] === undefined || all[0] === '' ? undefined : all[0]
  }
  const pipeline = text('pipeline'); if (pipeline !== undefined) query.pipeline = pipeline
  const owner = text('owner'); if (owner !== undefined) query.owner = owner
  const source = text('source'); if (source !== undefined) query.source = source
  for (const key of ['from', 'to'] as const) {
    const day = text(key)
    if (day === undefined) continue
    if (!parseIsoDate(day)) errors.push({ field: key, message: `"${day.slice(0, 40)}" is not a YYYY-MM-DD date` })
    else query[key] = day
  }
  if (query.from && query.to && query.from > query.to) errors.push({ field: 'to', message: `is before from (${query.from})` })
  const basis = text('basis')
  if (basis !== undefined) {
    if (basis === 'created' || basis === 'closed') query.basis = basis
    else errors.push({ field: 'basis', message: 'is neither created nor closed' })
  }
  if (errors.length) throw problem(400, 'the query of the funnel has a problem', errors)
  return query
}

function noParams(params: URLSearchParams): FunnelQuery {
  const unknown = [...new Set(params.keys())]
  if (unknown.length) throw problem(400, 'this report takes no parameters', unknown.map((field) => ({ field, message: 'is not a parameter of this report' })))
  return {}
}

async function reportSource(schema: WorkspaceSchema, report: ReadyReport, principal: Principal, context: RecordRoutesContext): Promise<ReportSource> {
  const entityKey = report.kind === 'funnel' ? 'deals' : report.definition.entity
  const entity = schema.entities.find((e) => e.id === entityKey || e.key === entityKey)
  const rows: Row[] = entity ? (await context.stores.load(entity.id)).store.rows() : []
  const members = new Map(context.storage.listMembers().map((m) => [m.id, m.name]))
  return {
    ...workspaceReportSettings(schema),
    pipelines: schema.pipelines ?? [],
    memberId: principal.id,
    now: new Date(),
    memberName: (id) => members.get(id),
    entity: (id) => (entity && (id === entity.id || id === entity.key) ? { entity, rows } : undefined),
  }
}

function sendJson(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' })
  res.end(text)
}
