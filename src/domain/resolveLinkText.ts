import { matchKey } from './normalizeSpaces'

export type LinkResolution =
  | { ok: true; id: string }
  | { ok: false; reason: 'none' }
  | { ok: false; reason: 'many'; count: number }

/**
 * A typed link target: a record id as is, else the records whose name matches ignoring case
 * and spacing. Two records sharing the name are never picked silently: `many` says how many, so
 * the person picks one from the list (two "Acme GmbH" linked the older one before).
 */
export function resolveLinkText(names: ReadonlyMap<string, string>, text: string): LinkResolution {
  const trimmed = text.trim()
  if (names.has(trimmed)) return { ok: true, id: trimmed }
  const key = matchKey(trimmed)
  const matches: string[] = []
  for (const [id, name] of names) if (matchKey(name) === key) matches.push(id)
  if (matches.length === 1) return { ok: true, id: matches[0]! }
  return matches.length ? { ok: false, reason: 'many', count: matches.length } : { ok: false, reason: 'none' }
}
