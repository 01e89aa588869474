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

/**
 * The ids of the rows a grid shows, in order: the search applied to every cell's shown text,
 * then sorted by the sort columns (stable, so equal rows keep the store's order). Pure: the
 * grid pages through the result, so sorting and searching cover every row, loaded in the grid
 * or not.
 */
export function rowView(rows: readonly Row[], query: ViewQuery, fields: ReadonlyMap<string, FieldDef>, ctx: GridContext, searchText = searchTextOf): string[] {
  const words = query.search.toLocaleLowerCase().split(/\s+/).filter(Boolean)
  const shown = words.length ? rows.filter((r) => { const t = searchText(r, fields, ctx); return words.every((w) => t.includes(w)) }) : rows
  const sorts = query.sort.filter((s) => fields.has(s.colId))
  if (!sorts.length) return shown.map((r) => r.id)
  const keyed = shown.map((r, index) => ({ id: r.id, index, keys: sorts.map((s): SortKey => cellSortKey(fields.get(s.colId)!, r.values[s.colId], ctx)) }))
  keyed.sort((a, b) => {
    for (let i = 0; i < sorts.length; i++) {
      const c = compareSortKeys(a.keys[i]!, b.keys[i]!)
      // empty cells stay last in both directions
      if (c !== 0) return sorts[i]!.sort === 'desc' && a.keys[i] !== null && b.keys[i] !== null ? -c : c
    }
    return a.index - b.index
  })
  return keyed.map((k) => k.id)
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
