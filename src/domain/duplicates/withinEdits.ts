/**
 * True when `a` becomes `b` with at most `limit` single-letter edits (insert, delete, replace,
 * or swap of two neighbours: the optimal string alignment distance), the typos of a name typed
 * twice. Only the band of width 2·limit+1 is filled, so a check costs about length · limit.
 */
let scratch = [new Int32Array(64), new Int32Array(64), new Int32Array(64)]

export function withinEdits(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false
  if (a === b) return true
  const width = b.length + 1
  const big = limit + 1
  // three rows of the table: two back (for swaps), the last, the one being filled (kept between calls: names are compared by the hundred thousand)
  if (scratch[0]!.length < width) scratch = [0, 1, 2].map(() => new Int32Array(width * 2))
  let [older, prev, cur] = scratch as [Int32Array, Int32Array, Int32Array]
  older.fill(big, 0, width)
  for (let j = 0; j < width; j++) prev[j] = j <= limit ? j : big
  for (let i = 1; i <= a.length; i++) {
    cur.fill(big, 0, width)
    if (i <= limit) cur[0] = i
    const from = Math.max(1, i - limit)
    const to = Math.min(b.length, i + limit)
    let best = cur[0]!
    for (let j = from; j <= to; j++) {
      const same = a.charCodeAt(i - 1) === b.charCodeAt(j - 1)
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (same ? 0 : 1))
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) d = Math.min(d, older[j - 2]! + 1)
      cur[j] = Math.min(d, big)
      if (cur[j]! < best) best = cur[j]!
    }
    if (best > limit) return false
    const spare = older
    older = prev
    prev = cur
    cur = spare
  }
  return prev[b.length]! <= limit
}
