import { matchOption } from '../matchOption'
import type { FieldChoice, FieldDef } from '../schema'
import { livePipelines, liveStages, type Pipeline } from './pipeline'

/*
 * A deal's `pipeline` and `stage` are selects whose options carry ids (FieldDef.choices): the
 * record holds the id, people see and type the name. The choices are derived from the schema's
 * pipelines each time it is read, never stored on the field.
 */

/** The pipelines as choices of the `pipeline` field. */
export function pipelineChoices(pipelines: readonly Pipeline[]): FieldChoice[] {
  return livePipelines(pipelines).map((p) => ({ id: p.id, label: p.name }))
}

/**
 * Every live stage of every live pipeline. A name that an earlier pipeline already uses is
 * shown with its pipeline, "New (Partners)", so each label names one stage; the first pipeline
 * keeps the plain names.
 */
export function stageChoices(pipelines: readonly Pipeline[]): FieldChoice[] {
  const seen = new Set<string>()
  const choices: FieldChoice[] = []
  for (const pipeline of livePipelines(pipelines)) {
    for (const stage of liveStages(pipeline)) {
      const plain = stage.name.toLowerCase()
      const label = seen.has(plain) ? `${stage.name} (${pipeline.name})` : stage.name
      seen.add(plain)
      seen.add(label.toLowerCase())
      choices.push({ id: stage.id, label })
    }
  }
  return choices
}

/**
 * The choice a stored or typed value names: its id, or its label (a workspace from before
 * pipelines stored the stage's name; such a value reads as that stage until it is next edited).
 */
export function choiceIdOf(field: FieldDef, value: unknown): string | undefined {
  if (typeof value !== 'string' || !field.choices) return undefined
  if (field.choices.some((c) => c.id === value)) return value
  const label = matchOption(field.choices.map((c) => c.label), value)
  return label === undefined ? undefined : field.choices.find((c) => c.label === label)?.id
}

/** What a choice field's value shows: the choice's label, else the value itself. */
export function choiceLabelOf(field: FieldDef, value: string): string {
  const id = choiceIdOf(field, value)
  return (id !== undefined && field.choices?.find((c) => c.id === id)?.label) || value
}
