import { createMemo, createSignal, type Accessor } from 'solid-js'
import type { EntityStore } from '../../crdt/entityStore'
import { boardColumns, boardFieldsOf, firstLink, type BoardColumn, type BoardFilter } from '../../domain/board/boardColumns'
import { nextActivities, nextActivityOf, type NextActivity } from '../../domain/board/nextActivity'
import { livePipelines, type Pipeline } from '../../domain/pipelines/pipeline'
import { recordTitle } from '../../domain/recordTitle'
import type { EntityDef, Row } from '../../domain/schema'
import type { CellChange } from '../../crdt/recordDoc'

export interface BoardStoreOptions {
  deals: EntityStore
  entity: () => EntityDef
  pipelines: () => readonly Pipeline[]
  /** The pipeline asked for (the URL's ?pipeline=); unknown or absent: the first one. */
  pipelineId: () => string | undefined
  filter: () => BoardFilter
  memberName: (id: string) => string | undefined
  /** What a stage edit writes with it (makeStageChanges: its change entry, the lost reason); null: cancelled. */
  withStageChanges: (changes: CellChange[]) => CellChange[] | null
}

export interface BoardStore {
  pipeline: Accessor<Pipeline | undefined>
  columns: Accessor<BoardColumn[]>
  /** The linked company's name, once the companies are read. */
  companyName: (id: string) => string | undefined
  companyOf: (deal: Row) => string | undefined
  /** The deal's next activity, once the activities are read. */
  nextActivity: (deal: Row) => NextActivity | undefined
  /** Moves a deal to a stage as one edit (one undo step); false: not moved (cancelled, or there already). */
  move: (dealId: string, stageId: string) => boolean
  /** Hands the store the companies and activities to name and date the cards with (read after the cards are shown). */
  linkCompanies: (store: EntityStore, def: EntityDef) => () => void
  linkActivities: (store: EntityStore, def: EntityDef) => () => void
  destroy: () => void
}

/**
 * The board's model: a plain copy of the deals' rows kept current by the store's patches, turned
 * into the chosen pipeline's columns. Every patch regroups the rows (a pass over 20k deals takes a
 * few ms); the view renders only the cards in sight.
 */
export function makeBoardStore(o: BoardStoreOptions): BoardStore {
  const rows = new Map<string, Row>()
  const [version, setVersion] = createSignal(0)
  const bump = () => setVersion((v) => v + 1)
  const read = () => {
    rows.clear()
    for (const r of o.deals.rows()) rows.set(r.id, r)
    bump()
  }
  read()
  const stops: (() => void)[] = []
  stops.push(o.deals.subscribe((patch) => {
    for (const r of patch.added) rows.set(r.id, r)
    for (const r of patch.updated) rows.set(r.id, r)
    for (const id of patch.removed) rows.delete(id)
    bump()
  }))
  // a big workspace's deals arrive in slices: the board needs them all
  if (o.deals.isLoading?.()) {
    o.deals.loadRest?.()
    void o.deals.complete?.then(read)
  }

  const companyNames = new Map<string, string>()
  const [companiesVersion, setCompaniesVersion] = createSignal(0)
  const [activities, setActivities] = createSignal<Map<string, NextActivity> | null>(null)

  const pipeline = createMemo(() => {
    const live = livePipelines(o.pipelines())
    const wanted = o.pipelineId()
    return live.find((p) => p.id === wanted) ?? live[0]
  })
  const fields = createMemo(() => boardFieldsOf(o.entity()))
  const columns = createMemo(() => {
    version()
    const p = pipeline()
    const f = fields()
    const filter = o.filter()
    // company names matter to the text filter only
    if (filter.text.trim()) companiesVersion()
    if (!p || !f) return []
    return boardColumns(o.pipelines(), p, rows.values(), f, filter, { company: (id) => companyNames.get(id), member: o.memberName })
  })

  const companyOf = (deal: Row) => {
    companiesVersion()
    const f = fields()?.company
    const id = f ? firstLink(deal.values[f.id]) : undefined
    return id === undefined ? undefined : companyNames.get(id)
  }

  return {
    pipeline,
    columns,
    companyName: (id) => { companiesVersion(); return companyNames.get(id) },
    companyOf,
    nextActivity: (deal) => {
      const index = activities()
      return index ? nextActivityOf(deal, o.entity(), index) : undefined
    },
    move(dealId, stageId) {
      const f = fields()
      const deal = rows.get(dealId)
      if (!f || !deal || deal.values[f.stage.id] === stageId) return false
      const changes = o.withStageChanges([{ recordId: dealId, fieldId: f.stage.id, value: stageId }])
      if (!changes) return false
      o.deals.updateCells(changes)
      return true
    },
    linkCompanies(store, def) {
      const name = (r: Row) => companyNames.set(r.id, recordTitle(def, r))
      for (const r of store.rows()) name(r)
      setCompaniesVersion((v) => v + 1)
      return store.subscribe((patch) => {
        patch.added.forEach(name)
        patch.updated.forEach(name)
        for (const id of patch.removed) companyNames.delete(id)
        setCompaniesVersion((v) => v + 1)
      })
    },
    linkActivities(store, def) {
      // activities change often (calls logged, tasks done): re-index at most every 250 ms
      let timer: ReturnType<typeof setTimeout> | undefined
      const index = () => { timer = undefined; setActivities(nextActivities(def, store.rows())) }
      index()
      const stop = store.subscribe(() => { timer ??= setTimeout(index, 250) })
      return () => { stop(); clearTimeout(timer) }
    },
    destroy() {
      stops.forEach((s) => s())
    },
  }
}
