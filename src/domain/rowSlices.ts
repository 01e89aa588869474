/**
 * Reads a JSON array of rows, as ASCII JSON bytes, a slice at a time: the first `firstRows`
 * rows, then about `sliceBytes` per slice, each cut at a line break and decoded on its own.
 * Bytes written by rowsJson (one row per line) parse in as many slices as their size asks for;
 * any other JSON array (an older snapshot on one line) parses whole, as one slice. `total`
 * counts the rows before any is parsed.
 */
export interface RowSlices<T> {
  total: number
  slices: Generator<T[], void, undefined>
}

const NEWLINE = 10
const OPEN = 91 // [
const CLOSE = 93 // ]

export function rowSlices<T>(bytes: Uint8Array, firstRows: number, sliceBytes: number): RowSlices<T> {
  const decoder = new TextDecoder()
  const start = bytes.indexOf(OPEN) + 1
  const end = bytes.lastIndexOf(CLOSE)
  if (start <= 0 || end < start) throw new SyntaxError('row snapshot: not a JSON array')
  const total = snapshotRowCount(bytes)
  if (total === 0) return { total: 0, slices: (function* () {})() }
  if (total === null) {
    // not one row per line: one slice of every row
    const rows = JSON.parse(decoder.decode(bytes)) as T[]
    return { total: rows.length, slices: (function* () { yield rows })() }
  }
  function* slices(): Generator<T[], void, undefined> {
    // the end of the first slice: the line break after row `firstRows` (-1: every row)
    let first = start - 1
    for (let n = 0; n < firstRows; n++) {
      first = bytes.indexOf(NEWLINE, first + 1)
      if (first < 0) break
    }
    let from = start
    while (from < end) {
      let cut = from === start ? first : bytes.indexOf(NEWLINE, from + sliceBytes)
      if (cut < 0 || cut > end) cut = end
      let piece = decoder.decode(bytes.subarray(from, cut)).trimEnd()
      if (piece.endsWith(',')) piece = piece.slice(0, -1)
      if (piece.trim()) yield JSON.parse(`[${piece}]`) as T[]
      from = cut + 1
    }
  }
  return { total, slices: slices() }
}

/**
 * Rows in ASCII JSON bytes written by rowsJson, counted by their line breaks without parsing;
 * null when the layout does not tell (one line holding more than an empty array: one row, or an
 * older snapshot of any number).
 */
export function snapshotRowCount(bytes: Uint8Array): number | null {
  const start = bytes.indexOf(OPEN) + 1
  const end = bytes.lastIndexOf(CLOSE)
  if (start <= 0 || end < start) return null
  if (bytes.indexOf(NEWLINE, start) >= 0) return countLines(bytes, start, end)
  for (let i = start; i < end; i++) if (bytes[i] !== 32) return null
  return 0
}

function countLines(bytes: Uint8Array, start: number, end: number): number {
  let lines = 1
  for (let at = bytes.indexOf(NEWLINE, start); at >= 0 && at < end; at = bytes.indexOf(NEWLINE, at + 1)) lines++
  return lines
}
