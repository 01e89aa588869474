import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { seedDefaultSchema } from '../../../src/crdt/schemaDoc'
import { addTile, createDashboard, createReport, dashboardsOf, removeDashboard, removeTile, renameDashboard, reportsOf, updateReport } from '../../../src/crdt/reportDoc'
import type { RelayLogger } from '../../relayLogger'
import { createMemoryStorage } from '../../storage/memoryStorage'
import { inspectUpdate } from '../inspectUpdate'
import { LayoutGuard, type Verdict } from './layoutGuard'
import { SchemaFieldTypes } from './schemaFieldTypes'

const quiet: RelayLogger = { info() {}, warn() {}, error() {} }
const ann = { id: 'ann', role: 'editor' }
const bob = { id: 'bob', role: 'editor' }
const vic = { id: 'vic', role: 'viewer' }
const report = {
  name: 'Deals by stage', chart: 'bar' as const,
  definition: { entity: 'deals', filters: [], groups: [{ field: 'deals.stage' }], measures: [{ key: 'deals', label: 'Deals', op: 'count' as const }] },
}

function schemaRoom() {
  const doc = new Y.Doc()
  seedDefaultSchema(doc)
  const storage = createMemoryStorage()
  storage.appendUpdate('schema', Y.encodeStateAsUpdate(doc))
  const guard = new LayoutGuard({ kind: 'schema' }, new SchemaFieldTypes(storage, quiet))
  guard.build([Y.encodeStateAsUpdate(doc)], Y.decodeStateVector(Y.encodeStateVector(doc)))
  let client = 1000
  return {
    doc,
    check(member: { id: string; role: string }, change: () => void): Verdict & { deletesOk: boolean } {
      // each change from a client of its own: a refused one (kept in this document) leaves no gap before the next
      doc.clientID = ++client
      const before = Y.encodeStateVector(doc)
      change()
      const update = Y.encodeStateAsUpdate(doc, before)
      const inspection = inspectUpdate(update)
      const verdict = guard.check(Y.decodeUpdate(update).structs, 'client', member, inspection.deletes)
      const deletesOk = guard.deletesOnlyWritableViews(inspection.deletes, member)
      if (verdict.ok) guard.accept(verdict.analysis, inspection)
      return { ...verdict, deletesOk }
    },
  }
}

const violation = (verdict: Verdict) => ('violation' in verdict ? verdict.violation : null)

describe('LayoutGuard (schema): saved reports and dashboards', () => {
  it('passes what reportDoc writes, personal and shared', () => {
    const room = schemaRoom()
    let mine = '', shared = '', board = ''
    expect(room.check(ann, () => { mine = createReport(room.doc, { shared: false, owner: 'ann' }, report, null).id })).toMatchObject({ ok: true })
    expect(room.check(ann, () => { shared = createReport(room.doc, { shared: true }, report, null).id })).toMatchObject({ ok: true })
    expect(room.check(bob, () => updateReport(room.doc, shared, { chart: 'line', name: 'Team' }, null))).toMatchObject({ ok: true, deletesOk: true })
    expect(room.check(ann, () => { board = createDashboard(room.doc, { shared: true }, 'Team', [mine, 'sales_funnel'], null).id })).toMatchObject({ ok: true })
    expect(room.check(bob, () => addTile(room.doc, board, 'forecast', null))).toMatchObject({ ok: true })
    expect(room.check(bob, () => removeTile(room.doc, board, 'sales_funnel', null))).toMatchObject({ ok: true, deletesOk: true })
    expect(room.check(ann, () => renameDashboard(room.doc, board, 'Sales team', null))).toMatchObject({ ok: true, deletesOk: true })
    expect(room.check(ann, () => removeDashboard(room.doc, board, null))).toMatchObject({ ok: true })
  })

  it("refuses another member's personal report or dashboard, a viewer's shared one, and shapes that do not fit", () => {
    // one room per refusal: a refused update stays in the test's document, and every later update carries its deletions
    const withAnnsReport = () => {
      const room = schemaRoom()
      let mine = ''
      room.check(ann, () => { mine = createReport(room.doc, { shared: false, owner: 'ann' }, report, null).id })
      return { ...room, mine }
    }
    let room = withAnnsReport()
    expect(violation(room.check(bob, () => updateReport(room.doc, room.mine, { name: 'Mine now' }, null)))).toMatch(/another member's personal report/)
    room = withAnnsReport()
    // a viewer keeps personal ones of their own, never a shared one
    expect(violation(room.check(vic, () => createReport(room.doc, { shared: false, owner: 'vic' }, report, null)))).toBeNull()
    expect(violation(room.check(vic, () => createDashboard(room.doc, { shared: true }, 'Team', [], null)))).toMatch(/shared dashboard/)
    room = withAnnsReport()
    expect(violation(room.check(ann, () => reportsOf(room.doc).set('s.abcdefgh', new Y.Map())))).toBeNull()
    expect(violation(room.check(ann, () => reportsOf(room.doc).get('s.abcdefgh')!.set('definition', { entity: 'deals' })))).toMatch(/definition/)
    room = withAnnsReport()
    expect(violation(room.check(ann, () => reportsOf(room.doc).set('x.bad', new Y.Map())))).toMatch(/not a report id/)
    room = withAnnsReport()
    expect(violation(room.check(ann, () => {
      const y = new Y.Map<unknown>()
      dashboardsOf(room.doc).set('s.boardboard', y)
      y.set('tile.forecast', { order: 'first' })
    }))).toMatch(/tile/)
  })
})
