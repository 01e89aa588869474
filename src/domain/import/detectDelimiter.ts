/** The delimiters an imported CSV may use. */
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const
export type CsvDelimiter = typeof CSV_DELIMITERS[number]

/**
 * The delimiter of a CSV from its first lines: the candidate found (outside quotes) on the first
 * line the same number of times on most of the other lines, the most frequent such; a comma when
 * none is (a one-column file).
 */
export function detectDelimiter(sample: string): CsvDelimiter {
  const lines = sampleLines(sample, 20)
  let best: { delimiter: CsvDelimiter; score: number } | null = null
  for (const delimiter of CSV_DELIMITERS) {
    const counts = lines.map((line) => countOutsideQuotes(line, delimiter))
    const first = counts[0] ?? 0
    if (first === 0) continue
    const same = counts.filter((n) => n === first).length
    // consistency first, then how many columns it makes
    const score = (same / counts.length) * 1000 + first
    if (!best || score > best.score) best = { delimiter, score }
  }
  return best?.delimiter ?? ','
}

/** The first `max` records' text, a quoted newline kept inside its record; a last record cut off by the sample's end left out. */
function sampleLines(sample: string, max: number): string[] {
  const lines: string[] = []
  let inQuotes = false
  let start = 0
  for (let i = 0; i < sample.length && lines.length < max; i++) {
    const c = sample[i]
    if (c === '"') inQuotes = !inQuotes
    else if ((c === '\n' || c === '\r') && !inQuotes) {
      if (i > start) lines.push(sample.slice(start, i))
      start = i + 1
    }
  }
  if (lines.length === 0 && start < sample.length) lines.push(sample.slice(start))
  return lines.filter((line) => line.trim() !== '')
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let n = 0
  let inQuotes = false
  for (const c of line) {
    if (c === '"') inQuotes = !inQuotes
    else if (c === delimiter && !inQuotes) n++
  }
  return n
}
