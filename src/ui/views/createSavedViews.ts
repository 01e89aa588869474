import { createEffect, createMemo, createSignal, on, onCleanup, type Accessor } from 'solid-js'
import type { ColumnState } from 'ag-grid-community'
import type { EntityDef, WorkspaceSchema } from '../../domain/schema'
import {
  ALL_VIEW_ID, builtInViews, mayWriteView, sameViewContent, viewsFor,
  type SavedView, type ViewColumn, type ViewCondition, type ViewSort, type ViewSpec,
} from '../../domain/views/savedView'
import { compileViewFilter } from '../../domain/views/viewFilter'
import { workspaceReportSettings } from '../../domain/reports/workspaceReportSettings'
import type { WorkspaceSession } from '../../sync/workspaceSession'
import type { SchemaStore } from '../../crdt/schemaStore'
import type { EntityGrid } from '../grid/makeEntityGrid'

export const VIEW_PARAM = 'view'

/** The view a list opens with: the address's `?view=` (a shared link), else "All". */
export function viewFromAddress(): string {
  return new URL(location.href).searchParams.get(VIEW_PARAM) ?? ALL_VIEW_ID
}

function keepInAddress(viewId: string): void {
  const url = new URL(location.href)
  if (viewId === ALL_VIEW_ID) url.searchParams.delete(VIEW_PARAM)
  else url.searchParams.set(VIEW_PARAM, viewId)
  // replaced, not pushed: switching views is no step back; history.state keeps what the list put there
  if (url.href !== location.href) history.replaceState(history.state, '', url)
}

/** The grid's sort and columns now, as a view holds them. */
function gridState(state: readonly ColumnState[], entity: EntityDef): { sort: ViewSort[]; columns: ViewColumn[] } {
  const fields = new Set(entity.fields.map((f) => f.id))
  const shown = state.filter((c) => fields.has(c.colId))
  const sort = shown.filter((c) => c.sort).sort((a, b) => (a.sortIndex ?? 0) - (b.sortIndex ?? 0)).map((c) => ({ field: c.colId, desc: c.sort === 'desc' }))
  const columns = shown.map((c): ViewColumn => ({ field: c.colId, ...(c.hide ? { hidden: true } : {}), ...(c.width ? { width: Math.round(c.width) } : {}) }))
  return { sort, columns }
}

export interface SavedViews {
  /** "All", "Mine" (with an owner field), then the saved views this member sees. */
  list: Accessor<SavedView[]>
  active: Accessor<SavedView>
  filters: Accessor<ViewCondition[]>
  /** The grid shows something other than the active view holds. */
  dirty: Accessor<boolean>
  /** Whether this member may change the active view (its owner; editors and admins a shared one). */
  canUpdate: Accessor<boolean>
  canShare: boolean
  /** Resolves once views can be saved, changed and removed (the schema document is loaded): the bar's actions wait for it. */
  whenStored(): Promise<void>
  select(viewId: string): void
  setFilters(filters: ViewCondition[]): void
  /** What "Save view…" would save now. */
  current(): Omit<ViewSpec, 'name'>
  save(name: string, shared: boolean): SavedView
  update(): void
  rename(name: string): void
  remove(): SavedView
  restore(view: SavedView): void
  /** The grid is ready: applies the view the list opened with and follows the grid's sort and columns. */
  attach(grid: EntityGrid): void
}

/**
 * The saved views of one list (issue 15): which is active, the filters shown, whether the grid
 * has changed since it was applied. A view only changes what the grid shows of the store's rows
 * (a compiled predicate, the sort and column state), so switching never touches the data, and a
 * teammate's edits arriving meanwhile are simply in the rows.
 */
