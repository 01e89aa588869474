import type { EntityDef } from '../schema'
import { isSharedView, parseViewId, type SavedView, type ViewSort } from './savedView'

/**
 * A saved view as the HTTP API shows it (GET /api/v1/views): fields by their API keys, like
 * records; conditions, sorts and columns on fields removed since are left out.
 */
export function viewJson(view: SavedView, entity: EntityDef) {
  const keyOf = new Map(entity.fields.filter((f) => !f.deletedAt).map((f) => [f.id, f.key]))
  const known = <T extends { field: string }>(list: readonly T[]) => list.filter((x) => keyOf.has(x.field)).map((x) => ({ ...x, field: keyOf.get(x.field)! }))
  return {
    id: view.id,
    entity: entity.key,
    name: view.name,
    shared: isSharedView(view),
    owner: parseViewId(view.id)?.owner ?? null,
    filters: known(view.filters),
    sort: known(view.sort),
    columns: known(view.columns),
    created_at: view.createdAt,
  }
}

/** The view's sort as GET /api/v1/{entity}'s `sort` parameter (`-amount,title`); removed fields are left out. */
export function viewSortParam(entity: EntityDef, sort: readonly ViewSort[]): string {
  const keyOf = new Map(entity.fields.filter((f) => !f.deletedAt).map((f) => [f.id, f.key]))
  return sort.filter((s) => keyOf.has(s.field)).map((s) => `${s.desc ? '-' : ''}${keyOf.get(s.field)}`).join(',')
}
