import type { IncomingMessage, ServerResponse } from 'node:http'
import { constants, createDeflateRaw } from 'node:zlib'
import { allListRows, parseListQuery } from '../../src/domain/api/apiListQuery'
import type { ApiReadContext, FieldProblem } from '../../src/domain/api/apiRecordCodec'
import { exportColumns } from '../../src/domain/export/exportColumns'
import { XLSX_CONTENT_TYPE, type Deflater } from '../../src/domain/export/xlsxSheetWriter'
import { EXPORT_FORMATS, exportFileName, writeExport, type ExportFormat } from '../../src/domain/export/writeExport'
import { localeRegion } from '../../src/domain/localeRegion'
import { recordTitle } from '../../src/domain/recordTitle'
import { liveFields, type EntityDef, type FieldDef, type WorkspaceSchema } from '../../src/domain/schema'
import { builtInViews, canSeeView, type SavedView } from '../../src/domain/views/savedView'
import type { Principal } from '../auth/authenticateToken'
import { decodePathSegment } from '../http/decodePathSegment'
import { cachedStoredSchema } from '../http/readStoredSchema'
import { problem } from './problem'
import { acceptLocale, type RecordRoutesContext } from './recordRoutes'
import { listThroughView } from './viewRoutes'

const EXPORT_PATH = /^\/([^/]+)\/export$/
const CONTENT_TYPES: Record<ExportFormat, string> = { csv: 'text/csv; charset=utf-8', xlsx: XLSX_CONTENT_TYPE }
/** The export's own parameters; the rest are the list's (GET /{entity}). */
const OWN_PARAMS = ['format', 'fields']

export const isExportPath = (path: string): boolean => EXPORT_PATH.test(path)

/** The client went away mid-export: nothing more is written, and there is nobody to answer. */
class ExportAbortedError extends Error {}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * GET /api/v1/{entity}/export?format=csv|xlsx (anyone who may list the entity): every record the
 * list's parameters select (`view`, field filters, ranges, `q`, `sort`; no pages, so no `limit`
 * or `cursor`), in that order, with the view's visible columns or `fields=key,key`, as a CSV or
 * XLSX file (src/domain/export). Values are written in the locale of Accept-Language and
 * date-times in UTC — as the import reads them, so a file exported here imports back to the
 * same records. Streamed a slice of rows at a time, waiting on the socket's drain; no cap.
 */