export function createSavedViews(o: { schema: Accessor<WorkspaceSchema>; entity: Accessor<EntityDef>; store: SchemaStore; whenLoaded: () => Promise<void>; member: WorkspaceSession['member'] }): SavedViews {
  const [activeId, setActiveId] = createSignal(viewFromAddress())
  const [filters, setFiltersSignal] = createSignal<ViewCondition[]>([])
  const [gridTick, setGridTick] = createSignal(0)
  let grid: EntityGrid | undefined

  const list = createMemo(() => [...builtInViews(o.entity()), ...viewsFor(o.schema().views ?? [], o.entity().id, o.member.id)])
  // a view removed meanwhile (here or by a teammate) or an unknown ?view= falls back to "All"
  const active = createMemo(() => list().find((v) => v.id === activeId()) ?? list()[0]!)
  const current = () => {
    gridTick()
    const state = grid ? gridState(grid.api.getColumnState(), o.entity()) : { sort: active().sort, columns: active().columns }
    return { filters: filters(), ...state }
  }
  const dirty = createMemo(() => {
    const view = active()
    const now = current()
    // the built-in views hold no columns: the member's own layout is no change of theirs
    return !sameViewContent({ filters: view.filters, sort: view.sort, columns: view.columns }, { ...now, columns: view.columns.length ? now.columns : [] })
  })

  const applyFilters = (next: ViewCondition[]) => {
    setFiltersSignal(next)
    // a period such as "this month" is read in the workspace's time zone, as reports read it
    grid?.setRowFilter(next.length ? compileViewFilter(o.entity(), next, { memberId: o.member.id, timeZone: workspaceReportSettings(o.schema()).timeZone }) : null)
  }
  /** Puts a view on the grid; `from`, the view it replaces, whose hidden columns come back when the new one names none. */
  let applied: SavedView | null = null
  const apply = (view: SavedView, from?: SavedView) => {
    applyFilters(view.filters)
    if (!grid) return
    applied = view
    const api = grid.api
    if (view.columns.length) {
      api.applyColumnState({ state: view.columns.map((c) => ({ colId: c.field, hide: c.hidden === true, ...(c.width ? { width: c.width } : {}) })), applyOrder: true })
    } else if (from?.columns.length) {
      // "All" and "Mine" keep the member's own layout, less what the view before hid
      api.applyColumnState({ state: from.columns.filter((c) => c.hidden).map((c) => ({ colId: c.field, hide: false })) })
    }
    api.applyColumnState({ state: view.sort.map((s, i) => ({ colId: s.field, sort: s.desc ? 'desc' : 'asc', sortIndex: i })), defaultState: { sort: null, sortIndex: null } })
    setGridTick((n) => n + 1)
  }
  /** Switches to a view (again: the active one, dropping this member's changes to it). */
  const select = (viewId: string) => {
    const target = list().find((v) => v.id === viewId) ?? list()[0]!
    // applied first, so the effect below finds the grid showing it already
    apply(target, active())
    setActiveId(target.id)
    keepInAddress(target.id)
  }
  // The view changed under the grid: an address's view that arrived with the schema after the
  // grid opened (or fell back to "All" when removed), or a teammate's update of the view shown —
  // taken over unless this member has changed the grid since it was applied.
  createEffect(on(active, (view) => {
    const was = applied
    if (!grid || !was || was === view) return
    if (was.id !== view.id) apply(view, was)
    else if (sameViewContent(was, current())) apply(view, was)
    else applied = view
  }, { defer: true }))

  return {
    list,
    active,
    filters,
    dirty,
    canUpdate: () => active().createdAt !== '' && mayWriteView(active().id, o.member),
    canShare: o.member.role !== 'viewer',
    whenStored: o.whenLoaded,
    select,
    setFilters: applyFilters,
    current,
    save(name, shared) {
      const view = o.store.createView(o.entity().id, { shared, owner: o.member.id, spec: { name, ...current() } })
      setActiveId(view.id)
      keepInAddress(view.id)
      return view
    },
    update() {
      o.store.updateView(o.entity().id, active().id, current())
    },
    rename(name) {
      o.store.updateView(o.entity().id, active().id, { name })
    },
    remove() {
      const view = active()
      o.store.removeView(view.id)
      select(ALL_VIEW_ID)
      return view
    },
    restore(view) {
      o.store.restoreView(view.id)
      select(view.id)
    },
    attach(g) {
      const bump = () => setGridTick((n) => n + 1)
      const events = ['sortChanged', 'columnMoved', 'columnResized', 'columnVisible'] as const
      for (const event of events) g.api.addEventListener(event, bump)
      onCleanup(() => { for (const event of events) if (!g.api.isDestroyed()) g.api.removeEventListener(event, bump) })
      // The grid comes with its columns and the member's layout from this device on them: the
      // view goes on now, in the same task, before the grid asks for its first rows.
      grid = g
      apply(active())
    },
  }
}
