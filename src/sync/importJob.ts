import type { EntityStore } from '../crdt/entityStore'
import { randomId } from '../crdt/randomId'
import type { CellChange } from '../crdt/recordDoc'
import { CsvByteReader } from '../domain/import/csvByteReader'
import type { ImportRow } from '../domain/import/importRow'
import { linkNameIndex } from '../domain/import/linkNameIndex'
import { ImportDedupeError, ImportPlanner, type DedupeBy, type ImportDecision, type OnDuplicate } from '../domain/import/planImportRow'
import { readXlsxRows, XlsxReadError } from '../domain/import/readXlsxRows'
import { refusedRowsCsv, type RefusedImportRow } from '../domain/import/refusedRowsCsv'
import type { ParseContext } from '../domain/parseFieldInput'
import { recordTitle } from '../domain/recordTitle'
import type { EntityDef, FieldValue } from '../domain/schema'
import type { LinkedStep } from './linkedUndo'
import type { EntityIntent } from './workerProtocol'

/** Rows read for the mapping screen: the header and these many after it. */
export const SAMPLE_ROWS = 200
/** Rows of the preview ("as they will be stored") and refusals listed before the import. */
export const PREVIEW_ROWS = 20
export const PREVIEW_REFUSALS = 50
/** Reading and planning run this long before the worker takes another message (sync, other edits). */
const SLICE_MS = 12
/**
 * A batch of records is one intent: one update stored and sent to the relay, one step of the
 * import's undo group. Its size follows how long the last batch took, aiming at WRITE_SLICE_MS,
 * within these bounds. Measured on 100k contacts (B26, one run each on the loaded 2-core
 * machine): at most 2000 records a batch wrote in 35 s with page tasks up to 509 ms, 1000 in
 * 19 s with none over 107 ms, 500 in 23 s but the relay then stored the last batch 14 s after
 * the summary (5 s at 1000).
 */
const BATCH_MIN = 250
const BATCH_MAX = 1000
const WRITE_SLICE_MS = 60

/** The parts of the grid's ParseContext that can travel to the worker (resolveLink is built here). */
export interface ImportParse {
  locale: string
  timeZone: string
  defaultCountry?: string
  workspaceCountry?: string
  members: { id: string; name: string }[]
}

/** How the file's rows are read into records (the mapping screen's choices). */
export interface ImportPlanRequest {
  entity: EntityDef
  /** The entities the entity's link fields point to, for link cells given by name. */
  linkTargets: EntityDef[]
  /** Per column of the file: the id of the field it fills, or null. */
  columns: (string | null)[]
  parse: ImportParse
  dedupe?: DedupeBy
  onDuplicate: OnDuplicate
}

export type ImportFileKind = 'csv' | 'xlsx'

export interface ImportCounts {
  /** Rows of the file after the header (empty rows not counted). */
  rows: number
  create: number
  update: number
  /** Duplicates left as they are (on_duplicate=skip). */
  skip: number
  refuse: number
}

export interface ImportPreviewRow { row: number; kind: 'create' | 'update'; values: Record<string, FieldValue> }

export interface ImportResult {
  created: number
  updated: number
  skipped: number
  refused: number
  /** Cancel stopped the writing: what was written before stays, one undo step. */
  cancelled: boolean
}

/** What the worker tells the page about an import, in this order: header, progress…, planned, progress…, finished. */
export type ImportEvent =
  | { kind: 'header'; header: string[]; samples: string[][]; encoding: string | null; delimiter: string | null }
  | { kind: 'progress'; phase: 'reading' | 'writing'; done: number; total: number }
  | { kind: 'planned'; counts: ImportCounts; preview: ImportPreviewRow[]; refused: RefusedImportRow[]; refusedCsv: Blob | null }
  | { kind: 'finished'; result: ImportResult }
  | { kind: 'failed'; message: string }

/** What an import needs from the workspace worker. */
export interface ImportHost {
  /** The entity's store once it is loaded and intents may be applied (rules known, earlier edits applied). */
  writable(entityId: string): Promise<EntityStore>
  /** A loaded store of another list (link targets), opened for reading if the page has not. */
  readable(entityId: string): Promise<EntityStore>
  /** Applies an intent as the member's own write, its steps joining `group` (RuleWriter.apply). */
  write(entityId: string, intent: EntityIntent, group: LinkedStep[]): void
  /** Resolves once what was written so far is in IndexedDB. */
  stored(): Promise<void>
  /** Holds the entity's patches for the page until released, then sends them merged (the grid redraws a few times a second, not per batch). */
  hold(entityId: string): () => void
  /** Lets the worker's other tasks run (sync messages, the page's edits). */
  turn(): Promise<void>
  post(event: ImportEvent): void
}

