import { countLabel } from './countLabel'
import type { EntityDef, Row, WorkspaceSchema } from './schema'
import { liveFields } from './schema'

export interface InboundLinks { entity: EntityDef; count: number }

/** The entities whose live link fields point at `target`, e.g. contacts and deals for companies. */
export function entitiesLinkingTo(schema: WorkspaceSchema, target: string): EntityDef[] {
  return schema.entities.filter((e) => liveFields(e).some((f) => f.type === 'link' && f.linkEntity === target))
}

/**
 * How many live records of each entity link to any of `ids` (a record linking to two of them
 * counts once), in schema order, entities without such records left out.
 */
export function countInboundLinks(schema: WorkspaceSchema, target: string, ids: ReadonlySet<string>, rowsOf: (entityId: string) => readonly Row[]): InboundLinks[] {
  const found: InboundLinks[] = []
  for (const entity of entitiesLinkingTo(schema, target)) {
    const linkFields = liveFields(entity).filter((f) => f.type === 'link' && f.linkEntity === target)
    let count = 0
    for (const row of rowsOf(entity.id)) {
      // the records being deleted do not hold themselves back
      if (row.deletedAt || (entity.id === target && ids.has(row.id))) continue
      const links = linkFields.some((f) => {
        const v = row.values[f.id]
        return Array.isArray(v) ? v.some((id) => ids.has(String(id))) : typeof v === 'string' && ids.has(v)
      })
      if (links) count++
    }
    if (count) found.push({ entity, count })
  }
  return found
}

/** "3 contacts and 1 deal link to Acme GmbH. Delete anyway?" — or null when nothing links to them. */
export function inboundLinksQuestion(links: readonly InboundLinks[], deletedName: string, locale: string): string | null {
  if (!links.length) return null
  const parts = links.map((l) => countLabel(l.count, l.entity, locale))
  const list = new Intl.ListFormat('en', { type: 'conjunction' }).format(parts)
  const total = links.reduce((n, l) => n + l.count, 0)
  return `${list} link${total === 1 ? 's' : ''} to ${deletedName}. Delete anyway?`
}
