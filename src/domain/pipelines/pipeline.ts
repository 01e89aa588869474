import { DEAL_STAGES } from '../defaultSchema'
import { fieldKeyFor } from '../schema'

/**
 * Pipelines as plain data (issue 14). The CRDT layer stores them in the `schema` document
 * (src/crdt/pipelineDoc.ts), one entry per property, so two admins' edits merge; a removed
 * pipeline or stage keeps its entry with `deletedAt`, so deals holding its id still read.
 */
export const STAGE_KINDS = ['open', 'won', 'lost'] as const
export type StageKind = (typeof STAGE_KINDS)[number]

export interface Stage {
  /** Stable id: a deal's `stage` holds it, so a rename touches only the schema. */
  id: string
  name: string
  /** Default probability of a deal in this stage, 0–100. */
  probability: number
  kind: StageKind
  /** Sort position within the pipeline (fractional: a move writes only the moved stage). */
  order: number
  deletedAt?: string
}

export interface Pipeline {
  id: string
  name: string
  order: number
  /** Every stage, removed ones included (with `deletedAt`), in order. */
  stages: Stage[]
  deletedAt?: string
}

export const SALES_PIPELINE_ID = 'sales'
export const PIPELINE_NAME_MAX = 80

export function isStageKind(value: unknown): value is StageKind {
  return (STAGE_KINDS as readonly unknown[]).includes(value)
}

/** The live stages of a pipeline, in order. */
export function liveStages(pipeline: Pipeline): Stage[] {
  return pipeline.stages.filter((s) => !s.deletedAt).sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
}

/** The live pipelines, in order. */
export function livePipelines(pipelines: readonly Pipeline[]): Pipeline[] {
  return pipelines.filter((p) => !p.deletedAt).sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
}

/** A stage anywhere (removed ones too: a deal may still hold its id) with its pipeline. */
export function findStage(pipelines: readonly Pipeline[], stageId: string): { pipeline: Pipeline; stage: Stage } | undefined {
  for (const pipeline of pipelines) {
    const stage = pipeline.stages.find((s) => s.id === stageId)
    if (stage) return { pipeline, stage }
  }
  return undefined
}

// what the seeded names mean; an option of an older workspace not named here is an open stage
const KNOWN_STAGES: Record<string, { probability: number; kind: StageKind }> = {
  new: { probability: 10, kind: 'open' },
  qualified: { probability: 20, kind: 'open' },
  proposal: { probability: 40, kind: 'open' },
  negotiation: { probability: 60, kind: 'open' },
  contract: { probability: 80, kind: 'open' },
  won: { probability: 100, kind: 'won' },
  lost: { probability: 0, kind: 'lost' },
}

/**
 * The "Sales" pipeline made from a list of stage names: the stages Kanso seeds (a new
 * workspace), or the options an older workspace's `stage` select holds (the relay's migration).
 * Ids are derived from the names (`sales.new`), so the same list gives the same ids wherever it
 * runs and two relays migrating one workspace write identical entries.
 */
export function pipelineFromStageNames(names: readonly string[], id = SALES_PIPELINE_ID, name = 'Sales'): Pipeline {
  const taken: string[] = []
  const unique = [...new Set(names.map((n) => n.trim()).filter(Boolean))]
  const stages = unique.map((stageName, i): Stage => {
    const key = fieldKeyFor(stageName, taken)
    taken.push(key)
    const known = KNOWN_STAGES[stageName.toLowerCase()]
    const kind = known?.kind ?? (/\bwon\b/i.test(stageName) ? 'won' : /\blost\b/i.test(stageName) ? 'lost' : 'open')
    const probability = known?.probability ?? (kind === 'won' ? 100 : kind === 'lost' ? 0 : Math.round(((i + 1) / (unique.length + 1)) * 100))
    return { id: `${id}.${key}`, name: stageName, probability, kind, order: i }
  })
  return { id, name, order: 0, stages }
}

/** The pipeline of a new workspace: "Sales" with the stages Kanso has always seeded. */
export function defaultPipeline(): Pipeline {
  return pipelineFromStageNames(DEAL_STAGES)
}
