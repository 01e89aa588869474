import { createRoot, createSignal } from 'solid-js'
import { expect, test } from 'vitest'
import { boardColumns, boardFieldsOf, type BoardFilter } from '../../domain/board/boardColumns'
import { defaultSchema } from '../../domain/defaultSchema'
import { defaultPipeline } from '../../domain/pipelines/pipeline'
import { pipelineChoices, stageChoices } from '../../domain/pipelines/stageChoices'
import type { EntityDef, Row } from '../../domain/schema'
import { RemoteEntityStore } from '../../sync/remoteEntityStore'
import type { EntityIntent } from '../../sync/workerProtocol'
import { makeStageChanges } from '../grid/stageChanges'
import { makeBoardStore } from './makeBoardStore'

const pipelines = [defaultPipeline()]
function deals(): EntityDef {
  const entity = defaultSchema().entities.find((e) => e.id === 'deals')!
  for (const f of entity.fields) {
    if (f.choicesFrom === 'stages') f.choices = stageChoices(pipelines)
    if (f.choicesFrom === 'pipelines') f.choices = pipelineChoices(pipelines)
    if (f.choices) f.options = f.choices.map((c) => c.label)
  }
  return entity
}
const deal = (id: string, title: string, stage: string): Row => ({ id, values: { 'deals.title': title, 'deals.stage': stage, 'deals.pipeline': 'sales' }, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'm1' })
const titles = (rows: Row[]) => rows.map((r) => r.values['deals.title'])

function setup(answer: string | null = null) {
  const sent: EntityIntent[] = []
  const store = new RemoteEntityStore('deals', [deal('d1', 'Alpha', 'sales.new'), deal('d2', 'Beta', 'sales.new'), deal('d3', 'Gamma', 'sales.proposal')], 'm1', (i) => sent.push(i))
  const asked: string[] = []
  const entity = deals()
  return createRoot((dispose) => {
    const [filter, setFilter] = createSignal<BoardFilter>({ owners: [], text: '' })
    const board = makeBoardStore({
      deals: store, entity: () => entity, pipelines: () => pipelines, pipelineId: () => 'sales', filter, memberName: () => undefined,
      withStageChanges: makeStageChanges({
        entity: () => entity, pipelines: () => pipelines, row: (id) => store.row(id), memberId: 'm1',
        askLostReason: (d, stage) => { asked.push(`${String(d.values['deals.title'])} → ${stage}`); return Promise.resolve(answer) },
      }),
    })
    return { store, board, sent, asked, setFilter, dispose }
  })
}

test('a move is one update intent (one undo step) holding the stage and its change entry; the card is in its new column at once', () => {
  const { board, sent, dispose } = setup()
  expect(titles(board.columns()[0]!.rows)).toEqual(['Alpha', 'Beta'])
  expect(board.move('d1', 'sales.qualified')).toBe(true)
  expect(titles(board.columns()[0]!.rows)).toEqual(['Beta'])
  expect(titles(board.columns()[1]!.rows)).toEqual(['Alpha'])
  expect(sent).toHaveLength(1)
  const intent = sent[0]!
  if (intent.op !== 'update') throw new Error(`expected an update, got ${intent.op}`)
  expect(intent.changes.find((c) => c.fieldId === 'deals.stage')?.value).toBe('sales.qualified')
  const entry = intent.changes.find((c) => c.fieldId.startsWith('stage@'))
  expect(entry?.value).toMatchObject({ from: 'sales.new', to: 'sales.qualified', by: 'm1' })
  // there already: nothing written
  expect(board.move('d1', 'sales.qualified')).toBe(false)
  expect(sent).toHaveLength(1)
  dispose()
})

test('a move to a lost stage asks why: cancelled, nothing is written; answered, the reason goes with the move', async () => {
  const cancelled = setup(null)
  const asking = cancelled.board.move('d3', 'sales.lost')
  expect(asking).toBeInstanceOf(Promise)
  expect(await asking).toBe(false)
  expect(cancelled.asked).toEqual(['Gamma → Lost'])
  expect(cancelled.sent).toHaveLength(0)
  expect(titles(cancelled.board.columns()[2]!.rows)).toEqual(['Gamma'])
  cancelled.dispose()

  const answered = setup('Budget cut')
  const move = answered.board.move('d3', 'sales.lost')
  // nothing is written while the question is open
  expect(answered.sent).toHaveLength(0)
  expect(await move).toBe(true)
  const intent = answered.sent[0]!
  expect(intent.op === 'update' && intent.changes.find((c) => c.fieldId === 'deals.lost_reason')?.value).toBe('Budget cut')
  expect(titles(answered.board.columns()[6]!.rows)).toEqual(['Gamma'])
  answered.dispose()
})

test('a teammate\'s move (a patch from the worker) regroups the columns; the filter applies', () => {
  const { store, board, setFilter, dispose } = setup()
  store.applyPatch({ added: [deal('d4', 'Delta', 'sales.won')], updated: [deal('d2', 'Beta', 'sales.contract')], removed: ['d1'] }, false)
  expect(titles(board.columns()[0]!.rows)).toEqual([])
  expect(titles(board.columns()[4]!.rows)).toEqual(['Beta'])
  expect(titles(board.columns()[5]!.rows)).toEqual(['Delta'])
  setFilter({ owners: [], text: 'gam' })
  expect(board.columns().flatMap((c) => titles(c.rows))).toEqual(['Gamma'])
  dispose()
})

test('cards moved by patches land where regrouping every deal puts them, in the store order, with the sums (seeded)', () => {
  const { store, board, setFilter, dispose } = setup()
  const entity = deals()
  const stages = defaultPipeline().stages.map((s) => s.id)
  let seed = 14
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!
  const money = () => ({ amount: Math.floor(next() * 1000), currency: pick(['EUR', 'USD']) })
  for (let i = 0; i < 40; i++) {
    const d = deal(`n${i}`, `Deal ${i}`, pick(stages))
    store.applyPatch({ added: [{ ...d, values: { ...d.values, 'deals.amount': money() } }], updated: [], removed: [] }, false)
  }
  let text = ''
  board.columns()
  for (let step = 0; step < 300; step++) {
    const live = store.rows()
    const r = next()
    if (r < 0.6) {
      const row = pick(live)
      store.applyPatch({ added: [], updated: [{ ...row, values: { ...row.values, 'deals.stage': pick(stages), 'deals.amount': money() } }], removed: [] }, false)
    } else if (r < 0.75) store.applyPatch({ added: [], updated: [], removed: [pick(live).id] }, false)
    else if (r < 0.9) store.applyPatch({ added: [deal(`m${step}`, `More ${step}`, pick(stages))], updated: [], removed: [] }, false)
    else {
      text = pick(['', 'deal 1', 'more'])
      setFilter({ owners: [], text })
    }
    if (step % 3) continue
    const expected = boardColumns(pipelines, pipelines[0]!, store.rows(), boardFieldsOf(entity)!, { owners: [], text }, { company: () => undefined, member: () => undefined })
    expect(board.columns().map((c) => [c.stage.id, c.rows.map((x) => x.id), c.sums]), `step ${step}`).toEqual(expected.map((c) => [c.stage.id, c.rows.map((x) => x.id), c.sums]))
  }
  dispose()
})
