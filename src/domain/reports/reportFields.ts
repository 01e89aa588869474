import { dayNumberOfIso } from '../localDays'
import { findStage, type Pipeline, type Stage } from '../pipelines/pipeline'
import { choiceIdOf } from '../pipelines/stageChoices'
import { stageFieldsOf } from '../pipelines/stageHistory'
import { lastChangeInto } from './stageTimeline'
import type { EntityDef, FieldDef, Row } from '../schema'
import type { ConditionField } from '../views/viewFilter'
import { zonedTimeToUtc } from '../zonedTimeToUtc'
import { dateOfDay } from '../localDays'

/*
 * Fields a report may name besides the entity's own, derived from each record: when it was
 * created, and for deals the kind of their stage (open / won / lost), when they were closed
 * (the time of the stage change that made them won or lost, as its writer's clock recorded it,
 * so an offline close keeps its time) and their probability (the deal's own, else its stage's).
 */
export const CREATED_AT = '$createdAt'
export const STAGE_KIND = '$stageKind'
export const CLOSED_AT = '$closedAt'
export const PROBABILITY = '$probability'

export interface ReportFieldContext { pipelines: readonly Pipeline[]; timeZone: string }

/** Reads a deal's stage and when it closed; built once per run, since the stage lookups are per row. */
export interface DealStages {
  stageOf(row: Row): { stage: Stage; pipeline: Pipeline } | undefined
  closedAt(row: Row): string | null
}

/**
 * The deal a report is at, read already (dealReadings): its stage and close time are taken from
 * here instead of its values and history while `row` is the row asked about.
 */
export interface DealCursor {
  row: Row | null
  found: { stage: Stage; pipeline: Pipeline } | undefined
  closedAt: string | null
  /** The stage field's cell as stored. */
  stageCell: unknown
  /** The amount in minor units and its currency (null: no amount). */
  amount: number
  currency: string | null
}

export function makeDealStages(entity: EntityDef, ctx: ReportFieldContext, cursor?: DealCursor): DealStages | undefined {
  const fields = stageFieldsOf(entity)
  if (!fields) return undefined
  const stageField = fields.stage
  const closeDate = entity.fields.find((f) => f.key === 'close_date' && f.type === 'date' && !f.deletedAt)
  const byId = new Map<string, { stage: Stage; pipeline: Pipeline }>()
  for (const pipeline of ctx.pipelines) for (const stage of pipeline.stages) byId.set(stage.id, { stage, pipeline })
  const lookUp = (row: Row) => {
    const value = row.values[stageField.id]
    if (typeof value !== 'string') return undefined
    const found = byId.get(value)
    if (found) return found
    // a workspace from before pipelines stored the stage's name
    const id = choiceIdOf(stageField, value)
    return id === undefined ? undefined : findStage(ctx.pipelines, id)
  }
  // a report asks about one row several times in a row (its filter, each measure's condition,
  // the period, the grouping): the last row's answers are kept
  let stageRow: Row | null = null, stageFound: ReturnType<typeof lookUp>
  const stageOf = (row: Row) => {
    if (cursor && row === cursor.row) return cursor.found
    if (row !== stageRow) { stageFound = lookUp(row); stageRow = row }
    return stageFound
  }
  let closedRow: Row | null = null, closed: string | null = null
  const closedAt = (row: Row): string | null => {
    if (cursor && row === cursor.row) return cursor.closedAt
    if (row === closedRow) return closed
    let at: string | null = null
    const found = stageOf(row)
    if (found && found.stage.kind !== 'open') {
      // the latest change into its stage
      at = lastChangeInto(row, found.stage.id)
      // closed before stage changes were recorded: its close date, at midnight where the workspace is
      const day = closeDate ? row.values[closeDate.id] : undefined
      if (at === null && typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day)) {
        at = zonedMidnight(day, ctx.timeZone)
      }
    }
    closedRow = row
    closed = at
    return at
  }
  return { stageOf, closedAt }
}

// a date's midnight in a zone costs a few Intl calls: once per date and zone
const midnights = new Map<string, string>()
const MIDNIGHTS_MAX = 50_000

function zonedMidnight(day: string, timeZone: string): string {
  const key = `${timeZone} ${day}`
  let at = midnights.get(key)
  if (at === undefined) {
    if (midnights.size > MIDNIGHTS_MAX) midnights.clear()
    at = new Date(zonedTimeToUtc({ ...dateOfDay(dayNumberOfIso(day)), hour: 0, minute: 0, second: 0, millisecond: 0 }, timeZone)).toISOString()
    midnights.set(key, at)
  }
  return at
}

const derived = (id: string, key: string, label: string, type: FieldDef['type'], extra: Partial<FieldDef> = {}): FieldDef =>
  ({ id, key, label, type, order: 1e6, ...extra })

/** The fields a report of `entity` may name, each with how a row's cell is read: the entity's live fields, then the derived ones. */
export function reportFields(entity: EntityDef, ctx: ReportFieldContext, cursor?: DealCursor): Map<string, ConditionField> {
  const fields = new Map<string, ConditionField>()
  for (const field of entity.fields) if (!field.deletedAt) fields.set(field.id, { field })
  const stageField = cursor && stageFieldsOf(entity)?.stage
  if (cursor && stageField && !stageField.deletedAt) {
    const id = stageField.id
    fields.set(id, { field: stageField, read: (row) => (row === cursor.row ? cursor.stageCell : row.values[id]) })
  }
  fields.set(CREATED_AT, { field: derived(CREATED_AT, 'created_at', 'Created', 'dateTime'), read: (row) => row.createdAt })
  const deals = makeDealStages(entity, ctx, cursor)
  if (deals) {
    const probability = entity.fields.find((f) => f.key === 'probability' && f.type === 'number' && !f.deletedAt)
    fields.set(STAGE_KIND, { field: derived(STAGE_KIND, 'stage_kind', 'Stage kind', 'select', { options: ['open', 'won', 'lost'] }), read: (row) => deals.stageOf(row)?.stage.kind ?? null })
    fields.set(CLOSED_AT, { field: derived(CLOSED_AT, 'closed_at', 'Closed', 'dateTime'), read: deals.closedAt })
    fields.set(PROBABILITY, {
      field: derived(PROBABILITY, 'probability', 'Probability %', 'number'),
      read: (row) => {
        const own = probability ? row.values[probability.id] : undefined
        return typeof own === 'number' ? own : deals.stageOf(row)?.stage.probability ?? null
      },
    })
  }
  return fields
}

/** How a row's cell of a report field is read. */
export function cellReader(source: ConditionField): (row: Row) => unknown {
  const id = source.field.id
  return source.read ?? ((row) => row.values[id])
}
