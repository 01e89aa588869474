import type { EntityDef } from './schema'

/** Entities opened inside another's view rather than as a list of their own: a deal's lines open from the deal. */
const SHOWN_INSIDE = new Set(['deal_lines'])

/** The entities the navigation lists (the others stay reachable by their URL, `/deal_lines`). */
export function navEntities(entities: readonly EntityDef[]): EntityDef[] {
  return entities.filter((e) => !SHOWN_INSIDE.has(e.key))
}
