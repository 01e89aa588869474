import type { IncomingMessage, ServerResponse } from 'node:http'
import * as Y from 'yjs'
import { randomId } from '../../src/crdt/randomId'
import { IMPORT_MAX_MB } from '../../src/domain/api/importPaths'
import { CsvByteReader } from '../../src/domain/import/csvByteReader'
import type { ImportRow } from '../../src/domain/import/importRow'
import { linkNameIndex } from '../../src/domain/import/linkNameIndex'
import { matchImportColumns } from '../../src/domain/import/matchImportColumns'
import { DEDUPE_BY, ImportDedupeError, ImportPlanner, ON_DUPLICATE, type DedupeBy, type ImportDecision, type ImportFieldError, type OnDuplicate } from '../../src/domain/import/planImportRow'
import { readXlsxRows, XlsxReadError } from '../../src/domain/import/readXlsxRows'
import { localeRegion } from '../../src/domain/localeRegion'
import type { ParseContext } from '../../src/domain/parseFieldInput'
import { recordTitle } from '../../src/domain/recordTitle'
import type { EntityDef, FieldValue, Row } from '../../src/domain/schema'
import type { RecordChange } from '../../src/domain/rules/rule'
import type { Principal } from '../auth/authenticateToken'
import type { Member } from '../auth/member'
import { decodePathSegment } from '../http/decodePathSegment'
import { cachedStoredSchema } from '../http/readStoredSchema'
import { ProblemError, problem } from './problem'
import { copyRow, EMPTY_UPDATE, storeChange, type RecordRoutesContext } from './recordRoutes'
import { requireRole } from './requirePrincipal'
import { withStageEdit } from './stageEdit'

const IMPORT_PATH = /^\/([^/]+)\/import$/
export const CSV_TYPE = 'text/csv'
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
/** The largest file the route reads: 200 MB holds a few million CSV rows; more is refused with a 413 before anything is written. */
export const MAX_IMPORT_BYTES = IMPORT_MAX_MB * 1024 * 1024
/** A batch of records is planned on the API copy for at most this long, then written and stored as one update: the event loop stays free for everyone else. */
const BATCH_SLICE_MS = 8
/**
 * And holds at most this many records: every layer that takes the batch's update (the room's
 * layout check, the copies, the history) works on it in one go, ~10–20 µs per record each.
 */
const BATCH_MAX_RECORDS = 100
/** Reading and planning rows runs this long before the event loop gets a turn. */
const READ_SLICE_MS = 8

export function isImportPath(path: string): boolean {
  return IMPORT_PATH.test(path)
}

/** The answer of POST /{entity}/import, exactly as the API documents it. */
export interface ImportSummary {
  created: number
  updated: number
  skipped: number
  rejected: { row: number; errors: ImportFieldError[] }[]
}

interface ImportOptions { mapping: Record<string, string | null>; dedupe?: DedupeBy; onDuplicate: OnDuplicate }

/**
 * POST /api/v1/{entity}/import (editor or above): the body is a CSV (`text/csv`; encoding and
 * delimiter detected) or an XLSX file; `mapping` (JSON: column → field API key, null to leave a
 * column out), `dedupe` and `on_duplicate` in the query. The body is read as it arrives and each
 * row planned (src/domain/import) — a refused row changes nothing, an accepted one is stored whole
 * — and only once the whole file has arrived are the records written, in batches through the
 * relay's normal write path with the rules they trigger, so a file over the size cap or a
 * dropped upload writes nothing.
 */
export async function handleImport(req: IncomingMessage, res: ServerResponse, path: string, principal: Principal, context: RecordRoutesContext): Promise<void> {
  if (req.method !== 'POST') throw problem(405, `${req.method} is not allowed here; use POST`, undefined, { Allow: 'POST' })
  requireRole(principal, 'editor')
  const schema = cachedStoredSchema(context.storage)
  const entityKey = decodePathSegment(IMPORT_PATH.exec(path)![1]!)
  const entity = schema.entities.find((e) => e.key === entityKey)
  if (!entity) throw problem(404, `no entity "${entityKey}" (entities: ${schema.entities.map((e) => e.key).join(', ')})`)
  const type = contentType(req)
  const options = importOptions(new URL(req.url ?? '/', 'http://relay.invalid').searchParams)
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (declared > MAX_IMPORT_BYTES) throw tooLarge()
  const entry = await context.stores.load(entity.id)
  const parse = await parseContext(req, entity, context)
  const decisions: ImportDecision[] = []
  const rejected: ImportSummary['rejected'] = []
  let planner: ImportPlanner | null = null
  let slice = performance.now()
  // rows are planned a few milliseconds at a time: a 64 KiB piece holds ~1000 rows, tens of ms of parsing
  const take = async (rows: readonly ImportRow[]) => {
    for (const row of rows) {
      if (!planner) {
        planner = makePlanner(entity, row.cells, options, parse, entry.store.rows())
        continue
      }
      const decision = planner.plan(row)
      if (decision.kind === 'reject') rejected.push({ row: decision.row, errors: decision.errors })
      else decisions.push(decision)
      if ((decisions.length + rejected.length) % 64 === 0 && performance.now() - slice > READ_SLICE_MS) {
        await turn()
        slice = performance.now()
      }
    }
  }
  if (type === 'csv') {
    const reader = new CsvByteReader()
    let size = 0
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > MAX_IMPORT_BYTES) throw tooLarge()
      await take(reader.push(chunk))
    }
    await take(reader.end())
  } else {
    await take(readXlsx(await readWhole(req)))
  }
  if (!planner) throw problem(400, 'the file has no header row: its first row must name the columns', [{ field: 'body', message: 'no rows' }])
  const summary = await writeDecisions(entity, decisions, principal, context)
  sendJson(res, 200, { ...summary, rejected: rejected.concat(summary.rejected).sort((a, b) => a.row - b.row) })
}

