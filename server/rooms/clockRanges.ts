/** Half-open clock ranges [start, end) of one Yjs client, kept sorted and non-overlapping. */
export type ClockRange = [start: number, end: number]

/** Sorts and merges touching or overlapping ranges. */
export function normalizeRanges(ranges: ClockRange[]): ClockRange[] {
  const sorted = ranges.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0])
  const out: ClockRange[] = []
  for (const [start, end] of sorted) {
    const last = out.at(-1)
    if (last && start <= last[1]) last[1] = Math.max(last[1], end)
    else out.push([start, end])
  }
  return out
}

/** Adds [start, end) to normalized `ranges` (in place) and keeps them normalized. */
export function addRange(ranges: ClockRange[], start: number, end: number): void {
  if (end <= start) return
  const merged = normalizeRanges([...ranges, [start, end]])
  ranges.length = 0
  ranges.push(...merged)
}

/** Whether normalized `ranges` cover all of [start, end). */
export function coversRange(ranges: readonly ClockRange[], start: number, end: number): boolean {
  if (end <= start) return true
  for (const [s, e] of ranges) {
    if (s > start) return false
    if (e >= end) return true
    if (e > start) start = e
  }
  return false
}

/** Adds normalized `added` to normalized `ranges` (in place): one linear merge, not a sort per range. */
export function addRanges(ranges: ClockRange[], added: readonly ClockRange[]): void {
  if (added.length === 0) return
  const last = ranges[ranges.length - 1]
  const first = added[0] as ClockRange
  if (!last || first[0] >= last[0]) {
    // The usual case: new clocks come after everything known.
    for (const [start, end] of added) {
      const tail = ranges[ranges.length - 1]
      if (tail && start <= tail[1]) tail[1] = Math.max(tail[1], end)
      else ranges.push([start, end])
    }
    return
  }
  const merged: ClockRange[] = []
  let i = 0
  let j = 0
  while (i < ranges.length || j < added.length) {
    const a = ranges[i]
    const b = added[j]
    let next: ClockRange
    if (b === undefined || (a !== undefined && a[0] <= b[0])) {
      next = a as ClockRange
      i++
    } else {
      next = b
      j++
    }
    const tail = merged[merged.length - 1]
    if (tail && next[0] <= tail[1]) tail[1] = Math.max(tail[1], next[1])
    else merged.push([next[0], next[1]])
  }
  ranges.length = 0
  for (const range of merged) ranges.push(range)
}

/** Whether normalized `ranges` cover every one of normalized `wanted`: one linear walk. */
export function coversAll(ranges: readonly ClockRange[], wanted: readonly ClockRange[]): boolean {
  let i = 0
  for (const [start, end] of wanted) {
    if (end <= start) continue
    while (i < ranges.length && (ranges[i] as ClockRange)[1] <= start) i++
    const range = ranges[i]
    // Normalized ranges never touch, so one range must hold all of [start, end).
    if (!range || range[0] > start || range[1] < end) return false
  }
  return true
}
