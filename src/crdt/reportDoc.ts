import * as Y from 'yjs'
import {
  isReportChart, isReportSpec, isTileValue, parseReportId, TILE_PREFIX,
  type Dashboard, type DashboardTile, type ReportSpec, type SavedReport,
} from '../domain/reports/savedReport'
import type { ReportChart } from '../domain/reports/readyReports'
import { isViewName, newViewId } from '../domain/views/savedView'
import { randomId } from './randomId'
import { SchemaError } from './schemaDoc'

/*
 * Saved reports and dashboards in the `schema` document (issue 17), beside the saved views:
 *   getMap('reports'):    id → Y.Map { name, chart, definition (JSON), createdAt, deletedAt }
 *   getMap('dashboards'): id → Y.Map { name, createdAt, deletedAt, tile.<report id> → { order, removed? } }
 * One entry per property and one per tile, so a member renaming a shared dashboard while another
 * adds a tile both win; removal is a `deletedAt` (a tile's `removed`), so it can be undone. The
 * ids follow the views' scheme (personal `m.<member>.<random>`, shared `s.<random>`), which the
 * relay's layout check enforces like the views'.
 */
const REPORTS = 'reports'
const DASHBOARDS = 'dashboards'

export function reportsOf(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap(REPORTS)
}

export function dashboardsOf(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap(DASHBOARDS)
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')
const deleted = (y: Y.Map<unknown>) => { const d = y.get('deletedAt'); return typeof d === 'string' ? { deletedAt: d } : {} }

/** The saved reports, removed ones included; one whose definition is of the wrong shape is left out. */
export function readReports(doc: Y.Doc): SavedReport[] {
  const out: SavedReport[] = []
  reportsOf(doc).forEach((y, id) => {
    if (!(y instanceof Y.Map) || !parseReportId(id)) return
    const definition = y.get('definition')
    if (!isReportSpec(definition)) return
    const chart = y.get('chart')
    out.push({ id, name: str(y.get('name')) || 'Untitled report', chart: isReportChart(chart) ? chart : 'table', definition, createdAt: str(y.get('createdAt')), ...deleted(y) })
  })
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
}

export function readDashboards(doc: Y.Doc): Dashboard[] {
  const out: Dashboard[] = []
  dashboardsOf(doc).forEach((y, id) => {
    if (!(y instanceof Y.Map) || !parseReportId(id)) return
    const tiles: DashboardTile[] = []
    y.forEach((value, key) => {
      if (key.startsWith(TILE_PREFIX) && isTileValue(value) && !value.removed) tiles.push({ report: key.slice(TILE_PREFIX.length), order: value.order })
    })
    tiles.sort((a, b) => a.order - b.order || a.report.localeCompare(b.report))
    out.push({ id, name: str(y.get('name')) || 'Untitled dashboard', tiles, createdAt: str(y.get('createdAt')), ...deleted(y) })
  })
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
}

export interface ReportEdit { name?: string; chart?: ReportChart; definition?: ReportSpec }

function checkedEdit(edit: ReportEdit): ReportEdit {
  if (edit.name !== undefined && !isViewName(edit.name.trim())) throw new SchemaError('A report needs a name of 1 to 80 characters')
  if (edit.chart !== undefined && !isReportChart(edit.chart)) throw new SchemaError(`"${String(edit.chart)}" is not a chart type`)
  if (edit.definition !== undefined && !isReportSpec(edit.definition)) throw new SchemaError('The report definition is not of the stored shape')
  return edit
}

function setReportProps(y: Y.Map<unknown>, edit: ReportEdit): void {
  if (edit.name !== undefined && y.get('name') !== edit.name.trim()) y.set('name', edit.name.trim())
  if (edit.chart !== undefined && y.get('chart') !== edit.chart) y.set('chart', edit.chart)
  // compared as JSON: an unchanged definition is not written again (no needless conflict)
  if (edit.definition !== undefined && JSON.stringify(y.get('definition')) !== JSON.stringify(edit.definition)) y.set('definition', JSON.parse(JSON.stringify(edit.definition)))
}

export type ReportScope = { shared: true } | { shared: false; owner: string }

export function createReport(doc: Y.Doc, scope: ReportScope, report: Required<ReportEdit>, origin: unknown, now = new Date()): SavedReport {
  checkedEdit(report)
  const id = newViewId(scope, randomId(12))
  doc.transact(() => {
    const y = new Y.Map<unknown>()
    reportsOf(doc).set(id, y)
    setReportProps(y, report)
    y.set('createdAt', now.toISOString())
  }, origin)
  return { id, name: report.name.trim(), chart: report.chart, definition: report.definition, createdAt: now.toISOString() }
}

function entryOf(map: Y.Map<Y.Map<unknown>>, id: string, what: string): Y.Map<unknown> {
  const y = map.get(id)
  if (!(y instanceof Y.Map)) throw new SchemaError(`Unknown ${what} "${id}"`)
  return y
}

export function updateReport(doc: Y.Doc, id: string, edit: ReportEdit, origin: unknown): void {
  const y = entryOf(reportsOf(doc), id, 'report')
  checkedEdit(edit)
  doc.transact(() => setReportProps(y, edit), origin)
}

export function removeReport(doc: Y.Doc, id: string, origin: unknown, now = new Date()): void {
  const y = entryOf(reportsOf(doc), id, 'report')
  doc.transact(() => y.set('deletedAt', now.toISOString()), origin)
}

export function createDashboard(doc: Y.Doc, scope: ReportScope, name: string, reports: readonly string[], origin: unknown, now = new Date()): Dashboard {
  if (!isViewName(name.trim())) throw new SchemaError('A dashboard needs a name of 1 to 80 characters')
  const id = newViewId(scope, randomId(12))
  doc.transact(() => {
    const y = new Y.Map<unknown>()
    dashboardsOf(doc).set(id, y)
    y.set('name', name.trim())
    y.set('createdAt', now.toISOString())
    reports.forEach((report, order) => y.set(`${TILE_PREFIX}${report}`, { order }))
  }, origin)
  return { id, name: name.trim(), tiles: reports.map((report, order) => ({ report, order })), createdAt: now.toISOString() }
}

export function renameDashboard(doc: Y.Doc, id: string, name: string, origin: unknown): void {
  if (!isViewName(name.trim())) throw new SchemaError('A dashboard needs a name of 1 to 80 characters')
  const y = entryOf(dashboardsOf(doc), id, 'dashboard')
  doc.transact(() => y.set('name', name.trim()), origin)
}

/** Puts a report on a dashboard after its other tiles (again, when it was taken off). */
export function addTile(doc: Y.Doc, id: string, report: string, origin: unknown): void {
  const y = entryOf(dashboardsOf(doc), id, 'dashboard')
  let last = -1
  y.forEach((value, key) => { if (key.startsWith(TILE_PREFIX) && isTileValue(value) && !value.removed) last = Math.max(last, value.order) })
  doc.transact(() => y.set(`${TILE_PREFIX}${report}`, { order: last + 1 }), origin)
}

export function removeTile(doc: Y.Doc, id: string, report: string, origin: unknown): void {
  const y = entryOf(dashboardsOf(doc), id, 'dashboard')
  const value = y.get(`${TILE_PREFIX}${report}`)
  if (!isTileValue(value) || value.removed) return
  doc.transact(() => y.set(`${TILE_PREFIX}${report}`, { order: value.order, removed: true }), origin)
}

export function removeDashboard(doc: Y.Doc, id: string, origin: unknown, now = new Date()): void {
  const y = entryOf(dashboardsOf(doc), id, 'dashboard')
  doc.transact(() => y.set('deletedAt', now.toISOString()), origin)
}
