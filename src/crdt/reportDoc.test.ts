import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addTile, createDashboard, createReport, readDashboards, readReports, removeTile, renameDashboard, updateReport } from './reportDoc'
import { SchemaError } from './schemaDoc'

const spec = { entity: 'deals', filters: [], groups: [{ field: 'deals.owner' }], measures: [{ key: 'deals', label: 'Deals', op: 'count' as const }] }

/** Two replicas that exchange updates only when told. */
function pair() {
  const a = new Y.Doc(), b = new Y.Doc()
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
  }
  return { a, b, sync }
}

describe('reportDoc', () => {
  it('saves a report with the views\' id scheme and reads it back', () => {
    const doc = new Y.Doc()
    const personal = createReport(doc, { shared: false, owner: 'ann' }, { name: ' Mine ', chart: 'bar', definition: spec }, null)
    const shared = createReport(doc, { shared: true }, { name: 'Team', chart: 'doughnut', definition: spec }, null)
    expect(personal.id).toMatch(/^m\.ann\.[A-Za-z0-9]{12}$/)
    expect(shared.id).toMatch(/^s\.[A-Za-z0-9]{12}$/)
    expect(readReports(doc).map((r) => [r.name, r.chart])).toEqual([['Mine', 'bar'], ['Team', 'doughnut']])
    expect(() => updateReport(doc, shared.id, { chart: 'pie' as never }, null)).toThrow(SchemaError)
  })

  it('merges two members editing a dashboard apart: a rename, tiles added and removed on both sides', () => {
    const { a, b, sync } = pair()
    const board = createDashboard(a, { shared: true }, 'Team', ['sales_funnel', 'forecast'], null)
    sync()
    renameDashboard(a, board.id, 'Sales team', null)
    addTile(a, board.id, 'win_rate_by_owner', null)
    addTile(b, board.id, 'revenue_won_by_month', null)
    removeTile(b, board.id, 'forecast', null)
    sync()
    for (const doc of [a, b]) {
      const [read] = readDashboards(doc)
      expect(read!.name).toBe('Sales team')
      expect(read!.tiles.map((t) => t.report).sort()).toEqual(['revenue_won_by_month', 'sales_funnel', 'win_rate_by_owner'])
    }
  })

  it('merges a rename and a definition change of one report made apart', () => {
    const { a, b, sync } = pair()
    const r = createReport(a, { shared: true }, { name: 'Deals', chart: 'bar', definition: spec }, null)
    sync()
    updateReport(a, r.id, { name: 'Deals by owner' }, null)
    updateReport(b, r.id, { chart: 'line', definition: { ...spec, limit: 5 } }, null)
    sync()
    expect(readReports(b)[0]).toMatchObject({ name: 'Deals by owner', chart: 'line', definition: { limit: 5 } })
  })
})
