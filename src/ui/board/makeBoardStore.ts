import { createMemo, createSignal, type Accessor } from 'solid-js'
import type { EntityStore } from '../../crdt/entityStore'
import { boardFieldsOf, columnSums, firstLink, makeBoardPlacement, type BoardColumn, type BoardFields, type BoardFilter } from '../../domain/board/boardColumns'
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
  /** makeStageChanges: the move's changes, at once or once a lost reason is given (null: cancelled). */
  withStageChanges: (changes: CellChange[]) => CellChange[] | Promise<CellChange[] | null>
}

export interface BoardStore {
  pipeline: Accessor<Pipeline | undefined>
  columns: Accessor<BoardColumn[]>
  /** The linked company's name, once the companies are read. */
  companyName: (id: string) => string | undefined
  companyOf: (deal: Row) => string | undefined
  /** The deal's next activity, once the activities are read. */
  nextActivity: (deal: Row) => NextActivity | undefined
  /**
   * Moves a deal to a stage as one edit (one undo step); false: not moved (there already). A move
   * to a lost stage waits for the reason: a promise of whether it was made (false: cancelled).
   */
  move: (dealId: string, stageId: string) => boolean | Promise<boolean>
  /** Hands the store the companies and activities to name and date the cards with (read after the cards are shown). */
  linkCompanies: (store: EntityStore, def: EntityDef) => () => void
  linkActivities: (store: EntityStore, def: EntityDef) => () => void
  destroy: () => void
}

/** Past this many deals changed since the last look, the columns are regrouped from all rows. */
const INCREMENTAL_MAX = 1000

/** Index in `rows` (ordered by `seq`) where a row of sequence number `n` goes. */
function insertionIndex(rows: readonly Row[], seq: ReadonlyMap<string, number>, n: number): number {
  let lo = 0
  let hi = rows.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((seq.get(rows[mid]!.id) ?? -1) < n) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * The board's model: a plain copy of the deals' rows kept current by the store's patches, turned
 * into the chosen pipeline's columns. A patch of a few deals (a teammate's move) moves only their
 * cards; a new pipeline, filter or schema regroups every deal. The view renders only the cards in sight.
 */
export function makeBoardStore(o: BoardStoreOptions): BoardStore {
  const rows = new Map<string, Row>()
  // each deal's place in the store's order (the order of `rows`), which a column keeps
  const seq = new Map<string, number>()
  let nextSeq = 0
  // the deals changed since the columns were last made, with their rows from then (null: new)
  const changed = new Map<string, Row | null>()
  let regroup = true
  const [version, setVersion] = createSignal(0)
  const bump = () => setVersion((v) => v + 1)
  const read = () => {
    rows.clear()
    seq.clear()
    for (const r of o.deals.rows()) {
      rows.set(r.id, r)
      seq.set(r.id, nextSeq++)
    }
    regroup = true
    bump()
  }
  read()
  const stops: (() => void)[] = []
  const put = (r: Row) => {
    if (!changed.has(r.id)) changed.set(r.id, rows.get(r.id) ?? null)
    if (!rows.has(r.id)) seq.set(r.id, nextSeq++)
    rows.set(r.id, r)
  }
  stops.push(o.deals.subscribe((patch) => {
    patch.added.forEach(put)
    patch.updated.forEach(put)
    for (const id of patch.removed) {
      if (!changed.has(id)) changed.set(id, rows.get(id) ?? null)
      rows.delete(id)
      seq.delete(id)
    }
    if (changed.size > INCREMENTAL_MAX) regroup = true
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
  let last: { key: unknown[]; columnOf: (row: Row) => number; columns: BoardColumn[] } | undefined
  const columns = createMemo(() => {
    version()
    const p = pipeline()
    const f = fields()
    const filter = o.filter()
    const pipelines = o.pipelines()
    // company names matter to the text filter only
    const names = filter.text.trim() ? companiesVersion() : -1
    const key = [p, f, pipelines, filter.owners.join(','), filter.text, names]
    let out: BoardColumn[]
    if (!p || !f) out = []
    else if (!regroup && last && key.every((k, i) => k === last!.key[i])) out = moveCards(last.columns, last.columnOf, f)
    else {
      const { stages, columnOf } = makeBoardPlacement(pipelines, p, f, filter, { company: (id) => companyNames.get(id), member: o.memberName })
      const cols = stages.map((stage): BoardColumn => ({ stage, rows: [], sums: [] }))
      for (const row of rows.values()) {
        const i = columnOf(row)
        if (i >= 0) cols[i]!.rows.push(row)
      }
      for (const c of cols) c.sums = columnSums(c.rows, f)
      last = { key, columnOf, columns: cols }
      out = cols
    }
    if (last) last.columns = out
    changed.clear()
    regroup = false
    return out
  })
  /** The columns after the changed deals: each taken from where it was and put where it goes now, in the store's order. */
  const moveCards = (before: BoardColumn[], columnOf: (row: Row) => number, f: BoardFields): BoardColumn[] => {
    const cols = before.slice()
    const touched = new Set<number>()
    const touch = (i: number) => {
      if (!touched.has(i)) { cols[i] = { ...cols[i]!, rows: cols[i]!.rows.slice() }; touched.add(i) }
      return cols[i]!.rows
    }
    for (const [id, old] of changed) {
      const from = old ? columnOf(old) : -1
      if (from >= 0) {
        const list = touch(from)
        const at = list.findIndex((r) => r.id === id)
        if (at >= 0) list.splice(at, 1)
      }
      const now = rows.get(id)
      const to = now ? columnOf(now) : -1
      if (now && to >= 0) {
        const list = touch(to)
        list.splice(insertionIndex(list, seq, seq.get(id) ?? Infinity), 0, now)
      }
    }
    for (const i of touched) cols[i]!.sums = columnSums(cols[i]!.rows, f)
    return cols
  }

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
      if (Array.isArray(changes)) {
        o.deals.updateCells(changes)
        return true
      }
      return changes.then((answered) => {
        if (answered) o.deals.updateCells(answered)
        return answered !== null
      })
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
