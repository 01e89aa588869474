/**
 * True when `a` becomes `b` with at most `limit` single-letter edits (insert, delete, replace,
 * or swap of two neighbours: the optimal string alignment distance), the typos of a name typed
 * twice. Only the band of width 2·limit+1 is filled, so a check costs about length · limit.
 */
let scratch = [new Int32Array(64), new Int32Array(64), new Int32Array(64)]

export function withinEdits(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false
  if (a === b) return true
  // what both begin and end with costs no edit (names side by side in sorted order share a beginning)
  let start = 0
  while (start < a.length && start < b.length && a.charCodeAt(start) === b.charCodeAt(start)) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--
    endB--
  }
  if (start > 0 || endA < a.length) {
    a = a.slice(start, endA)
    b = b.slice(start, endB)
  }
  if (a.length <= limit && b.length <= limit) return true
  const m = b.length
  const big = limit + 1
  // three rows of the table: two back (for swaps), the last, the one being filled; kept between
  // calls (names are compared by the hundred thousand), and only the band and its edges are written
  if (scratch[0]!.length < m + 2) scratch = [0, 1, 2].map(() => new Int32Array((m + 2) * 2))
  let [older, prev, cur] = scratch as [Int32Array, Int32Array, Int32Array]
  for (let j = 0; j <= Math.min(m, limit); j++) prev[j] = j
  if (limit + 1 <= m) prev[limit + 1] = big
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - limit)
    const to = Math.min(m, i + limit)
    cur[from - 1] = from === 1 ? (i <= limit ? i : big) : big
    let best = big
    const ai = a.charCodeAt(i - 1)
    for (let j = from; j <= to; j++) {
      const bj = b.charCodeAt(j - 1)
      let d = prev[j - 1]! + (ai === bj ? 0 : 1)
      const del = prev[j]! + 1
      const ins = cur[j - 1]! + 1
      if (del < d) d = del
      if (ins < d) d = ins
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj && older[j - 2]! + 1 < d) d = older[j - 2]! + 1
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
