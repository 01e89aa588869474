import type { DecodedUpdate } from './decodeUpdateV1'

/*
 * Which of a map key's items ends up rightmost (the only one that can be the key's value; Yjs
 * deletes every other one when it integrates them). A key written one edit after another is a
 * chain (each item's origin is the previous one) and its tail is rightmost. Concurrent writes
 * branch the chain; then we replay Yjs's Item.integrate conflict resolution on the key's list.
 * Returns -1 when the items are outside what this handles (right origins, origins inside a
 * merged item); the caller then falls back to a Y.Doc.
 */
export function lastItemOfKey(u: DecodedUpdate, items: readonly number[], clientIds: readonly number[]): number {
  if (items.length === 1) return u.rightClient[items[0]!] === -1 ? items[0]! : -1
  const byLastId = new Map<string, number>()
  for (const i of items) {
    if (u.rightClient[i] !== -1) return -1
    byLastId.set(`${u.client[i]}:${u.clock[i]! + u.len[i]! - 1}`, i)
  }
  const originItem = new Map<number, number>()
  const children = new Map<number, number>()
  let roots = 0
  let branched = false
  for (const i of items) {
    if (u.originClient[i] === -1) {
      if (++roots > 1) branched = true
      continue
    }
    const o = byLastId.get(`${u.originClient[i]}:${u.originClock[i]}`)
    if (o === undefined) return -1
    originItem.set(i, o)
    const n = (children.get(o) ?? 0) + 1
    children.set(o, n)
    if (n > 1) branched = true
  }
  if (!branched) {
    const tails = items.filter((i) => !children.has(i))
    return tails.length === 1 ? tails[0]! : -1
  }
  return replayIntegration(u, items, originItem, clientIds)
}

/** Yjs Item.integrate for map items (right origin null), in a causal order. */
function replayIntegration(u: DecodedUpdate, items: readonly number[], originItem: Map<number, number>, clientIds: readonly number[]): number {
  const list: number[] = []
  const placed = new Set<number>()
  const clientOf = (i: number) => clientIds[u.client[i]!]!
  const sameOrigin = (a: number, b: number) => {
    const oa = originItem.get(a)
    const ob = originItem.get(b)
    return oa === ob
  }
  let remaining = [...items]
  while (remaining.length) {
    const next: number[] = []
    for (const x of remaining) {
      const o = originItem.get(x)
      if (o !== undefined && !placed.has(o)) { next.push(x); continue }
      let left = o === undefined ? -1 : list.indexOf(o)
      if (left === -1 || left !== list.length - 1) {
        const conflicting = new Set<number>()
        const beforeOrigin = new Set<number>()
        for (let pos = left + 1; pos < list.length; pos++) {
          const item = list[pos]!
          beforeOrigin.add(item)
          conflicting.add(item)
          const itemOrigin = originItem.get(item)
          if (sameOrigin(x, item)) {
            if (clientOf(item) < clientOf(x)) {
              left = pos
              conflicting.clear()
            } else {
              break // equal right origins (both null)
            }
          } else if (itemOrigin !== undefined && beforeOrigin.has(itemOrigin)) {
            if (!conflicting.has(itemOrigin)) {
              left = pos
              conflicting.clear()
            }
          } else {
            break
          }
        }
      }
      list.splice(left + 1, 0, x)
      placed.add(x)
    }
    if (next.length === remaining.length) return -1 // an origin cycle: not a valid history
    remaining = next
  }
  return list[list.length - 1]!
}
