import { findStage, livePipelines, liveStages, type Pipeline, type Stage } from '../pipelines/pipeline'
import { choiceIdOf } from '../pipelines/stageChoices'
import { stageFieldsOf } from '../pipelines/stageHistory'
import type { EntityDef, FieldDef, Money, Row } from '../schema'

/** What the board shows of a pipeline: who, and which words a card must hold. */
export interface BoardFilter {
  /** Member ids; empty: every owner. */
  owners: readonly string[]
  /** Text a card's title, company name or owner name must contain (case-insensitive); blank: any. */
  text: string
}

export interface BoardColumn {
  stage: Stage
  /** The deals in this stage that pass the filter, in the store's order. */
  rows: Row[]
  /** Sum of their amounts per currency, in minor units, currencies in alphabetical order. */
  sums: Money[]
}

/** The deal fields a board reads (absent ones: the board shows less). */
export interface BoardFields { stage: FieldDef; pipeline?: FieldDef; owner?: FieldDef; amount?: FieldDef; company?: FieldDef; title?: FieldDef }

export function boardFieldsOf(entity: EntityDef): BoardFields | undefined {
  const stageFields = stageFieldsOf(entity)
  if (!stageFields) return undefined
  const live = entity.fields.filter((f) => !f.deletedAt)
  return {
    stage: stageFields.stage,
    pipeline: stageFields.pipeline,
    owner: live.find((f) => f.type === 'member' && f.key === 'owner') ?? live.find((f) => f.type === 'member'),
    amount: live.find((f) => f.type === 'money' && f.key === 'amount') ?? live.find((f) => f.type === 'money'),
    company: live.find((f) => f.type === 'link' && f.key === 'company'),
    title: live.find((f) => f.id === entity.primaryField),
  }
}

/** Texts a card is searched by, beside its stored values (link and member names). */
export interface BoardNames { company: (id: string) => string | undefined; member: (id: string) => string | undefined }

function isMoney(v: unknown): v is Money {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Number.isSafeInteger((v as Money).amount) && typeof (v as Money).currency === 'string'
}

/** The company a deal links to first (a link holds an id, or ids). */
export function firstLink(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined
}

/** Whether a deal passes the board's filter. */
export function passesBoardFilter(row: Row, fields: BoardFields, filter: BoardFilter, names: BoardNames): boolean {
  if (filter.owners.length) {
    const owner = fields.owner ? row.values[fields.owner.id] : undefined
    if (typeof owner !== 'string' || !filter.owners.includes(owner)) return false
  }
  const text = filter.text.trim().toLowerCase()
  if (!text) return true
  const title = fields.title ? row.values[fields.title.id] : undefined
  if (typeof title === 'string' && title.toLowerCase().includes(text)) return true
  const company = fields.company ? firstLink(row.values[fields.company.id]) : undefined
  if (company !== undefined && names.company(company)?.toLowerCase().includes(text)) return true
  const owner = fields.owner ? row.values[fields.owner.id] : undefined
  return typeof owner === 'string' && !!names.member(owner)?.toLowerCase().includes(text)
}

/**
 * Which column of `pipeline`'s board a deal goes in: the index of its live stage, -1 for none (in
 * another pipeline, a removed stage, or filtered out). A deal without a stage (or with one no
 * pipeline knows) that belongs to this pipeline — by its `pipeline` value, or having none while
 * this is the first pipeline — goes in the first column, so a deal made in the grid without a
 * stage is not missing from the board.
 */
export function makeBoardPlacement(pipelines: readonly Pipeline[], pipeline: Pipeline, fields: BoardFields, filter: BoardFilter,
  names: BoardNames): { stages: Stage[]; columnOf: (row: Row) => number } {
  const firstPipelineId = livePipelines(pipelines)[0]?.id
  const stages = liveStages(pipeline)
  const byStage = new Map(stages.map((s, i) => [s.id, i]))
  const known = new Set(pipeline.stages.map((s) => s.id))
  // a workspace from before pipelines holds stage names: a handful of distinct values, each matched once
  const named = new Map<unknown, string | undefined>()
  const stageIdOf = (raw: unknown) => {
    if (typeof raw === 'string' && known.has(raw)) return raw
    if (!named.has(raw)) named.set(raw, choiceIdOf(fields.stage, raw))
    return named.get(raw)
  }
  const columnOf = (row: Row): number => {
    if (!stages.length) return -1
    const raw = row.values[fields.stage.id]
    const stageId = stageIdOf(raw)
    let column = stageId === undefined ? -1 : byStage.get(stageId) ?? -1
    // a removed stage's id is still a stage: its deals are not "without a stage"
    if (column < 0 && (stageId === undefined ? !(typeof raw === 'string' && findStage(pipelines, raw)) : !findStage(pipelines, stageId))) {
      const p = fields.pipeline ? row.values[fields.pipeline.id] : undefined
      const pipelineId = fields.pipeline && p != null && p !== '' ? choiceIdOf(fields.pipeline, p) : firstPipelineId
      if (pipelineId === pipeline.id) column = 0
    }
    return column >= 0 && passesBoardFilter(row, fields, filter, names) ? column : -1
  }
  return { stages, columnOf }
}

/** A column's sums of amounts per currency, in minor units, currencies in alphabetical order. */
export function columnSums(rows: readonly Row[], fields: BoardFields): Money[] {
  const sums = new Map<string, number>()
  if (!fields.amount) return []
  for (const row of rows) {
    const amount = row.values[fields.amount.id]
    if (isMoney(amount)) sums.set(amount.currency, (sums.get(amount.currency) ?? 0) + amount.amount)
  }
  return [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ amount, currency }))
}

/** The board of one pipeline: a column per live stage, in order, each holding its deals (makeBoardPlacement) in `rows`' order. */
export function boardColumns(pipelines: readonly Pipeline[], pipeline: Pipeline, rows: Iterable<Row>, fields: BoardFields,
  filter: BoardFilter, names: BoardNames): BoardColumn[] {
  const { stages, columnOf } = makeBoardPlacement(pipelines, pipeline, fields, filter, names)
  const columns = stages.map((stage): BoardColumn => ({ stage, rows: [], sums: [] }))
  for (const row of rows) {
    const i = columnOf(row)
    if (i >= 0) columns[i]!.rows.push(row)
  }
  for (const c of columns) c.sums = columnSums(c.rows, fields)
  return columns
}