function contentType(req: IncomingMessage): 'csv' | 'xlsx' {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  if (type === CSV_TYPE) return 'csv'
  if (type === XLSX_TYPE) return 'xlsx'
  throw problem(415, `send the file as Content-Type: ${CSV_TYPE} or ${XLSX_TYPE}${type ? `, not ${type}` : ''}`)
}

function importOptions(params: URLSearchParams): ImportOptions {
  const errors: ImportFieldError[] = []
  const known = new Set(['mapping', 'dedupe', 'on_duplicate'])
  for (const key of params.keys()) if (!known.has(key)) errors.push({ field: key, message: 'is not a parameter of an import (mapping, dedupe, on_duplicate)' })
  let mapping: Record<string, string | null> = {}
  const rawMapping = params.get('mapping')
  if (rawMapping !== null) {
    const parsed = parseMapping(rawMapping)
    if (parsed === null) errors.push({ field: 'mapping', message: 'must be a JSON object of column → field API key (or null to leave a column out), e.g. {"E-Mail":"email"}' })
    else mapping = parsed
  }
  const dedupe = params.get('dedupe') ?? undefined
  if (dedupe !== undefined && !(DEDUPE_BY as readonly string[]).includes(dedupe)) errors.push({ field: 'dedupe', message: `must be one of ${DEDUPE_BY.join(', ')}, not ${JSON.stringify(dedupe)}` })
  const onDuplicate = params.get('on_duplicate') ?? 'skip'
  if (!(ON_DUPLICATE as readonly string[]).includes(onDuplicate)) errors.push({ field: 'on_duplicate', message: `must be one of ${ON_DUPLICATE.join(', ')}, not ${JSON.stringify(onDuplicate)}` })
  if (errors.length) throw problem(400, `the query of the import has ${errors.length} problem${errors.length === 1 ? '' : 's'}`, errors)
  return { mapping, dedupe: dedupe as DedupeBy | undefined, onDuplicate: onDuplicate as OnDuplicate }
}

function parseMapping(text: string): Record<string, string | null> | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const entries = Object.entries(value as Record<string, unknown>)
  return entries.every(([, v]) => v === null || typeof v === 'string') ? Object.fromEntries(entries) as Record<string, string | null> : null
}

function makePlanner(entity: EntityDef, header: string[], options: ImportOptions, parse: ParseContext, existing: Row[]): ImportPlanner {
  const mapping = matchImportColumns(entity, header, options.mapping)
  if (!mapping.ok) throw problem(400, `the mapping does not fit the file: ${mapping.problems.map((p) => p.message).join('; ')}`, mapping.problems)
  try {
    return new ImportPlanner({ entity, columns: mapping.columns, parse, existing, dedupe: options.dedupe, onDuplicate: options.onDuplicate, newId: () => randomId() })
  } catch (error) {
    if (error instanceof ImportDedupeError) throw problem(400, error.message, [{ field: 'dedupe', message: error.message }])
    throw error
  }
}

/** The grid's reading of typed text: the caller's locale (Accept-Language), the workspace's country, members by name, links by the linked records' names. */
async function parseContext(req: IncomingMessage, entity: EntityDef, context: RecordRoutesContext): Promise<ParseContext> {
  const schema = cachedStoredSchema(context.storage)
  const first = (req.headers['accept-language'] ?? '').split(',')[0]?.split(';')[0]?.trim()
  const locale = first && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(first) ? first : 'en-US'
  const resolvers = new Map<string, ReturnType<typeof linkNameIndex>>()
  for (const field of entity.fields) {
    const target = field.type === 'link' && !field.deletedAt ? schema.entities.find((e) => e.id === field.linkEntity) : undefined
    if (!target || resolvers.has(target.id)) continue
    const rows = (await context.stores.load(target.id)).store.rows()
    resolvers.set(target.id, linkNameIndex(new Map(rows.map((row) => [row.id, recordTitle(target, row)]))))
  }
  return {
    locale,
    defaultCountry: localeRegion(locale),
    workspaceCountry: schema.workspace?.defaultCountry,
    timeZone: 'UTC',
    members: context.storage.listMembers().map(({ id, name }) => ({ id, name })),
    resolveLink: (entityId, text) => {
      const found = resolvers.get(entityId)?.(text)
      if (!found || (!found.ok && found.reason === 'none')) return undefined
      return found.ok ? found.id : { many: found.count }
    },
  }
}

