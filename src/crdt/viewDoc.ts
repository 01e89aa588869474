import * as Y from 'yjs'
import type { EntityDef } from '../domain/schema'
import {
  isViewColumnList, isViewConditionList, isViewSortList, newViewId, parseViewId, viewProblems,
  type SavedView, type ViewSpec,
} from '../domain/views/savedView'
import { randomId } from './randomId'
import { SchemaError } from './schemaDoc'

/*
 * Saved views in the `schema` document (issue 15):
 *   getMap('views'): viewId → Y.Map { entity, name, filters (JSON list), sort (JSON list),
 *                                     columns (JSON list), order, createdAt, deletedAt }
 * One entry per property, so one member renaming a shared view while another changes its sort
 * both win; removal is a `deletedAt`, so it can be undone. The id says who sees the view and who
 * may write it (savedView.ts), which the relay's layout check enforces.
 */
const VIEWS = 'views'

export function viewsOf(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap(VIEWS)
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')

/** The views as plain data, removed ones included (with `deletedAt`); a property of the wrong shape reads as empty. */
export function readViews(doc: Y.Doc): SavedView[] {
  const views: SavedView[] = []
  viewsOf(doc).forEach((y, id) => {
    if (!(y instanceof Y.Map) || !parseViewId(id)) return
    const filters = y.get('filters')
    const sort = y.get('sort')
    const columns = y.get('columns')
    const order = y.get('order')
    const deletedAt = y.get('deletedAt')
    views.push({
      id,
      entity: str(y.get('entity')),
      name: str(y.get('name')) || 'Untitled view',
      filters: isViewConditionList(filters) ? filters : [],
      sort: isViewSortList(sort) ? sort : [],
      columns: isViewColumnList(columns) ? columns : [],
      order: typeof order === 'number' && Number.isFinite(order) ? order : 0,
      createdAt: str(y.get('createdAt')),
      ...(typeof deletedAt === 'string' ? { deletedAt } : {}),
    })
  })
  return views.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
}

function checked(entity: EntityDef, spec: Partial<ViewSpec>): Partial<ViewSpec> {
  const problems = viewProblems(entity, spec)
  if (problems.length) throw new SchemaError(problems.join('; '))
  return spec.name === undefined ? spec : { ...spec, name: spec.name.trim() }
}

function setProps(y: Y.Map<unknown>, spec: Partial<ViewSpec>): void {
  for (const key of ['name', 'filters', 'sort', 'columns'] as const) {
    const value = spec[key]
    if (value === undefined) continue
    // lists are compared as JSON: an unchanged list is not written again (no needless conflict)
    if (JSON.stringify(y.get(key)) !== JSON.stringify(value)) y.set(key, typeof value === 'string' ? value : JSON.parse(JSON.stringify(value)))
  }
}

export interface NewView { entity: EntityDef; shared: boolean; owner: string; spec: ViewSpec }

/** Adds a view after the entity's others; SchemaError names what does not fit. */
export function createView(doc: Y.Doc, view: NewView, origin: unknown, now = new Date()): SavedView {
  const spec = checked(view.entity, view.spec) as ViewSpec
  const id = newViewId(view.shared ? { shared: true } : { shared: false, owner: view.owner }, randomId(12))
  const order = readViews(doc).filter((v) => v.entity === view.entity.id).reduce((m, v) => Math.max(m, v.order), -1) + 1
  doc.transact(() => {
    const y = new Y.Map<unknown>()
    viewsOf(doc).set(id, y)
    y.set('entity', view.entity.id)
    setProps(y, spec)
    y.set('order', order)
    y.set('createdAt', now.toISOString())
  }, origin)
  return { id, entity: view.entity.id, ...spec, order, createdAt: now.toISOString() }
}

function viewMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  const y = viewsOf(doc).get(id)
  if (!(y instanceof Y.Map)) throw new SchemaError(`Unknown view "${id}"`)
  return y
}

/** Changes the given properties only (each its own entry, so a teammate's other edits stay). */
export function updateView(doc: Y.Doc, entity: EntityDef, id: string, spec: Partial<ViewSpec>, origin: unknown): void {
  const y = viewMap(doc, id)
  const clean = checked(entity, spec)
  doc.transact(() => setProps(y, clean), origin)
}

export function removeView(doc: Y.Doc, id: string, origin: unknown, now = new Date()): void {
  const y = viewMap(doc, id)
  doc.transact(() => y.set('deletedAt', now.toISOString()), origin)
}

export function restoreView(doc: Y.Doc, id: string, origin: unknown): void {
  const y = viewMap(doc, id)
  doc.transact(() => y.delete('deletedAt'), origin)
}
