import type { Row } from '../src/domain/schema'
import type { ViewCondition } from '../src/domain/views/savedView'
import { compileViewFilter } from '../src/domain/views/viewFilter'
import type { GeneratedWorkspace } from './generateWorkspace'
import { percentile } from './summarize'

export interface ViewFilterBenchResult {
  records: number
  viewsPerRep: number
  /** Per repetition: p95 and p50 of one view applied to its list (compile + a pass over every row), in ms. */
  p95Ms: number[]
  p50Ms: number[]
  /** Rows the views kept, in the last repetition (a view that keeps nothing measures nothing). */
  kept: number
}

/**
 * B19: a saved view applied to its list in the 100k workspace, in this Node process — the
 * same compileViewFilter the grid's row predicate and GET /api/v1/{entity}?view= run (V8 in both).
 * Each view is compiled, then every row of its entity is tested: what switching to it (or a
 * patch refreshing the view) costs before the grid sorts and pages.
 */
export function measureViewFilter(o: { workspace: GeneratedWorkspace; memberId: string; reps: number }): ViewFilterBenchResult {
  const w = o.workspace
  const rows = Object.fromEntries(Object.entries(w.rowsJson).map(([entity, json]) => [entity, JSON.parse(json) as Row[]]))
  const c = w.contactFields
  const owner = (entity: keyof typeof w.entities) => w.entities[entity].fields.find((f) => f.key === 'owner')!.id
  const views: Array<{ entity: keyof typeof w.entities; filters: ViewCondition[] }> = [
    { entity: 'contacts', filters: [{ field: owner('contacts'), op: 'isMe' }] },
    { entity: 'contacts', filters: [{ field: c.city, op: 'contains', value: 'ber' }, { field: c.score, op: 'range', from: 10, to: 80 }, { field: c.budget, op: 'range', from: 1000 }] },
    { entity: 'contacts', filters: [{ field: c.last_contact, op: 'range', from: '2025-01-01', to: '2026-06-30' }, { field: c.vip, op: 'equals', value: true }, { field: c.email, op: 'notEmpty' }] },
    { entity: 'deals', filters: [{ field: owner('deals'), op: 'isMe' }, { field: 'deals.amount', op: 'range', from: 5000 }] },
    { entity: 'activities', filters: [{ field: owner('activities'), op: 'isMe' }, { field: 'activities.subject', op: 'contains', value: 'follow' }] },
    { entity: 'companies', filters: [{ field: 'companies.name', op: 'contains', value: 'gmbh' }] },
  ]
  const run = () => {
    let kept = 0
    const times: number[] = []
    for (const view of views) {
      const t0 = performance.now()
      const keep = compileViewFilter(w.entities[view.entity], view.filters, { memberId: o.memberId })
      const list = rows[view.entity]!
      let n = 0
      for (let i = 0; i < list.length; i++) if (keep(list[i]!)) n++
      times.push(performance.now() - t0)
      kept += n
    }
    return { kept, times }
  }
  // warm-up: the first passes run in the interpreter
  run()
  const p95Ms: number[] = []
  const p50Ms: number[] = []
  let kept = 0
  for (let rep = 0; rep < o.reps; rep++) {
    const times: number[] = []
    for (let k = 0; k < 5; k++) {
      const r = run()
      times.push(...r.times)
      kept = r.kept
    }
    times.sort((a, b) => a - b)
    p95Ms.push(percentile(times, 0.95))
    p50Ms.push(percentile(times, 0.5))
  }
  if (kept === 0) throw new Error('the views kept no rows')
  return { records: w.records, viewsPerRep: views.length * 5, p95Ms, p50Ms, kept }
}
