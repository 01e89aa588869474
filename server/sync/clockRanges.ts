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
