import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addMissingPipelines, readSchema, seedDefaultSchema, SchemaError } from './schemaDoc'
import { addPipeline, addStage, moveStage, readPipelines, removeStage, renamePipeline, updateStage } from './pipelineDoc'
import { liveStages } from '../domain/pipelines/pipeline'

const names = (doc: Y.Doc, id = 'sales') => liveStages(readPipelines(doc).find((p) => p.id === id)!).map((s) => s.name)

describe('pipelines in the schema document', () => {
  it('seeds "Sales"; adds a stage before won and lost, renames, reorders, removes', () => {
    const doc = new Y.Doc()
    seedDefaultSchema(doc)
    const stage = addStage(doc, 'sales', 'Demo', null)
    expect(names(doc)).toEqual(['New', 'Qualified', 'Proposal', 'Negotiation', 'Contract', 'Demo', 'Won', 'Lost'])
    updateStage(doc, 'sales', stage.id, { name: 'Demo booked', probability: 70 }, null)
    moveStage(doc, 'sales', stage.id, -5, null)
    expect(names(doc).slice(0, 2)).toEqual(['Demo booked', 'New'])
    moveStage(doc, 'sales', stage.id, 1, null)
    expect(names(doc).slice(0, 2)).toEqual(['New', 'Demo booked'])
    removeStage(doc, 'sales', stage.id, null)
    expect(names(doc)).not.toContain('Demo booked')
    expect(() => addStage(doc, 'sales', 'won', null)).toThrow(SchemaError)
    expect(() => updateStage(doc, 'sales', 'sales.new', { probability: 120 }, null)).toThrow(/0 to 100/)
  })

  it('the deals\' stage select lists the stages by name and keeps their ids across a rename', () => {
    const doc = new Y.Doc()
    seedDefaultSchema(doc)
    updateStage(doc, 'sales', 'sales.won', { name: 'Closed won' }, null)
    const stage = readSchema(doc).entities.find((e) => e.id === 'deals')!.fields.find((f) => f.key === 'stage')!
    expect(stage.choices?.find((c) => c.id === 'sales.won')?.label).toBe('Closed won')
    expect(stage.options).toContain('Closed won')
  })

  it('two admins editing different properties of one stage both win', () => {
    const a = new Y.Doc()
    seedDefaultSchema(a)
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    updateStage(a, 'sales', 'sales.proposal', { name: 'Offer' }, null)
    updateStage(b, 'sales', 'sales.proposal', { probability: 55 }, null)
    renamePipeline(b, 'sales', 'Direct sales', null)
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    for (const doc of [a, b]) {
      const sales = readPipelines(doc)[0]!
      expect(sales.name).toBe('Direct sales')
      expect(sales.stages.find((s) => s.id === 'sales.proposal')).toMatchObject({ name: 'Offer', probability: 55 })
    }
  })

  it('a workspace from before pipelines gets "Sales" from its stage options, once', () => {
    const doc = new Y.Doc()
    seedDefaultSchema(doc)
    doc.getMap('pipelines').clear()
    const stageField = (doc.getMap('entities').get('deals') as Y.Map<Y.Map<Y.Map<unknown>>>).get('fields')!.get('deals.stage')!
    stageField.delete('choicesFrom')
    stageField.set('options', ['Lead', 'Pitch', 'Won', 'Lost'])
    expect(addMissingPipelines(doc, null)?.stages.map((s) => s.id)).toEqual(['sales.lead', 'sales.pitch', 'sales.won', 'sales.lost'])
    expect(stageField.get('choicesFrom')).toBe('stages')
    expect(addMissingPipelines(doc, null)).toBeUndefined()
    expect(addPipeline(doc, 'Partners', null).stages).toHaveLength(1)
    expect(() => addPipeline(doc, 'partners', null)).toThrow(/already exists/)
  })
})
