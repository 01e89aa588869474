import * as Y from 'yjs'
import { isStageKind, PIPELINE_NAME_MAX, type Pipeline, type Stage, type StageKind } from '../domain/pipelines/pipeline'
import { randomId } from './randomId'
import { SchemaError } from './schemaDoc'

/*
 * Pipelines in the `schema` document (issue 14):
 *   getMap('pipelines'): pipelineId → Y.Map { name, order, deletedAt,
 *                                             stages: Y.Map stageId → Y.Map { name, order, probability, kind, deletedAt } }
 * One entry per property, so one admin renaming a stage while another sets its probability both
 * win; a move writes only the moved stage's `order` (a number between its new neighbours);
 * removal is a `deletedAt`, so deals that still hold the id read it, and undo brings it back.
 */
const PIPELINES = 'pipelines'

export function pipelinesOf(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap(PIPELINES)
}

const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback)
const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback)

function readStage(id: string, y: Y.Map<unknown>): Stage {
  const kind = y.get('kind')
  const deletedAt = y.get('deletedAt')
  return {
    id,
    name: str(y.get('name'), id),
    probability: num(y.get('probability'), 0),
    kind: isStageKind(kind) ? kind : 'open',
    order: num(y.get('order'), 0),
    ...(typeof deletedAt === 'string' ? { deletedAt } : {}),
  }
}

/** The pipelines as plain data, removed ones and removed stages included (with `deletedAt`). */
export function readPipelines(doc: Y.Doc): Pipeline[] {
  const pipelines: Pipeline[] = []
  pipelinesOf(doc).forEach((y, id) => {
    if (!(y instanceof Y.Map)) return
    const stages: Stage[] = []
    const ys = y.get('stages')
    if (ys instanceof Y.Map) ys.forEach((s: unknown, stageId: string) => { if (s instanceof Y.Map) stages.push(readStage(stageId, s)) })
    stages.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
    const deletedAt = y.get('deletedAt')
    pipelines.push({ id, name: str(y.get('name'), id), order: num(y.get('order'), 0), stages, ...(typeof deletedAt === 'string' ? { deletedAt } : {}) })
  })
  return pipelines.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
}

function stageToY(stage: Omit<Stage, 'id'>): Y.Map<unknown> {
  const y = new Y.Map<unknown>()
  y.set('name', stage.name)
  y.set('order', stage.order)
  y.set('probability', stage.probability)
  y.set('kind', stage.kind)
  return y
}

/** Writes a whole pipeline with its ids (the seed and the relay's migration). */
export function putPipeline(doc: Y.Doc, pipeline: Pipeline, origin: unknown): void {
  doc.transact(() => {
    const y = new Y.Map<unknown>()
    pipelinesOf(doc).set(pipeline.id, y)
    y.set('name', pipeline.name)
    y.set('order', pipeline.order)
    const stages = new Y.Map<unknown>()
    y.set('stages', stages)
    for (const stage of pipeline.stages) stages.set(stage.id, stageToY(stage))
  }, origin)
}

function checkName(name: string, what: string): string {
  const clean = name.trim()
  if (!clean) throw new SchemaError(`A ${what} needs a name`)
  if (clean.length > PIPELINE_NAME_MAX) throw new SchemaError(`A ${what} name can have at most ${PIPELINE_NAME_MAX} characters`)
  return clean
}

function pipelineMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  const y = pipelinesOf(doc).get(id)
  if (!(y instanceof Y.Map)) throw new SchemaError(`Unknown pipeline "${id}"`)
  return y
}

function stagesMap(doc: Y.Doc, pipelineId: string): Y.Map<Y.Map<unknown>> {
  const stages = pipelineMap(doc, pipelineId).get('stages')
  if (!(stages instanceof Y.Map)) throw new SchemaError(`The pipeline "${pipelineId}" has no stages map`)
  return stages as Y.Map<Y.Map<unknown>>
}

function stageMap(doc: Y.Doc, pipelineId: string, stageId: string): Y.Map<unknown> {
  const y = stagesMap(doc, pipelineId).get(stageId)
  if (!(y instanceof Y.Map)) throw new SchemaError(`Unknown stage "${stageId}"`)
  return y
}

function liveNames(doc: Y.Doc): { pipelines: Pipeline[] } {
  return { pipelines: readPipelines(doc).filter((p) => !p.deletedAt) }
}

/** Adds a pipeline after the others with one open stage to start from; returns it. */
export function addPipeline(doc: Y.Doc, name: string, origin: unknown): Pipeline {
  const clean = checkName(name, 'pipeline')
  const { pipelines } = liveNames(doc)
  if (pipelines.some((p) => p.name.toLowerCase() === clean.toLowerCase())) throw new SchemaError(`A pipeline named "${clean}" already exists`)
  const pipeline: Pipeline = {
    id: `pl${randomId(10)}`,
    name: clean,
    order: pipelines.reduce((m, p) => Math.max(m, p.order), -1) + 1,
    stages: [{ id: `st${randomId(10)}`, name: 'New', probability: 10, kind: 'open', order: 0 }],
  }
  putPipeline(doc, pipeline, origin)
  return pipeline
}