/** Why an import cannot go on. */
export class ImportJobError extends Error {
  constructor(readonly reason: 'unreadable' | 'noHeader' | 'dedupe' | 'state', message: string) {
    super(message)
    this.name = 'ImportJobError'
  }
}

/*
 * One import of a file into one list, run in the workspace worker so the page never parses or
 * writes: `readHeader` for the mapping screen, `plan` reads every row through the grid's parsers
 * (ImportPlanner: the same refusals and duplicates as POST /api/v1/{entity}/import) for the
 * preview and its counts, `run` writes the planned records in batches — each one intent through
 * the RuleWriter, so the rules fire per created record — joined into ONE undo group, with a turn
 * for the worker's other work between batches. `cancel` stops reading or writing between slices;
 * what was written stays and is undone by the same single undo.
 */
export class ImportJob {
  private header: string[] | null = null
  private decisions: ImportDecision[] = []
  private refused: RefusedImportRow[] = []
  private counts: ImportCounts | null = null
  private entityId: string | null = null
  private cancelled = false
  private running = false

  constructor(private readonly file: Blob, private readonly kind: ImportFileKind, private readonly host: ImportHost) {}

  cancel(): void {
    this.cancelled = true
  }

  /** The header and the first rows, for the mapping screen. */
  async readHeader(): Promise<void> {
    const samples: string[][] = []
    let header: string[] | null = null
    const reader = this.kind === 'csv' ? new CsvByteReader() : null
    await this.rows((rows) => {
      for (const r of rows) {
        if (!header) header = r.cells
        else if (samples.length < SAMPLE_ROWS) samples.push(r.cells)
      }
      return samples.length < SAMPLE_ROWS
    }, reader ?? undefined)
    if (!header) throw new ImportJobError('noHeader', 'The file has no rows: its first row must name the columns.')
    this.header = header
    this.host.post({ kind: 'header', header, samples, encoding: reader?.encoding ?? null, delimiter: reader?.delimiter ?? null })
  }

  /** Reads every row as the mapping says and tells the counts, the first rows as stored and the refusals. */
  async plan(request: ImportPlanRequest): Promise<void> {
    if (this.running) throw new ImportJobError('state', 'The import is being written already.')
    this.cancelled = false
    const store = await this.host.writable(request.entity.id)
    const parse = await this.parseContext(request)
    const byId = new Map(request.entity.fields.map((f) => [f.id, f]))
    const columns = request.columns.map((id) => (id === null ? null : byId.get(id) ?? null))
    let planner: ImportPlanner
    try {
      planner = new ImportPlanner({ entity: request.entity, columns, parse, existing: store.rows(), dedupe: request.dedupe, onDuplicate: request.onDuplicate, newId: () => randomId() })
    } catch (error) {
      if (error instanceof ImportDedupeError) throw new ImportJobError('dedupe', error.message)
      throw error
    }
    this.entityId = request.entity.id
    this.decisions = []
    this.refused = []
    const counts: ImportCounts = { rows: 0, create: 0, update: 0, skip: 0, refuse: 0 }
    const preview: ImportPreviewRow[] = []
    let first = true
    await this.rows((rows) => {
      for (const r of rows) {
        if (first) { first = false; continue }
        counts.rows++
        const decision = planner.plan(r)
        if (decision.kind === 'reject') {
          counts.refuse++
          this.refused.push({ row: r.row, cells: r.cells, errors: decision.errors })
          continue
        }
        if (decision.kind === 'skip') { counts.skip++; continue }
        counts[decision.kind]++
        this.decisions.push(decision)
        if (preview.length < PREVIEW_ROWS) preview.push({ row: decision.row, kind: decision.kind, values: decision.values })
      }
      return true
    })
    if (this.cancelled) return
    this.counts = counts
    const refusedCsv = this.refused.length ? new Blob([refusedRowsCsv(this.header ?? [], this.refused)], { type: 'text/csv;charset=utf-8' }) : null
    this.host.post({ kind: 'planned', counts, preview, refused: this.refused.slice(0, PREVIEW_REFUSALS), refusedCsv })
  }

  /** Writes the planned records: batches of one intent each, one undo group for all of them. */
  async run(): Promise<void> {
    const entityId = this.entityId
    const counts = this.counts
    if (!entityId || !counts || this.running) throw new ImportJobError('state', 'Nothing is planned to import.')
    this.running = true
    this.cancelled = false
    const store = await this.host.writable(entityId)
    const release = this.host.hold(entityId)
    try {
      await this.write(store, entityId, counts)
    } finally {
      release()
      this.running = false
    }
  }

