/**
 * True when `a` becomes `b` with at most `limit` single-letter edits (insert, delete, replace,
 * or swap of two neighbours: the optimal string alignment distance), the typos of a name typed
 * twice. What both begin and end with costs no edit and is skipped (names side by side in sorted
 * order share a beginning); of the rest only the band of width 2·limit+1 is filled, so a check
 * costs about length · limit and allocates nothing (names are compared by the hundred thousand).
 */
let scratch = [new Int32Array(64), new Int32Array(64), new Int32Array(64)]

export function withinEdits(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false
  if (a === b) return true
  let start = 0
  while (start < a.length && start < b.length && a.charCodeAt(start) === b.charCodeAt(start)) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--
    endB--
  }
  // the table over a[start, endA) × b[start, endB); n, m its sizes
  const n = endA - start
  const m = endB - start
  if (n <= limit && m <= limit) return true
  const big = limit + 1
  if (scratch[0]!.length < m + 2) scratch = [0, 1, 2].map(() => new Int32Array((m + 2) * 2))
  // three rows: two back (for swaps), the last, the one being filled; only the band and its edges are written
  let [older, prev, cur] = scratch as [Int32Array, Int32Array, Int32Array]
  for (let j = 0; j <= Math.min(m, limit); j++) prev[j] = j
  if (limit + 1 <= m) prev[limit + 1] = big
  for (let i = 1; i <= n; i++) {
    const from = Math.max(1, i - limit)
    const to = Math.min(m, i + limit)
    cur[from - 1] = from === 1 ? (i <= limit ? i : big) : big
    let best = big
    const ai = a.charCodeAt(start + i - 1)
    const aBefore = i > 1 ? a.charCodeAt(start + i - 2) : -1
    for (let j = from; j <= to; j++) {
      const bj = b.charCodeAt(start + j - 1)
      let d = prev[j - 1]! + (ai === bj ? 0 : 1)
      const del = prev[j]! + 1
      const ins = cur[j - 1]! + 1
      if (del < d) d = del
      if (ins < d) d = ins
      if (j > 1 && aBefore === bj && ai === b.charCodeAt(start + j - 2) && older[j - 2]! + 1 < d) d = older[j - 2]! + 1
      if (d > big) d = big
      cur[j] = d
      if (d < best) best = d
    }
    if (to + 1 <= m) cur[to + 1] = big
    if (best > limit) return false
    const spare = older
    older = prev
    prev = cur
    cur = spare
  }
  return prev[m]! <= limit
}
