import type { LinkResolution } from '../resolveLinkText'
import { matchKey } from '../normalizeSpaces'

/**
 * resolveLinkText's answers (an id as is, else the one record whose name matches ignoring case
 * and spacing, `many` when several do) for a whole file: the names are keyed once, so each of 100k
 * cells is a lookup rather than a pass over every record.
 */
export function linkNameIndex(names: ReadonlyMap<string, string>): (text: string) => LinkResolution {
  const byKey = new Map<string, string[]>()
  for (const [id, name] of names) {
    const key = matchKey(name)
    const ids = byKey.get(key)
    if (ids) ids.push(id)
    else byKey.set(key, [id])
  }
  return (text) => {
    const trimmed = text.trim()
    if (names.has(trimmed)) return { ok: true, id: trimmed }
    const ids = byKey.get(matchKey(trimmed)) ?? []
    if (ids.length === 1) return { ok: true, id: ids[0]! }
    return ids.length ? { ok: false, reason: 'many', count: ids.length } : { ok: false, reason: 'none' }
  }
}