export async function handleExport(req: IncomingMessage, res: ServerResponse, path: string, principal: Principal, context: RecordRoutesContext): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw problem(405, `${req.method} is not allowed here; use GET`, undefined, { Allow: 'GET, HEAD' })
  const schema = cachedStoredSchema(context.storage)
  const entityKey = decodePathSegment(EXPORT_PATH.exec(path)![1]!)
  const entity = schema.entities.find((e) => e.key === entityKey)
  if (!entity) throw problem(404, `no entity "${entityKey}" (entities: ${schema.entities.map((e) => e.key).join(', ')})`)
  const search = new URL(req.url ?? '/', 'http://relay.invalid').searchParams
  const errors: FieldProblem[] = []
  const format = search.get('format') ?? 'csv'
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) errors.push({ field: 'format', message: `must be one of ${EXPORT_FORMATS.join(', ')}, not ${JSON.stringify(format)}` })
  for (const key of ['limit', 'cursor']) if (search.has(key)) errors.push({ field: key, message: 'an export holds every matching record: it has no pages' })
  const listParams = new URLSearchParams([...search].filter(([key]) => !OWN_PARAMS.includes(key) && key !== 'limit' && key !== 'cursor'))
  const view = viewOf(search.get('view'), entity, schema, principal)
  const { params, where } = listThroughView(listParams, entity, schema, principal)
  const locale = acceptLocale(req)
  const members = context.storage.listMembers().map(({ id, name }) => ({ id, name }))
  const readContext: ApiReadContext = { locale, workspaceCountry: schema.workspace?.defaultCountry, members }
  const parsed = parseListQuery(entity, params, readContext)
  if (!parsed.ok) errors.push(...parsed.errors)
  const fields = exportedFields(entity, search.get('fields'), view, errors)
  if (errors.length || !parsed.ok) throw problem(400, `the query of GET /api/v1/${entity.key}/export has ${errors.length} problem${errors.length === 1 ? '' : 's'}`, errors)

  const entry = await context.stores.load(entity.id)
  const names = await linkedNames(fields, schema, context)
  const columns = exportColumns(entity, {
    parse: { locale, defaultCountry: localeRegion(locale), workspaceCountry: schema.workspace?.defaultCountry, timeZone: 'UTC', members },
    linkName: (entityId, id) => names.get(entityId)?.get(id),
  }, { fields })
  const rows = await allListRows(entry.store.rows(), { ...parsed.query, where }, entry, turn)
  const fileName = exportFileName(entity.key, view?.name ?? 'all', new Date().toISOString().slice(0, 10), format as ExportFormat)
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[format as ExportFormat],
    'Content-Disposition': `attachment; filename="${fileName.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    'Cache-Control': 'no-store',
    'X-Record-Count': String(rows.length),
  })
  if (req.method === 'HEAD') return void res.end()
  let closed = false
  res.once('close', () => { closed = true })
  try {
    await writeExport({
      format: format as ExportFormat, columns, rows, sheetName: entity.label, turn, deflater: zlibDeflater,
      write: (chunk) => {
        if (closed) throw new ExportAbortedError()
        if (res.write(chunk)) return
        return new Promise<void>((resolve) => {
          const done = () => { res.off('drain', done); res.off('close', done); resolve() }
          res.once('drain', done)
          res.once('close', done)
        })
      },
    })
  } catch (error) {
    // the client left: the socket is gone, the rest of the file is not made
    if (error instanceof ExportAbortedError) return
    throw error
  }
  res.end()
}

/** The view `?view=` names (listThroughView refuses one the caller does not see). */
function viewOf(viewId: string | null, entity: EntityDef, schema: WorkspaceSchema, principal: Principal): SavedView | undefined {
  if (viewId === null) return undefined
  const viewer = principal.kind === 'member' ? principal.id : ''
  return builtInViews(entity).find((v) => v.id === viewId)
    ?? (schema.views ?? []).find((v) => v.id === viewId && v.entity === entity.id && canSeeView(v, viewer))
}

/**
 * The columns: `fields=key,key` in that order; else the view's visible columns in its order, then
 * the live fields it does not name (as the grid shows a view); else every live field.
 */
function exportedFields(entity: EntityDef, fieldsParam: string | null, view: SavedView | undefined, errors: FieldProblem[]): FieldDef[] {
  const live = liveFields(entity)
  if (fieldsParam !== null) {
    const byKey = new Map(live.map((f) => [f.key, f]))
    const picked: FieldDef[] = []
    for (const key of fieldsParam.split(',').map((k) => k.trim()).filter(Boolean)) {
      const field = byKey.get(key)
      if (!field) errors.push({ field: 'fields', message: `${entity.label} has no field "${key}" (fields: ${[...byKey.keys()].join(', ')})` })
      else if (!picked.includes(field)) picked.push(field)
    }
    if (!picked.length && !errors.length) errors.push({ field: 'fields', message: 'name at least one field' })
    return picked
  }
  if (!view?.columns.length) return live
  const byId = new Map(live.map((f) => [f.id, f]))
  const named = new Set(view.columns.map((c) => c.field))
  return [
    ...view.columns.filter((c) => !c.hidden && byId.has(c.field)).map((c) => byId.get(c.field)!),
    ...live.filter((f) => !named.has(f.id)),
  ]
}

/** The names of the records the exported link fields point to, by entity and id (recordTitle: the name the import finds them by). */
async function linkedNames(fields: readonly FieldDef[], schema: WorkspaceSchema, context: RecordRoutesContext): Promise<Map<string, Map<string, string>>> {
  const names = new Map<string, Map<string, string>>()
  for (const field of fields) {
    const target = field.type === 'link' ? schema.entities.find((e) => e.id === field.linkEntity) : undefined
    if (!target || names.has(target.id)) continue
    const byId = new Map<string, string>()
    for (const row of (await context.stores.load(target.id)).store.rows()) byId.set(row.id, recordTitle(target, row))
    names.set(target.id, byId)
  }
  return names
}

/**
 * The XLSX sheet compressed by node:zlib: native, and in libuv's thread pool, so the relay's event
 * loop formats the next rows while the last ones are deflated (fflate on the loop was a third of
 * an XLSX export's time).
 */
const zlibDeflater: Deflater = (ondata) => {
  const deflate = createDeflateRaw({ level: 1, memLevel: 9, strategy: constants.Z_DEFAULT_STRATEGY })
  let pending: Uint8Array | null = null
  // each chunk is handed on once the next is known, so the last can carry `final`
  deflate.on('data', (chunk: Buffer) => {
    if (pending) ondata(pending, false)
    pending = chunk
  })
  const ended = new Promise<void>((resolve, reject) => {
    deflate.once('end', () => {
      ondata(pending ?? new Uint8Array(0), true)
      resolve()
    })
    deflate.once('error', reject)
  })
  return {
    push: (data, final) => {
      const drained = deflate.write(data) ? null : new Promise<void>((resolve) => deflate.once('drain', resolve))
      if (final) {
        deflate.end()
        return ended
      }
      return drained ?? undefined
    },
  }
}