/**
 * Creates and updates the planned records on the API copy in batches of a few milliseconds each,
 * every batch written as ONE update (createRecords: not an update per record that the copy,
 * the room, the layout check and the history would each take apart again) and stored with its
 * records' changes for the rules (a created lead fires its rules once, as a POST does). The next
 * batch is built while the last is stored, with a turn of the event loop between batches. A deal
 * whose stage edit is refused (lost without a reason) is a refused row.
 */
async function writeDecisions(entity: EntityDef, decisions: readonly ImportDecision[], principal: Principal, context: RecordRoutesContext): Promise<ImportSummary> {
  const entry = context.stores.get(entity.id)
  const author: Member = { id: principal.id, name: principal.name, role: principal.role, createdAt: '' }
  const summary: ImportSummary = { created: 0, updated: 0, skipped: 0, rejected: [] }
  let storing: Promise<{ error: unknown } | null> = Promise.resolve(null)
  let at = 0
  while (at < decisions.length) {
    const started = performance.now()
    const creates: { id: string; values: Record<string, FieldValue> }[] = []
    const updates: { id: string; before: Row; values: Record<string, FieldValue> }[] = []
    // a record is in a batch once: a later row updating it (dedupe within the file) reads what the batch wrote
    const inBatch = new Set<string>()
    const now = new Date()
    while (at < decisions.length && inBatch.size < BATCH_MAX_RECORDS && performance.now() - started < BATCH_SLICE_MS) {
      const decision = decisions[at]!
      if (decision.kind === 'skip') { at++; summary.skipped++; continue }
      if (decision.kind === 'reject') { at++; continue }
      if (inBatch.has(decision.id)) break
      at++
      const before = decision.kind === 'update' ? entry.store.row(decision.id) : undefined
      if (decision.kind === 'update' && (!before || before.deletedAt !== undefined)) { summary.skipped++; continue }
      let values: Record<string, FieldValue>
      try {
        values = withStageEdit(context.storage, entity, before, decision.values, principal.id, now)
      } catch (error) {
        if (!(error instanceof ProblemError)) throw error
        summary.rejected.push({ row: decision.row, errors: [...(error.errors ?? [])] })
        continue
      }
      inBatch.add(decision.id)
      if (decision.kind === 'create') creates.push({ id: decision.id, values })
      else updates.push({ id: decision.id, before: copyRow(before!), values })
    }
    if (inBatch.size) {
      const parts: Uint8Array[] = []
      const changes: RecordChange[] = []
      if (creates.length) {
        parts.push(entry.store.createRecords(creates, { createdBy: principal.id, now }).update)
        for (const { id } of creates) changes.push({ entity: entity.id, recordId: id, before: null, after: entry.store.row(id)! })
        summary.created += creates.length
      }
      if (updates.length) {
        const change = entry.store.updateCells(updates.flatMap(({ id, values }) => Object.entries(values).map(([fieldId, value]) => ({ recordId: id, fieldId, value }))), now)
        if (change.update.byteLength > 2) parts.push(change.update)
        for (const { id, before } of updates) changes.push({ entity: entity.id, recordId: id, before, after: copyRow(entry.store.row(id)!) })
        summary.updated += updates.length
      }
      entry.touched(creates.map((c) => c.id), true)
      entry.touched(updates.map((u) => u.id))
      const update = parts.length === 1 ? parts[0]! : parts.length ? Y.mergeUpdates(parts) : EMPTY_UPDATE
      // the next batch is built while this one is stored (off the event loop); one in flight at a time, in order
      await settled(storing)
      storing = storeChange(context, { entityId: entity.id, update, changes, author, origin: 'api', seed: null }).then(() => null, (error: unknown) => ({ error }))
    }
    await turn()
  }
  await settled(storing)
  return summary
}

function readXlsx(bytes: Uint8Array): ImportRow[] {
  try {
    return readXlsxRows(bytes)
  } catch (error) {
    if (error instanceof XlsxReadError) throw problem(400, error.message, [{ field: 'body', message: error.message }])
    throw error
  }
}

async function readWhole(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_IMPORT_BYTES) throw tooLarge()
    chunks.push(chunk)
  }
  return new Uint8Array(Buffer.concat(chunks))
}

function tooLarge(): ProblemError {
  // the rest of the upload is not read: the connection closes after the answer
  return problem(413, `an import file may be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB; split it into several files`, undefined, { Connection: 'close' })
}

/** Waits for a stored batch; its failure fails the import (the batches after it are not written). */
async function settled(storing: Promise<{ error: unknown } | null>): Promise<void> {
  const failure = await storing
  if (failure) throw failure.error
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' })
  res.end(text)
}
