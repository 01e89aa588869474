import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import { parseFieldInput } from '../parseFieldInput'
import { formatFieldValue } from '../formatFieldValue'
import type { EntityDef, Row } from '../schema'
import { defaultPipeline, pipelineFromStageNames, type Pipeline } from './pipeline'
import { choiceIdOf, pipelineChoices, stageChoices } from './stageChoices'
import { isStageChange, planStageEdit, stageHistory, timeInStage } from './stageHistory'
import { dealsInStage, stageRemovalPlan, StageRemovalError } from './stageRemovalPlan'

const partners: Pipeline = {
  id: 'partners', name: 'Partners', order: 1,
  stages: [
    { id: 'p.new', name: 'New', probability: 5, kind: 'open', order: 0 },
    { id: 'p.signed', name: 'Signed', probability: 100, kind: 'won', order: 1 },
    { id: 'p.gone', name: 'Gone', probability: 0, kind: 'lost', order: 2, deletedAt: '2026-01-01T00:00:00.000Z' },
  ],
}
const pipelines = [defaultPipeline(), partners]

/** The deals entity as readSchema gives it: stage and pipeline selects with their choices. */
function deals(): EntityDef {
  const entity = defaultSchema().entities.find((e) => e.id === 'deals')!
  for (const f of entity.fields) {
    if (f.choicesFrom === 'stages') f.choices = stageChoices(pipelines)
    if (f.choicesFrom === 'pipelines') f.choices = pipelineChoices(pipelines)
    if (f.choices) f.options = f.choices.map((c) => c.label)
  }
  return entity
}
const field = (key: string) => deals().fields.find((f) => f.key === key)!
const row = (values: Row['values'], createdAt = '2026-03-01T00:00:00.000Z'): Row => ({ id: 'd1', values, createdAt, createdBy: 'm1' })
const ctx = { locale: 'en-US' }

describe('pipelines', () => {
  it('a new workspace has "Sales" with the stages Kanso seeded, won and lost last', () => {
    const sales = defaultPipeline()
    expect(sales.name).toBe('Sales')
    expect(sales.stages.map((s) => [s.id, s.name, s.kind])).toEqual([
      ['sales.new', 'New', 'open'], ['sales.qualified', 'Qualified', 'open'], ['sales.proposal', 'Proposal', 'open'],
      ['sales.negotiation', 'Negotiation', 'open'], ['sales.contract', 'Contract', 'open'], ['sales.won', 'Won', 'won'], ['sales.lost', 'Lost', 'lost'],
    ])
  })

  it('an older workspace\'s stage options become stages with ids from their names, the same wherever it runs', () => {
    const made = pipelineFromStageNames(['New', 'Demo booked', 'Closed won', 'Closed lost', 'New'])
    expect(made.stages.map((s) => [s.id, s.kind])).toEqual([['sales.new', 'open'], ['sales.demo_booked', 'open'], ['sales.closed_won', 'won'], ['sales.closed_lost', 'lost']])
    expect(pipelineFromStageNames(['New', 'Demo booked', 'Closed won', 'Closed lost'])).toEqual(made)
  })
})

describe('stage names ↔ ids', () => {
  it('reads a name or an id and stores the id; shows the name', () => {
    const stage = field('stage')
    expect(parseFieldInput(stage, 'proposal', ctx)).toEqual({ ok: true, value: 'sales.proposal' })
    expect(parseFieldInput(stage, 'sales.proposal', ctx)).toEqual({ ok: true, value: 'sales.proposal' })
    expect(formatFieldValue(stage, 'sales.proposal', ctx)).toBe('Proposal')
    expect(parseFieldInput(stage, 'Nope', ctx)).toMatchObject({ ok: false, error: expect.stringMatching(/Nope.*not one of the options/) })
  })

  it('a name two pipelines share is told apart by its pipeline; a removed stage is no choice', () => {
    const stage = field('stage')
    expect(stage.options).toContain('New (Partners)')
    expect(stage.options).not.toContain('Gone')
    expect(parseFieldInput(stage, 'New', ctx)).toEqual({ ok: true, value: 'sales.new' })
    expect(parseFieldInput(stage, 'new (partners)', ctx)).toEqual({ ok: true, value: 'p.new' })
  })

  it('a stored name from before pipelines reads as the stage of that name', () => {
    expect(choiceIdOf(field('stage'), 'Won')).toBe('sales.won')
    expect(formatFieldValue(field('stage'), 'Won', ctx)).toBe('Won')
    expect(choiceIdOf(field('pipeline'), 'Sales')).toBe('sales')
  })
})

