import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import { defaultPipeline, type Pipeline } from '../pipelines/pipeline'
import { pipelineChoices, stageChoices } from '../pipelines/stageChoices'
import type { EntityDef, Row } from '../schema'
import { boardColumns, boardFieldsOf, passesBoardFilter, type BoardFilter } from './boardColumns'

const partners: Pipeline = {
  id: 'partners', name: 'Partners', order: 1,
  stages: [
    { id: 'p.new', name: 'New', probability: 5, kind: 'open', order: 0 },
    { id: 'p.gone', name: 'Gone', probability: 0, kind: 'lost', order: 2, deletedAt: '2026-01-01T00:00:00.000Z' },
    { id: 'p.signed', name: 'Signed', probability: 100, kind: 'won', order: 1 },
  ],
}
const pipelines = [defaultPipeline(), partners]

function deals(): EntityDef {
  const entity = defaultSchema().entities.find((e) => e.id === 'deals')!
  for (const f of entity.fields) {
    if (f.choicesFrom === 'stages') f.choices = stageChoices(pipelines)
    if (f.choicesFrom === 'pipelines') f.choices = pipelineChoices(pipelines)
    if (f.choices) f.options = f.choices.map((c) => c.label)
  }
  return entity
}
const fields = boardFieldsOf(deals())!
let n = 0
const deal = (values: Record<string, unknown>): Row => ({ id: `d${++n}`, values: Object.fromEntries(Object.entries(values).map(([k, v]) => [`deals.${k}`, v])) as Row['values'], createdAt: '2026-03-01T00:00:00.000Z', createdBy: 'm1' })
const names = { company: (id: string) => ({ c1: 'Acme GmbH', c2: 'Globex' } as Record<string, string>)[id], member: (id: string) => ({ m1: 'Ana', m2: 'Ben' } as Record<string, string>)[id] }
const all: BoardFilter = { owners: [], text: '' }
const eur = (amount: number) => ({ amount, currency: 'EUR' })

describe('boardColumns', () => {
  it('a column per live stage in order, each deal in its stage column, in the store order', () => {
    const rows = [deal({ title: 'A', stage: 'sales.proposal' }), deal({ title: 'B', stage: 'sales.new' }), deal({ title: 'C', stage: 'sales.proposal' }), deal({ title: 'P', stage: 'p.new' })]
    const cols = boardColumns(pipelines, pipelines[0]!, rows, fields, all, names)
    expect(cols.map((c) => c.stage.name)).toEqual(['New', 'Qualified', 'Proposal', 'Negotiation', 'Contract', 'Won', 'Lost'])
    expect(cols.map((c) => c.rows.map((r) => r.values['deals.title']))).toEqual([['B'], [], ['A', 'C'], [], [], [], []])
    const other = boardColumns(pipelines, partners, rows, fields, all, names)
    expect(other.map((c) => c.stage.id)).toEqual(['p.new', 'p.signed'])
    expect(other[0]!.rows.map((r) => r.values['deals.title'])).toEqual(['P'])
  })

  it('a stage stored by name (older workspace) reads as that stage; a deal without stage goes to the first column of its pipeline', () => {
    const rows = [deal({ title: 'Named', stage: 'Qualified' }), deal({ title: 'None' }), deal({ title: 'None P', pipeline: 'partners' }), deal({ title: 'Removed', stage: 'p.gone' })]
    const sales = boardColumns(pipelines, pipelines[0]!, rows, fields, all, names)
    expect(sales[0]!.rows.map((r) => r.values['deals.title'])).toEqual(['None'])
    expect(sales[1]!.rows.map((r) => r.values['deals.title'])).toEqual(['Named'])
    const p = boardColumns(pipelines, partners, rows, fields, all, names)
    // a removed stage's deal is not on the board (Settings moves them before removing)
    expect(p.flatMap((c) => c.rows.map((r) => r.values['deals.title']))).toEqual(['None P'])
  })

  it('sums amounts per currency in minor units, currencies sorted, deals without amount counted only', () => {
    const rows = [deal({ stage: 'sales.new', amount: eur(1050) }), deal({ stage: 'sales.new', amount: { amount: 300, currency: 'USD' } }),
      deal({ stage: 'sales.new', amount: eur(25) }), deal({ stage: 'sales.new' }), deal({ stage: 'sales.new', amount: { amount: 5000, currency: 'JPY' } })]
    const [first] = boardColumns(pipelines, pipelines[0]!, rows, fields, all, names)
    expect(first!.rows).toHaveLength(5)
    expect(first!.sums).toEqual([eur(1075), { amount: 5000, currency: 'JPY' }, { amount: 300, currency: 'USD' }])
  })

  it('filters by owners and by text in title, company name or owner name; sums follow the filter', () => {
    const rows = [deal({ title: 'Big order', stage: 'sales.new', owner: 'm1', amount: eur(100) }),
      deal({ title: 'Small', stage: 'sales.new', owner: 'm2', company: 'c1', amount: eur(7) }),
      deal({ title: 'Other', stage: 'sales.new', owner: 'm2', company: ['c2'] })]
    const titles = (f: BoardFilter) => boardColumns(pipelines, pipelines[0]!, rows, fields, f, names)[0]!.rows.map((r) => r.values['deals.title'])
    expect(titles({ owners: ['m1'], text: '' })).toEqual(['Big order'])
    expect(titles({ owners: ['m1', 'm2'], text: '' })).toEqual(['Big order', 'Small', 'Other'])
    expect(titles({ owners: [], text: 'ORDER' })).toEqual(['Big order'])
    expect(titles({ owners: [], text: 'acme' })).toEqual(['Small'])
    expect(titles({ owners: [], text: 'glob' })).toEqual(['Other'])
    expect(titles({ owners: [], text: 'ben' })).toEqual(['Small', 'Other'])
    expect(titles({ owners: ['m1'], text: 'small' })).toEqual([])
    expect(boardColumns(pipelines, pipelines[0]!, rows, fields, { owners: ['m2'], text: '' }, names)[0]!.sums).toEqual([eur(7)])
    expect(passesBoardFilter(rows[0]!, fields, { owners: [], text: '  ' }, names)).toBe(true)
  })
})
