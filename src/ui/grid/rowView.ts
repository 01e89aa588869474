import type { FieldDef, Row } from '../../domain/schema'
import { cellSortKey, compareSortKeys, type SortKey } from './cellSortKey'
import { displayValue } from './displayValue'
import type { GridContext } from './gridContext'

export interface ViewSort { colId: string; sort: 'asc' | 'desc' }

export interface ViewQuery {
  sort: ViewSort[]
  /** The search box: every word must appear in some cell's shown text (case-insensitive). */
  search: string
}

/** A view's row ids, in order, with each one's sort keys (null without a sort): what rows added later merge into. */
export interface KeyedRowView {
  ids: string[]
  keys: SortKey[][] | null
}

/**
 * The ids of the rows a grid shows, in order: the search applied to every cell's shown text,
 * then sorted by the sort columns (stable, so equal rows keep the store's order). Pure: the
 * grid pages through the result, so sorting and searching cover every row, loaded in the grid
 * or not.
 */
export function rowView(rows: readonly Row[], query: ViewQuery, fields: ReadonlyMap<string, FieldDef>, ctx: GridContext, searchText = searchTextOf): string[] {
  return keyedRowView(rows, query, fields, ctx, searchText).ids
}

/** rowView with the sort keys of the rows shown kept beside their ids (see addToRowView). */
export function keyedRowView(rows: readonly Row[], query: ViewQuery, fields: ReadonlyMap<string, FieldDef>, ctx: GridContext, searchText = searchTextOf): KeyedRowView {
  const shown = searched(rows, query, fields, ctx, searchText)
  const sorts = query.sort.filter((s) => fields.has(s.colId))
  if (!sorts.length) return { ids: shown.map((r) => r.id), keys: null }
  // Array.prototype.sort is stable: equal rows keep the store's order
  const keyed = shown.map((r) => ({ id: r.id, keys: sortKeys(r, sorts, fields, ctx) }))
  const compare = compareKeys(sorts)
  keyed.sort((a, b) => compare(a.keys, b.keys))
  return { ids: keyed.map((k) => k.id), keys: keyed.map((k) => k.keys) }
}

/**
 * The view of the rows `view` was computed from followed by `added` (rows after them in the
 * store's order, as a store appends new records), the same as keyedRowView over all of them:
 * only the added rows are searched and sorted, then merged in, after the rows already there
 * that sort equal. An import adds 1000s of rows a second to a view of 100k: recomputing it
 * took the page 100–400 ms per batch.
 */
export function addToRowView(view: KeyedRowView, added: readonly Row[], query: ViewQuery, fields: ReadonlyMap<string, FieldDef>, ctx: GridContext, searchText = searchTextOf): KeyedRowView {
  const fresh = keyedRowView(added, query, fields, ctx, searchText)
  if (!fresh.keys || !view.keys) return { ids: view.ids.concat(fresh.ids), keys: null }
  const compare = compareKeys(query.sort.filter((s) => fields.has(s.colId)))
  const ids: string[] = []
  const keys: SortKey[][] = []
  let i = 0
  let j = 0
  while (i < view.ids.length || j < fresh.ids.length) {
    const takeOld = j >= fresh.ids.length || (i < view.ids.length && compare(view.keys[i]!, fresh.keys[j]!) <= 0)
    if (takeOld) { ids.push(view.ids[i]!); keys.push(view.keys[i]!); i++ } else { ids.push(fresh.ids[j]!); keys.push(fresh.keys[j]!); j++ }
  }
  return { ids, keys }
}

function searched(rows: readonly Row[], query: ViewQuery, fields: ReadonlyMap<string, FieldDef>, ctx: GridContext, searchText: typeof searchTextOf): readonly Row[] {
  const words = query.search.toLocaleLowerCase().split(/\s+/).filter(Boolean)
  return words.length ? rows.filter((r) => { const t = searchText(r, fields, ctx); return words.every((w) => t.includes(w)) }) : rows
}

function sortKeys(row: Row, sorts: readonly ViewSort[], fields: ReadonlyMap<string, FieldDef>, ctx: GridContext): SortKey[] {
  return sorts.map((s) => cellSortKey(fields.get(s.colId)!, row.values[s.colId], ctx))
}

function compareKeys(sorts: readonly ViewSort[]): (a: SortKey[], b: SortKey[]) => number {
  return (a, b) => {
    for (let i = 0; i < sorts.length; i++) {
      const c = compareSortKeys(a[i]!, b[i]!)
      // empty cells stay last in both directions
      if (c !== 0) return sorts[i]!.sort === 'desc' && a[i] !== null && b[i] !== null ? -c : c
    }
    return 0
  }
}

/** Every cell's shown text, lower-cased, one per line. */
export function searchTextOf(row: Row, fields: ReadonlyMap<string, FieldDef>, ctx: GridContext): string {
  let text = ''
  for (const f of fields.values()) {
    const v = row.values[f.id]
    if (v !== null && v !== undefined) text += displayValue(f, v, ctx).toLocaleLowerCase() + '\n'
  }
  return text
}