describe('stage edits', () => {
  const now = new Date('2026-03-05T10:00:00.000Z')

  it('a stage change adds its entry, the pipeline of the new stage, and asks for a lost reason', () => {
    const entity = deals()
    const plan = planStageEdit(entity, pipelines, row({ 'deals.stage': 'Won', 'deals.pipeline': 'sales' }), { 'deals.stage': 'p.new' }, 'm2', now, 'c1')
    expect(plan.extra).toEqual({ 'stage@c1': { from: 'sales.won', to: 'p.new', at: now.toISOString(), by: 'm2' }, 'deals.pipeline': 'partners' })
    expect(plan.lostWithoutReason).toBe(false)
    expect(isStageChange(plan.extra['stage@c1'])).toBe(true)
    expect(planStageEdit(entity, pipelines, row({}), { 'deals.stage': 'sales.lost' }, 'm2', now, 'c2').lostWithoutReason).toBe(true)
    expect(planStageEdit(entity, pipelines, row({}), { 'deals.stage': 'sales.lost', 'deals.lost_reason': 'Price' }, 'm2', now, 'c3').lostWithoutReason).toBe(false)
    // writing the stage it has already (by name or id) is no change
    expect(planStageEdit(entity, pipelines, row({ 'deals.stage': 'Won' }), { 'deals.stage': 'sales.won' }, 'm2', now, 'c4').extra).toEqual({})
  })

  it('time in stage comes from the change entries, in time order whatever order they were written', () => {
    const deal = row({
      'deals.stage': 'sales.won',
      'stage@b': { from: 'sales.proposal', to: 'sales.won', at: '2026-03-04T00:00:00.000Z', by: 'm1' },
      'stage@a': { from: 'sales.new', to: 'sales.proposal', at: '2026-03-02T00:00:00.000Z', by: 'm2' },
    } as unknown as Row['values'])
    const day = 86_400_000
    expect(stageHistory(deal, new Date('2026-03-05T00:00:00.000Z')).map((s) => [s.stage, s.ms / day])).toEqual([['sales.new', 1], ['sales.proposal', 2], ['sales.won', 1]])
    expect(timeInStage(deal, new Date('2026-03-06T00:00:00.000Z'))).toEqual({ 'sales.new': day, 'sales.proposal': 2 * day, 'sales.won': 2 * day })
    expect(isStageChange({ from: null, to: 'x', at: 'yesterday', by: 'm1' })).toBe(false)
  })

  it('removing a stage moves its deals (also those holding its name) with a change entry each', () => {
    const entity = deals()
    const rows: Row[] = [
      { ...row({ 'deals.stage': 'sales.proposal' }), id: 'a' },
      { ...row({ 'deals.stage': 'Proposal' }), id: 'b' },
      { ...row({ 'deals.stage': 'sales.new' }), id: 'c' },
    ]
    expect(dealsInStage(entity, rows, 'sales.proposal')).toBe(2)
    let n = 0
    const writes = stageRemovalPlan(entity, pipelines, rows, 'sales.proposal', 'sales.negotiation', 'm1', now, () => `x${++n}`)
    expect(writes.filter((w) => w.fieldId === 'deals.stage')).toEqual([
      { recordId: 'a', fieldId: 'deals.stage', value: 'sales.negotiation' }, { recordId: 'b', fieldId: 'deals.stage', value: 'sales.negotiation' },
    ])
    expect(writes.filter((w) => w.fieldId.startsWith('stage@')).map((w) => w.recordId)).toEqual(['a', 'b'])
    expect(() => stageRemovalPlan(entity, pipelines, rows, 'sales.new', 'sales.new', 'm1', now, () => 'y')).toThrow(StageRemovalError)
    expect(() => stageRemovalPlan(entity, pipelines, rows, 'sales.new', 'p.gone', 'm1', now, () => 'y')).toThrow(/no stage/)
  })
})
