import { For, Show, createMemo, createSignal } from 'solid-js'
import type { EntityStore } from '../../crdt/entityStore'
import type { SchemaStore } from '../../crdt/schemaStore'
import { randomId } from '../../crdt/randomId'
import { livePipelines, liveStages, STAGE_KINDS, type Pipeline, type Stage, type StageKind } from '../../domain/pipelines/pipeline'
import { dealsInStage, stageRemovalPlan } from '../../domain/pipelines/stageRemovalPlan'
import type { FieldValue, WorkspaceSchema } from '../../domain/schema'
import './pipelines.css'

const KIND_LABEL: Record<StageKind, string> = { open: 'Open', won: 'Won', lost: 'Lost' }

/**
 * Settings → Pipelines (admins): pipelines and their ordered stages, each with a default
 * probability and a kind. Every edit is a schema-document edit, so it reaches everyone live;
 * removing a stage first moves its deals to a stage the admin picks, in one transaction over
 * the deals' document (stageRemovalPlan), then removes the stage.
 */
export function PipelinesView(props: { schema: WorkspaceSchema | null; store: SchemaStore; deals: () => Promise<EntityStore>; memberId: string }) {
  const pipelines = createMemo(() => livePipelines(props.schema?.pipelines ?? []))
  const [error, setError] = createSignal<string | null>(null)
  const [removing, setRemoving] = createSignal<{ pipeline: Pipeline; stage: Stage; count: number } | null>(null)
  const [target, setTarget] = createSignal('')
  const run = (edit: () => void) => {
    try {
      edit()
      setError(null)
    } catch (e) {
      setError((e as Error).message)
    }
  }
  const deals = () => props.schema?.entities.find((e) => e.id === 'deals')

  const askRemove = async (pipeline: Pipeline, stage: Stage) => {
    const entity = deals()
    const store = await props.deals()
    store.loadRest?.()
    await store.complete
    const count = entity ? dealsInStage(entity, store.rows(), stage.id) : 0
    const others = liveStages(pipeline).filter((s) => s.id !== stage.id)
    setTarget(others[0]?.id ?? '')
    setRemoving({ pipeline, stage, count })
  }

  const confirmRemove = async () => {
    const pending = removing()
    const entity = deals()
    if (!pending || !entity) return
    try {
      const store = await props.deals()
      const writes = stageRemovalPlan(entity, props.schema?.pipelines ?? [], store.rows(), pending.stage.id, target(), props.memberId, new Date(), () => randomId(12))
      if (writes.length) store.updateCells(writes.map((w) => ({ recordId: w.recordId, fieldId: w.fieldId, value: w.value as FieldValue })))
      props.store.removeStage(pending.pipeline.id, pending.stage.id)
      setRemoving(null)
      setError(null)
    } catch (e) {
      setError((e as Error).message)
    }
  }

  let newPipeline!: HTMLInputElement
  return (
    <section class="kanso-settings kanso-pipelines" aria-label="Pipelines">
      <h2>Pipelines</h2>
      <p class="kanso-hint">Deals move through the stages of their pipeline. A stage's probability is the default for deals in it; won and lost stages close a deal, and a lost one asks why.</p>
      <Show when={error()}><p class="kanso-form-error" role="alert">{error()}</p></Show>
      <For each={pipelines()}>
        {(pipeline) => (
          <article class="kanso-pipeline" data-pipeline-id={pipeline.id}>
            <label class="kanso-pipeline-name">Pipeline name
              <input value={pipeline.name} aria-label="Pipeline name" onChange={(e) => run(() => props.store.renamePipeline(pipeline.id, e.currentTarget.value))} />
            </label>
            <table class="kanso-stages">
              <thead><tr><th scope="col">Stage</th><th scope="col">Probability %</th><th scope="col">Kind</th><th scope="col"><span class="kanso-pipelines-hidden">Actions</span></th></tr></thead>
              <tbody>
                <For each={liveStages(pipeline)}>
                  {(stage, i) => (
                    <tr data-stage-id={stage.id}>
                      <td><input value={stage.name} aria-label={`Name of stage ${stage.name}`} onChange={(e) => run(() => props.store.updateStage(pipeline.id, stage.id, { name: e.currentTarget.value }))} /></td>
                      <td><input type="number" min="0" max="100" value={stage.probability} aria-label={`Probability of ${stage.name}`}
                        onChange={(e) => run(() => props.store.updateStage(pipeline.id, stage.id, { probability: Number(e.currentTarget.value) }))} /></td>
                      <td>
                        <select aria-label={`Kind of ${stage.name}`} onChange={(e) => run(() => props.store.updateStage(pipeline.id, stage.id, { kind: e.currentTarget.value as StageKind }))}>
                          <For each={STAGE_KINDS}>{(kind) => <option value={kind} selected={stage.kind === kind}>{KIND_LABEL[kind]}</option>}</For>
                        </select>
                      </td>
                      <td class="kanso-stage-actions">
                        <button type="button" aria-label={`Move ${stage.name} up`} disabled={i() === 0} onClick={() => run(() => props.store.moveStage(pipeline.id, stage.id, -1))}>↑</button>
                        <button type="button" aria-label={`Move ${stage.name} down`} disabled={i() === liveStages(pipeline).length - 1} onClick={() => run(() => props.store.moveStage(pipeline.id, stage.id, 1))}>↓</button>
                        <button type="button" class="kanso-danger" aria-label={`Remove ${stage.name}`} disabled={liveStages(pipeline).length === 1} onClick={() => void askRemove(pipeline, stage)}>Remove</button>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
            <form class="kanso-inline-form" onSubmit={(e) => {
              e.preventDefault()
              const input = e.currentTarget.elements.namedItem('stage') as HTMLInputElement
              run(() => { props.store.addStage(pipeline.id, input.value); input.value = '' })
            }}>
              <input name="stage" placeholder="New stage name" aria-label={`New stage of ${pipeline.name}`} required />
              <button type="submit">Add stage</button>
            </form>
          </article>
        )}
      </For>
      <form class="kanso-inline-form" onSubmit={(e) => { e.preventDefault(); run(() => { props.store.addPipeline(newPipeline.value); newPipeline.value = '' }) }}>
        <input ref={newPipeline} placeholder="New pipeline name" aria-label="New pipeline name" required />
        <button type="submit" class="kanso-primary">Add pipeline</button>
      </form>
      <Show when={removing()}>
        {(pending) => (
          <div class="kanso-modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) setRemoving(null) }}>
            <div class="kanso-modal" role="dialog" onKeyDown={(e) => { if (e.key === 'Escape') setRemoving(null) }} aria-modal="true" aria-labelledby="kanso-remove-stage-title">
              <h2 id="kanso-remove-stage-title">Remove the stage “{pending().stage.name}”?</h2>
              <p>{pending().count === 0 ? 'No deal is in this stage.' : `${pending().count === 1 ? '1 deal is' : `${pending().count} deals are`} in this stage. Move them to:`}</p>
              <select aria-label="Move its deals to" value={target()} onChange={(e) => setTarget(e.currentTarget.value)}>
                <For each={pipelines()}>
                  {(p) => (
                    <optgroup label={p.name}>
                      <For each={liveStages(p).filter((s) => s.id !== pending().stage.id)}>{(s) => <option value={s.id}>{s.name}</option>}</For>
                    </optgroup>
                  )}
                </For>
              </select>
              <div class="kanso-modal-actions">
                <button type="button" onClick={() => setRemoving(null)}>Cancel</button>
                <button type="button" class="kanso-danger" onClick={() => void confirmRemove()}>Remove stage</button>
              </div>
            </div>
          </div>
        )}
      </Show>
    </section>
  )
}