export function renamePipeline(doc: Y.Doc, pipelineId: string, name: string, origin: unknown): void {
  const clean = checkName(name, 'pipeline')
  const y = pipelineMap(doc, pipelineId)
  if (readPipelines(doc).some((p) => !p.deletedAt && p.id !== pipelineId && p.name.toLowerCase() === clean.toLowerCase())) {
    throw new SchemaError(`A pipeline named "${clean}" already exists`)
  }
  doc.transact(() => y.set('name', clean), origin)
}

function liveStagesOf(doc: Y.Doc, pipelineId: string): Stage[] {
  const pipeline = readPipelines(doc).find((p) => p.id === pipelineId)
  if (!pipeline) throw new SchemaError(`Unknown pipeline "${pipelineId}"`)
  return pipeline.stages.filter((s) => !s.deletedAt)
}

/** Adds an open stage at the end of the pipeline (before its won and lost stages, when it has them); returns it. */
export function addStage(doc: Y.Doc, pipelineId: string, name: string, origin: unknown): Stage {
  const clean = checkName(name, 'stage')
  const stages = liveStagesOf(doc, pipelineId)
  if (stages.some((s) => s.name.toLowerCase() === clean.toLowerCase())) throw new SchemaError(`This pipeline has a stage named "${clean}" already`)
  const firstClosed = stages.findIndex((s) => s.kind !== 'open')
  const before = stages[firstClosed]
  const after = stages[firstClosed - 1]
  const last = stages[stages.length - 1]
  // between the last open stage and the first closed one, so "Won" and "Lost" stay last
  const order = before ? (after ? (after.order + before.order) / 2 : before.order - 1) : (last ? last.order + 1 : 0)
  const previous = stages.filter((s) => s.kind === 'open').at(-1)
  const probability = Math.min(99, (previous?.probability ?? 0) + 10)
  const stage: Stage = { id: `st${randomId(10)}`, name: clean, probability, kind: 'open', order }
  doc.transact(() => stagesMap(doc, pipelineId).set(stage.id, stageToY(stage)), origin)
  return stage
}

export interface StageEdit { name?: string; probability?: number; kind?: StageKind }

/** Changes the given properties of a stage only (each its own entry). */
export function updateStage(doc: Y.Doc, pipelineId: string, stageId: string, edit: StageEdit, origin: unknown): void {
  const y = stageMap(doc, pipelineId, stageId)
  const name = edit.name === undefined ? undefined : checkName(edit.name, 'stage')
  if (name !== undefined && liveStagesOf(doc, pipelineId).some((s) => s.id !== stageId && s.name.toLowerCase() === name.toLowerCase())) {
    throw new SchemaError(`This pipeline has a stage named "${name}" already`)
  }
  const { probability, kind } = edit
  if (probability !== undefined && !(Number.isFinite(probability) && probability >= 0 && probability <= 100)) {
    throw new SchemaError(`A probability is a number from 0 to 100, got ${probability}`)
  }
  if (kind !== undefined && !isStageKind(kind)) throw new SchemaError(`A stage is open, won or lost, not "${String(kind)}"`)
  doc.transact(() => {
    if (name !== undefined && y.get('name') !== name) y.set('name', name)
    if (probability !== undefined && y.get('probability') !== probability) y.set('probability', probability)
    if (kind !== undefined && y.get('kind') !== kind) y.set('kind', kind)
  }, origin)
}

/** Moves a stage `by` places (−1 up, +1 down) among the live stages; writes only its `order`. */
export function moveStage(doc: Y.Doc, pipelineId: string, stageId: string, by: number, origin: unknown): void {
  const stages = liveStagesOf(doc, pipelineId)
  const from = stages.findIndex((s) => s.id === stageId)
  if (from < 0) throw new SchemaError(`Unknown stage "${stageId}"`)
  const to = Math.max(0, Math.min(stages.length - 1, from + by))
  if (to === from) return
  const rest = stages.filter((s) => s.id !== stageId)
  const prev = rest[to - 1]
  const next = rest[to]
  const order = prev && next ? (prev.order + next.order) / 2 : prev ? prev.order + 1 : (next?.order ?? 0) - 1
  const y = stageMap(doc, pipelineId, stageId)
  doc.transact(() => y.set('order', order), origin)
}

/**
 * Soft-removes a stage. Its deals are moved by the caller first (stageRemovalPlan), in the
 * deals' own document; a pipeline keeps at least one stage.
 */
export function removeStage(doc: Y.Doc, pipelineId: string, stageId: string, origin: unknown, now = new Date()): void {
  const stages = liveStagesOf(doc, pipelineId)
  if (!stages.some((s) => s.id === stageId)) throw new SchemaError(`Unknown stage "${stageId}"`)
  if (stages.length === 1) throw new SchemaError('A pipeline needs at least one stage')
  const y = stageMap(doc, pipelineId, stageId)
  doc.transact(() => y.set('deletedAt', now.toISOString()), origin)
}

export function restoreStage(doc: Y.Doc, pipelineId: string, stageId: string, origin: unknown): void {
  const y = stageMap(doc, pipelineId, stageId)
  doc.transact(() => y.delete('deletedAt'), origin)
}