  private async write(store: EntityStore, entityId: string, counts: ImportCounts): Promise<void> {
    const group: LinkedStep[] = []
    const result: ImportResult = { created: 0, updated: 0, skipped: counts.skip, refused: counts.refuse, cancelled: false }
    const total = this.decisions.length
    let size = 1000
    let at = 0
    let storing: Promise<void> = Promise.resolve()
    this.host.post({ kind: 'progress', phase: 'writing', done: 0, total })
    while (at < total) {
      if (this.cancelled) { result.cancelled = true; break }
      const started = performance.now()
      const creates: { id: string; values: Record<string, FieldValue> }[] = []
      const updates: CellChange[] = []
      const end = Math.min(total, at + size)
      for (; at < end; at++) {
        const d = this.decisions[at]!
        if (d.kind === 'create') {
          creates.push({ id: d.id, values: d.values })
          continue
        }
        if (d.kind !== 'update') continue
        const before = store.row(d.id)
        // the record was deleted since the preview: nothing to update
        if (!before || before.deletedAt !== undefined) { result.skipped++; continue }
        for (const [fieldId, value] of Object.entries(d.values)) updates.push({ recordId: d.id, fieldId, value })
        result.updated++
      }
      if (creates.length || updates.length) {
        // one batch in IndexedDB at a time: the next is built while this one is stored
        await storing
        this.host.write(entityId, { op: 'batch', batch: { creates, updates } }, group)
        storing = this.host.stored()
      }
      result.created += creates.length
      const took = performance.now() - started
      size = Math.max(BATCH_MIN, Math.min(BATCH_MAX, Math.round(size * (WRITE_SLICE_MS / Math.max(took, 1)))))
      this.host.post({ kind: 'progress', phase: 'writing', done: at, total })
      await this.host.turn()
    }
    await storing
    this.decisions = []
    this.counts = null
    this.host.post({ kind: 'finished', result })
  }

  /** The grid's ParseContext in the worker: link cells by the linked records' names, as the HTTP import reads them. */
  private async parseContext(request: ImportPlanRequest): Promise<ParseContext> {
    const resolvers = new Map<string, ReturnType<typeof linkNameIndex>>()
    const wanted = new Set(request.columns)
    for (const field of request.entity.fields) {
      if (field.type !== 'link' || field.deletedAt || !wanted.has(field.id) || !field.linkEntity || resolvers.has(field.linkEntity)) continue
      const target = request.linkTargets.find((e) => e.id === field.linkEntity)
      if (!target) continue
      const rows = (await this.host.readable(target.id)).rows()
      resolvers.set(target.id, linkNameIndex(new Map(rows.map((row) => [row.id, recordTitle(target, row)]))))
    }
    const { parse } = request
    return {
      locale: parse.locale,
      timeZone: parse.timeZone,
      defaultCountry: parse.defaultCountry,
      workspaceCountry: parse.workspaceCountry,
      members: parse.members,
      resolveLink: (entityId, text) => {
        const found = resolvers.get(entityId)?.(text)
        if (!found || (!found.ok && found.reason === 'none')) return undefined
        return found.ok ? found.id : { many: found.count }
      },
    }
  }

  /**
   * Hands the file's rows to `take` a slice at a time, with progress and a turn between slices;
   * `take` answers false once it has enough. A CSV is read as a stream (never one string).
   */
  private async rows(take: (rows: readonly ImportRow[]) => boolean, reader = new CsvByteReader()): Promise<void> {
    const total = this.file.size
    if (this.kind === 'xlsx') {
      let rows: ImportRow[]
      try {
        rows = readXlsxRows(new Uint8Array(await this.file.arrayBuffer()))
      } catch (error) {
        if (error instanceof XlsxReadError) throw new ImportJobError('unreadable', error.message)
        throw error
      }
      const step = 2000
      for (let at = 0; at < rows.length && !this.cancelled; at += step) {
        if (!take(rows.slice(at, at + step))) return
        this.host.post({ kind: 'progress', phase: 'reading', done: Math.min(rows.length, at + step), total: rows.length })
        await this.host.turn()
      }
      return
    }
    const stream = this.file.stream().getReader()
    let done = 0
    let slice = performance.now()
    for (;;) {
      // stopped early (enough rows, or cancelled): the rest of the file is not read
      if (this.cancelled) return stream.cancel()
      const next = await stream.read()
      if (next.done) break
      done += next.value.length
      if (!take(reader.push(next.value))) return stream.cancel()
      if (performance.now() - slice > SLICE_MS) {
        this.host.post({ kind: 'progress', phase: 'reading', done, total })
        await this.host.turn()
        slice = performance.now()
      }
    }
    take(reader.end())
    this.host.post({ kind: 'progress', phase: 'reading', done: total, total })
  }
}
